//! Recompute everything the published figures allow and compare. Every rule is the
//! library's: rates by [`metrics::rate`], indicator scores by [`scoring::score_indicator`] and
//! [`scoring::score`], tiers by [`rules::in_tier`], grades by [`Scheme::grade`], 不适用 by
//! [`rules::rescale`], rounding by [`round_half_up`] only.
//!
//! A figure is judged at the precision it is printed with: it agrees when 四舍五入 of the
//! recomputed value to its printed decimals gives it; it was cut off (JX2002) when cutting
//! the recomputed value off gives it instead; otherwise it differs. Printed amounts are taken
//! as exact: the form's own arithmetic must hold on the figures it prints.
//!
//! How a printed figure is judged is in `judge`; the rest is one file per part of the
//! review, in the order [`review`] runs them: `figures` (the metric values the published
//! figures give), `indicators` (the indicator each published row is judged by), `funds`
//! (the funds block: its rows and rates), `execution` (the budget execution rate: its
//! score, and full outputs beside a low one), `rows` (each indicator row's weight, score
//! and reason), `levels` (weights and scores against their parents' and the total,
//! rescaled when rows are 不适用), `totals` (the grade and the total the rules give),
//! `records` (every figure against the evaluation's records) and `baseline` (the figures
//! under a standard scheme).
//!
//! [`metrics::rate`]: crate::metrics::rate
//! [`scoring::score_indicator`]: crate::scoring::score_indicator
//! [`scoring::score`]: crate::scoring::score
//! [`rules::in_tier`]: crate::scoring::rules::in_tier
//! [`rules::rescale`]: crate::scoring::rules::rescale
//! [`round_half_up`]: crate::decimal::round_half_up

mod baseline;
mod caps;
mod convert;
mod execution;
mod figures;
mod funds;
mod indicators;
mod judge;
mod levels;
mod records;
mod rows;
mod template;
mod totals;
mod verdicts;

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::model::{Claims, Place, RowClaim};
use super::{Finding, Review, Totals};
use crate::batch::{self, Rows};
use crate::diag::{Code, Problems};
use crate::i18n::Lang;
use crate::input::Root;
use crate::judgment::JudgedTier;
use crate::metrics::MetricValue;
use crate::outcome::Outcome;
use crate::scheme::{self, DerivedMetric, DimensionKind, Indicator, Scheme};
use crate::workspace::{Overrides, Workspace};

/// How to review.
#[derive(Debug, Clone)]
pub struct Options {
    /// A standard scheme to score the published figures under as well (`--baseline`).
    pub baseline: Option<Scheme>,
    /// Every output at full marks beside an execution rate below this share is flagged
    /// (JX2014); 0.6 = 60%.
    pub low_execution: Decimal,
    pub lang: Lang,
    /// A province's cap on the total by the execution rate (JX2019); none by default.
    pub caps: Option<crate::review::caps::Caps>,
    /// The template of forms that print no 分值 and do not name one (`--template`).
    pub template: Option<crate::review::model::Template>,
    /// Where the files a claims file names, and the records it is compared with, may lie
    /// (`--root`).
    pub root: Root,
    /// The sheet read from workbooks (`--sheet`); `None` = every sheet holding a 自评表.
    pub sheet: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            baseline: None,
            low_execution: Decimal::new(6, 1),
            lang: Lang::Zh,
            caps: None,
            template: None,
            root: Root::Anywhere,
            sheet: None,
        }
    }
}

/// Review one claims file: load its scheme and its records (when it has them), recompute,
/// compare. `Err` holds why it could not be reviewed (a scheme or records that cannot be
/// read, a claim that names no indicator of the scheme, an actual in the wrong unit).
pub fn review(claims: &Claims, options: &Options) -> Result<Review, Problems> {
    let lang = options.lang;
    let records_dir = super::records_folder(claims);
    let mut outcome: Option<Outcome> = None;
    let mut bindings: Vec<DerivedMetric> = Vec::new();
    if let Some(dir) = &records_dir {
        let overrides = Overrides {
            scheme: claims.report.scheme.clone(),
            project: claims.report.project.clone(),
            root: options.root.clone(),
            ..Overrides::default()
        };
        let ws = Workspace::open(dir, &overrides)?;
        bindings = ws.metrics.clone();
        let id = ws.one_project()?;
        let scored = batch::score_one(&ws, &id, lang, Rows::Small).map_err(|e| e.0)?;
        outcome = Some(scored.outcome);
    }
    let scheme: Option<Scheme> = match (&outcome, &claims.report.scheme) {
        (Some(o), _) => Some(Scheme::clone(&o.scheme)),
        (None, Some(path)) => Some(scheme::load(path)?),
        (None, None) => None,
    };
    let implied = indicators::implied_scheme(claims, scheme.as_ref());
    let mut derived: Vec<DerivedMetric> = Vec::new();
    if let Some(s) = &scheme {
        derived.extend(s.metrics.iter().cloned());
    }
    derived.extend(claims.metrics.iter().cloned());
    derived.extend(bindings);

    let mut r = Reviewer {
        claims,
        scheme: scheme.as_ref(),
        implied,
        template: claims.report.template.or(options.template),
        lang,
        derived,
        base: BTreeMap::new(),
        rows: Vec::new(),
        findings: Vec::new(),
        problems: Problems::default(),
        record: verdicts::Record::default(),
    };
    r.base = r.base_values();
    r.resolve_rows();
    if r.problems.has_errors() {
        return Err(r.problems);
    }
    r.inputs();
    r.funds_rows();
    r.overspent();
    r.rates();
    r.execution_score();
    r.conversions();
    r.row_checks();
    r.template_ceilings(r.template);
    r.sub_sums();
    r.weight_sums();
    r.score_sums();
    r.grade();
    let recomputed = r.recompute_sheet();
    r.recomputed_total(recomputed.as_ref());
    r.low_execution(options.low_execution);
    r.full_total_low_execution();
    if let Some(caps) = &options.caps {
        r.execution_cap(caps);
    }
    match &outcome {
        Some(o) => r.records(o),
        None => r.without_records(),
    }
    let baseline = options.baseline.as_ref().map(|b| r.baseline(b));
    let execution = r.execution_rate();

    // One finding per claim: the first found (the most specific) stays.
    let mut seen = std::collections::BTreeSet::new();
    let mut findings: Vec<Finding> = std::mem::take(&mut r.findings)
        .into_iter()
        .filter(|f| seen.insert(f.field.clone()))
        .collect();
    findings.sort_by_key(|f| (f.line, f.column, f.code));
    let figures = r.verdicts(&findings);
    Ok(Review {
        claims: claims.path.clone(),
        sheet: claims.sheet.clone(),
        project: claims
            .report
            .project
            .clone()
            .or_else(|| outcome.as_ref().map(|o| o.project.id.clone())),
        name: claims
            .report
            .name
            .clone()
            .or_else(|| outcome.as_ref().map(|o| o.project.name.clone())),
        year: claims
            .report
            .year
            .or_else(|| outcome.as_ref().map(|o| i64::from(o.project.year))),
        department: claims
            .report
            .department
            .clone()
            .or_else(|| outcome.as_ref().and_then(|o| o.project.department.clone())),
        scheme: scheme.as_ref().map(|s| (s.id.clone(), s.title.clone())),
        records: outcome.as_ref().and(records_dir),
        totals: Totals {
            claimed: claims.total.score.as_ref().map(|p| p.value),
            claimed_grade: claims.total.grade.as_ref().map(|g| g.text.clone()),
            recomputed: recomputed.as_ref().ok().map(|s| s.total),
            recomputed_grade: recomputed.as_ref().ok().map(|s| s.grade.clone()),
            recomputed_why: recomputed.as_ref().err().cloned(),
            records: outcome.as_ref().map(|o| o.sheet.total),
            records_grade: outcome.as_ref().map(|o| o.sheet.grade.clone()),
        },
        baseline,
        execution,
        findings,
        figures,
    })
}

/// A published row and the indicator it is judged by.
struct Row<'c> {
    claim: &'c RowClaim,
    /// Indexes of its dimension and group in the claims file.
    dim: usize,
    group: usize,
    /// The scheme's indicator, or one implied by the printed 分值 and 年度指标值.
    ind: Option<Indicator>,
    from_scheme: bool,
    /// The scheme dimension the indicator belongs to.
    kind: Option<DimensionKind>,
    /// The printed actual is in a unit its target cannot be compared with: the row is not
    /// recomputed (and says so), the rest of the table is.
    unit_clash: bool,
}

impl Row<'_> {
    /// The weight the row is judged by: the scheme's, else the printed one.
    fn weight(&self) -> Option<Decimal> {
        self.ind
            .as_ref()
            .map(|i| i.weight)
            .or(self.claim.weight.as_ref().map(|w| w.value))
    }

    fn not_applicable(&self) -> bool {
        matches!(self.claim.tier, Some((JudgedTier::NotApplicable, _)))
    }
}

/// The claims file under review, what it gives and what has been found so far.
struct Reviewer<'c> {
    claims: &'c Claims,
    scheme: Option<&'c Scheme>,
    implied: Scheme,
    /// The template whose weights are implied where none is printed.
    template: Option<crate::review::model::Template>,
    lang: Lang,
    derived: Vec<DerivedMetric>,
    /// The metric values the published figures give (amounts, rates, outputs).
    base: BTreeMap<String, MetricValue>,
    rows: Vec<Row<'c>>,
    findings: Vec<Finding>,
    problems: Problems,
    /// What the checks judged and could not judge, for the verdicts on the figures.
    record: verdicts::Record,
}

impl<'c> Reviewer<'c> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    /// `text` in brackets: full-width in Chinese, ASCII in English.
    fn paren(&self, text: &str) -> String {
        match self.lang {
            Lang::Zh => format!("（{text}）"),
            Lang::En => format!(" ({text})"),
        }
    }

    fn reference(&self) -> &Scheme {
        self.scheme.unwrap_or(&self.implied)
    }

    /// A finding at a claim, to be completed by the caller.
    fn at(&self, code: Code, place: &Place, field: &str) -> Finding {
        Finding {
            code,
            file: self.claims.path.clone(),
            line: place.line,
            column: place.column,
            field: field.to_string(),
            subject: String::new(),
            claim: String::new(),
            recomputed: String::new(),
            rule: String::new(),
            message: String::new(),
        }
    }

    fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }
}

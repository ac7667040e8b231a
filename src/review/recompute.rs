//! Recompute everything the published figures allow and compare. Every rule is the
//! library's: rates by [`metrics::rate`], indicator scores by [`scoring::score_indicator`] and
//! [`scoring::score`], tiers by [`rules::in_tier`], grades by [`Scheme::grade`], 不适用 by
//! [`rules::rescale`], rounding by [`round_half_up`] only.
//!
//! A figure is judged at the precision it is printed with: it agrees when 四舍五入 of the
//! recomputed value to its printed decimals gives it; it was cut off (JX2002) when cutting
//! the recomputed value off gives it instead; otherwise it differs. Printed amounts are taken
//! as exact: the form's own arithmetic must hold on the figures it prints.

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::model::{Actual, AmountsClaim, Claims, Place, Printed, RowClaim};
use super::{Baseline, BaselineIndicator, Finding, Review, Totals};
use crate::batch::{self, Rows};
use crate::builtin::Builtin;
use crate::decimal::{fixed, plain, round_half_up, truncate};
use crate::diag::{Code, Problem, Problems};
use crate::i18n::Lang;
use crate::judgment::{JudgedTier, JudgmentRow};
use crate::metrics::{self, MetricValue, Metrics, Source};
use crate::outcome::Outcome;
use crate::scheme::{
    self, DerivedMetric, DimensionKind, Family, Indicator, Rule, Scheme, Scoring, Target, Tiers,
    Unit,
};
use crate::scoring::{self, IndicatorScore, rules};
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            baseline: None,
            low_execution: Decimal::new(6, 1),
            lang: Lang::Zh,
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
    let implied = implied_scheme(claims, scheme.as_ref());
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
        lang,
        derived,
        base: BTreeMap::new(),
        rows: Vec::new(),
        findings: Vec::new(),
        problems: Problems::default(),
    };
    r.base = r.base_values();
    r.resolve_rows();
    if r.problems.has_errors() {
        return Err(r.problems);
    }
    r.funds_rows();
    r.rates();
    r.execution_score();
    r.row_checks();
    r.weight_sums();
    r.score_sums();
    r.grade();
    let recomputed = r.recompute_sheet();
    r.recomputed_total(recomputed.as_ref());
    r.low_execution(options.low_execution);
    if let Some(o) = &outcome {
        r.records(o);
    }
    let baseline = options.baseline.as_ref().map(|b| r.baseline(b));

    // One finding per claim: the first found (the most specific) stays.
    let mut seen = std::collections::BTreeSet::new();
    let mut findings: Vec<Finding> = r
        .findings
        .into_iter()
        .filter(|f| seen.insert(f.field.clone()))
        .collect();
    findings.sort_by_key(|f| (f.line, f.column, f.code));
    Ok(Review {
        claims: claims.path.clone(),
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
        scheme: scheme.as_ref().map(|s| (s.id.clone(), s.title.clone())),
        records: outcome.as_ref().and(records_dir),
        totals: Totals {
            claimed: claims.total.score.as_ref().map(|p| p.value),
            claimed_grade: claims.total.grade.as_ref().map(|g| g.text.clone()),
            recomputed: recomputed.as_ref().map(|s| s.total),
            recomputed_grade: recomputed.as_ref().map(|s| s.grade.clone()),
            records: outcome.as_ref().map(|o| o.sheet.total),
            records_grade: outcome.as_ref().map(|o| o.sheet.grade.clone()),
        },
        baseline,
        findings,
    })
}

/// The scheme a claims file implies when it is reviewed without one: its printed total (or
/// 100), the default grade bands and tiers. Rows are then scored by their printed targets
/// with the standard rules ([`scheme::default_rule`]).
fn implied_scheme(claims: &Claims, scheme: Option<&Scheme>) -> Scheme {
    Scheme {
        path: claims.path.clone(),
        id: "claims".into(),
        title: String::new(),
        family: Family::Custom,
        total: scheme.map_or_else(
            || {
                claims
                    .total
                    .weight
                    .as_ref()
                    .map_or(Decimal::ONE_HUNDRED, |w| w.value)
            },
            |s| s.total,
        ),
        grades: scheme.map_or_else(scheme::default_grades, |s| s.grades.clone()),
        tiers: scheme.map_or_else(Tiers::default, |s| s.tiers),
        metrics: Vec::new(),
        dimensions: Vec::new(),
        warnings: Vec::new(),
    }
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

struct Reviewer<'c> {
    claims: &'c Claims,
    scheme: Option<&'c Scheme>,
    implied: Scheme,
    lang: Lang,
    derived: Vec<DerivedMetric>,
    /// The metric values the published figures give (amounts, rates, outputs).
    base: BTreeMap<String, MetricValue>,
    rows: Vec<Row<'c>>,
    findings: Vec<Finding>,
    problems: Problems,
}

/// How a printed figure compares with the value recomputed.
enum Verdict {
    Agrees,
    /// Cut off; the rounded value (in the printed unit) is given.
    Truncated(Decimal),
    Differs(Decimal),
}

/// Judge a printed figure against the exact value it should show, at its precision (see
/// [`Printed::precision`]). `also` are values the platform may have printed instead (a rate
/// already rounded to 0.01%, a score already rounded).
fn judge(p: &Printed, exact: Decimal, also: &[Decimal]) -> Verdict {
    let shown = |v: Decimal| p.unit.from_base(v);
    let rounded = round_half_up(shown(exact), p.precision);
    if rounded == p.number
        || also
            .iter()
            .any(|a| round_half_up(shown(*a), p.precision) == p.number)
    {
        Verdict::Agrees
    } else if p.places == p.precision && truncate(shown(exact), p.places) == p.number {
        // A score printed "3" for 3.60 is not read as cut off: scores are judged to 0.01.
        Verdict::Truncated(rounded)
    } else {
        Verdict::Differs(rounded)
    }
}

/// The unit text printed after a figure's number ("万" of "6.79万", "%" of "67.9%").
fn suffix(p: &Printed) -> &str {
    let t = p.text.trim();
    let start = t
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || matches!(c, '.' | ',' | '¥' | '￥')
                || ((c == '-' || c == '+') && i == 0))
        })
        .map_or(t.len(), |(i, _)| i);
    t[start..].trim()
}

/// A value (in the printed unit) written the way the figure is printed, at its precision.
fn like(p: &Printed, v: Decimal) -> String {
    format!("{}{}", fixed(v, p.precision), suffix(p))
}

/// An exact value for people: a long quotient is shown cut off after 6 decimals with "…".
fn approx(x: Decimal) -> String {
    let cut = truncate(x, 6);
    if cut == x {
        plain(x)
    } else {
        format!("{}…", plain(cut))
    }
}

/// A built-in as the 自评表 names its column (执行率, not 预算执行率), with the English
/// beside the Chinese term a reader checks the form against.
fn form_label(b: Builtin) -> (&'static str, &'static str) {
    match b {
        Builtin::InitialBudget => ("年初预算数", "initial budget (年初预算数)"),
        Builtin::AdjustedBudget => ("全年预算数", "full-year budget (全年预算数)"),
        Builtin::Allocated => ("实际到位资金", "funds allocated (实际到位资金)"),
        Builtin::Spent => ("全年执行数", "spent (全年执行数)"),
        Builtin::Balance => ("结余", "balance (结余)"),
        Builtin::ExecutionRate => ("执行率", "execution rate (执行率)"),
        Builtin::ExecutionRateAllocated => (
            "执行率（执行数/到位资金）",
            "execution rate on funds allocated",
        ),
        Builtin::ArrivalRate => ("资金到位率", "arrival rate (资金到位率)"),
    }
}

/// The rates a funds row may print, in [`Builtin::ALL`] order.
fn rates() -> impl Iterator<Item = Builtin> {
    Builtin::ALL.into_iter().filter(|b| !b.is_money())
}

/// A rate's printed numerator and denominator in a funds row, when both are printed.
fn rate_parts(row: &AmountsClaim, rate: Builtin) -> Option<(&Printed, &Printed)> {
    let (n, d) = rate.ratio()?;
    Some((row.get(n)?, row.get(d)?))
}

/// The amounts a funds row prints (结余 is not one of them).
const AMOUNTS: [Builtin; 4] = [
    Builtin::InitialBudget,
    Builtin::AdjustedBudget,
    Builtin::Allocated,
    Builtin::Spent,
];

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

    /// The finding for a figure cut off instead of rounded.
    /// `exact` is the value recomputed, before rounding; `what` how it was computed.
    fn truncated(
        &mut self,
        p: &Printed,
        field: &str,
        subject: String,
        (exact, rounded): (Decimal, Decimal),
        what: String,
    ) {
        let rule = format!(
            "{what}{}{}{}{}{}{}{}",
            self.t("；未舍入值 ", "; unrounded "),
            approx(p.unit.from_base(exact)),
            suffix(p),
            self.t("，四舍五入保留 ", ", rounded half up (四舍五入) to "),
            p.precision,
            self.t(" 位小数 = ", " decimal(s) = "),
            like(p, rounded)
        );
        let f = Finding {
            subject,
            claim: p.text.clone(),
            recomputed: like(p, rounded),
            rule,
            message: self
                .t(
                    "截断而非四舍五入",
                    "cut off (截断) instead of rounded half up (四舍五入)",
                )
                .to_string(),
            ..self.at(Code::Truncated, &p.at, field)
        };
        self.push(f);
    }

    // ───────────────────────── what the published figures give ─────────────────────────

    /// One funds column of the 年度资金总额 row: printed, else the sum of the 其中 rows when
    /// every one of them prints it.
    fn total_amount(&self, key: Builtin) -> Option<Decimal> {
        let funds = &self.claims.funds;
        if let Some(p) = funds.total.get(key) {
            return Some(p.value);
        }
        if funds.sources.is_empty() {
            return None;
        }
        funds
            .sources
            .iter()
            .map(|s| s.row.get(key).map(|p| p.value))
            .sum()
    }

    fn base_values(&self) -> BTreeMap<String, MetricValue> {
        let claims = self.claims;
        let given = |value: Decimal, unit: Unit, line: usize| MetricValue {
            value,
            unit,
            source: Source::Output {
                file: claims.path.clone().into(),
                line,
            },
        };
        let mut v = BTreeMap::new();
        for (name, p) in &claims.outputs {
            v.insert(name.clone(), given(p.value, p.unit.clone(), p.at.line));
        }
        let amounts: BTreeMap<Builtin, Decimal> = AMOUNTS
            .into_iter()
            .filter_map(|k| self.total_amount(k).map(|a| (k, a)))
            .collect();
        for (k, a) in &amounts {
            v.insert(k.name().to_string(), given(*a, Unit::Yuan, 0));
        }
        if let (Some(allocated), Some(spent)) = (
            amounts.get(&Builtin::Allocated),
            amounts.get(&Builtin::Spent),
        ) {
            v.insert(
                Builtin::Balance.name().into(),
                given(allocated - spent, Unit::Yuan, 0),
            );
        }
        for kind in rates() {
            let computed = kind
                .ratio()
                .and_then(|(n, d)| Some(metrics::rate(*amounts.get(&n)?, *amounts.get(&d)?)))
                .flatten();
            let rate = computed.or_else(|| claims.funds.total.get(kind).map(|p| p.value));
            if let Some(rate) = rate {
                v.insert(kind.name().into(), given(rate, Unit::Percent, 0));
            }
        }
        v
    }

    /// Metrics from the published figures, with `extra` values (a row's own actual) on top.
    fn metrics(&self, extra: impl IntoIterator<Item = (String, MetricValue)>) -> Metrics<'_> {
        let mut values = self.base.clone();
        values.extend(extra);
        Metrics::from_values(values, self.derived.iter())
    }

    /// A row's actual as a metric value for its indicator.
    fn actual_value(&self, row: &Row<'_>) -> Option<(String, MetricValue)> {
        let Some(Scoring::Quantitative { metric, .. }) = row.ind.as_ref().map(|i| &i.scoring)
        else {
            return None;
        };
        let Some(Actual::Number(p)) = &row.claim.actual else {
            return None;
        };
        Some((
            metric.clone(),
            MetricValue {
                value: p.value,
                unit: p.unit.clone(),
                source: Source::Output {
                    file: self.claims.path.clone().into(),
                    line: p.at.line,
                },
            },
        ))
    }

    /// Match every published row to its indicator.
    fn resolve_rows(&mut self) {
        let claims = self.claims;
        let mut rows = Vec::new();
        let mut n = 0;
        for (di, d) in claims.dimensions.iter().enumerate() {
            for (gi, g) in d.groups.iter().enumerate() {
                for claim in &g.rows {
                    n += 1;
                    let (ind, from_scheme) = match self.scheme {
                        Some(s) => match self.scheme_indicator(s, claim) {
                            Ok(Some(i)) => (Some(i.clone()), true),
                            Ok(None) => (implied_indicator(claim, n, s.tiers), false),
                            Err(p) => {
                                self.problems.push(*p);
                                continue;
                            }
                        },
                        None => (implied_indicator(claim, n, Tiers::default()), false),
                    };
                    let kind = self.scheme.filter(|_| from_scheme).and_then(|s| {
                        s.indicators()
                            .find(|(_, _, i)| Some(&i.id) == ind.as_ref().map(|i| &i.id))
                            .map(|(d, _, _)| d.kind)
                    });
                    let row = Row {
                        claim,
                        dim: di,
                        group: gi,
                        ind,
                        from_scheme,
                        kind,
                    };
                    self.unit_fits(&row);
                    rows.push(row);
                }
            }
        }
        self.rows = rows;
    }

    /// The scheme indicator a row names by id, or matches by name; an id the scheme does not
    /// have is a problem with the claims file.
    fn scheme_indicator<'s>(
        &self,
        s: &'s Scheme,
        claim: &RowClaim,
    ) -> Result<Option<&'s Indicator>, Box<Problem>> {
        if let Some(id) = &claim.id {
            return match s.indicator(&id.text) {
                Some(i) => Ok(Some(i)),
                None => Err(Box::new(
                    Problem::error(
                        &self.claims.path,
                        format!(
                            "row \"{}\" names an indicator the scheme does not have",
                            id.text
                        ),
                    )
                    .code(Code::UnknownIndicator)
                    .span_at(&id.at)
                    .field(format!("{}.id", claim.field))
                    .value(&id.text)
                    .expected(format!(
                        "an indicator id of scheme \"{}\" ({})",
                        s.id,
                        s.path.display()
                    )),
                )),
            };
        }
        let Some(name) = &claim.name else {
            return Ok(None);
        };
        let mut found = s.indicators().filter(|(_, _, i)| i.name == name.text);
        match (found.next(), found.next()) {
            (Some((_, _, i)), None) => Ok(Some(i)),
            _ => Ok(None),
        }
    }

    /// A published actual must be in a unit its target can be compared with.
    fn unit_fits(&mut self, row: &Row<'_>) {
        let (Some(Scoring::Quantitative { target, metric, .. }), Some(Actual::Number(p))) =
            (row.ind.as_ref().map(|i| &i.scoring), &row.claim.actual)
        else {
            return;
        };
        let want = target.quantity.unit.kind();
        if !want.fits(&p.unit.kind()) {
            self.problems.push(
                Problem::error(
                    &self.claims.path,
                    format!(
                        "actual \"{}\" is in {} but the target {} (metric \"{metric}\") is in {}",
                        p.text,
                        p.unit.kind().label(),
                        target,
                        want.label()
                    ),
                )
                .code(Code::UnitMismatch)
                .span_at(&p.at)
                .field(format!("{}.actual", row.claim.field))
                .value(&p.text)
                .expected(format!("an actual value in {}", want.label())),
            );
        }
    }

    // ───────────────────────── the funds block ─────────────────────────

    /// JX2012: 年度资金总额 against the sum of its 其中 rows, column by column.
    fn funds_rows(&mut self) {
        let funds = &self.claims.funds;
        if funds.sources.is_empty() {
            return;
        }
        for key in AMOUNTS {
            let Some(total) = funds.total.get(key) else {
                continue;
            };
            let parts: Vec<(&str, &Printed)> = funds
                .sources
                .iter()
                .filter_map(|s| s.row.get(key).map(|p| (s.name.as_str(), p)))
                .collect();
            if parts.is_empty() {
                continue;
            }
            let sum: Decimal = parts.iter().map(|(_, p)| p.value).sum();
            if sum == total.value {
                continue;
            }
            let (zh, en) = form_label(key);
            let shown_sum = like(total, total.unit.from_base(sum));
            let terms = parts
                .iter()
                .map(|(n, p)| format!("{n} {}", p.text))
                .collect::<Vec<_>>()
                .join(" + ");
            let f = Finding {
                subject: format!(
                    "{} · {}",
                    self.t("年度资金总额", "total funds (年度资金总额)"),
                    self.t(zh, en)
                ),
                claim: total.text.clone(),
                recomputed: shown_sum.clone(),
                rule: format!(
                    "{}{terms} = {shown_sum}",
                    self.t(
                        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金：",
                        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金: "
                    )
                ),
                message: self
                    .t(
                        "年度资金总额与其中各行之和不符",
                        "the total funds row contradicts the rows beneath it",
                    )
                    .to_string(),
                ..self.at(
                    Code::FundsRowsContradict,
                    &total.at,
                    &format!("funds.{key}"),
                )
            };
            self.push(f);
        }
    }

    /// JX2001 / JX2002: every printed rate against the printed amounts of its row, and
    /// every indicator whose actual is one of those rates.
    fn rates(&mut self) {
        let claims = self.claims;
        let mut rows: Vec<(&AmountsClaim, String, String)> = vec![(
            &claims.funds.total,
            "funds".to_string(),
            self.t("年度资金总额", "total funds").to_string(),
        )];
        for s in &claims.funds.sources {
            rows.push((&s.row, s.field.clone(), s.name.clone()));
        }
        for (row, field, label) in rows {
            for kind in rates() {
                let Some(p) = row.get(kind) else { continue };
                let Some(parts) = rate_parts(row, kind) else {
                    continue;
                };
                let (zh, en) = form_label(kind);
                let subject = format!("{label} · {}", self.t(zh, en));
                self.judge_rate(p, kind, parts, &format!("{field}.{kind}"), subject);
            }
        }
        // An indicator whose actual value is one of the funds rates (预算执行率, 资金到位率).
        let total = &claims.funds.total;
        let checks: Vec<(Printed, Builtin, String, String)> = self
            .rows
            .iter()
            .filter_map(|r| {
                let kind = r.ind.as_ref()?.builtin().filter(|b| !b.is_money())?;
                let Some(Actual::Number(p)) = &r.claim.actual else {
                    return None;
                };
                Some((
                    p.clone(),
                    kind,
                    format!("{}.actual", r.claim.field),
                    format!("{} · {}", r.claim.label(), self.t("实际完成值", "actual")),
                ))
            })
            .collect();
        for (p, kind, field, subject) in checks {
            if let Some(parts) = rate_parts(total, kind) {
                self.judge_rate(&p, kind, parts, &field, subject);
            }
        }
    }

    fn judge_rate(
        &mut self,
        p: &Printed,
        kind: Builtin,
        (n, d): (&Printed, &Printed),
        field: &str,
        subject: String,
    ) {
        let Some(exact) = rules::ratio(n.value, d.value).filter(|_| !d.value.is_zero()) else {
            return;
        };
        let library = metrics::rate(n.value, d.value)
            .into_iter()
            .collect::<Vec<_>>();
        let Some((nk, dk)) = kind.ratio() else { return };
        let what = format!(
            "{} / {} = {} / {}",
            self.t(form_label(nk).0, form_label(nk).1),
            self.t(form_label(dk).0, form_label(dk).1),
            n.text,
            d.text,
        );
        match judge(p, exact, &library) {
            Verdict::Agrees => {}
            Verdict::Truncated(rounded) => {
                self.truncated(p, field, subject, (exact, rounded), what);
            }
            Verdict::Differs(rounded) => {
                let rule = format!(
                    "{what} = {}{}{}{}{}{}",
                    approx(p.unit.from_base(exact)),
                    suffix(p),
                    self.t("，四舍五入保留 ", ", rounded half up to "),
                    p.precision,
                    self.t(" 位小数 = ", " decimal(s) = "),
                    like(p, rounded)
                );
                let f = Finding {
                    subject,
                    claim: p.text.clone(),
                    recomputed: like(p, rounded),
                    rule,
                    message: self
                        .t(
                            "比率与金额不符",
                            "the rate does not follow from the amounts",
                        )
                        .to_string(),
                    ..self.at(Code::RateOffAmounts, &p.at, field)
                };
                self.push(f);
            }
        }
    }

    /// The indicator the funds block's 执行率 score is judged by: the scheme's 预算执行率
    /// indicator, else the 自评表's standard rule (执行率 × 分值, ≥ 100%) with the printed 分值.
    fn execution_indicator(&self) -> Option<(Indicator, bool)> {
        if let Some(i) = self.scheme.and_then(Scheme::execution_indicator) {
            return Some((i.clone(), true));
        }
        let weight = self.claims.funds.weight.as_ref()?;
        let target = Target::parse(">= 100%").ok()?;
        Some((
            Indicator {
                id: "预算执行率".into(),
                name: self.t("预算执行率", "budget execution rate").into(),
                weight: weight.value,
                target_text: None,
                scoring: Scoring::Quantitative {
                    metric: Builtin::ExecutionRate.name().into(),
                    target,
                    rule: Rule::Proportional,
                },
                standard: Some(
                    self.t(
                        "自评表：得分 = 执行率 × 分值",
                        "自评表: score = execution rate × weight",
                    )
                    .into(),
                ),
                over_completion: None,
                line: 0,
                span: 0..0,
            },
            false,
        ))
    }

    /// JX2003 (and JX2007, JX2013) on the funds block's 分值 and 得分.
    fn execution_score(&mut self) {
        let funds = &self.claims.funds;
        let Some((ind, from_scheme)) = self.execution_indicator() else {
            return;
        };
        let label = format!("{} {}", self.t("预算执行率", "budget execution"), "");
        let label = label.trim().to_string();
        if let (true, Some(w)) = (from_scheme, &funds.weight)
            && w.value != ind.weight
        {
            self.weight_off_scheme(w, &ind, "funds.weight", label.clone());
        }
        let Some(score) = &funds.score else { return };
        if score.value > ind.weight {
            self.above_weight(score, ind.weight, "funds.score", label);
            return;
        }
        let mut metrics = self.metrics([]);
        let Ok(s) = scoring::score_indicator(
            self.reference(),
            &ind,
            &mut metrics,
            &[],
            &self.claims.path,
            self.lang,
        ) else {
            return;
        };
        let (Some(exact), Some(rounded)) = (s.unrounded, s.score) else {
            return;
        };
        let rule = self.rule_text(&ind, from_scheme, &s);
        let subject = format!("{label} · {}", self.t("得分", "score"));
        match judge(score, exact, &[rounded]) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => {
                self.truncated(score, "funds.score", subject, (exact, r), rule);
            }
            Verdict::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: score.text.clone(),
                    recomputed: like(score, r),
                    rule,
                    message: self
                        .t(
                            "预算执行率得分与评分规则不符",
                            "the 预算执行率 score does not follow from the rule",
                        )
                        .to_string(),
                    ..self.at(Code::ExecutionScoreOffRule, &score.at, "funds.score")
                };
                self.push(f);
            }
        }
    }

    /// "P2 预算执行率 (legal-aid-2022): 67.90% 属于 [60%, 70%) 档，得 2".
    fn rule_text(&self, ind: &Indicator, from_scheme: bool, s: &IndicatorScore) -> String {
        let whose = if from_scheme {
            format!(
                "{} {}{}",
                ind.id,
                ind.name,
                self.paren(&self.reference().id)
            )
        } else if let Some(standard) = &ind.standard {
            return format!("{standard}{}{}", self.t("；", "; "), s.basis);
        } else {
            self.t(
                "按公布的年度指标值和标准评分方法",
                "by the printed target and the standard rule",
            )
            .to_string()
        };
        format!("{whose}{}{}", self.t("：", ": "), s.basis)
    }

    fn weight_off_scheme(&mut self, w: &Printed, ind: &Indicator, field: &str, subject: String) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("分值", "weight")),
            claim: w.text.clone(),
            recomputed: plain(ind.weight),
            rule: format!(
                "{} {} {}{} {}",
                self.reference().id,
                ind.id,
                ind.name,
                self.t("：分值", ": weight (分值)"),
                plain(ind.weight)
            ),
            message: self
                .t("分值与指标体系不符", "the weight differs from the scheme's")
                .to_string(),
            ..self.at(Code::WeightOffScheme, &w.at, field)
        };
        self.push(f);
    }

    fn above_weight(&mut self, score: &Printed, weight: Decimal, field: &str, subject: String) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("得分", "score")),
            claim: score.text.clone(),
            recomputed: format!("≤ {}", plain(weight)),
            rule: format!(
                "{}{}",
                self.t(
                    "得分不得超过分值 ",
                    "a score cannot exceed its weight (分值) "
                ),
                plain(weight)
            ),
            message: self
                .t("得分超过分值", "the score is above its weight")
                .to_string(),
            ..self.at(Code::ScoreAboveWeight, &score.at, field)
        };
        self.push(f);
    }

    // ───────────────────────── the indicator rows ─────────────────────────

    fn row_checks(&mut self) {
        for i in 0..self.rows.len() {
            self.row_check(i);
        }
    }

    // Split pending (issue 12, item 8).
    #[allow(clippy::too_many_lines)]
    fn row_check(&mut self, i: usize) {
        let row = &self.rows[i];
        let claim = row.claim;
        let label = claim.label();
        let field = |f: &str| format!("{}.{f}", claim.field);
        // JX2013: a printed 分值 that is not the scheme's.
        if let (true, Some(ind), Some(w)) = (row.from_scheme, &row.ind, &claim.weight)
            && w.value != ind.weight
        {
            let ind = ind.clone();
            self.weight_off_scheme(w, &ind, &field("weight"), label.clone());
        }
        let row = &self.rows[i];
        if row.not_applicable() {
            return;
        }
        let Some(score) = &claim.score else { return };
        let Some(w) = row.weight() else { return };
        // JX2010: points lost and the printed 偏差原因 left empty.
        if score.value < w
            && let Some(reason) = claim.reason.as_ref().filter(|r| r.text.is_empty())
        {
            let f = Finding {
                subject: format!("{label} · {}", self.t("偏差原因", "reason")),
                claim: format!(
                    "{} {} / {}{}",
                    self.t("得分", "score"),
                    score.text,
                    plain(w),
                    self.t("，偏差原因为空", ", 偏差原因 empty")
                ),
                recomputed: format!(
                    "{} {} {}",
                    self.t("扣", "lost"),
                    plain(w - score.value),
                    self.t("分，须说明原因", "points: a reason is needed")
                ),
                rule: self
                    .t(
                        "自评表：未得满分的指标须填写偏差原因分析及改进措施",
                        "自评表: every indicator short of full marks needs its 偏差原因分析及改进措施",
                    )
                    .to_string(),
                message: self
                    .t("扣分未说明原因", "points lost with no reason")
                    .to_string(),
                ..self.at(Code::LostPointsNoReason, &reason.at, &field("reason"))
            };
            self.push(f);
        }
        // JX2007: above the weight.
        if score.value > w {
            let score = score.clone();
            self.above_weight(&score, w, &field("score"), label);
            return;
        }
        let row = &self.rows[i];
        let Some(ind) = row.ind.clone() else { return };
        // JX2011: a qualitative score outside its tier.
        if let Some((JudgedTier::Tier(tier), tier_text)) = &claim.tier
            && matches!(ind.scoring, Scoring::Qualitative(_) | Scoring::Manual)
        {
            let tiers = match &ind.scoring {
                Scoring::Qualitative(t) => *t,
                _ => self.reference().tiers,
            };
            if !rules::in_tier(*tier, &tiers, w, score.value) {
                let (low, high, inclusive) = rules::tier_range(*tier, &tiers, w);
                let range = format!(
                    "[{}, {}{}",
                    plain(low),
                    plain(high),
                    if inclusive { "]" } else { ")" }
                );
                let f = Finding {
                    subject: format!("{label} · {}", self.t("得分", "score")),
                    claim: format!("{} {}", tier_text.text, score.text),
                    recomputed: range.clone(),
                    rule: format!(
                        "{}{}{} × [{}%, {}%{} = {range}",
                        tier.zh(),
                        self.t("：分值 ", ": weight "),
                        plain(w),
                        plain(rules::tier_shares(*tier, &tiers).0 * Decimal::ONE_HUNDRED),
                        plain(rules::tier_shares(*tier, &tiers).1 * Decimal::ONE_HUNDRED),
                        if inclusive { "]" } else { ")" },
                    ),
                    message: self
                        .t(
                            "定性指标得分不在所评档次范围内",
                            "the qualitative score is outside its tier",
                        )
                        .to_string(),
                    ..self.at(Code::ScoreOutsideTier, &score.at, &field("score"))
                };
                self.push(f);
            }
            return;
        }
        if !matches!(
            ind.scoring,
            Scoring::Quantitative { .. } | Scoring::Checklist(_)
        ) {
            return;
        }
        // JX2008 / JX2009: the score the rule gives for the published actual.
        let extra = self.actual_value(row);
        let from_scheme = row.from_scheme;
        let mut metrics = self.metrics(extra);
        let Ok(s) = scoring::score_indicator(
            self.reference(),
            &ind,
            &mut metrics,
            &[],
            &self.claims.path,
            self.lang,
        ) else {
            return;
        };
        let (Some(exact), Some(rounded)) = (s.unrounded, s.score) else {
            return;
        };
        let rule = self.rule_text(&ind, from_scheme, &s);
        let subject = format!("{label} · {}", self.t("得分", "score"));
        let score = score.clone();
        match judge(&score, exact, &[rounded]) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => {
                self.truncated(&score, &field("score"), subject, (exact, r), rule);
            }
            Verdict::Differs(r) => {
                let unmet = match (&ind.scoring, s.actual_value) {
                    (Scoring::Quantitative { target, .. }, Some(b)) => {
                        !target.comparator.holds(b, target.value())
                    }
                    _ => false,
                };
                let full = score.value == ind.weight;
                let (code, message) = if full && unmet {
                    (
                        Code::FullMarksTargetUnmet,
                        self.t(
                            "未达到年度指标值却得满分",
                            "full points on a target that was not met",
                        ),
                    )
                } else {
                    (
                        Code::ScoreOffRule,
                        self.t(
                            "得分与评分规则不符",
                            "the score does not follow from the rule",
                        ),
                    )
                };
                let claim_text = if full && unmet {
                    format!(
                        "{} {}{}",
                        score.text,
                        self.t("满分", "full marks"),
                        self.paren(&format!(
                            "{} {}",
                            self.t("实际完成值", "actual"),
                            s.actual.clone().unwrap_or_default()
                        ))
                    )
                } else {
                    score.text.clone()
                };
                let f = Finding {
                    subject,
                    claim: claim_text,
                    recomputed: like(&score, r),
                    rule,
                    message: message.to_string(),
                    ..self.at(code, &score.at, &field("score"))
                };
                self.push(f);
            }
        }
    }

    // ───────────────────────── the levels ─────────────────────────

    /// JX2004: printed weights at each level against their parent's printed weight.
    fn weight_sums(&mut self) {
        let claims = self.claims;
        let mut dim_weights: Vec<Option<(Decimal, String)>> = Vec::new();
        for d in &claims.dimensions {
            let mut group_weights: Vec<Option<(Decimal, String)>> = Vec::new();
            for g in &d.groups {
                let rows: Option<Vec<&Printed>> =
                    g.rows.iter().map(|r| r.weight.as_ref()).collect();
                let rows_sum = rows.filter(|v| !v.is_empty()).map(|v| {
                    (
                        v.iter().map(|p| p.value).sum::<Decimal>(),
                        v.iter()
                            .map(|p| p.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" + "),
                    )
                });
                if let (Some(gw), Some((sum, terms))) = (&g.weight, &rows_sum)
                    && *sum != gw.value
                {
                    let subject = g.name.clone().unwrap_or_else(|| g.field.clone());
                    self.weights_off(
                        gw,
                        *sum,
                        terms,
                        &format!("{}.weight", g.field),
                        subject,
                        self.t(
                            "三级指标分值之和 = 二级指标分值",
                            "the indicator weights of a group add up to its weight",
                        ),
                    );
                }
                group_weights.push(
                    g.weight
                        .as_ref()
                        .map(|p| (p.value, p.text.clone()))
                        .or(rows_sum),
                );
            }
            let groups: Option<Vec<(Decimal, String)>> = group_weights.into_iter().collect();
            let groups_sum = groups.filter(|v| !v.is_empty()).map(|v| {
                (
                    v.iter().map(|(w, _)| *w).sum::<Decimal>(),
                    v.iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                )
            });
            if let (Some(dw), Some((sum, terms))) = (&d.weight, &groups_sum)
                && *sum != dw.value
            {
                let subject = d.name.clone().unwrap_or_else(|| d.field.clone());
                self.weights_off(
                    dw,
                    *sum,
                    terms,
                    &format!("{}.weight", d.field),
                    subject,
                    self.t(
                        "二级指标分值之和 = 一级指标分值",
                        "the group weights of a dimension add up to its weight",
                    ),
                );
            }
            dim_weights.push(d.weight.as_ref().map(|p| (p.value, p.text.clone())));
        }
        // First level (+ the funds block's 分值) against the stated total.
        let dims: Option<Vec<(Decimal, String)>> = dim_weights.into_iter().collect();
        let Some(mut parts) = dims.filter(|v| !v.is_empty()) else {
            return;
        };
        if let Some(w) = &claims.funds.weight {
            parts.insert(0, (w.value, w.text.clone()));
        }
        let sum: Decimal = parts.iter().map(|(w, _)| *w).sum();
        let total = self.total_weight();
        if sum == total {
            return;
        }
        let terms = parts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        let place = match &claims.total.weight {
            Some(w) => (w.clone(), "total.weight".to_string()),
            None => {
                let d = claims.dimensions.iter().find_map(|d| {
                    d.weight
                        .as_ref()
                        .map(|w| (w.clone(), format!("{}.weight", d.field)))
                });
                match d {
                    Some(x) => x,
                    None => return,
                }
            }
        };
        let f = Finding {
            subject: format!("{} · {}", self.t("总分", "total"), self.t("分值", "weight")),
            // The stated total, or the one the scheme (or 100) implies.
            claim: claims.total.weight.as_ref().map_or_else(
                || {
                    format!(
                        "{}{}",
                        plain(total),
                        self.paren(self.t("未列示", "not printed"))
                    )
                },
                |w| w.text.clone(),
            ),
            recomputed: format!("{} = {terms}", plain(sum)),
            rule: self
                .t(
                    "一级指标分值（含预算执行率）之和 = 总分",
                    "the first-level weights (预算执行率 included) add up to the total",
                )
                .to_string(),
            message: self
                .t(
                    "一级指标分值之和与总分不符",
                    "the first-level weights do not add up to the total",
                )
                .to_string(),
            ..self.at(Code::WeightsOffSum, &place.0.at, &place.1)
        };
        self.push(f);
    }

    fn weights_off(
        &mut self,
        parent: &Printed,
        sum: Decimal,
        terms: &str,
        field: &str,
        subject: String,
        rule: &str,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("分值", "weight")),
            claim: parent.text.clone(),
            recomputed: format!("{} = {terms}", plain(sum)),
            rule: rule.to_string(),
            message: self
                .t("分值之和不符", "the weights do not add up")
                .to_string(),
            ..self.at(Code::WeightsOffSum, &parent.at, field)
        };
        self.push(f);
    }

    /// The stated total: printed, else the scheme's, else 100.
    fn total_weight(&self) -> Decimal {
        self.claims
            .total
            .weight
            .as_ref()
            .map_or(self.reference().total, |w| w.value)
    }

    /// JX2005: printed subtotals and the total against the sum of their parts.
    fn score_sums(&mut self) {
        let claims = self.claims;
        // Known score of each part: printed, or the sum of its children when all are known.
        let mut dim_scores: Vec<Option<(Decimal, String)>> = Vec::new();
        for (di, d) in claims.dimensions.iter().enumerate() {
            let mut group_scores: Vec<Option<(Decimal, String)>> = Vec::new();
            for (gi, g) in d.groups.iter().enumerate() {
                let rows: Option<Vec<(Decimal, String)>> = self
                    .rows
                    .iter()
                    .filter(|r| r.dim == di && r.group == gi)
                    .map(|r| {
                        if r.not_applicable() {
                            Some((Decimal::ZERO, self.t("不适用", "n/a").to_string()))
                        } else {
                            r.claim.score.as_ref().map(|p| (p.value, p.text.clone()))
                        }
                    })
                    .collect();
                let rows_sum = sum_terms(rows);
                if let (Some(gs), Some((sum, terms))) = (&g.score, &rows_sum)
                    && !agrees(gs, *sum)
                {
                    let subject = g.name.clone().unwrap_or_else(|| g.field.clone());
                    self.scores_off(
                        gs,
                        *sum,
                        terms,
                        &format!("{}.score", g.field),
                        subject,
                        self.t(
                            "二级指标得分 = 三级指标得分之和",
                            "a group's score is the sum of its indicators'",
                        ),
                    );
                }
                group_scores.push(
                    g.score
                        .as_ref()
                        .map(|p| (p.value, p.text.clone()))
                        .or(rows_sum),
                );
            }
            let groups_sum = sum_terms(group_scores.into_iter().collect());
            if let (Some(ds), Some((sum, terms))) = (&d.score, &groups_sum)
                && !agrees(ds, *sum)
            {
                let subject = d.name.clone().unwrap_or_else(|| d.field.clone());
                self.scores_off(
                    ds,
                    *sum,
                    terms,
                    &format!("{}.score", d.field),
                    subject,
                    self.t(
                        "一级指标得分 = 二级指标得分之和",
                        "a dimension's score is the sum of its groups'",
                    ),
                );
            }
            dim_scores.push(
                d.score
                    .as_ref()
                    .map(|p| (p.value, p.text.clone()))
                    .or(groups_sum),
            );
        }
        // The total: the first level (+ the funds block's score), rescaled when rows are 不适用.
        let Some(total) = &claims.total.score else {
            return;
        };
        if !self.complete() {
            return;
        }
        let Some((mut sum, mut terms)) = sum_terms(dim_scores.into_iter().collect()) else {
            return;
        };
        if let Some(s) = &claims.funds.score {
            sum += s.value;
            terms = format!("{} + {terms}", s.text);
        }
        let total_weight = self.total_weight();
        let not_applicable: Option<Decimal> = self
            .rows
            .iter()
            .filter(|r| r.not_applicable())
            .map(Row::weight)
            .sum();
        let Some(not_applicable) = not_applicable else {
            return;
        };
        let (expected, rule) = if not_applicable.is_zero() {
            (
                sum,
                self.t("总分 = 各项得分之和", "the total is the sum of the scores")
                    .to_string(),
            )
        } else {
            let applicable = total_weight - not_applicable;
            (
                crate::decimal::round_score(rules::rescale(sum, applicable, total_weight)),
                format!(
                    "{} {} × {} / {}",
                    self.t(
                        "部分指标不适用，按百分制折算：",
                        "some indicators do not apply, rescaled (百分制折算):"
                    ),
                    plain(sum),
                    plain(total_weight),
                    plain(applicable)
                ),
            )
        };
        if agrees(total, expected) {
            return;
        }
        let total = total.clone();
        self.scores_off(
            &total,
            expected,
            &terms,
            "total.score",
            self.t("总分", "total").to_string(),
            &rule,
        );
    }

    /// Whether the published rows make up the whole evaluation, so that their scores add up
    /// to the total: the printed first-level weights (and the funds block's) add up to the
    /// total, or every indicator of the scheme has its row (预算执行率 may stand in the
    /// funds block).
    fn complete(&self) -> bool {
        let claims = self.claims;
        let dims: Option<Decimal> = claims
            .dimensions
            .iter()
            .map(|d| d.weight.as_ref().map(|w| w.value))
            .sum();
        if let Some(sum) = dims.filter(|_| !claims.dimensions.is_empty()) {
            let funds = claims
                .funds
                .weight
                .as_ref()
                .map_or(Decimal::ZERO, |w| w.value);
            if sum + funds == self.total_weight() {
                return true;
            }
        }
        let Some(s) = self.scheme else { return false };
        let execution = self
            .execution_indicator()
            .filter(|(_, from)| *from)
            .map(|(i, _)| i.id);
        s.indicators().all(|(_, _, i)| {
            self.rows
                .iter()
                .any(|r| r.from_scheme && r.ind.as_ref().is_some_and(|x| x.id == i.id))
                || (claims.funds.score.is_some() && execution.as_deref() == Some(i.id.as_str()))
        })
    }

    fn scores_off(
        &mut self,
        printed: &Printed,
        sum: Decimal,
        terms: &str,
        field: &str,
        subject: String,
        rule: &str,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("得分", "score")),
            claim: printed.text.clone(),
            recomputed: format!("{} = {terms}", plain(sum)),
            rule: rule.to_string(),
            message: self
                .t("得分之和不符", "the scores do not add up")
                .to_string(),
            ..self.at(Code::ScoresOffSum, &printed.at, field)
        };
        self.push(f);
    }

    /// JX2006: the printed grade against the printed total under the scheme's bands.
    fn grade(&mut self) {
        let (Some(score), Some(grade)) = (&self.claims.total.score, &self.claims.total.grade)
        else {
            return;
        };
        let scheme = self.reference();
        let expected = scheme.grade(score.value).to_string();
        if expected == grade.text {
            return;
        }
        let bands = scheme
            .grades
            .iter()
            .map(|g| format!("{} ≥ {}", g.label, plain(g.min)))
            .collect::<Vec<_>>()
            .join(self.t("，", ", "));
        let whose = match self.scheme {
            Some(s) => s.id.clone(),
            None => self.t("默认等级", "default bands").to_string(),
        };
        let f = Finding {
            subject: self.t("评价等级", "grade").to_string(),
            claim: format!(
                "{}{}",
                grade.text,
                self.paren(&format!("{} {}", self.t("总分", "total"), score.text))
            ),
            recomputed: expected,
            rule: format!("{whose}{}{bands}", self.t("：", ": ")),
            message: self
                .t("评价等级与总分不符", "the grade does not match the total")
                .to_string(),
            ..self.at(Code::GradeOffBands, &grade.at, "total.grade")
        };
        self.push(f);
    }

    /// Every indicator of the scheme scored from the published figures and judgments, when
    /// they give all of them.
    fn recompute_sheet(&self) -> Option<scoring::ScoreSheet> {
        let scheme = self.scheme?;
        let mut extra = Vec::new();
        let mut judgments = Vec::new();
        for r in self.rows.iter().filter(|r| r.from_scheme) {
            extra.extend(self.actual_value(r));
            if let Some(j) = self.judgment(r) {
                judgments.push(j);
            }
        }
        let mut metrics = self.metrics(extra);
        let refs: Vec<&JudgmentRow> = judgments.iter().collect();
        scoring::score(scheme, &mut metrics, &refs, &self.claims.path, self.lang)
            .ok()
            .map(|(sheet, _)| sheet)
    }

    /// A published row as the judgment of its indicator (tier, score, reason).
    fn judgment(&self, r: &Row<'_>) -> Option<JudgmentRow> {
        let ind = r.ind.as_ref()?;
        if !ind.scoring.is_judged() && !r.not_applicable() {
            return None;
        }
        Some(JudgmentRow {
            line: r.claim.at.line,
            project: String::new(),
            indicator: ind.id.clone(),
            tier: r.claim.tier.as_ref().map(|(t, _)| *t),
            score: r.claim.score.as_ref().map(|p| p.value),
            deduction: None,
            reason: r
                .claim
                .reason
                .as_ref()
                .filter(|t| !t.text.is_empty())
                .map(|t| t.text.clone()),
            scheme: None,
            invalid: false,
        })
    }

    /// JX2009 on the total: when no published row score is already found wrong, the printed
    /// total against the scheme's rules applied to every published figure.
    fn recomputed_total(&mut self, sheet: Option<&scoring::ScoreSheet>) {
        let (Some(sheet), Some(total)) = (sheet, &self.claims.total.score) else {
            return;
        };
        let explained = self.findings.iter().any(|f| {
            matches!(
                f.code,
                Code::ScoreAboveWeight
                    | Code::FullMarksTargetUnmet
                    | Code::ScoreOffRule
                    | Code::ScoreOutsideTier
                    | Code::ExecutionScoreOffRule
                    | Code::ScoresOffSum
            ) || (f.code == Code::Truncated && f.field.ends_with(".score"))
        });
        if explained {
            return;
        }
        let total = total.clone();
        let rule = format!(
            "{}{}",
            self.reference().id,
            self.t(
                "：按指标体系评分规则与公布的实际完成值逐项复算",
                ": every indicator scored by the scheme's rules from the published figures"
            )
        );
        let subject = self.t("总分", "total").to_string();
        match judge(&total, sheet.total, &[]) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => {
                self.truncated(&total, "total.score", subject, (sheet.total, r), rule);
            }
            Verdict::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: total.text.clone(),
                    recomputed: like(&total, r),
                    rule,
                    message: self
                        .t(
                            "总分与评分规则不符",
                            "the total does not follow from the rules",
                        )
                        .to_string(),
                    ..self.at(Code::ScoreOffRule, &total.at, "total.score")
                };
                self.push(f);
            }
        }
    }

    /// JX2014: every output indicator at full marks beside an execution rate below the
    /// threshold.
    fn low_execution(&mut self, threshold: Decimal) {
        let Some(rate) = Builtin::ALL
            .into_iter()
            .filter(|b| b.is_execution_rate())
            .find_map(|b| self.base.get(b.name()))
            .map(|v| v.value)
        else {
            return;
        };
        if rate >= threshold {
            return;
        }
        let claims = self.claims;
        let outputs: Vec<&Row<'_>> = self
            .rows
            .iter()
            .filter(|r| match r.kind {
                Some(k) => k == DimensionKind::Output,
                None => claims.dimensions[r.dim]
                    .name
                    .as_deref()
                    .is_some_and(|n| n.contains("产出") || n.to_lowercase().contains("output")),
            })
            .filter(|r| !r.not_applicable())
            .collect();
        if outputs.is_empty() {
            return;
        }
        let all_full = outputs
            .iter()
            .all(|r| matches!((&r.claim.score, r.weight()), (Some(s), Some(w)) if s.value == w));
        if !all_full {
            return;
        }
        let got: Decimal = outputs.iter().filter_map(|r| r.weight()).sum();
        let place = claims
            .funds
            .total
            .execution_rate
            .as_ref()
            .or(claims.funds.total.spent.as_ref())
            .map(|p| p.at.clone())
            .unwrap_or_else(|| outputs[0].claim.at.clone());
        let f = Finding {
            subject: self.t("产出指标", "output indicators").to_string(),
            claim: format!(
                "{} {}{}",
                outputs.len(),
                self.t("项产出指标全部满分", "output indicators all at full marks"),
                self.paren(&format!("{} / {}", plain(got), plain(got)))
            ),
            recomputed: format!(
                "{} {}",
                self.t("预算执行率", "execution rate"),
                crate::decimal::percent(rate)
            ),
            rule: format!(
                "{}{}{}",
                self.t("执行率低于 ", "less than "),
                crate::decimal::percent(threshold),
                self.t(
                    " 而产出全部满分：核实产出数据，或说明偏差原因",
                    " of the budget spent yet every output at full marks: check the outputs or explain"
                )
            ),
            message: self
                .t(
                    "执行率很低而产出全部满分",
                    "every output at full marks beside a very low execution rate",
                )
                .to_string(),
            ..self.at(Code::FullOutputsLowExecution, &place, "outputs.full_marks")
        };
        self.push(f);
    }

    // ───────────────────────── the records ─────────────────────────

    /// JX2015 (or JX2002): every published figure against the evaluation folder's records.
    // Split pending (issue 12, item 8).
    #[allow(clippy::too_many_lines)]
    fn records(&mut self, o: &Outcome) {
        let claims = self.claims;
        let f = &o.funds;
        let lang = self.lang;
        let what = move |s: &str| format!("{}{s}", lang.pick("原始记录：", "records: "));
        // Amounts, 年度资金总额 and 其中 rows.
        // Money always has a value; only a rate may have none.
        let exact_of = |b: Builtin| f.value(b).unwrap_or_default();
        for key in AMOUNTS {
            let exact = exact_of(key);
            if let Some(p) = claims.funds.total.get(key) {
                let (zh, en) = form_label(key);
                let rule = what(&format!(
                    "{} {} 元{}",
                    self.t(zh, en),
                    fixed(exact, 2),
                    self.paren(&format!("{}万元", crate::decimal::wan(exact)))
                ));
                let subject = format!(
                    "{} · {}",
                    self.t("年度资金总额", "total funds"),
                    self.t(zh, en)
                );
                self.against_records(p, exact, &[], &format!("funds.{key}"), subject, rule);
            }
        }
        for s in &claims.funds.sources {
            let Some(rs) = f.by_source.iter().find(|x| x.source == s.name) else {
                continue;
            };
            for (key, exact) in [
                (Builtin::InitialBudget, rs.initial_budget),
                (Builtin::AdjustedBudget, rs.adjusted_budget),
                (Builtin::Allocated, rs.allocated),
            ] {
                if let Some(p) = s.row.get(key) {
                    let (zh, en) = form_label(key);
                    let rule = what(&format!(
                        "{} {} {} 元",
                        s.name,
                        self.t(zh, en),
                        fixed(exact, 2)
                    ));
                    let subject = format!("{} · {}", s.name, self.t(zh, en));
                    self.against_records(
                        p,
                        exact,
                        &[],
                        &format!("{}.{key}", s.field),
                        subject,
                        rule,
                    );
                }
            }
        }
        // Rates.
        for kind in rates() {
            let Some(p) = claims.funds.total.get(kind) else {
                continue;
            };
            let Some((n, d)) = kind.ratio() else { continue };
            let (num, den) = (exact_of(n), exact_of(d));
            let Some(exact) = rules::ratio(num, den).filter(|_| !den.is_zero()) else {
                continue;
            };
            let library: Vec<Decimal> = f.value(kind).into_iter().collect();
            let (zh, en) = form_label(kind);
            let rule = what(&format!(
                "{} / {} = {} / {} = {}",
                self.t(form_label(n).0, form_label(n).1),
                self.t(form_label(d).0, form_label(d).1),
                fixed(num, 2),
                fixed(den, 2),
                crate::decimal::percent(exact)
            ));
            let subject = format!(
                "{} · {}",
                self.t("年度资金总额", "total funds"),
                self.t(zh, en)
            );
            self.against_records(p, exact, &library, &format!("funds.{kind}"), subject, rule);
        }
        // The funds block's score: the scheme's 预算执行率 indicator in the records.
        if let (Some(p), Some((ind, true))) = (&claims.funds.score, self.execution_indicator())
            && let Some(s) = o.sheet.indicators.iter().find(|i| i.id == ind.id)
            && let (Some(exact), Some(rounded)) = (s.unrounded, s.score)
        {
            let rule = what(&format!(
                "{} {}{}{}",
                s.id,
                s.name,
                self.t("：", ": "),
                s.basis
            ));
            let subject = format!(
                "{} · {}",
                self.t("预算执行率", "budget execution"),
                self.t("得分", "score")
            );
            let p = p.clone();
            self.against_records(&p, exact, &[rounded], "funds.score", subject, rule);
        }
        // Rows: actual and score.
        let checks: Vec<(Printed, Decimal, Vec<Decimal>, String, String, String)> = self
            .rows
            .iter()
            .filter(|r| r.from_scheme)
            .filter_map(|r| {
                let id = &r.ind.as_ref()?.id;
                let s = o.sheet.indicators.iter().find(|i| &i.id == id)?;
                Some((r, s))
            })
            .flat_map(|(r, s)| {
                let mut v = Vec::new();
                if let (Some(Actual::Number(p)), Some(b)) = (&r.claim.actual, s.actual_value) {
                    v.push((
                        p.clone(),
                        b,
                        Vec::new(),
                        format!("{}.actual", r.claim.field),
                        format!("{} · {}", r.claim.label(), self.t("实际完成值", "actual")),
                        what(&format!(
                            "{} {} {}",
                            s.id,
                            s.name,
                            s.actual.clone().unwrap_or_default()
                        )),
                    ));
                }
                if let (Some(p), Some(exact), Some(rounded)) =
                    (&r.claim.score, s.unrounded, s.score)
                {
                    v.push((
                        p.clone(),
                        exact,
                        vec![rounded],
                        format!("{}.score", r.claim.field),
                        format!("{} · {}", r.claim.label(), self.t("得分", "score")),
                        what(&format!(
                            "{} {}{}{}",
                            s.id,
                            s.name,
                            self.t("：", ": "),
                            s.basis
                        )),
                    ));
                }
                v
            })
            .collect();
        for (p, exact, also, field, subject, rule) in checks {
            self.against_records(&p, exact, &also, &field, subject, rule);
        }
        // Subtotals: a published dimension or group is the scheme's of the same name.
        for d in &claims.dimensions {
            let Some(sd) = d
                .name
                .as_ref()
                .and_then(|n| o.sheet.dimensions.iter().find(|x| &x.name == n))
            else {
                continue;
            };
            if let Some(p) = &d.score {
                let rule = what(&format!("{} {}", sd.name, plain(sd.score)));
                self.against_records(
                    p,
                    sd.score,
                    &[],
                    &format!("{}.score", d.field),
                    sd.name.clone(),
                    rule,
                );
            }
            for g in &d.groups {
                let Some(sg) = g
                    .name
                    .as_ref()
                    .and_then(|n| sd.groups.iter().find(|x| &x.name == n))
                else {
                    continue;
                };
                if let Some(p) = &g.score {
                    let rule = what(&format!("{} {}", sg.name, plain(sg.score)));
                    self.against_records(
                        p,
                        sg.score,
                        &[],
                        &format!("{}.score", g.field),
                        sg.name.clone(),
                        rule,
                    );
                }
            }
        }
        // Total and grade.
        if let Some(p) = &claims.total.score {
            let rule = what(&format!(
                "{} {}{}",
                self.t("总分", "total"),
                fixed(o.sheet.total, 2),
                self.paren(&o.scheme.id)
            ));
            let subject = self.t("总分", "total").to_string();
            self.against_records(p, o.sheet.total, &[], "total.score", subject, rule);
        }
        if let Some(g) = &claims.total.grade
            && g.text != o.sheet.grade
        {
            let rule = what(&format!(
                "{} {} → {}",
                self.t("总分", "total"),
                fixed(o.sheet.total, 2),
                o.sheet.grade
            ));
            let f = Finding {
                subject: self.t("评价等级", "grade").to_string(),
                claim: g.text.clone(),
                recomputed: o.sheet.grade.clone(),
                rule,
                message: self
                    .t(
                        "公布数与原始记录不符",
                        "the published figure differs from the records",
                    )
                    .to_string(),
                ..self.at(Code::OffRecords, &g.at, "total.grade")
            };
            self.push(f);
        }
    }

    fn against_records(
        &mut self,
        p: &Printed,
        exact: Decimal,
        also: &[Decimal],
        field: &str,
        subject: String,
        rule: String,
    ) {
        match judge(p, exact, also) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => self.truncated(p, field, subject, (exact, r), rule),
            Verdict::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: p.text.clone(),
                    recomputed: like(p, r),
                    rule,
                    message: self
                        .t(
                            "公布数与原始记录不符",
                            "the published figure differs from the records",
                        )
                        .to_string(),
                    ..self.at(Code::OffRecords, &p.at, field)
                };
                self.push(f);
            }
        }
    }

    // ───────────────────────── the baseline ─────────────────────────

    /// The published figures scored under a standard scheme: the amounts, the outputs and
    /// every published actual (under its indicator's metric), with the derived metrics of
    /// the review scheme, the claims file, the evaluation and the baseline itself.
    fn baseline(&self, b: &Scheme) -> Baseline {
        let mut values = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.from_scheme) {
            if let Some((k, v)) = self.actual_value(r) {
                values.insert(k, v);
            }
        }
        // The published amounts, rates and outputs win over an indicator's actual.
        values.extend(self.base.clone());
        let derived: Vec<&DerivedMetric> = self.derived.iter().chain(&b.metrics).collect();
        let judgments: Vec<JudgmentRow> = self
            .rows
            .iter()
            .filter_map(|r| {
                let id = &r.claim.id.as_ref()?.text;
                let ind = b.indicator(id)?;
                // The same published row, judged as the baseline's indicator.
                let row = Row {
                    claim: r.claim,
                    dim: r.dim,
                    group: r.group,
                    ind: Some(ind.clone()),
                    from_scheme: true,
                    kind: None,
                };
                self.judgment(&row)
            })
            .collect();
        let refs: Vec<&JudgmentRow> = judgments.iter().collect();
        let metrics = || Metrics::from_values(values.clone(), derived.iter().copied());
        let execution_id = b.execution_indicator().map(|i| i.id.clone());
        let indicators: Vec<BaselineIndicator> = b
            .indicators()
            .map(|(_, _, ind)| {
                let own: Vec<&JudgmentRow> = refs
                    .iter()
                    .copied()
                    .filter(|j| j.indicator == ind.id)
                    .collect();
                match scoring::score_indicator(
                    b,
                    ind,
                    &mut metrics(),
                    &own,
                    &self.claims.path,
                    self.lang,
                ) {
                    Ok(s) => BaselineIndicator {
                        id: ind.id.clone(),
                        name: ind.name.clone(),
                        weight: ind.weight,
                        score: s.score,
                        basis: s.basis,
                    },
                    Err(p) => BaselineIndicator {
                        id: ind.id.clone(),
                        name: ind.name.clone(),
                        weight: ind.weight,
                        score: None,
                        basis: match &ind.scoring {
                            Scoring::Quantitative { metric, .. } => {
                                format!("{}{metric}", self.t("缺 ", "needs "))
                            }
                            _ => p
                                .errors()
                                .next()
                                .map_or_else(String::new, |e| e.message.clone()),
                        },
                    },
                }
            })
            .collect();
        let sheet = scoring::score(b, &mut metrics(), &refs, &self.claims.path, self.lang)
            .ok()
            .map(|(s, _)| s);
        Baseline {
            scheme_id: b.id.clone(),
            title: b.title.clone(),
            total: sheet.as_ref().map(|s| s.total),
            grade: sheet.as_ref().map(|s| s.grade.clone()),
            execution: execution_id.and_then(|id| indicators.iter().find(|i| i.id == id).cloned()),
            indicators,
        }
    }
}

/// The sum of known parts and their terms ("2 + 3 + 不适用"), when every part is known.
fn sum_terms(parts: Option<Vec<(Decimal, String)>>) -> Option<(Decimal, String)> {
    let parts = parts.filter(|v| !v.is_empty())?;
    Some((
        parts.iter().map(|(v, _)| *v).sum(),
        parts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
    ))
}

/// Whether a printed score shows an exact sum at its precision.
fn agrees(p: &Printed, exact: Decimal) -> bool {
    matches!(judge(p, exact, &[]), Verdict::Agrees)
}

/// The indicator a published row implies when there is no scheme to judge it by (or the
/// scheme has no indicator of its name): its printed 分值, and its printed 年度指标值 scored
/// by the standard rule for its comparison (正向 B/A, 反向 A/B, 等于零), or a qualitative
/// indicator when the row names a tier. `None` without a printed 分值.
fn implied_indicator(claim: &RowClaim, n: usize, tiers: Tiers) -> Option<Indicator> {
    let weight = claim.weight.as_ref()?.value;
    let scoring = match claim.target.as_ref().map(|t| Target::parse(&t.text)) {
        Some(Ok(target)) => Scoring::Quantitative {
            metric: format!("row_{n}"),
            rule: scheme::default_rule(&target),
            target,
        },
        _ if claim.tier.is_some() => Scoring::Qualitative(tiers),
        _ => Scoring::Manual,
    };
    Some(Indicator {
        id: claim
            .id
            .as_ref()
            .map_or_else(|| format!("#{n}"), |i| i.text.clone()),
        name: claim
            .name
            .as_ref()
            .map_or_else(String::new, |t| t.text.clone()),
        weight,
        target_text: claim.target.as_ref().map(|t| t.text.clone()),
        scoring,
        standard: None,
        over_completion: None,
        line: claim.at.line,
        span: claim.at.span.clone(),
    })
}

/// Where a problem with a claim stands.
trait SpanAt {
    fn span_at(self, at: &Place) -> Self;
}

impl SpanAt for Problem {
    fn span_at(mut self, at: &Place) -> Problem {
        self.line = Some(at.line);
        self.column = Some(at.column);
        self.span = Some(at.span.clone());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A printed figure: `number` in `unit` with `places` decimals, judged at `precision`.
    fn printed(number: &str, unit: Unit, places: u32, precision: u32) -> Printed {
        let number = d(number);
        Printed {
            text: format!("{number}{}", unit.suffix()),
            value: unit.to_base(number),
            number,
            places,
            precision,
            unit,
            at: Place::default(),
        }
    }

    fn verdict(v: Verdict) -> (&'static str, Option<Decimal>) {
        match v {
            Verdict::Agrees => ("agrees", None),
            Verdict::Truncated(r) => ("truncated", Some(r)),
            Verdict::Differs(r) => ("differs", Some(r)),
        }
    }

    #[test]
    fn rates_are_judged_at_their_printed_precision() {
        // 41.3 / 45 = 0.917777…
        let exact = d("41.3") / d("45");
        // "0.917": 3 decimals; 四舍五入 gives 0.918, cutting off gives 0.917 → truncated
        let p = printed("0.917", Unit::None, 3, 3);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("0.918")))
        );
        // "91.78%": 91.777…% to 2 decimals = 91.78 → agrees
        let p = printed("91.78", Unit::Percent, 2, 2);
        assert_eq!(verdict(judge(&p, exact, &[])), ("agrees", None));
        // "92%": 91.777…% to 0 decimals = 92 → agrees
        let p = printed("92", Unit::Percent, 0, 0);
        assert_eq!(verdict(judge(&p, exact, &[])), ("agrees", None));
        // "91.7%": 四舍五入 gives 91.8, cut off 91.7 → truncated
        let p = printed("91.7", Unit::Percent, 1, 1);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("91.8")))
        );
        // "95%": neither → differs, 四舍五入 gives 92
        let p = printed("95", Unit::Percent, 0, 0);
        assert_eq!(verdict(judge(&p, exact, &[])), ("differs", Some(d("92"))));
    }

    #[test]
    fn a_rate_rounded_twice_by_the_platform_is_accepted() {
        // 0.91745 exactly: 91.745% → 91.7% at 1 decimal; the platform's 2-decimal rate
        // 91.75% (四舍五入) printed again at 1 decimal gives 91.8%. Both are accepted.
        let exact = d("0.91745");
        let platform = [crate::decimal::round_rate(exact)];
        assert_eq!(platform[0], d("0.9175"));
        for shown in ["91.7", "91.8"] {
            let p = printed(shown, Unit::Percent, 1, 1);
            assert_eq!(
                verdict(judge(&p, exact, &platform)),
                ("agrees", None),
                "{shown}"
            );
        }
    }

    #[test]
    fn scores_are_judged_to_the_hundredth() {
        // 3500 / 3933 × 5 = 4.449529…: "4.44" is cut off, 四舍五入 gives 4.45
        let exact = d("3500") / d("3933") * d("5");
        let p = printed("4.44", Unit::None, 2, 2);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("4.45")))
        );
        // 90% × 4 = 3.6: a score printed "3" claims 3.00 → differs (not "cut off")
        let p = printed("3", Unit::None, 0, 2);
        assert_eq!(
            verdict(judge(&p, d("3.6"), &[])),
            ("differs", Some(d("3.60")))
        );
        // 105 / 120 × 20 = 17.5: "18" claims 18.00 → differs, the rule gives 17.50
        let p = printed("18", Unit::None, 0, 2);
        assert_eq!(
            verdict(judge(&p, d("17.5"), &[])),
            ("differs", Some(d("17.50")))
        );
        // "95" for 95.00 agrees
        let p = printed("95", Unit::None, 0, 2);
        assert_eq!(verdict(judge(&p, d("95.00"), &[])), ("agrees", None));
    }

    #[test]
    fn amounts_in_wan_are_judged_in_wan() {
        // 67,912.34 元 = 6.791234万 → "6.79" (2 decimals in 万元) agrees
        let p = printed("6.79", Unit::Wan, 2, 2);
        assert_eq!(verdict(judge(&p, d("67912.34"), &[])), ("agrees", None));
        // 67,900 元 printed "6.97": differs, 四舍五入 gives 6.79
        let p = printed("6.97", Unit::Wan, 2, 2);
        assert_eq!(
            verdict(judge(&p, d("67900"), &[])),
            ("differs", Some(d("6.79")))
        );
    }

    #[test]
    fn printed_figures_are_shown_as_printed() {
        let mut p = printed("6.79", Unit::Wan, 2, 2);
        p.text = "6.79万".into();
        assert_eq!(suffix(&p), "万");
        assert_eq!(like(&p, d("6.8")), "6.80万");
        // 41.3 / 45 = 0.9177777… shown cut off after 6 decimals with an ellipsis
        assert_eq!(approx(d("41.3") / d("45")), "0.917777…");
        assert_eq!(approx(d("0.679")), "0.679");
    }
}

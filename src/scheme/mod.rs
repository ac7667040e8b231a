//! Indicator schemes (指标体系): the model, loading from TOML, and validation.
//!
//! A scheme is a three-level tree — dimension (一级指标: 决策/过程/产出/效益), group (二级指标),
//! indicator (三级指标) — with weights (分值), targets (年度指标值) and scoring rules.

pub(crate) mod keys;
mod lint;
pub mod model;
pub mod target;

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::builtin::Builtin;
use crate::decimal::plain;
use crate::diag::{Code, Problem, Problems, line_col};
use model::{RuleDef, SchemeFile};
pub use target::{Comparator, Interval, Quantity, Target, Unit, UnitKind};

/// The four first-level dimensions of 财预〔2020〕10号 Annex 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DimensionKind {
    /// 决策
    Decision,
    /// 过程
    Process,
    /// 产出
    Output,
    /// 效益
    Benefit,
}

impl DimensionKind {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "decision" | "决策" => DimensionKind::Decision,
            "process" | "过程" => DimensionKind::Process,
            "output" | "产出" => DimensionKind::Output,
            "benefit" | "效益" => DimensionKind::Benefit,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            DimensionKind::Decision => "decision",
            DimensionKind::Process => "process",
            DimensionKind::Output => "output",
            DimensionKind::Benefit => "benefit",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DimensionKind::Decision => "决策",
            DimensionKind::Process => "过程",
            DimensionKind::Output => "产出",
            DimensionKind::Benefit => "效益",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DimensionKind::Decision => "Decision",
            DimensionKind::Process => "Process",
            DimensionKind::Output => "Output",
            DimensionKind::Benefit => "Benefit",
        }
    }
}

/// Which official family a scheme follows (for guidance; scoring is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 项目支出绩效自评表 (预算执行率 10, 产出 50, 效益 30, 满意度 10).
    SelfEvaluation,
    /// 项目支出绩效评价指标体系框架 (决策/过程/产出/效益).
    Framework,
    Custom,
}

/// A grade band (评价等级): totals at or above `min` get `label`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub label: String,
    pub min: Decimal,
}

/// Qualitative tier bounds (定性指标档次) as fractions of the weight.
/// 达成 = [achieved_min·w, w], 部分达成 = [partial_min·w, achieved_min·w), 未达成 = [0, partial_min·w).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    pub achieved_min: Decimal,
    pub partial_min: Decimal,
}

impl Default for Tiers {
    /// 财预〔2020〕10号: 100%–80%, 80%–60%, 60%–0%.
    fn default() -> Self {
        Tiers {
            achieved_min: Decimal::new(8, 1),
            partial_min: Decimal::new(6, 1),
        }
    }
}

/// A derived metric (计算指标): `id = formula`, evaluated in exact decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedMetric {
    pub id: String,
    pub name: Option<String>,
    pub formula: String,
    /// `formula` parsed when it was read, so that a batch does not parse it again for
    /// every project (`None`: parsed when used).
    pub expr: Option<crate::formula::Expr>,
    pub unit: Unit,
    pub on_zero: OnZero,
    /// Where it was defined (scheme or evaluation file), the line of its `id` and the line
    /// of its `formula`.
    pub file: PathBuf,
    pub line: usize,
    pub formula_line: usize,
    /// Byte span of the id in its file.
    pub span: Range<usize>,
}

/// What a zero denominator in a formula means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnZero {
    /// The evaluation cannot be scored: report an error (default).
    Error,
    /// The division gives 0 (e.g. a cost per case when no case was handled).
    Zero,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub range: Interval,
    pub range_text: String,
    pub score: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub name: String,
    pub metric: String,
    pub points: Decimal,
}

/// How a quantitative indicator turns its actual value into points. Each rule is one pure
/// function in `scoring::rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// 正向: B/A × w, capped at w.
    Proportional,
    /// 反向: A/B × w, capped at w.
    Inverse,
    /// 反向 (FASP2 platform): (1 − (B−A)/A) × w, zero at B ≥ 2A.
    ReverseDeviation,
    /// "= 0" targets: full marks at B ≤ 0, else 0.
    EqualZero,
    /// 阶梯: the score of the band holding B.
    Bands(Vec<Band>),
    /// 每低 step 扣 points 分 (floored at 0).
    DeductPerPoint {
        step: Decimal,
        points: Decimal,
        whole_steps: bool,
    },
    /// 每发生一次扣 points 分: w − B × points, floored at 0.
    DeductPerCase { points: Decimal },
    /// 是/否: full marks when the target holds, else 0.
    Binary,
    /// 趋中: full within ±within of A, falling linearly to 0 at ±zero_at (relative deviations).
    Tolerance { within: Decimal, zero_at: Decimal },
}

impl Rule {
    /// Whether the rule counts a negative actual value as 0 (the ratio rules, as the MOF
    /// platform does) rather than comparing it as it is (bands, binary, tolerance,
    /// equal-zero, per-point: a band may hold a negative growth rate). Exhaustive, so that
    /// a new rule must say.
    pub fn counts_negative_as_zero(&self) -> bool {
        match self {
            Rule::Proportional
            | Rule::Inverse
            | Rule::ReverseDeviation
            | Rule::DeductPerCase { .. } => true,
            Rule::EqualZero
            | Rule::Bands(_)
            | Rule::DeductPerPoint { .. }
            | Rule::Binary
            | Rule::Tolerance { .. } => false,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Rule::Proportional => "proportional",
            Rule::Inverse => "inverse",
            Rule::ReverseDeviation => "reverse_deviation",
            Rule::EqualZero => "equal_zero",
            Rule::Bands(_) => "bands",
            Rule::DeductPerPoint { .. } => "deduct_per_point",
            Rule::DeductPerCase { .. } => "deduct_per_case",
            Rule::Binary => "binary",
            Rule::Tolerance { .. } => "tolerance",
        }
    }
}

/// How an indicator is scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scoring {
    /// From a metric against a target, by a rule.
    Quantitative {
        metric: String,
        target: Target,
        rule: Rule,
    },
    /// 评价要点: each element met (its metric > 0, e.g. 1 = 是) earns its points.
    Checklist(Vec<ChecklistItem>),
    /// 定性: a judged tier and a score inside it (judgments.csv).
    Qualitative(Tiers),
    /// A score given in judgments.csv, between 0 and the weight.
    Manual,
}

impl Scoring {
    pub fn key(&self) -> &'static str {
        match self {
            Scoring::Quantitative { rule, .. } => rule.key(),
            Scoring::Checklist(_) => "checklist",
            Scoring::Qualitative(_) => "qualitative",
            Scoring::Manual => "manual",
        }
    }

    /// Whether the score comes from judgments.csv rather than from data.
    pub fn is_judged(&self) -> bool {
        matches!(self, Scoring::Qualitative(_) | Scoring::Manual)
    }
}

/// A third-level indicator (三级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub weight: Decimal,
    /// 年度指标值 as written in the scheme.
    pub target_text: Option<String>,
    pub scoring: Scoring,
    pub standard: Option<String>,
    /// Over-completion warning threshold as a ratio B/A (1.3 = 130%).
    pub over_completion: Option<Decimal>,
    pub line: usize,
    /// Byte span of the id in the scheme file.
    pub span: Range<usize>,
}

impl Indicator {
    /// The built-in metric it scores, if its metric is one.
    pub fn builtin(&self) -> Option<Builtin> {
        match &self.scoring {
            Scoring::Quantitative { metric, .. } => Builtin::parse(metric),
            _ => None,
        }
    }

    /// Whether this is a 预算执行率 indicator: its metric is `execution_rate` or
    /// `execution_rate_allocated`. The one answer every form and check uses; a metric of
    /// one's own that only starts with `execution_rate`, or an indicator merely named
    /// 预算执行率, is not one.
    pub fn is_execution_rate(&self) -> bool {
        self.builtin().is_some_and(Builtin::is_execution_rate)
    }
}

/// A second-level group (二级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub weight: Decimal,
    pub indicators: Vec<Indicator>,
    /// Byte span of the weight in the scheme file.
    pub span: Range<usize>,
}

/// A first-level dimension (一级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub kind: DimensionKind,
    pub name: String,
    pub weight: Decimal,
    pub groups: Vec<Group>,
    /// Byte span of the weight in the scheme file.
    pub span: Range<usize>,
}

/// A loaded, validated scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub path: PathBuf,
    pub id: String,
    pub title: String,
    pub family: Family,
    pub total: Decimal,
    /// Highest band first.
    pub grades: Vec<Grade>,
    pub tiers: Tiers,
    pub metrics: Vec<DerivedMetric>,
    pub dimensions: Vec<Dimension>,
    /// Warnings about the scheme (codes from JX1000): it loads and scores, but a reviewer
    /// should look. `jixiao check` reports them.
    pub warnings: Vec<Problem>,
}

impl Scheme {
    pub fn indicators(&self) -> impl Iterator<Item = (&Dimension, &Group, &Indicator)> {
        self.dimensions.iter().flat_map(|d| {
            d.groups
                .iter()
                .flat_map(move |g| g.indicators.iter().map(move |i| (d, g, i)))
        })
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators().map(|(_, _, i)| i).find(|i| i.id == id)
    }

    /// The 预算执行率 indicator the 自评表's funds block is scored by: the first scoring
    /// `execution_rate` (the 自评表's own definition), else the first scoring
    /// `execution_rate_allocated`.
    pub fn execution_indicator(&self) -> Option<&Indicator> {
        let of = |b: Builtin| {
            self.indicators()
                .map(|(_, _, i)| i)
                .find(|i| i.builtin() == Some(b))
        };
        of(Builtin::ExecutionRate).or_else(|| of(Builtin::ExecutionRateAllocated))
    }

    /// The grade (评价等级) of a total.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grades
            .iter()
            .find(|g| total >= g.min)
            .map_or("", |g| g.label.as_str())
    }
}

/// The grade bands of a scheme without `[[grade]]`, highest first: the 财政部预算司 bands
/// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
pub fn default_grades() -> Vec<Grade> {
    [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
        .into_iter()
        .map(|(label, min)| Grade {
            label: label.into(),
            min: Decimal::from(min),
        })
        .collect()
}

/// Read and validate a scheme file. Every problem found is returned, not only the first.
pub fn load(path: &Path) -> Result<Scheme, Problems> {
    let source = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the scheme file: {e}"))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 TOML file"),
        ])
    })?;
    parse(path, &source)
}

/// Parse and validate scheme text (`path` is only used in messages).
pub fn parse(path: &Path, source: &str) -> Result<Scheme, Problems> {
    let mut problems = Problems::default();
    // 1. Syntax: every error the parser can recover from, with its span.
    let doc = keys::parse_document(path, source)?;
    // 2. Keys: every unknown and missing key at once.
    // Unknown keys do not stop the load (serde ignores them, so the rest is still checked
    // and reported); a missing required key does.
    if !keys::check(path, source, &doc, schema_value(), &mut problems) {
        return Err(problems);
    }
    // 3. Values: types and accepted values (serde stops at the first).
    let file: SchemeFile = match toml::from_str(source) {
        Ok(f) => f,
        Err(e) => {
            problems.push(keys::toml_problem(path, source, &e, Code::InvalidValue));
            return Err(problems);
        }
    };
    // 4. Meaning: weights, targets, rules, metrics, grades.
    let mut v = Validator {
        path,
        source,
        problems,
    };
    let scheme = v.scheme(file);
    if v.problems.has_errors() {
        Err(v.problems)
    } else {
        Ok(scheme)
    }
}

/// Parse derived metrics defined outside a scheme (an evaluation's `[[metric]]` bindings).
pub(crate) fn derived_metrics(
    path: &Path,
    source: &str,
    defs: Vec<model::MetricDef>,
    problems: &mut Problems,
) -> Vec<DerivedMetric> {
    let mut v = Validator {
        path,
        source,
        problems: Problems::default(),
    };
    let out = v.metrics(defs);
    problems.extend(v.problems.0);
    out
}

struct Validator<'a> {
    path: &'a Path,
    source: &'a str,
    problems: Problems,
}

impl Validator<'_> {
    fn line<T>(&self, s: &Spanned<T>) -> usize {
        line_col(self.source, s.span().start).0
    }

    fn err<T>(
        &mut self,
        code: Code,
        at: &Spanned<T>,
        field: &str,
        message: String,
    ) -> &mut Problem {
        self.problems.push(
            Problem::error(self.path, message)
                .code(code)
                .span(self.source, at.span())
                .field(field),
        );
        self.problems.0.last_mut().expect("just pushed")
    }

    /// A share written as "80%" or a plain fraction "0.8".
    fn share(&mut self, text: &Spanned<String>, field: &str) -> Option<Decimal> {
        let share_code = if field.contains("min") {
            Code::BadTiers
        } else {
            Code::InvalidValue
        };
        match Quantity::parse(text.get_ref()) {
            Ok(q) if matches!(q.unit, Unit::Percent | Unit::None) => Some(q.value),
            Ok(_) | Err(_) => {
                let p = self.err(share_code, text, field, "not a percentage".into());
                p.value = Some(text.get_ref().clone());
                p.expected = Some("a share such as \"80%\"".into());
                None
            }
        }
    }

    fn scheme(&mut self, file: SchemeFile) -> Scheme {
        let meta = file.scheme;
        let family = match meta.family.as_deref().map(str::trim) {
            None | Some("custom") => Family::Custom,
            Some("self-evaluation" | "自评") => Family::SelfEvaluation,
            Some("framework" | "评价框架") => Family::Framework,
            Some(other) => {
                self.problems.push(
                    Problem::error(self.path, "unknown scheme family")
                        .code(Code::InvalidValue)
                        .field("scheme.family")
                        .value(other)
                        .expected("\"self-evaluation\", \"framework\" or \"custom\""),
                );
                Family::Custom
            }
        };
        let total = meta
            .total
            .as_ref()
            .map_or(Decimal::ONE_HUNDRED, |t| *t.get_ref());
        if total <= Decimal::ZERO
            && let Some(t) = &meta.total
        {
            self.err(
                Code::NonPositiveWeight,
                t,
                "scheme.total",
                format!("total must be above 0, found {total}"),
            );
        }

        let grades = self.grades(&file.grades, total);
        let tiers = self.tiers(file.tiers.as_ref());
        let over_completion = meta
            .over_completion_warning
            .as_ref()
            .and_then(|t| self.threshold(t));

        let metrics = self.metrics(file.metrics);

        let mut dimensions = Vec::new();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        let mut dim_sum = Decimal::ZERO;
        let mut dim_lines = Vec::new();
        let mut first_weight = None;
        for d in file.dimensions {
            dim_sum += *d.weight.get_ref();
            dim_lines.push(self.line(&d.weight));
            first_weight.get_or_insert(d.weight.span());
            if let Some(dim) = self.dimension(d, &tiers, over_completion, &mut ids) {
                dimensions.push(dim);
            }
        }
        if dimensions.is_empty() && !self.problems.has_errors() {
            self.problems.push(
                Problem::error(self.path, "the scheme has no [[dimension]]")
                    .code(Code::MissingKey)
                    .expected("at least one first-level dimension"),
            );
        }
        if dim_sum != total && !dim_lines.is_empty() {
            self.problems.push(
                Problem::error(
                    self.path,
                    format!(
                        "first-level weights add up to {} but the scheme total is {} (weights on {})",
                        plain(dim_sum),
                        plain(total),
                        join_lines(&dim_lines)
                    ),
                )
                .code(Code::DimensionWeights)
                .span(self.source, first_weight.clone().unwrap_or_default())
                .field("dimension.weight")
                .expected(format!("dimension weights that add up to {}", plain(total))),
            );
        }
        let mut scheme = Scheme {
            path: self.path.to_path_buf(),
            id: meta.id,
            title: meta.title,
            family,
            total,
            grades,
            tiers,
            metrics,
            dimensions,
            warnings: Vec::new(),
        };
        // On a scheme with errors, parts are missing (an indicator that failed is not in its
        // group): whole-scheme checks would report echoes, so they wait for a clean load.
        if !self.problems.has_errors() {
            lint::lint(&scheme, self.source, &mut self.problems);
        }
        // Warnings travel with the scheme; errors stop the load.
        scheme.warnings = self.problems.warnings().cloned().collect();
        scheme
    }

    fn threshold(&mut self, t: &Spanned<String>) -> Option<Decimal> {
        let v = self.share(t, "over_completion_warning")?;
        if v <= Decimal::ONE {
            self.err(
                Code::InvalidValue,
                t,
                "over_completion_warning",
                "the over-completion threshold must be above 100%".into(),
            )
            .value = Some(t.get_ref().clone());
            return None;
        }
        Some(v)
    }

    fn grades(&mut self, defs: &[model::GradeDef], total: Decimal) -> Vec<Grade> {
        if defs.is_empty() {
            return default_grades();
        }
        let mut grades: Vec<Grade> = Vec::new();
        for g in defs {
            let min = *g.min.get_ref();
            if min < Decimal::ZERO || min > total {
                self.err(
                    Code::BadGrades,
                    &g.min,
                    "grade.min",
                    format!(
                        "grade \"{}\" starts at {} outside 0..{}",
                        g.label,
                        plain(min),
                        plain(total)
                    ),
                );
            }
            if grades.iter().any(|o| o.min == min) {
                self.err(
                    Code::BadGrades,
                    &g.min,
                    "grade.min",
                    format!("two grades start at {}", plain(min)),
                );
            }
            grades.push(Grade {
                label: g.label.clone(),
                min,
            });
        }
        grades.sort_by_key(|g| std::cmp::Reverse(g.min));
        if grades.last().is_some_and(|g| g.min != Decimal::ZERO) {
            self.problems.push(
                Problem::error(
                    self.path,
                    "no grade covers low totals: the lowest [[grade]] must have min = 0",
                )
                .code(Code::BadGrades)
                .span(self.source, defs[0].min.span())
                .field("grade.min"),
            );
        }
        grades
    }

    fn tiers(&mut self, def: Option<&model::TiersDef>) -> Tiers {
        let mut tiers = Tiers::default();
        let Some(def) = def else { return tiers };
        if let Some(a) = &def.achieved_min
            && let Some(v) = self.share(a, "tiers.achieved_min")
        {
            tiers.achieved_min = v;
        }
        if let Some(p) = &def.partial_min
            && let Some(v) = self.share(p, "tiers.partial_min")
        {
            tiers.partial_min = v;
        }
        if !(Decimal::ZERO < tiers.partial_min
            && tiers.partial_min < tiers.achieved_min
            && tiers.achieved_min <= Decimal::ONE)
        {
            let mut p = Problem::error(self.path, "tier bounds out of order")
                .code(Code::BadTiers)
                .field("tiers");
            if let Some(at) = def.achieved_min.as_ref().or(def.partial_min.as_ref()) {
                p = p.span(self.source, at.span());
            }
            self.problems.push(
                p.value(format!(
                    "achieved_min {}, partial_min {}",
                    crate::decimal::percent(tiers.achieved_min),
                    crate::decimal::percent(tiers.partial_min)
                ))
                .expected("0% < partial_min < achieved_min ≤ 100%"),
            );
        }
        tiers
    }

    /// Every `[[metric]]`, each id once.
    fn metrics(&mut self, defs: Vec<model::MetricDef>) -> Vec<DerivedMetric> {
        let metrics: Vec<DerivedMetric> = defs.into_iter().filter_map(|m| self.metric(m)).collect();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &metrics {
            if let Some(first) = seen.insert(&m.id, m.line) {
                self.problems.push(
                    Problem::error(
                        self.path,
                        format!(
                            "metric \"{}\" is defined twice (first on line {first})",
                            m.id
                        ),
                    )
                    .code(Code::BadMetric)
                    .at_line(m.line)
                    .field("metric.id")
                    .value(&m.id)
                    .expected("each derived metric id once"),
                );
            }
        }
        metrics
    }

    fn metric(&mut self, m: model::MetricDef) -> Option<DerivedMetric> {
        let id = m.id.get_ref().trim().to_string();
        let line = self.line(&m.id);
        if !is_identifier(&id) {
            self.err(
                Code::BadMetric,
                &m.id,
                "metric.id",
                "a metric id must be letters, digits and _ and start with a letter".into(),
            )
            .value = Some(id.clone());
            return None;
        }
        // A derived metric may not reuse a built-in's name.
        if Builtin::parse(&id).is_some() {
            self.err(
                Code::BadMetric,
                &m.id,
                "metric.id",
                format!("\"{id}\" is a built-in metric and cannot be redefined"),
            );
            return None;
        }
        let expr = match crate::formula::Expr::parse(m.formula.get_ref()) {
            Ok(expr) => expr,
            Err(e) => {
                let p = self.err(
                    Code::FormulaSyntax,
                    &m.formula,
                    "metric.formula",
                    format!("formula of \"{id}\": {e}"),
                );
                p.value = Some(m.formula.get_ref().clone());
                return None;
            }
        };
        let on_zero = match m.on_zero.as_ref().map(|s| s.get_ref().trim()) {
            None | Some("error") => OnZero::Error,
            Some("zero") => OnZero::Zero,
            Some(other) => {
                let other = other.to_string();
                let span = m.on_zero.as_ref().expect("matched Some");
                let p = self.err(
                    Code::InvalidValue,
                    span,
                    "metric.on_zero",
                    "unknown on_zero".into(),
                );
                p.value = Some(other);
                p.expected = Some("\"error\" or \"zero\"".into());
                return None;
            }
        };
        let formula_line = self.line(&m.formula);
        let span = m.id.span();
        Some(DerivedMetric {
            id,
            name: m.name,
            formula: m.formula.into_inner(),
            expr: Some(expr),
            unit: Unit::parse(m.unit.as_deref().unwrap_or("")),
            on_zero,
            file: self.path.to_path_buf(),
            line,
            formula_line,
            span,
        })
    }

    fn dimension(
        &mut self,
        d: model::DimensionDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Option<Dimension> {
        // Counted on the file as written, so an indicator that failed to load does not make
        // its group look empty.
        if d.groups.iter().all(|g| g.indicators.is_empty()) {
            let name = d.name.clone().unwrap_or_else(|| d.kind.get_ref().clone());
            let p = self.err(
                Code::EmptyDimension,
                &d.weight,
                "dimension",
                format!("dimension \"{name}\" has no indicator"),
            );
            p.help = Some("add [[dimension.group]] and [[dimension.group.indicator]] tables, or remove the dimension".into());
        } else {
            for g in d.groups.iter().filter(|g| g.indicators.is_empty()) {
                let p = self.err(
                    Code::EmptyDimension,
                    &g.weight,
                    "group",
                    format!("group \"{}\" has no indicator", g.name),
                );
                p.help =
                    Some("add [[dimension.group.indicator]] tables, or remove the group".into());
            }
        }
        let kind = DimensionKind::parse(d.kind.get_ref());
        if kind.is_none() {
            let p = self.err(
                Code::InvalidValue,
                &d.kind,
                "dimension.kind",
                "unknown dimension".into(),
            );
            p.value = Some(d.kind.get_ref().clone());
            p.expected = Some("decision, process, output or benefit (决策/过程/产出/效益)".into());
        }
        let weight = *d.weight.get_ref();
        self.positive(&d.weight, "dimension.weight");
        let mut groups = Vec::new();
        let mut sum = Decimal::ZERO;
        let mut lines = Vec::new();
        for g in d.groups {
            sum += *g.weight.get_ref();
            lines.push(self.line(&g.weight));
            groups.push(self.group(g, tiers, over, ids));
        }
        let name = d
            .name
            .clone()
            .unwrap_or_else(|| kind.map_or("", DimensionKind::zh).to_string());
        if sum != weight {
            self.sum_mismatch(
                &d.weight,
                &format!("dimension \"{name}\""),
                weight,
                sum,
                &lines,
                "group",
            );
        }
        Some(Dimension {
            kind: kind?,
            name,
            weight,
            groups,
            span: d.weight.span(),
        })
    }

    fn group(
        &mut self,
        g: model::GroupDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Group {
        self.positive(&g.weight, "group.weight");
        let mut indicators = Vec::new();
        let mut sum = Decimal::ZERO;
        let mut lines = Vec::new();
        for i in g.indicators {
            sum += *i.weight.get_ref();
            lines.push(self.line(&i.weight));
            if let Some(ind) = self.indicator(i, tiers, over, ids) {
                indicators.push(ind);
            }
        }
        let weight = *g.weight.get_ref();
        if sum != weight {
            self.sum_mismatch(
                &g.weight,
                &format!("group \"{}\"", g.name),
                weight,
                sum,
                &lines,
                "indicator",
            );
        }
        Group {
            name: g.name,
            weight,
            indicators,
            span: g.weight.span(),
        }
    }

    fn sum_mismatch(
        &mut self,
        at: &Spanned<Decimal>,
        what: &str,
        weight: Decimal,
        sum: Decimal,
        lines: &[usize],
        children: &str,
    ) {
        let weight_code = if children == "group" {
            Code::GroupWeights
        } else {
            Code::IndicatorWeights
        };
        let message = format!(
            "{what} has weight {} but its {children} weights add up to {}{}",
            plain(weight),
            plain(sum),
            if lines.is_empty() {
                format!(" (it has no {children})")
            } else {
                format!(" ({})", join_lines(lines))
            }
        );
        let p = self.err(weight_code, at, "weight", message);
        p.expected = Some(format!(
            "{children} weights that add up to {}",
            plain(weight)
        ));
    }

    fn positive(&mut self, w: &Spanned<Decimal>, field: &str) {
        if *w.get_ref() <= Decimal::ZERO {
            let p = self.err(
                Code::NonPositiveWeight,
                w,
                field,
                "a weight must be above 0".into(),
            );
            p.value = Some(plain(*w.get_ref()));
        }
    }

    // Split pending (issue 12, item 8).
    #[allow(clippy::too_many_lines)]
    fn indicator(
        &mut self,
        i: model::IndicatorDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Option<Indicator> {
        let id = i.id.get_ref().trim().to_string();
        let line = self.line(&i.id);
        self.positive(&i.weight, "indicator.weight");
        if id.is_empty() {
            self.err(
                Code::InvalidValue,
                &i.id,
                "indicator.id",
                "an indicator id cannot be empty".into(),
            );
        } else if let Some(first) = ids.insert(id.clone(), line) {
            let p = self.err(
                Code::DuplicateId,
                &i.id,
                "indicator.id",
                format!("indicator id \"{id}\" is used twice (first on line {first})"),
            );
            p.value = Some(id.clone());
            p.expected = Some("each indicator id once in the scheme".into());
        }
        let weight = *i.weight.get_ref();
        let over_completion = match &i.over_completion_warning {
            Some(t) => self.threshold(t),
            None => over,
        };
        let rule_def = i.rule.as_ref().map(|r| r.get_ref().clone());
        let scoring = match rule_def {
            Some(RuleDef::Qualitative {
                achieved_min,
                partial_min,
            }) => {
                let mut t = *tiers;
                let span = i.rule.as_ref().expect("rule present");
                for (text, slot, key) in [
                    (achieved_min, &mut t.achieved_min, "rule.achieved_min"),
                    (partial_min, &mut t.partial_min, "rule.partial_min"),
                ] {
                    if let Some(text) = text {
                        let s = Spanned::new(span.span(), text);
                        if let Some(v) = self.share(&s, key) {
                            *slot = v;
                        }
                    }
                }
                if !(Decimal::ZERO < t.partial_min
                    && t.partial_min < t.achieved_min
                    && t.achieved_min <= Decimal::ONE)
                {
                    self.err(Code::BadTiers, span, "rule", format!("tier bounds of \"{id}\" out of order: expected 0% < partial_min < achieved_min ≤ 100%"));
                }
                self.no_metric(&i, "qualitative");
                Scoring::Qualitative(t)
            }
            Some(RuleDef::Manual {}) => {
                self.no_metric(&i, "manual");
                Scoring::Manual
            }
            Some(RuleDef::Checklist { items }) => {
                self.no_metric(&i, "checklist");
                let span = i.rule.as_ref().expect("rule present");
                let mut sum = Decimal::ZERO;
                let mut out = Vec::new();
                for item in items {
                    sum += item.points;
                    if item.points <= Decimal::ZERO {
                        self.err(
                            Code::BadRule,
                            span,
                            "rule.items.points",
                            format!(
                                "checklist item \"{}\" must earn more than 0 points",
                                item.name
                            ),
                        );
                    }
                    if !is_identifier(item.metric.trim()) {
                        let p = self.err(
                            Code::BadRule,
                            span,
                            "rule.items.metric",
                            "not a metric id".into(),
                        );
                        p.value = Some(item.metric.clone());
                    }
                    out.push(ChecklistItem {
                        name: item.name,
                        metric: item.metric.trim().to_string(),
                        points: item.points,
                    });
                }
                if sum != weight || out.is_empty() {
                    self.err(Code::BadRule, span, "rule.items", format!("checklist items of \"{id}\" add up to {} points but the indicator weight is {}", plain(sum), plain(weight)));
                }
                Scoring::Checklist(out)
            }
            None if i.metric.is_none() => Scoring::Qualitative(*tiers),
            other => {
                let Some(metric) = &i.metric else {
                    let span = i
                        .rule
                        .as_ref()
                        .expect("a rule other than qualitative/manual/checklist");
                    let p = self.err(
                        Code::MissingKey,
                        span,
                        "metric",
                        format!("indicator \"{id}\" has a quantitative rule but no metric"),
                    );
                    p.expected = Some("metric = \"…\" naming the actual value (实际完成值)".into());
                    return None;
                };
                // Counting rules can score without a written target: "= 0" is implied.
                let counts_occurrences = matches!(
                    other,
                    Some(RuleDef::DeductPerCase { .. } | RuleDef::EqualZero {})
                );
                let implied = Spanned::new(i.id.span(), "= 0".to_string());
                let target_text = match &i.target {
                    Some(t) => t,
                    None if counts_occurrences => {
                        let p = self.err(
                            Code::NoTarget,
                            &i.id,
                            "target",
                            format!("indicator \"{id}\" has no target; \"= 0\" is assumed"),
                        );
                        p.help = Some("write the 年度指标值, e.g. target = \"= 0 件\"".into());
                        &implied
                    }
                    None => {
                        let p = self.err(
                            Code::BadTarget,
                            &i.id,
                            "target",
                            format!("quantitative indicator \"{id}\" has no target"),
                        );
                        p.expected = Some("target = \">= 120 件\" (年度指标值)".into());
                        return None;
                    }
                };
                let target = match Target::parse(target_text.get_ref()) {
                    Ok(t) => t,
                    Err(e) => {
                        let p = self.err(Code::BadTarget, target_text, "target", e);
                        p.value = Some(target_text.get_ref().clone());
                        p.expected = Some("a comparison, a number and a unit: \">= 120 件\", \"<= 7万元\", \"= 0 件\", \">= 100%\"".into());
                        return None;
                    }
                };
                let rule = match other {
                    None => default_rule(&target),
                    Some(def) => {
                        self.rule(def, &target, weight, i.rule.as_ref().expect("rule present"))?
                    }
                };
                let metric_id = metric.get_ref().trim().to_string();
                if !is_identifier(&metric_id) {
                    let p = self.err(
                        Code::InvalidValue,
                        metric,
                        "metric",
                        "not a metric id".into(),
                    );
                    p.value = Some(metric_id);
                    p.expected = Some("letters, digits and _, starting with a letter".into());
                    return None;
                }
                Scoring::Quantitative {
                    metric: metric_id,
                    target,
                    rule,
                }
            }
        };
        Some(Indicator {
            id,
            name: i.name,
            weight,
            target_text: i.target.map(Spanned::into_inner),
            scoring,
            standard: i.standard,
            over_completion,
            line,
            span: i.id.span(),
        })
    }

    fn no_metric(&mut self, i: &model::IndicatorDef, kind: &str) {
        if let Some(m) = &i.metric {
            self.err(
                Code::BadRule,
                m,
                "metric",
                format!("a {kind} indicator takes no metric"),
            );
        }
    }

    fn rule(
        &mut self,
        def: RuleDef,
        target: &Target,
        weight: Decimal,
        span: &Spanned<RuleDef>,
    ) -> Option<Rule> {
        let quantity = |v: &mut Self, text: &str, key: &str| -> Option<Decimal> {
            match Quantity::parse(text) {
                Ok(q) => Some(q.value),
                Err(e) => {
                    let p = v.err(Code::BadRule, span, key, e);
                    p.value = Some(text.to_string());
                    None
                }
            }
        };
        Some(match def {
            RuleDef::Proportional {} => Rule::Proportional,
            RuleDef::Inverse {} => Rule::Inverse,
            RuleDef::ReverseDeviation {} => Rule::ReverseDeviation,
            RuleDef::EqualZero {} => Rule::EqualZero,
            RuleDef::Binary {} => Rule::Binary,
            RuleDef::Bands { bands } => {
                let mut out: Vec<Band> = Vec::new();
                for b in bands {
                    let range = match Interval::parse(&b.range) {
                        Ok(r) => r,
                        Err(e) => {
                            let p = self.err(Code::BadRule, span, "rule.bands.range", e);
                            p.value = Some(b.range.clone());
                            return None;
                        }
                    };
                    if b.score < Decimal::ZERO || b.score > weight {
                        self.err(
                            Code::BadRule,
                            span,
                            "rule.bands.score",
                            format!(
                                "band {} scores {} outside 0..{}",
                                b.range,
                                plain(b.score),
                                plain(weight)
                            ),
                        );
                    }
                    if let Some(o) = out.iter().find(|o| overlaps(&o.range, &range)) {
                        self.err(
                            Code::BadRule,
                            span,
                            "rule.bands.range",
                            format!("bands {} and {} overlap", o.range_text, b.range),
                        );
                    }
                    out.push(Band {
                        range,
                        range_text: b.range,
                        score: b.score,
                    });
                }
                if out.is_empty() {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule.bands",
                        "a bands rule needs at least one band".into(),
                    );
                }
                self.band_order(&out, target.comparator.higher_is_better(), span);
                Rule::Bands(out)
            }
            RuleDef::DeductPerPoint {
                step,
                points,
                whole_steps,
            } => {
                let step_value = quantity(self, &step, "rule.step")?;
                if step_value <= Decimal::ZERO || points <= Decimal::ZERO {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule",
                        "deduct_per_point needs step > 0 and points > 0".into(),
                    );
                    return None;
                }
                Rule::DeductPerPoint {
                    step: step_value,
                    points,
                    whole_steps,
                }
            }
            RuleDef::DeductPerCase { points } => {
                if points <= Decimal::ZERO {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule.points",
                        "deduct_per_case needs points > 0".into(),
                    );
                    return None;
                }
                Rule::DeductPerCase { points }
            }
            RuleDef::Tolerance { within, zero_at } => {
                let within = quantity(self, &within, "rule.within")?;
                let zero_at = quantity(self, &zero_at, "rule.zero_at")?;
                if !(Decimal::ZERO <= within && within < zero_at) {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule",
                        "tolerance needs 0 ≤ within < zero_at".into(),
                    );
                    return None;
                }
                if target.comparator != Comparator::Equal {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule",
                        "a tolerance rule needs an \"= A\" target".into(),
                    );
                }
                Rule::Tolerance { within, zero_at }
            }
            RuleDef::Qualitative { .. } | RuleDef::Manual {} | RuleDef::Checklist { .. } => {
                unreachable!("handled by the caller")
            }
        })
    }
}

impl Validator<'_> {
    /// Bands, taken from the lowest range up, must leave no gap between them (a value in a
    /// gap would score 0 by accident) and must not pay less for a better result: rising
    /// scores for a ≥ target, falling for a ≤ target. Values below the lowest band or above
    /// the highest score 0 by design.
    fn band_order(&mut self, bands: &[Band], higher_is_better: bool, span: &Spanned<RuleDef>) {
        let mut sorted: Vec<&Band> = bands.iter().collect();
        sorted.sort_by_key(|b| b.range.lower.map(|e| e.value));
        for pair in sorted.windows(2) {
            let (low, high) = (pair[0], pair[1]);
            if let (Some(u), Some(l)) = (low.range.upper, high.range.lower) {
                let gap = u.value < l.value || (u.value == l.value && !u.inclusive && !l.inclusive);
                if gap {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule.bands.range",
                        format!(
                            "bands {} and {} leave a gap: values between them would score 0",
                            low.range_text, high.range_text
                        ),
                    );
                }
            }
            let falls = if higher_is_better {
                high.score < low.score
            } else {
                high.score > low.score
            };
            if falls {
                let p = self.err(
                    Code::BadRule,
                    span,
                    "rule.bands.score",
                    format!(
                        "band {} scores {} but the {} band {} scores {}",
                        high.range_text,
                        plain(high.score),
                        if higher_is_better {
                            "lower"
                        } else {
                            "better (lower)"
                        },
                        low.range_text,
                        plain(low.score)
                    ),
                );
                p.expected = Some(if higher_is_better {
                    "scores that rise with the value for a ≥ target".into()
                } else {
                    "scores that fall as the value rises for a ≤ target".into()
                });
            }
        }
    }
}

/// The rule used when an indicator names none: 正向 for ≥, >, and "= A" with A > 0
/// (as the MOF platform does), 等于零 for "= 0", 反向 A/B for ≤ and <.
pub fn default_rule(target: &Target) -> Rule {
    match target.comparator {
        Comparator::Equal if target.value().is_zero() => Rule::EqualZero,
        Comparator::AtLeast | Comparator::MoreThan | Comparator::Equal => Rule::Proportional,
        Comparator::AtMost | Comparator::LessThan => Rule::Inverse,
    }
}

fn overlaps(a: &Interval, b: &Interval) -> bool {
    // a ends before b starts, or b ends before a starts → disjoint.
    let ends_before = |x: &Interval, y: &Interval| match (x.upper, y.lower) {
        (Some(u), Some(l)) => {
            u.value < l.value || (u.value == l.value && !(u.inclusive && l.inclusive))
        }
        _ => false,
    };
    !(ends_before(a, b) || ends_before(b, a))
}

/// "line 7" or "lines 7, 12".
fn join_lines(lines: &[usize]) -> String {
    let list = lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if lines.len() == 1 {
        format!("line {list}")
    } else {
        format!("lines {list}")
    }
}

/// A metric or indicator reference: ASCII letter first, then letters, digits, `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The JSON Schema (draft 2020-12) of the scheme format, for editors (taplo, Even Better
/// TOML) and for finding unknown and missing keys.
pub fn json_schema() -> serde_json::Value {
    schema_value().clone()
}

fn schema_value() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(model::SchemeFile).to_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(src: &str) -> String {
        match parse(Path::new("s.toml"), src) {
            Ok(_) => String::new(),
            Err(p) => {
                p.0.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }

    fn scheme(dims: &str) -> String {
        format!("[scheme]\nid = \"x\"\ntitle = \"t\"\n{dims}")
    }

    const ONE: &str = r#"
[[dimension]]
kind = "output"
weight = 100
  [[dimension.group]]
  name = "g"
  weight = 100
    [[dimension.group.indicator]]
    id = "A"
    name = "a"
    weight = 100
    metric = "m"
    target = ">= 5 件"
"#;

    /// The 预算执行率 indicator is told by its metric alone: not by a name of one's own
    /// that starts like it, nor by the indicator's name.
    #[test]
    fn the_execution_rate_indicator_is_the_one_scoring_either_execution_rate() {
        let indicator = |id: &str, name: &str, metric: &str| {
            format!(
                "    [[dimension.group.indicator]]\n    id = \"{id}\"\n    name = \"{name}\"\n    \
                 weight = 25\n    metric = \"{metric}\"\n    target = \">= 90%\"\n"
            )
        };
        let src = scheme(&format!(
            "[[metric]]\nid = \"execution_rate_q4\"\nformula = \"spent / adjusted_budget\"\nunit = \"%\"\n\
             [[dimension]]\nkind = \"process\"\nweight = 100\n  [[dimension.group]]\n  name = \"g\"\n  \
             weight = 100\n{}{}{}{}",
            indicator("Q", "预算执行率", "execution_rate_q4"),
            indicator("R", "资金到位率", "arrival_rate"),
            indicator("F", "执行率", "execution_rate_allocated"),
            indicator("E", "支出进度", "execution_rate"),
        ));
        let s = parse(Path::new("s.toml"), &src).unwrap();
        let execution: Vec<&str> = s
            .indicators()
            .filter(|(_, _, i)| i.is_execution_rate())
            .map(|(_, _, i)| i.id.as_str())
            .collect();
        assert_eq!(execution, ["F", "E"]);
        assert_eq!(
            s.indicator("R").unwrap().builtin(),
            Some(Builtin::ArrivalRate)
        );
        assert_eq!(s.indicator("Q").unwrap().builtin(), None);
        // The funds block takes the 自评表's definition first, wherever it stands.
        assert_eq!(s.execution_indicator().map(|i| i.id.as_str()), Some("E"));
        // Without one, the framework's definition.
        let framework = src.replace("metric = \"execution_rate\"", "metric = \"arrival_rate\"");
        let s = parse(Path::new("s.toml"), &framework).unwrap();
        assert_eq!(s.execution_indicator().map(|i| i.id.as_str()), Some("F"));
    }

    #[test]
    fn a_valid_scheme_loads_with_defaults() {
        let s = parse(Path::new("s.toml"), &scheme(ONE)).unwrap();
        assert_eq!(s.total, Decimal::ONE_HUNDRED);
        assert_eq!(s.grade(Decimal::from(90)), "优");
        assert_eq!(s.grade(Decimal::new(8999, 2)), "良");
        assert_eq!(s.grade(Decimal::from(60)), "中");
        assert_eq!(s.grade(Decimal::new(5999, 2)), "差");
        assert_eq!(s.tiers, Tiers::default());
        let ind = s.indicator("A").unwrap();
        assert!(matches!(
            &ind.scoring,
            Scoring::Quantitative {
                rule: Rule::Proportional,
                ..
            }
        ));
        // `id = "A"` is ONE's 9th line (ONE opens with an empty line), after 3 header lines
        assert_eq!(ind.line, 12);
    }

    #[test]
    fn first_level_weights_must_add_up_to_the_total() {
        let src = scheme(&format!(
            "{ONE}\n[[dimension]]\nkind = \"benefit\"\nweight = 5\n  [[dimension.group]]\n  name = \"h\"\n  weight = 5\n    [[dimension.group.indicator]]\n    id = \"B\"\n    name = \"b\"\n    weight = 5\n"
        ));
        let e = errors(&src);
        // 100 + 5 = 105 against 100. Lines: 3 header lines, then ONE (which opens with an
        // empty line) puts the first dimension weight on 3 + 4 = 7; ONE ends on line 16,
        // an empty line 17, [[dimension]] 18, kind 19, weight 20.
        assert!(e.contains("first-level weights add up to 105 but the scheme total is 100 (weights on lines 7, 20)"), "{e}");
    }

    #[test]
    fn each_level_must_add_up_and_ids_be_unique() {
        let src = scheme(&ONE.replace("weight = 100\n    metric", "weight = 90\n    metric"));
        let e = errors(&src);
        assert!(
            e.contains(
                "group \"g\" has weight 100 but its indicator weights add up to 90 (line 14)"
            ),
            "{e}"
        );

        let twice = format!("{ONE}    [[dimension.group.indicator]]\n    id = \"A\"\n    name = \"a2\"\n    weight = 0\n").replace("weight = 100\n  [[dimension.group]]", "weight = 100\n  [[dimension.group]]");
        let e = errors(&scheme(&twice));
        assert!(
            e.contains("indicator id \"A\" is used twice (first on line 12)"),
            "{e}"
        );
        assert!(e.contains("a weight must be above 0"), "{e}");
    }

    #[test]
    fn bad_targets_rules_and_keys_are_reported_with_lines() {
        let e = errors(&scheme(&ONE.replace(">= 5 件", "很多")));
        assert!(
            e.contains("s.toml:16:") && e.contains("must start with a comparison"),
            "{e}"
        );

        let e = errors(&scheme(
            &ONE.replace("kind = \"output\"", "kind = \"outcome\""),
        ));
        assert!(
            e.contains("unknown dimension") && e.contains("outcome"),
            "{e}"
        );

        let e = errors(&scheme(&ONE.replace(
            "    weight = 100\n    metric",
            "    wieght = 100\n    metric",
        )));
        assert!(e.contains("s.toml:14:") && e.contains("wieght"), "{e}");

        let bands = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 5]\", score = 50 }, { range = \"[5, +∞)\", score = 100 } ] }",
        );
        let e = errors(&scheme(&bands));
        assert!(e.contains("bands [0, 5] and [5, +∞) overlap"), "{e}");

        let gap = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 3)\", score = 50 }, { range = \"[4, +∞)\", score = 100 } ] }",
        );
        // [0, 3) ends at 3 (excluded), [4, +∞) starts at 4: values in [3, 4) have no band
        assert!(errors(&scheme(&gap)).contains("bands [0, 3) and [4, +∞) leave a gap"));
        let falling = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 5)\", score = 100 }, { range = \"[5, +∞)\", score = 50 } ] }",
        );
        // for a ≥ target, reaching 5 must not pay less (50) than staying below (100)
        assert!(
            errors(&scheme(&falling))
                .contains("band [5, +∞) scores 50 but the lower band [0, 5) scores 100")
        );

        let tol = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"tolerance\", within = \"5%\", zero_at = \"20%\" }",
        );
        assert!(errors(&scheme(&tol)).contains("needs an \"= A\" target"));

        let checklist = ONE.replace(
            "metric = \"m\"\n    target = \">= 5 件\"",
            "rule = { kind = \"checklist\", items = [ { name = \"制度\", metric = \"has_rules\", points = 60 } ] }",
        );
        assert!(
            errors(&scheme(&checklist))
                .contains("add up to 60 points but the indicator weight is 100")
        );

        let builtin = format!("[[metric]]\nid = \"spent\"\nformula = \"1\"\n{ONE}");
        assert!(errors(&scheme(&builtin)).contains("built-in metric"));

        let formula = format!("[[metric]]\nid = \"m\"\nformula = \"a × b\"\n{ONE}");
        assert!(errors(&scheme(&formula)).contains("write * for ×"));

        let grades = format!("[[grade]]\nlabel = \"合格\"\nmin = 60\n{ONE}");
        assert!(errors(&scheme(&grades)).contains("lowest [[grade]] must have min = 0"));

        let tiers = format!("[tiers]\nachieved_min = \"60%\"\npartial_min = \"80%\"\n{ONE}");
        assert!(errors(&scheme(&tiers)).contains("tier bounds out of order"));
    }

    #[test]
    fn default_rule_follows_the_comparison() {
        let t = |s: &str| default_rule(&Target::parse(s).unwrap());
        assert_eq!(t(">= 120 件"), Rule::Proportional);
        assert_eq!(t("= 5 件"), Rule::Proportional);
        assert_eq!(t("= 0 件"), Rule::EqualZero);
        assert_eq!(t("<= 7万元"), Rule::Inverse);
        assert_eq!(t("< 3 次"), Rule::Inverse);
    }
}

//! Scoring (评分): applies a scheme's rules to a project's metrics and judgments and
//! produces every indicator's score with its basis and reason, the dimension scores, the
//! total and the grade. No I/O: inputs are already read, output is a value.

pub mod arithmetic;
pub mod basis;
mod indicator;
pub mod rules;

use rust_decimal::Decimal;
use std::path::Path;

pub use arithmetic::Arithmetic;
use indicator::Ctx;

use crate::decimal::{fixed, percent, plain, round_half_up, round_score, wan_exact};
use crate::diag::{Code, Problem, Problems};
use crate::i18n::Lang;
pub use crate::judgment::Judgment;
use crate::judgment::JudgmentRow;
use crate::metrics::Metrics;
use crate::scheme::{DimensionKind, Indicator, Scheme, Unit};

/// The score of one third-level indicator (三级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorScore {
    pub id: String,
    pub dimension: DimensionKind,
    /// The first-level label (e.g. 产出指标).
    pub dimension_name: String,
    /// Indexes of its dimension and group in the scheme (names may repeat).
    pub position: (usize, usize),
    pub group: String,
    pub name: String,
    pub weight: Decimal,
    /// 年度指标值: a quantitative target as the form writes it (≥120件), else as written.
    pub target: Option<String>,
    /// 评分标准 from the scheme, when given.
    pub standard: Option<String>,
    /// 实际完成值, formatted in the target's unit.
    pub actual: Option<String>,
    /// The actual value in base units (fraction, 元, count), for programs.
    pub actual_value: Option<Decimal>,
    /// `None` when the indicator does not apply (不适用).
    pub score: Option<Decimal>,
    /// The score before 四舍五入 (6.7945 where `score` is 6.79), so that a reviewer can
    /// tell a published figure that was cut off from one that was rounded; `None` when the
    /// indicator does not apply.
    pub unrounded: Option<Decimal>,
    /// The rule used (`proportional`, `bands`, `qualitative`, …).
    pub rule: &'static str,
    /// How the score follows from the rule: the arithmetic.
    pub basis: String,
    /// 扣分原因 / 偏差原因 from the judgments, when points were lost or a reason was given.
    pub reason: Option<String>,
    /// Notes such as an over-completion warning.
    pub warnings: Vec<String>,
    /// How the score was reached, as data: what `explain` and `review` render.
    pub arithmetic: Arithmetic,
}

impl IndicatorScore {
    pub fn lost(&self) -> Decimal {
        self.score.map_or(Decimal::ZERO, |s| self.weight - s)
    }
}

/// Scores of one first-level dimension (一级指标) and its groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionScore {
    pub kind: DimensionKind,
    pub name: String,
    pub weight: Decimal,
    pub score: Decimal,
    pub groups: Vec<GroupScore>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupScore {
    pub name: String,
    pub weight: Decimal,
    pub score: Decimal,
}

/// The scored scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreSheet {
    pub indicators: Vec<IndicatorScore>,
    pub dimensions: Vec<DimensionScore>,
    /// 总分: the sum of the rounded indicator scores, rescaled to the scheme total when some
    /// indicators do not apply (百分制折算).
    pub total: Decimal,
    /// Sum of the weights of the indicators that apply.
    pub applicable_weight: Decimal,
    pub rescaled: bool,
    pub grade: String,
}

/// What a score sheet holds beside the scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every indicator with its names, target, actual value, basis and warnings, as the
    /// reports show them.
    Full,
    /// The scores, total and grade only: the texts of the indicators (but their reasons),
    /// dimensions and groups are left empty. A batch summary shows no more, and writing
    /// the texts is most of the work of scoring. The problems are the same as with `Full`.
    Scores,
}

impl Detail {
    /// A text of the sheet, written only when the sheet is to hold texts.
    fn text(self, f: impl FnOnce() -> String) -> String {
        match self {
            Detail::Full => f(),
            Detail::Scores => String::new(),
        }
    }
}

/// Score every indicator of `scheme`. Judgment rows must already be those of this project.
/// Returns the sheet, or every problem that prevents it (unknown metrics, judgments
/// missing or out of their tier, reasons missing, …). A judgment row marked `invalid` was
/// reported by its reader: its indicator is not scored and adds no problem here, but the
/// result is then an `Err` (possibly with no problem of its own).
pub fn score(
    scheme: &Scheme,
    metrics: &mut Metrics<'_>,
    judgments: &[&JudgmentRow],
    judgments_file: &Path,
    lang: Lang,
) -> Result<(ScoreSheet, Problems), Problems> {
    let judgments: Vec<Judgment<'_>> = judgments.iter().map(|j| Judgment::from(*j)).collect();
    score_with(
        scheme,
        metrics,
        &judgments,
        judgments_file,
        lang,
        Detail::Full,
    )
}

/// [`score`], with the texts of the indicators only when `detail` asks for them.
pub fn score_with(
    scheme: &Scheme,
    metrics: &mut Metrics<'_>,
    judgments: &[Judgment<'_>],
    judgments_file: &Path,
    lang: Lang,
    detail: Detail,
) -> Result<(ScoreSheet, Problems), Problems> {
    let mut problems = Problems::default();
    // Each judgment with the number of its indicator in the scheme, then in that order
    // (file order kept within an indicator): the rows of an indicator are a run of them.
    let mut numbered: Vec<(usize, Judgment<'_>)> = Vec::with_capacity(judgments.len());
    for j in judgments {
        match number_of(scheme, j.indicator) {
            Some(k) => numbered.push((k, *j)),
            None => problems.push(
                Problem::error(
                    judgments_file,
                    "judgment for an indicator the scheme does not have",
                )
                .zh("评价意见中有一行所评的指标不在指标体系中")
                .code(Code::UnknownIndicator)
                .at_line(j.line)
                .field("indicator")
                .zh_field("指标编号")
                .value(j.indicator)
                .expected(format!("an indicator id of scheme \"{}\"", scheme.id))
                .zh_expected(format!("指标体系“{}”中的指标编号", scheme.id)),
            ),
        }
    }
    numbered.sort_by_key(|(k, _)| *k);
    let rows: Vec<Judgment<'_>> = numbered.iter().map(|(_, j)| *j).collect();

    let mut indicators = Vec::with_capacity(scheme.indicators().count());
    let mut incomplete = false;
    let positions = scheme.dimensions.iter().enumerate().flat_map(|(di, d)| {
        d.groups
            .iter()
            .enumerate()
            .flat_map(move |(gi, g)| g.indicators.iter().map(move |i| ((di, gi), d, g, i)))
    });
    let mut next = 0;
    for (k, (position, dim, group, ind)) in positions.enumerate() {
        let first = next;
        while numbered.get(next).is_some_and(|(n, _)| *n == k) {
            next += 1;
        }
        let ctx = Ctx {
            scheme,
            ind,
            rows: &rows[first..next],
            file: judgments_file,
            lang,
            detail,
        };
        let Some(mut s) = ctx.score(metrics, &mut problems) else {
            // Either a problem was recorded, or a judgment row is marked invalid (its reader
            // reported it); either way there is no complete sheet to return.
            incomplete = true;
            continue;
        };
        {
            s.dimension = dim.kind;
            s.dimension_name = detail.text(|| dim.name.clone());
            s.position = position;
            s.group = detail.text(|| group.name.clone());
            indicators.push(s);
        }
    }
    if incomplete || problems.has_errors() {
        return Err(problems);
    }

    // Every indicator was scored, in the scheme's order: a group's are together.
    let mut rest: &[IndicatorScore] = &indicators;
    let mut dimensions: Vec<DimensionScore> = Vec::with_capacity(scheme.dimensions.len());
    for (di, d) in scheme.dimensions.iter().enumerate() {
        let mut groups: Vec<GroupScore> = Vec::with_capacity(d.groups.len());
        for (gi, g) in d.groups.iter().enumerate() {
            let n = rest.iter().take_while(|i| i.position == (di, gi)).count();
            let (of_group, others) = rest.split_at(n);
            rest = others;
            groups.push(GroupScore {
                name: detail.text(|| g.name.clone()),
                weight: g.weight,
                score: sum_scores(of_group.iter()),
            });
        }
        dimensions.push(DimensionScore {
            kind: d.kind,
            name: detail.text(|| d.name.clone()),
            weight: d.weight,
            score: groups.iter().map(|g| g.score).sum(),
            groups,
        });
    }
    // Σ of every indicator's score, by dimension (exact decimals: the order is no matter).
    let score_sum: Decimal = dimensions.iter().map(|d| d.score).sum();
    let applicable_weight: Decimal = indicators
        .iter()
        .filter(|i| i.score.is_some())
        .map(|i| i.weight)
        .sum();
    let rescaled = applicable_weight != scheme.total;
    let total = if rescaled {
        round_score(rules::rescale(score_sum, applicable_weight, scheme.total))
    } else {
        score_sum
    };
    let grade = scheme.grade(total).to_string();
    Ok((
        ScoreSheet {
            indicators,
            dimensions,
            total,
            applicable_weight,
            rescaled,
            grade,
        },
        problems,
    ))
}

/// The number of indicator `id` in the scheme's order (dimension, group, indicator).
fn number_of(scheme: &Scheme, id: &str) -> Option<usize> {
    let mut before = 0;
    for g in scheme.dimensions.iter().flat_map(|d| &d.groups) {
        if let Some(i) = g.indicators.iter().position(|i| i.id == id) {
            return Some(before + i);
        }
        before += g.indicators.len();
    }
    None
}

/// Score one indicator alone, by the same rules as [`score`]: `jixiao review` recomputes a
/// published row from its published actual value. `ind` need not belong to `scheme` (a row
/// read from a published table is scored by its printed target); `scheme` supplies the file
/// named in problems and, when it holds `ind`, the dimension and group. Returns the problems
/// that prevent a score (a metric without a value, a judgment missing or out of its tier…).
pub fn score_indicator(
    scheme: &Scheme,
    ind: &Indicator,
    metrics: &mut Metrics<'_>,
    judgments: &[&JudgmentRow],
    judgments_file: &Path,
    lang: Lang,
) -> Result<IndicatorScore, Problems> {
    let mut problems = Problems::default();
    let rows: Vec<Judgment<'_>> = judgments.iter().map(|j| Judgment::from(*j)).collect();
    let ctx = Ctx {
        scheme,
        ind,
        rows: &rows,
        file: judgments_file,
        lang,
        detail: Detail::Full,
    };
    let scored = ctx.score(metrics, &mut problems);
    match scored {
        Some(mut s) if !problems.has_errors() => {
            let place = scheme.dimensions.iter().enumerate().find_map(|(di, d)| {
                d.groups.iter().enumerate().find_map(|(gi, g)| {
                    g.indicators
                        .iter()
                        .any(|i| i.id == ind.id)
                        .then_some((di, gi, d, g))
                })
            });
            if let Some((di, gi, d, g)) = place {
                s.dimension = d.kind;
                s.dimension_name = d.name.clone();
                s.position = (di, gi);
                s.group = g.name.clone();
            }
            Ok(s)
        }
        _ => Err(problems),
    }
}

fn sum_scores<'a>(it: impl Iterator<Item = &'a IndicatorScore>) -> Decimal {
    it.filter_map(|i| i.score).sum()
}

/// A base value shown in a unit: fractions as percentages, 元 or 万元 as money, counts plain.
pub fn show(value: Decimal, unit: &Unit) -> String {
    match unit {
        Unit::Percent => percent(value),
        Unit::Wan => wan_exact(value) + "万元",
        Unit::Yuan => fixed(value, 2) + "元",
        Unit::Other(u) => plain(round_half_up(value, 2)) + u,
        Unit::None => plain(round_half_up(value, 4)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judgment::JudgedTier;
    use crate::metrics::Funds;
    use crate::records::OutputRow;
    use std::path::PathBuf;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    const SCHEME: &str = r#"
[scheme]
id = "t"
title = "test"
over_completion_warning = "130%"

[[dimension]]
kind = "decision"
weight = 40
  [[dimension.group]]
  name = "G1"
  weight = 40
    [[dimension.group.indicator]]
    id = "Q1"
    name = "定性一"
    weight = 40

[[dimension]]
kind = "output"
weight = 60
  [[dimension.group]]
  name = "G2"
  weight = 60
    [[dimension.group.indicator]]
    id = "N1"
    name = "数量"
    weight = 30
    metric = "count"
    target = ">= 100 件"

    [[dimension.group.indicator]]
    id = "Q2"
    name = "定性二"
    weight = 20

    [[dimension.group.indicator]]
    id = "M1"
    name = "人工"
    weight = 10
    rule = { kind = "manual" }
"#;

    fn judgment(
        line: usize,
        indicator: &str,
        tier: Option<&str>,
        score: Option<&str>,
        deduction: Option<&str>,
        reason: Option<&str>,
    ) -> JudgmentRow {
        JudgmentRow {
            line,
            project: "P".into(),
            indicator: indicator.into(),
            tier: tier.map(|t| {
                if t == "不适用" {
                    JudgedTier::NotApplicable
                } else {
                    JudgedTier::Tier(rules::Tier::parse(t).unwrap())
                }
            }),
            score: score.map(d),
            deduction: deduction.map(d),
            reason: reason.map(str::to_string),
            scheme: None,
            invalid: false,
        }
    }

    fn run(
        count: &str,
        unit: &str,
        rows: &[JudgmentRow],
    ) -> Result<(ScoreSheet, Problems), Problems> {
        run_with(count, unit, rows, Detail::Full)
    }

    fn run_with(
        count: &str,
        unit: &str,
        rows: &[JudgmentRow],
        detail: Detail,
    ) -> Result<(ScoreSheet, Problems), Problems> {
        run_scheme(SCHEME, count, unit, rows, detail)
    }

    /// [`run_with`] on the scheme `source` (a change of [`SCHEME`]).
    fn run_scheme(
        source: &str,
        count: &str,
        unit: &str,
        rows: &[JudgmentRow],
        detail: Detail,
    ) -> Result<(ScoreSheet, Problems), Problems> {
        let scheme = crate::scheme::parse(&PathBuf::from("t.toml"), source).unwrap();
        let out = OutputRow {
            line: 2,
            project: "P".into(),
            metric: "count".into(),
            value: d(count),
            unit: Unit::parse(unit),
            note: None,
            date: None,
        };
        let funds = Funds::default();
        let mut metrics = Metrics::new(&funds, [(&out).into()], None, scheme.metrics.iter());
        let rows: Vec<Judgment<'_>> = rows.iter().map(Judgment::from).collect();
        score_with(
            &scheme,
            &mut metrics,
            &rows,
            Path::new("judgments.csv"),
            Lang::Zh,
            detail,
        )
    }

    fn messages(p: &Problems) -> String {
        p.0.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn base_rows() -> Vec<JudgmentRow> {
        vec![
            judgment(
                2,
                "Q1",
                Some("达成年度指标"),
                Some("36"),
                None,
                Some("基本达成"),
            ),
            judgment(3, "Q2", Some("达成年度指标"), Some("20"), None, None),
            judgment(4, "M1", None, Some("7.5"), None, Some("资料不全")),
        ]
    }

    #[test]
    fn scores_alone_are_the_scores_of_the_full_sheet() {
        let mut na = base_rows();
        na[1] = judgment(3, "Q2", Some("不适用"), None, None, Some("本年度未开展"));
        let mut deducted = base_rows();
        deducted.push(judgment(5, "N1", None, None, Some("1.5"), Some("台账不全")));
        let mut unexplained = base_rows();
        unexplained.push(judgment(5, "N1", None, None, Some("1.5"), None));
        let mut outside = base_rows();
        outside[0] = judgment(
            2,
            "Q1",
            Some("部分达成年度指标并具有一定效果"),
            Some("32"),
            None,
            Some("x"),
        );
        for (count, rows) in [
            ("90", base_rows()),
            ("130", base_rows()),
            ("0", base_rows()),
            ("90", na),
            ("90", deducted),
            ("90", unexplained),
            ("90", outside),
            ("90", Vec::new()),
        ] {
            let full = run_with(count, "件", &rows, Detail::Full);
            let scores = run_with(count, "件", &rows, Detail::Scores);
            match (full, scores) {
                (Ok((f, fp)), Ok((s, sp))) => {
                    assert_eq!(
                        (f.total, &f.grade, f.rescaled),
                        (s.total, &s.grade, s.rescaled)
                    );
                    assert_eq!(f.applicable_weight, s.applicable_weight);
                    // the same dimensions and groups, without their names
                    let scores = |v: &[DimensionScore]| {
                        v.iter()
                            .map(|d| {
                                let groups: Vec<_> =
                                    d.groups.iter().map(|g| (g.weight, g.score)).collect();
                                (d.kind, d.weight, d.score, groups)
                            })
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(scores(&f.dimensions), scores(&s.dimensions));
                    assert!(
                        s.dimensions.iter().all(
                            |d| d.name.is_empty() && d.groups.iter().all(|g| g.name.is_empty())
                        )
                    );
                    let pick = |v: &[IndicatorScore]| {
                        v.iter()
                            .map(|i| (i.position, i.weight, i.score, i.unrounded, i.rule))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(pick(&f.indicators), pick(&s.indicators));
                    assert_eq!(messages(&fp), messages(&sp));
                    // no texts but the reasons, which a batch's summary quotes: no basis,
                    // no target (≥100件), an empty actual value
                    assert!(s.indicators.iter().all(|i| i.basis.is_empty()
                        && i.target.is_none()
                        && i.actual.as_deref().unwrap_or_default().is_empty()));
                    let reasons = |v: &[IndicatorScore]| {
                        v.iter().map(|i| i.reason.clone()).collect::<Vec<_>>()
                    };
                    assert_eq!(reasons(&f.indicators), reasons(&s.indicators));
                }
                (Err(fp), Err(sp)) => assert_eq!(messages(&fp), messages(&sp)),
                (f, s) => panic!("{count}: {f:?} but {s:?}"),
            }
        }
    }

    #[test]
    fn rows_in_any_order_go_to_their_indicators_in_file_order() {
        let rows = vec![
            judgment(2, "M1", None, Some("7.5"), None, Some("资料不全")),
            judgment(3, "N1", None, None, Some("1"), Some("甲")),
            judgment(4, "Q2", Some("达成年度指标"), Some("20"), None, None),
            judgment(5, "N1", None, None, Some("0.5"), Some("乙")),
            judgment(
                6,
                "Q1",
                Some("达成年度指标"),
                Some("36"),
                None,
                Some("基本达成"),
            ),
        ];
        let (sheet, _) = run("100", "件", &rows).unwrap();
        let ids: Vec<&str> = sheet.indicators.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["Q1", "N1", "Q2", "M1"]);
        // N1: full 30 − (1 + 0.5) = 28.5, its two reasons in file order
        let n1 = &sheet.indicators[1];
        assert_eq!(n1.score, Some(d("28.5")));
        assert_eq!(n1.reason.as_deref(), Some("甲；乙"));
        // 36 + 28.5 + 20 + 7.5 = 92
        assert_eq!(sheet.total, d("92"));
    }

    #[test]
    fn total_is_the_sum_of_rounded_indicator_scores() {
        let (sheet, _) = run("90", "件", &base_rows()).unwrap();
        // Q1 36 + N1 90/100 × 30 = 27 + Q2 20 + M1 7.5 = 90.5
        assert_eq!(sheet.total, d("90.5"));
        assert!(!sheet.rescaled);
        assert_eq!(sheet.grade, "优");
        assert_eq!(sheet.dimensions[0].score, d("36"));
        // output: 27 + 20 + 7.5 = 54.5
        assert_eq!(sheet.dimensions[1].score, d("54.5"));
        // points lost: N1 30 − 27 = 3, Q1 40 − 36 = 4
        let lost = |id: &str| sheet.indicators.iter().find(|i| i.id == id).unwrap().lost();
        assert_eq!((lost("N1"), lost("Q1")), (d("3"), d("4")));
    }

    #[test]
    fn not_applicable_is_dropped_and_the_total_rescaled() {
        let mut rows = base_rows();
        rows[1] = judgment(3, "Q2", Some("不适用"), None, None, Some("本年度未开展"));
        let (sheet, _) = run("90", "件", &rows).unwrap();
        // applicable weight 100 − 20 = 80; scores 36 + 27 + 7.5 = 70.5;
        // 70.5 × 100 / 80 = 88.125 → 88.13 (四舍五入) → 良 (80 ≤ 88.13 < 90)
        assert!(sheet.rescaled);
        assert_eq!(sheet.applicable_weight, d("80"));
        assert_eq!(sheet.total, d("88.13"));
        assert_eq!(sheet.grade, "良");
        let q2 = sheet.indicators.iter().find(|i| i.id == "Q2").unwrap();
        assert_eq!(q2.score, None);
        // the 自评表's 实际完成值 of an indicator that does not apply
        assert_eq!(q2.actual.as_deref(), Some("不适用"));
    }

    #[test]
    fn not_applicable_takes_a_reason_and_nothing_else() {
        let na = |score: Option<&str>, deduction: Option<&str>, reason: Option<&str>| {
            let mut rows = base_rows();
            rows[1] = judgment(3, "Q2", Some("不适用"), score, deduction, reason);
            rows
        };
        // no reason
        let e = messages(&run("90", "件", &na(None, None, None)).unwrap_err());
        assert!(
            e.contains("judgments.csv:3") && e.contains("\"Q2\" marked 不适用 without a reason"),
            "{e}"
        );
        // a score, or a deduction, beside 不适用 (each alone)
        for (score, deduction) in [(Some("20"), None), (None, Some("1"))] {
            let e = messages(&run("90", "件", &na(score, deduction, Some("r"))).unwrap_err());
            assert!(
                e.contains("judgments.csv:3")
                    && e.contains("is marked 不适用 and takes no score or deduction"),
                "{score:?} {deduction:?}: {e}"
            );
        }
        // a second row for the indicator: 不适用 is the only judgment it can have
        let mut rows = na(None, None, Some("本年度未开展"));
        rows.push(judgment(5, "Q2", None, None, Some("1"), Some("r")));
        let e = messages(&run("90", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:3")
                && e.contains("is marked 不适用 but has other judgment rows"),
            "{e}"
        );
    }

    #[test]
    fn a_deduction_of_zero_needs_no_reason() {
        // N1 100 / 100 × 30 = 30, 扣分 0 without a reason: nothing lost, nothing to explain
        let mut rows = base_rows();
        rows.push(judgment(5, "N1", None, None, Some("0"), None));
        let (sheet, problems) = run("100", "件", &rows).unwrap();
        assert!(problems.0.is_empty(), "{}", messages(&problems));
        let n1 = sheet.indicators.iter().find(|i| i.id == "N1").unwrap();
        assert_eq!(n1.score, Some(d("30")));
    }

    #[test]
    fn a_manual_score_may_be_the_whole_weight() {
        // M1 weight 10, judged 10: full marks, nothing lost, no reason needed;
        // 36 + 27 + 20 + 10 = 93
        let mut rows = base_rows();
        rows[2] = judgment(4, "M1", None, Some("10"), None, None);
        let (sheet, _) = run("90", "件", &rows).unwrap();
        let m1 = sheet.indicators.iter().find(|i| i.id == "M1").unwrap();
        assert_eq!(m1.score, Some(d("10")));
        assert_eq!(sheet.total, d("93"));
    }

    #[test]
    fn deduction_on_a_quantitative_indicator_needs_a_reason() {
        let mut rows = base_rows();
        rows.push(judgment(5, "N1", None, None, Some("1.5"), Some("台账不全")));
        let (sheet, _) = run("100", "件", &rows).unwrap();
        // N1 full 30 − 1.5 = 28.5
        let n1 = sheet.indicators.iter().find(|i| i.id == "N1").unwrap();
        assert_eq!(n1.score, Some(d("28.5")));
        assert_eq!(n1.reason.as_deref(), Some("台账不全"));

        let mut rows = base_rows();
        rows.push(judgment(5, "N1", None, None, Some("1.5"), None));
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:5") && e.contains("without a reason"),
            "{e}"
        );
    }

    #[test]
    fn judged_scores_are_checked() {
        // Q1 weight 40: 部分达成 is [24, 32); 32 is outside
        let mut rows = base_rows();
        rows[0] = judgment(
            2,
            "Q1",
            Some("部分达成年度指标并具有一定效果"),
            Some("32"),
            None,
            Some("r"),
        );
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:2")
                && e.contains("outside its tier")
                && e.contains("[24, 32)"),
            "{e}"
        );

        // a manual score above the weight
        let mut rows = base_rows();
        rows[2] = judgment(4, "M1", None, Some("11"), None, Some("r"));
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:4") && e.contains("above its weight"),
            "{e}"
        );

        // a lost point on a qualitative indicator without a reason
        let mut rows = base_rows();
        rows[0] = judgment(2, "Q1", Some("达成年度指标"), Some("36"), None, None);
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(e.contains("\"Q1\" loses 4 points without a reason"), "{e}");

        // a tier without a score, a tier on a quantitative indicator, a second judgment
        let mut rows = base_rows();
        rows[0] = judgment(2, "Q1", Some("达成年度指标"), None, None, None);
        rows.push(judgment(
            5,
            "N1",
            Some("达成年度指标"),
            Some("30"),
            None,
            None,
        ));
        rows.push(judgment(
            6,
            "Q2",
            Some("达成年度指标"),
            Some("20"),
            None,
            None,
        ));
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(e.contains("needs both a tier and a score"), "{e}");
        assert!(
            e.contains("judgments.csv:5") && e.contains("scored from data"),
            "{e}"
        );
        assert!(
            e.contains("judgments.csv:6") && e.contains("judged twice (first on line 3)"),
            "{e}"
        );

        // a score alone (no tier) on a quantitative indicator
        let mut rows = base_rows();
        rows.push(judgment(5, "N1", None, Some("30"), None, Some("r")));
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:5") && e.contains("scored from data"),
            "{e}"
        );

        // a missing judgment for a qualitative indicator
        let rows = &base_rows()[1..];
        let e = messages(&run("100", "件", rows).unwrap_err());
        assert!(
            e.contains("no judged tier and score") && e.contains("Q1"),
            "{e}"
        );

        // a judgment for an indicator the scheme lacks
        let mut rows = base_rows();
        rows.push(judgment(9, "X9", None, None, Some("1"), Some("r")));
        let e = messages(&run("100", "件", &rows).unwrap_err());
        assert!(
            e.contains("judgments.csv:9") && e.contains("does not have"),
            "{e}"
        );
    }

    #[test]
    fn one_indicator_scores_alone_as_in_the_sheet() {
        let scheme = crate::scheme::parse(&PathBuf::from("t.toml"), SCHEME).unwrap();
        let out = OutputRow {
            line: 2,
            project: "P".into(),
            metric: "count".into(),
            value: d("91.78"),
            unit: Unit::parse("件"),
            note: None,
            date: None,
        };
        let funds = Funds::default();
        let mut metrics = Metrics::new(&funds, [(&out).into()], None, scheme.metrics.iter());
        let n1 = scheme.indicator("N1").unwrap();
        let s =
            score_indicator(&scheme, n1, &mut metrics, &[], Path::new("j.csv"), Lang::Zh).unwrap();
        // 91.78 / 100 × 30 = 27.534 → 27.53; the unrounded score is kept
        assert_eq!(s.score, Some(d("27.53")));
        assert_eq!(s.unrounded, Some(d("27.534")));
        assert_eq!((s.position, s.group.as_str()), ((1, 0), "G2"));
        // a deduction without a reason: the rule gives a score, but with an error, so the
        // indicator has none
        let row = judgment(5, "N1", None, None, Some("1.5"), None);
        let e = score_indicator(
            &scheme,
            n1,
            &mut metrics,
            &[&row],
            Path::new("j.csv"),
            Lang::Zh,
        )
        .unwrap_err();
        assert!(
            messages(&e).contains("without a reason"),
            "{}",
            messages(&e)
        );
        // a qualitative indicator without its judgment cannot be scored
        let q1 = scheme.indicator("Q1").unwrap();
        let e = score_indicator(&scheme, q1, &mut metrics, &[], Path::new("j.csv"), Lang::Zh)
            .unwrap_err();
        assert!(
            messages(&e).contains("no judged tier and score"),
            "{}",
            messages(&e)
        );
    }

    #[test]
    fn over_completion_is_flagged_and_units_must_fit() {
        // 130 / 100 = 130% ≥ the 130% threshold → a warning, full marks
        let (sheet, _) = run("130", "件", &base_rows()).unwrap();
        let n1 = sheet.indicators.iter().find(|i| i.id == "N1").unwrap();
        assert_eq!(n1.score, Some(d("30")));
        assert_eq!(
            n1.warnings,
            [
                "超额完成： 130件 / 100件 = 130.00% ≥ 130.00%，年度指标值可能设置偏低，请说明偏差原因"
            ]
        );
        // 129 / 100 → no warning
        let (sheet, _) = run("129", "件", &base_rows()).unwrap();
        assert!(sheet.indicators.iter().all(|i| i.warnings.is_empty()));
        // a target not to exceed (≤ 100 件) that B passes: 137 / 100 = 137% ≥ 130%, but
        // exceeding it is no over-completion (反向, 100 / 137 × 30 = 21.897… → 21.90)
        let at_most = SCHEME.replace(r#"target = ">= 100 件""#, r#"target = "<= 100 件""#);
        let (sheet, _) = run_scheme(&at_most, "137", "件", &base_rows(), Detail::Full).unwrap();
        let n1 = sheet.indicators.iter().find(|i| i.id == "N1").unwrap();
        assert_eq!(n1.score, Some(d("21.90")));
        assert!(n1.warnings.is_empty(), "{:?}", n1.warnings);
        // a count in 人 against a target in 件 cannot be compared
        let e = messages(&run("100", "人", &base_rows()).unwrap_err());
        assert!(
            e.contains("t.toml") && e.contains("is in 件 but metric \"count\" is in 人"),
            "{e}"
        );
    }
}

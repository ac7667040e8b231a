//! Checks on a scheme that loads: warnings a reviewer should see (weights far from the
//! official guidance, empty blocks, unused metrics, repeated names) and the errors that
//! need the whole scheme at once (cycles among derived metrics, a target whose unit cannot
//! fit its metric).

use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

use super::{DerivedMetric, DimensionKind, Family, Scheme, Scoring};
use crate::builtin::Builtin;
use crate::decimal::plain;
use crate::diag::{Code, Lines, Problem, Problems};
use crate::formula::Expr;

pub(super) fn lint(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    guidance(scheme, source, problems);
    metric_graph(scheme, source, problems);
    duplicate_names(scheme, source, problems);
    static_units(scheme, source, problems);
}

/// The official first-level weights (财预〔2020〕10号): 自评 预算执行率 10, 产出 50, 效益 30,
/// 满意度 10; the framework only asks 产出 + 效益 ≥ 60%. A difference above 5 points (of 100)
/// is worth a look, not an error: deployments differ (Hubei gives 预算执行 20).
fn guidance(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    let hundred = Decimal::ONE_HUNDRED;
    let scale = |share: i64| Decimal::from(share) * scheme.total / hundred;
    match scheme.family {
        Family::SelfEvaluation => {
            // Which of the 自评表's first-level blocks a dimension is.
            fn block(kind: DimensionKind, name: &str) -> &'static str {
                match kind {
                    DimensionKind::Process => "预算执行率",
                    DimensionKind::Output => "产出",
                    DimensionKind::Benefit if name.contains("满意") => "满意度",
                    DimensionKind::Benefit => "效益",
                    DimensionKind::Decision => "决策",
                }
            }
            let categories = [
                ("预算执行率", 10),
                ("产出", 50),
                ("效益", 30),
                ("满意度", 10),
            ];
            let mut off = Vec::new();
            let mut at = None;
            for (label, share) in categories {
                let dims: Vec<_> = scheme
                    .dimensions
                    .iter()
                    .filter(|d| block(d.kind, &d.name) == label)
                    .collect();
                let weight: Decimal = dims.iter().map(|d| d.weight).sum();
                let expected = scale(share);
                if (weight - expected).abs() > scale(5) {
                    off.push(format!(
                        "{label} {} (guidance {})",
                        plain(weight),
                        plain(expected)
                    ));
                    if at.is_none() {
                        at = dims.first().map(|d| d.span.clone());
                    }
                }
            }
            if !off.is_empty() {
                let at = at
                    .or_else(|| scheme.dimensions.first().map(|d| d.span.clone()))
                    .unwrap_or(0..0);
                problems.push(
                    Problem::warning(
                        &scheme.path,
                        format!(
                            "first-level weights differ from the self-evaluation guidance: {}",
                            off.join(", ")
                        ),
                    )
                    .zh(format!(
                        "一级指标分值与自评指引不同：{}",
                        off.join("，")
                    ))
                    .code(Code::WeightsOffGuidance)
                    .span(source, at)
                    .field("dimension.weight")
                    .help(format!(
                        "财预〔2020〕10号: 预算执行率 {}, 产出 {}, 效益 {}, 满意度 {} (of {}); keep a different split only if your bureau sets it",
                        plain(scale(10)),
                        plain(scale(50)),
                        plain(scale(30)),
                        plain(scale(10)),
                        plain(scheme.total)
                    ))
                    .zh_help(format!(
                        "财预〔2020〕10号：预算执行率 {}，产出 {}，效益 {}，满意度 {}（共 {}）；只有本级财政部门另有规定时才采用其他分配",
                        plain(scale(10)),
                        plain(scale(50)),
                        plain(scale(30)),
                        plain(scale(10)),
                        plain(scheme.total)
                    )),
                );
            }
        }
        Family::Framework => {
            let results: Decimal = scheme
                .dimensions
                .iter()
                .filter(|d| matches!(d.kind, DimensionKind::Output | DimensionKind::Benefit))
                .map(|d| d.weight)
                .sum();
            if results < scale(60) {
                let at = scheme
                    .dimensions
                    .iter()
                    .find(|d| d.kind == DimensionKind::Output)
                    .or(scheme.dimensions.first())
                    .map_or(0..0, |d| d.span.clone());
                problems.push(
                    Problem::warning(&scheme.path, format!(
                        "产出 + 效益 weigh {} of {}, under 60%",
                        plain(results),
                        plain(scheme.total)
                    ))
                    .zh(format!(
                        "产出与效益指标合计 {} 分（总分 {}），不到 60%",
                        plain(results),
                        plain(scheme.total)
                    ))
                    .code(Code::ResultsUnderweighted)
                    .span(source, at)
                    .field("dimension.weight")
                    .help("the evaluation framework asks that 产出 and 效益 together weigh at least 60% (结果导向)")
                    .zh_help("评价框架要求产出和效益合计不低于 60%（结果导向）"),
                );
            }
        }
        Family::Custom => {}
    }
}

/// The metrics each indicator reads directly.
fn indicator_metrics(scheme: &Scheme) -> BTreeSet<&str> {
    let mut used = BTreeSet::new();
    for (_, _, i) in scheme.indicators() {
        match &i.scoring {
            Scoring::Quantitative { metric, .. } => {
                used.insert(metric.as_str());
            }
            Scoring::Checklist(items) => used.extend(items.iter().map(|it| it.metric.as_str())),
            Scoring::Qualitative(_) | Scoring::Manual => {}
        }
    }
    used
}

/// Most names a cycle's message lists in full.
const CYCLE_NAMES_SHOWN: usize = 12;

/// A cycle `a → b → … → a` as a message shows it: whole when short; else its first six
/// and last five names around `…`, and how many metrics it holds (a cycle of 60,000
/// metrics was a message of 650 KB).
pub fn cycle_text<S: AsRef<str>>(names: &[S]) -> String {
    let all: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    if all.len() <= CYCLE_NAMES_SHOWN {
        return all.join(" → ");
    }
    // the last name repeats the first: the cycle holds one fewer metrics than names
    format!(
        "{} → … → {} (a cycle of {} metrics)",
        all[..6].join(" → "),
        all[all.len() - 5..].join(" → "),
        all.len() - 1
    )
}

/// Cycles among derived metrics (errors) and derived metrics nobody uses (warnings).
fn metric_graph(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    let graph = MetricGraph::new(&scheme.metrics);
    for cycle in graph.cycles() {
        let first = &scheme.metrics[cycle[0]];
        let shown: Vec<&str> = cycle
            .iter()
            .chain(&cycle[..1])
            .map(|&m| scheme.metrics[m].id.as_str())
            .collect();
        problems.push(
            Problem::error(
                &scheme.path,
                format!(
                    "derived metrics refer to each other: {}",
                    cycle_text(&shown)
                ),
            )
            .zh(format!(
                "公式定义的数据互相引用，形成循环：{}",
                cycle_text(&shown)
            ))
            .code(Code::MetricCycle)
            .span(source, first.span.clone())
            .field("metric.id")
            .help("a formula may use other metrics, but never (through others) itself")
            .zh_help("公式可以引用其他数据，但不能（经由其他数据）引用自己"),
        );
    }

    let mut used: BTreeSet<&str> = indicator_metrics(scheme);
    let mut frontier: Vec<&str> = used.iter().copied().collect();
    while let Some(name) = frontier.pop() {
        let Some(&m) = graph.index.get(name) else {
            continue;
        };
        for &r in &graph.refs[m] {
            let r = scheme.metrics[r].id.as_str();
            if used.insert(r) {
                frontier.push(r);
            }
        }
    }
    for m in scheme
        .metrics
        .iter()
        .filter(|m| !used.contains(m.id.as_str()))
    {
        problems.push(
            Problem::warning(
                &scheme.path,
                format!("derived metric \"{}\" is not used by any indicator", m.id),
            )
            .zh(format!("公式定义的数据“{}”没有被任何指标使用", m.id))
            .code(Code::UnusedMetric)
            .span(source, m.span.clone())
            .field("metric.id")
            .help("use it as an indicator's metric, or remove it")
            .zh_help("把它用作某个指标的数据，或删去"),
        );
    }
}

/// Derived metrics as a graph: each metric (by its place in the file) and the metrics its
/// formula uses, in the formula's order; names that are not derived metrics (built-ins,
/// outputs) are left out.
struct MetricGraph<'s> {
    index: BTreeMap<&'s str, usize>,
    refs: Vec<Vec<usize>>,
}

impl<'s> MetricGraph<'s> {
    fn new(metrics: &'s [DerivedMetric]) -> Self {
        let mut index = BTreeMap::new();
        for (i, m) in metrics.iter().enumerate() {
            index.entry(m.id.as_str()).or_insert(i);
        }
        let refs = metrics
            .iter()
            .map(|m| {
                let names = match &m.expr {
                    Some(e) => e.metrics(),
                    None => Expr::parse(&m.formula)
                        .map(|e| e.metrics())
                        .unwrap_or_default(),
                };
                names
                    .iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        MetricGraph { index, refs }
    }

    /// One cycle for each set of metrics that refer to each other (a strongly connected
    /// set with a cycle in it), in the order of their first metric in the file: the cycle
    /// through that first metric that a depth-first walk in formula order finds, starting
    /// there. However many cycles run through the same metrics, they are one mistake and
    /// reported once.
    fn cycles(&self) -> Vec<Vec<usize>> {
        let component = self.components();
        // The first metric of each set, in file order.
        let mut met = vec![false; component.len()];
        let starts: Vec<usize> = (0..component.len())
            .filter(|&m| !std::mem::replace(&mut met[component[m]], true))
            .collect();
        // Marks shared by the walks: each stays inside its own set, and the sets are apart.
        let mut seen = vec![false; component.len()];
        starts
            .into_iter()
            .filter_map(|start| self.cycle_through(start, &component, &mut seen))
            .collect()
    }

    /// The strongly connected set of each metric, numbered (Tarjan's algorithm, with a
    /// stack of its own: a chain of 60,000 metrics is too deep for recursion).
    fn components(&self) -> Vec<usize> {
        const NEW: usize = usize::MAX;
        let n = self.refs.len();
        let (mut order, mut low) = (vec![NEW; n], vec![0; n]);
        let mut component = vec![NEW; n];
        let (mut visited, mut found) = (0, 0);
        // Metrics whose set is not known yet, and the walk: a metric and its next ref.
        let mut open: Vec<usize> = Vec::new();
        let mut walk: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if order[root] != NEW {
                continue;
            }
            order[root] = visited;
            low[root] = visited;
            visited += 1;
            open.push(root);
            walk.push((root, 0));
            while let Some(&(m, next)) = walk.last() {
                if let Some(&r) = self.refs[m].get(next) {
                    walk.last_mut().expect("walking").1 += 1;
                    if order[r] == NEW {
                        order[r] = visited;
                        low[r] = visited;
                        visited += 1;
                        open.push(r);
                        walk.push((r, 0));
                    } else if component[r] == NEW {
                        // Still open: on the current path or in a set not closed yet.
                        low[m] = low[m].min(order[r]);
                    }
                    continue;
                }
                walk.pop();
                if let Some(&(parent, _)) = walk.last() {
                    low[parent] = low[parent].min(low[m]);
                }
                if low[m] == order[m] {
                    while let Some(o) = open.pop() {
                        component[o] = found;
                        if o == m {
                            break;
                        }
                    }
                    found += 1;
                }
            }
        }
        component
    }

    /// A cycle from `start` back to it inside its set, walking refs depth first in formula
    /// order; `None` when the set is one metric that does not use itself.
    fn cycle_through(
        &self,
        start: usize,
        component: &[usize],
        seen: &mut [bool],
    ) -> Option<Vec<usize>> {
        let mut path = vec![start];
        let mut next = vec![0];
        seen[start] = true;
        while let (Some(&m), Some(i)) = (path.last(), next.last_mut()) {
            let Some(&r) = self.refs[m].get(*i) else {
                path.pop();
                next.pop();
                continue;
            };
            *i += 1;
            if r == start {
                return Some(path);
            }
            if component[r] == component[start] && !seen[r] {
                seen[r] = true;
                path.push(r);
                next.push(0);
            }
        }
        None
    }
}

fn duplicate_names(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, _, i) in scheme.indicators() {
        if let Some(first) = seen.insert(i.name.as_str(), i.id.as_str()) {
            problems.push(
                Problem::warning(
                    &scheme.path,
                    format!(
                        "indicators \"{first}\" and \"{}\" are both named \"{}\"",
                        i.id, i.name
                    ),
                )
                .zh(format!("指标“{first}”和“{}”同名：“{}”", i.id, i.name))
                .code(Code::DuplicateName)
                .span(source, i.span.clone())
                .field("indicator.id")
                .help("give each indicator a name that says what it measures")
                .zh_help("给每个指标起一个说明其衡量内容的名称"),
            );
        }
    }
}

/// A target whose unit cannot fit its metric, when the metric's unit is known from the
/// scheme alone: built-in money and rates, and derived metrics that declare a unit.
fn static_units(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    let mut derived: BTreeMap<&str, &DerivedMetric> = BTreeMap::new();
    for m in &scheme.metrics {
        derived.entry(m.id.as_str()).or_insert(m);
    }
    for (_, _, i) in scheme.indicators() {
        let Scoring::Quantitative { metric, target, .. } = &i.scoring else {
            continue;
        };
        let metric_kind = match Builtin::parse(metric) {
            Some(b) => b.kind(),
            None => match derived.get(metric.as_str()) {
                Some(m) => m.unit.kind(),
                None => continue,
            },
        };
        let target_kind = target.quantity.unit.kind();
        if !target_kind.fits(&metric_kind) {
            problems.push(
                Problem::error(&scheme.path, format!(
                    "indicator \"{}\": target \"{target}\" is in {} but metric \"{metric}\" is in {}",
                    i.id,
                    target_kind.label(),
                    metric_kind.label()
                ))
                .zh(format!(
                    "指标“{}”：年度指标值“{target}”的单位是 {}，数据“{metric}”的单位却是 {}",
                    i.id,
                    target_kind.label(),
                    metric_kind.label()
                ))
                .code(Code::UnitMismatch)
                .span(source, i.span.clone())
                .field("target")
                .expected(format!("a target in {}", metric_kind.label()))
                .zh_expected(format!("单位为 {} 的年度指标值", metric_kind.label())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    /// The cycles reported in a scheme whose `[[metric]]`s are `defs` (id, formula), in
    /// the order given; ONE's indicator scores `m`.
    fn cycles(defs: &[(&str, &str)]) -> Vec<String> {
        let metrics: String = defs
            .iter()
            .map(|(id, formula)| format!("[[metric]]\nid = \"{id}\"\nformula = \"{formula}\"\n"))
            .collect();
        errors(&scheme(&format!("{metrics}{ONE}")))
            .lines()
            .filter_map(|l| {
                let (_, rest) = l.split_once("derived metrics refer to each other: ")?;
                Some(rest.split(';').next()?.to_string())
            })
            .collect()
    }

    #[test]
    fn a_long_cycle_is_shown_by_its_ends_and_its_size() {
        use super::cycle_text;
        assert_eq!(cycle_text(&["a", "b", "a"]), "a → b → a");
        // 12 names in full; 13 cut: m0 … m5, then m8 … m11 and m0 again; 12 metrics
        let names: Vec<String> = (0..12)
            .map(|i| format!("m{i}"))
            .chain(["m0".into()])
            .collect();
        assert_eq!(cycle_text(&names[1..]).matches(" → ").count(), 11);
        assert_eq!(
            cycle_text(&names),
            "m0 → m1 → m2 → m3 → m4 → m5 → … → m8 → m9 → m10 → m11 → m0 (a cycle of 12 metrics)"
        );
    }

    #[test]
    fn a_cycle_is_found_once_and_a_diamond_is_not_a_cycle() {
        // m → a → b → c → a: the cycle a, b, c, reported at a (first in the file). The
        // diamond d → e → g, d → f → g reaches g twice but never comes back.
        let found = cycles(&[
            ("m", "a + d"),
            ("a", "b + 1"),
            ("b", "c * 2"),
            ("c", "a - 1"),
            ("d", "e + f"),
            ("e", "g"),
            ("f", "g / 2"),
            ("g", "spent"),
        ]);
        assert_eq!(found, ["a → b → c → a"]);
        // Written in another order, the cycle starts at its first metric in the file.
        let found = cycles(&[("m", "c"), ("c", "a"), ("b", "c"), ("a", "b")]);
        assert_eq!(found, ["c → a → b → c"]);
        // Without the edge back, nothing.
        assert!(cycles(&[("m", "a + d"), ("a", "b"), ("b", "c"), ("c", "1")]).is_empty());
    }

    #[test]
    fn each_set_of_metrics_that_refer_to_each_other_is_reported_once() {
        // A metric that uses itself; then p with two cycles through it (p → q → p and
        // p → r → p), one mistake: reported once, with the first cycle the walk from p
        // finds in formula order; then a second, separate cycle x → y → x.
        let found = cycles(&[
            ("m", "s + p + x"),
            ("s", "s + 1"),
            ("p", "q + r"),
            ("q", "p"),
            ("r", "p * 2"),
            ("x", "y"),
            ("y", "x"),
        ]);
        assert_eq!(found, ["s → s", "p → q → p", "x → y → x"]);
    }
}

//! Checks on a scheme that loads: warnings a reviewer should see (weights far from the
//! official guidance, empty blocks, unused metrics, repeated names) and the errors that
//! need the whole scheme at once (cycles among derived metrics, a target whose unit cannot
//! fit its metric).

use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

use super::{DimensionKind, Family, Scheme, Scoring};
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
                    .code(Code::ResultsUnderweighted)
                    .span(source, at)
                    .field("dimension.weight")
                    .help("the evaluation framework asks that 产出 and 效益 together weigh at least 60% (结果导向)"),
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

/// Cycles among derived metrics (errors) and derived metrics nobody uses (warnings).
fn metric_graph(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    let refs: BTreeMap<&str, Vec<String>> = scheme
        .metrics
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                Expr::parse(&m.formula)
                    .map(|e| e.metrics())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let span_of = |id: &str| {
        scheme
            .metrics
            .iter()
            .find(|m| m.id == id)
            .map_or(0..0, |m| m.span.clone())
    };

    // Each cycle once, reported at the metric that starts it in file order.
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for m in &scheme.metrics {
        let mut path = vec![m.id.clone()];
        if let Some(cycle) = find_cycle(&refs, &mut path, &mut BTreeSet::new())
            && cycle.first() == Some(&m.id)
            && !cycle.iter().any(|c| reported.contains(c))
        {
            reported.extend(cycle.iter().cloned());
            let mut shown = cycle.clone();
            shown.push(cycle[0].clone());
            problems.push(
                Problem::error(
                    &scheme.path,
                    format!("derived metrics refer to each other: {}", shown.join(" → ")),
                )
                .code(Code::MetricCycle)
                .span(source, span_of(&m.id))
                .field("metric.id")
                .help("a formula may use other metrics, but never (through others) itself"),
            );
        }
    }

    let mut used: BTreeSet<String> = indicator_metrics(scheme)
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut frontier: Vec<String> = used.iter().cloned().collect();
    while let Some(name) = frontier.pop() {
        for r in refs.get(name.as_str()).into_iter().flatten() {
            if used.insert(r.clone()) {
                frontier.push(r.clone());
            }
        }
    }
    for m in scheme.metrics.iter().filter(|m| !used.contains(&m.id)) {
        problems.push(
            Problem::warning(
                &scheme.path,
                format!("derived metric \"{}\" is not used by any indicator", m.id),
            )
            .code(Code::UnusedMetric)
            .span(source, m.span.clone())
            .field("metric.id")
            .help("use it as an indicator's metric, or remove it"),
        );
    }
}

/// A cycle reachable from the last metric of `path`, as the list of metrics in it.
fn find_cycle(
    refs: &BTreeMap<&str, Vec<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let last = path.last()?.clone();
    for next in refs.get(last.as_str()).into_iter().flatten() {
        if !refs.contains_key(next.as_str()) || done.contains(next) {
            continue;
        }
        if let Some(start) = path.iter().position(|p| p == next) {
            return Some(path[start..].to_vec());
        }
        path.push(next.clone());
        if let Some(c) = find_cycle(refs, path, done) {
            return Some(c);
        }
        path.pop();
        done.insert(next.clone());
    }
    None
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
                .code(Code::DuplicateName)
                .span(source, i.span.clone())
                .field("indicator.id")
                .help("give each indicator a name that says what it measures"),
            );
        }
    }
}

/// A target whose unit cannot fit its metric, when the metric's unit is known from the
/// scheme alone: built-in money and rates, and derived metrics that declare a unit.
fn static_units(scheme: &Scheme, source: &Lines<'_>, problems: &mut Problems) {
    for (_, _, i) in scheme.indicators() {
        let Scoring::Quantitative { metric, target, .. } = &i.scoring else {
            continue;
        };
        let metric_kind = match Builtin::parse(metric) {
            Some(b) => b.kind(),
            None => match scheme.metrics.iter().find(|m| &m.id == metric) {
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
                .code(Code::UnitMismatch)
                .span(source, i.span.clone())
                .field("target")
                .expected(format!("a target in {}", metric_kind.label())),
            );
        }
    }
}

//! A monitoring result rendered: the table for people (Chinese, or English with
//! `--lang en`), JSON with stable keys for programs (docs/monitor.md), and CSV with one row
//! per indicator for a spreadsheet.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};
use std::fmt::Write;

use super::profile::TimeRule;
use super::{IndicatorStatus, Kind, Light, Monitor, NoLight, Projection, ProjectionSource};
use crate::decimal::{fixed, grouped, percent, plain, round_half_up};
use crate::i18n::Lang;
use crate::records::Cause;
use crate::report::csv::{BOM, neutralise};
use crate::report::table::{new_table, right_align};
use crate::units::Unit;
use crate::values::Date;

/// A light in words (so that it reads in black and white), or "no data yet".
pub fn light_text(light: Option<Light>, lang: Lang) -> &'static str {
    match light {
        Some(l) => lang.pick(l.zh(), l.en()),
        None => lang.pick("暂无", "none yet"),
    }
}

/// A value in its unit: a rate as a percentage, 元 with two decimals and separators,
/// other units after the number (two decimals at most).
pub fn quantity(value: Decimal, unit: &Unit) -> String {
    match unit {
        Unit::Percent => percent(value),
        Unit::Yuan => format!("{}元", grouped(value)),
        Unit::Wan => format!("{}万元", plain(round_half_up(unit.from_base(value), 6))),
        _ => format!("{}{}", plain(round_half_up(value, 2)), unit.suffix()),
    }
}

/// What is expected by now, unrounded (120 × 58.33% = 69.996件: the ratio divides by it).
pub fn expected_text(value: Decimal, unit: &Unit) -> String {
    match unit {
        Unit::Percent | Unit::Yuan | Unit::Wan => quantity(value, unit),
        _ => format!("{}{}", plain(value), unit.suffix()),
    }
}

fn projection_text(p: Option<Projection>, unit: &Unit, lang: Lang) -> String {
    let Some(p) = p else {
        return String::new();
    };
    let how = match p.source {
        ProjectionSource::Given => "",
        ProjectionSource::RunRate => lang.pick("（按序时进度推算）", " (run rate)"),
        ProjectionSource::AsItStands => lang.pick("（按当前值）", " (as it stands)"),
    };
    format!("{}{how}", quantity(p.value, unit))
}

fn time_rule_text(rule: TimeRule, lang: Lang) -> &'static str {
    match rule {
        TimeRule::Month => lang.pick(
            "按月计，月内日期计整月",
            "by month; a date inside a month counts it whole",
        ),
        TimeRule::CompletedMonths => lang.pick("按已满月份计", "completed months only"),
        TimeRule::Days => lang.pick("按月内天数折算", "months and the days of the current month"),
    }
}

/// Why an indicator has no light, in words.
pub fn no_light_text(why: &NoLight, as_of: &str, lang: Lang) -> String {
    match why {
        NoLight::NoDataYet { metric } => match lang {
            Lang::Zh => {
                format!("暂无数据：{metric} 无 {as_of} 及以前日期的数值（不带日期的为全年值）")
            }
            Lang::En => format!(
                "no data yet: no value of {metric} dated on or before {as_of} (an undated value is the year's)"
            ),
        },
        NoLight::NoTier => lang
            .pick(
                "暂无数据：监控表未填完成情况（定性指标）",
                "no data yet: the monitoring sheet gives no tier so far (qualitative)",
            )
            .to_string(),
        NoLight::Unavailable { metric, why } => match lang {
            Lang::Zh => format!("无法计算 {metric}：{why}"),
            Lang::En => format!("{metric} cannot be computed: {why}"),
        },
    }
}

fn causes_text(i: &IndicatorStatus, lang: Lang) -> String {
    causes_of(&i.causes, i.reason.as_deref(), lang)
}

/// The causes ticked, then the analysis: "人员保障、其他：…".
fn causes_of(causes: &[Cause], reason: Option<&str>, lang: Lang) -> String {
    let causes: Vec<&str> = causes.iter().map(|c| lang.pick(c.zh(), c.en())).collect();
    let mut text = causes.join(lang.pick("、", ", "));
    if let Some(r) = reason {
        if !text.is_empty() {
            text.push_str(lang.pick("：", ": "));
        }
        text.push_str(r);
    }
    text
}

/// The table for people.
pub fn table(m: &Monitor, lang: Lang, width: Option<u16>) -> String {
    let mut out = String::new();
    heading(&mut out, m, lang);
    budget_part(&mut out, m, lang);
    let _ = writeln!(out, "\n{}", indicator_table(m, lang, width));
    lights_part(&mut out, m, lang);
    out
}

fn heading(out: &mut String, m: &Monitor, lang: Lang) {
    let p = &m.project;
    let _ = writeln!(
        out,
        "{} — {} ({}) {}{}",
        lang.pick("绩效运行监控", "Performance monitoring"),
        p.name,
        p.id,
        p.year,
        lang.pick("年", ""),
    );
    let _ = writeln!(
        out,
        "{} {}   {} {}",
        lang.pick("截至", "As of"),
        m.as_of,
        lang.pick("序时进度", "Time progress"),
        match lang {
            Lang::Zh => format!(
                "{} = {}（{}）",
                percent(m.time_progress),
                super::rules::time_formula(m.as_of, m.profile.time_progress),
                time_rule_text(m.profile.time_progress, lang)
            ),
            Lang::En => format!(
                "{} = {} ({})",
                percent(m.time_progress),
                super::rules::time_formula(m.as_of, m.profile.time_progress),
                time_rule_text(m.profile.time_progress, lang)
            ),
        }
    );
    if p.department.is_some() || p.unit.is_some() {
        let _ = writeln!(
            out,
            "{} {}   {} {}",
            lang.pick("主管部门", "Department"),
            p.department.as_deref().unwrap_or("—"),
            lang.pick("实施单位", "Unit"),
            p.unit.as_deref().unwrap_or("—"),
        );
    }
    let _ = writeln!(
        out,
        "{} {}   {} {}",
        lang.pick("指标体系", "Scheme"),
        m.scheme,
        lang.pick("预警规则", "Profile"),
        m.profile.id
    );
}

fn budget_part(out: &mut String, m: &Monitor, lang: Lang) {
    let b = &m.budget;
    let _ = writeln!(out, "\n{}", lang.pick("预算执行", "Budget execution"));
    let _ = writeln!(
        out,
        "  {} {}   {} {}",
        lang.pick("年初预算数", "Initial budget"),
        grouped(b.initial_budget),
        lang.pick("调整后预算数", "Adjusted budget"),
        grouped(b.adjusted_budget),
    );
    let excluded = match (lang, b.rows_after, b.rows_before) {
        (_, 0, 0) => String::new(),
        (Lang::Zh, after, before) => format!(
            "；{} 之后的 {after} 笔未计入{}",
            m.as_of,
            if before > 0 {
                format!("，上年及以前的 {before} 笔未计入")
            } else {
                String::new()
            }
        ),
        (Lang::En, after, before) => format!(
            "; {after} row(s) dated after {} not counted{}",
            m.as_of,
            if before > 0 {
                format!(", {before} row(s) of earlier years not counted")
            } else {
                String::new()
            }
        ),
    };
    let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
    let _ = writeln!(
        out,
        "  {} {}{open}{} {}{excluded}{close}",
        match lang {
            Lang::Zh => format!("1–{}月执行数", m.months),
            Lang::En => format!("Spent to {}", m.as_of),
        },
        grouped(b.spent),
        b.rows,
        lang.pick("笔", "row(s)"),
    );
    match (m.execution_rate, m.budget_ratio) {
        (Some(rate), Some(ratio)) => {
            let _ = writeln!(
                out,
                "  {} {} = {} / {}{open}{}{close}",
                lang.pick("执行率", "Execution rate"),
                percent(rate),
                grouped(b.spent),
                grouped(b.base),
                lang.pick(b.denominator.zh(), b.denominator.en()),
            );
            let _ = writeln!(
                out,
                "  {} {} ÷ {} × 100 = {} → {}",
                lang.pick("执行率÷序时进度", "Rate ÷ time progress"),
                fixed(rate * Decimal::ONE_HUNDRED, 2),
                fixed(m.time_progress * Decimal::ONE_HUNDRED, 2),
                fixed(ratio, 2),
                light_text(m.budget_light, lang),
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "  {}",
                lang.pick(
                    "预算数为 0：无执行率，无预算预警",
                    "the budget is 0: no execution rate, no budget light"
                )
            );
        }
    }
    let _ = writeln!(
        out,
        "  {} {}",
        lang.pick("全年预计执行数", "Projected year-end spending"),
        projection_text(b.projected, &Unit::Yuan, lang)
    );
    let why = causes_of(&m.causes, m.reason.as_deref(), lang);
    if !why.is_empty() {
        let _ = writeln!(
            out,
            "  {} {why}",
            lang.pick("偏差原因", "Causes of deviation")
        );
    }
}

/// The indicators to date: a table when its columns fit the width (numbers, units and
/// dates never cut), else a block of lines per indicator, each line wrapped to the width.
fn indicator_table(m: &Monitor, lang: Lang, width: Option<u16>) -> String {
    use crate::report::layout::{Column, table, wrap_fields};
    let col = |header, wrap, priority, right| Column {
        header,
        wrap,
        priority,
        right,
    };
    let columns = [
        col(lang.pick("编号", "Id"), false, false, false),
        col(lang.pick("三级指标", "Indicator"), true, true, false),
        col(lang.pick("年度指标值", "Target"), true, false, false),
        col(
            lang.pick("实际完成值", "Actual to date"),
            true,
            false,
            false,
        ),
        col(
            lang.pick("序时应完成", "Expected by now"),
            false,
            false,
            true,
        ),
        col(lang.pick("完成比", "Ratio"), false, false, true),
        col(lang.pick("预警", "Light"), false, false, false),
        col(lang.pick("全年预计完成值", "Projected"), true, false, false),
        col(
            lang.pick("完成目标可能性", "Likelihood"),
            true,
            false,
            false,
        ),
        col(
            lang.pick("偏差原因 / 整改措施", "Causes / corrective action"),
            true,
            true,
            false,
        ),
    ];
    let rows: Vec<Vec<String>> = m
        .indicators
        .iter()
        .map(|i| indicator_cells(m, i, lang))
        .collect();
    let (t, fits) = table(&columns, rows.clone(), width);
    if fits {
        return t.to_string();
    }
    // Too narrow for ten columns: each indicator as lines of `label value`.
    let available = usize::from(crate::report::table::layout_width(width)).max(20) - 2;
    let sep = lang.pick("；", "; ");
    let mut out = String::new();
    for r in &rows {
        let field =
            |c: usize| (!r[c].is_empty()).then(|| format!("{} {}", columns[c].header, r[c]));
        let _ = writeln!(out, "{} {}  {}", r[0], r[1], r[6]);
        // each field whole on its line where it fits: a label never cut from its value
        let groups: [&[usize]; 3] = [&[2, 3, 4, 5], &[7, 8], &[9]];
        for group in groups {
            let fields: Vec<String> = group.iter().filter_map(|&c| field(c)).collect();
            for line in wrap_fields(&fields, sep, available) {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// 完成目标可能性 (whether the year's target can be met): the officer's word, else what the
/// projection says, in brackets (the officer has not said it).
pub fn likelihood_text(i: &IndicatorStatus, lang: Lang) -> String {
    match (i.likelihood, i.achievable) {
        (Some(l), _) => lang.pick(l.zh(), l.en()).to_string(),
        (None, Some(true)) => lang.pick("（推算可完成）", "(projected: met)").to_string(),
        (None, Some(false)) => lang
            .pick("（推算不能完成）", "(projected: not met)")
            .to_string(),
        (None, None) => String::new(),
    }
}

/// The cells of an indicator's row: id, name, target, actual, expected by now, ratio,
/// light, projection, likelihood, causes and action.
fn indicator_cells(m: &Monitor, i: &IndicatorStatus, lang: Lang) -> Vec<String> {
    let as_of = m.as_of.to_string();
    let actual = match (i.actual, i.tier) {
        (Some(v), _) => match i.actual_date {
            Some(d) => format!("{} ({d})", quantity(v, &i.unit)),
            None => quantity(v, &i.unit),
        },
        (None, Some(tier)) => lang.pick(tier.zh(), tier.en()).to_string(),
        (None, None) => i
            .no_light
            .as_ref()
            .map(|n| no_light_text(n, &as_of, lang))
            .unwrap_or_default(),
    };
    let expected = match (i.kind, i.expected) {
        (Kind::Positive, Some(e)) => expected_text(e, &i.unit),
        (Kind::Reverse, Some(e)) => format!("≤ {}", quantity(e, &i.unit)),
        (Kind::EqualZero, _) => "= 0".to_string(),
        _ => String::new(),
    };
    let likelihood = likelihood_text(i, lang);
    let mut why = causes_text(i, lang);
    if let Some(a) = &i.action {
        if !why.is_empty() {
            why.push_str(" / ");
        }
        why.push_str(a);
    }
    vec![
        i.id.clone(),
        i.name.clone(),
        i.target_text.clone(),
        actual,
        expected,
        i.ratio.map(|r| fixed(r, 2)).unwrap_or_default(),
        light_text(i.light, lang).to_string(),
        projection_text(i.projected, &i.unit, lang),
        likelihood,
        why,
    ]
}

fn lights_part(out: &mut String, m: &Monitor, lang: Lang) {
    let worst: Vec<&str> = m
        .indicators
        .iter()
        .filter(|i| i.light.is_some() && i.light == m.goal_light)
        .map(|i| i.id.as_str())
        .collect();
    let none = m.indicators.iter().filter(|i| i.light.is_none()).count();
    let _ = writeln!(
        out,
        "{} {}{}{}",
        lang.pick("目标预警", "Goal light"),
        light_text(m.goal_light, lang),
        if worst.is_empty() {
            String::new()
        } else {
            format!(" ({})", worst.join(", "))
        },
        match (lang, none) {
            (_, 0) => String::new(),
            (Lang::Zh, n) => format!("；{n} 项指标暂无数据，未参与"),
            (Lang::En, n) => format!("; {n} indicator(s) without data yet, not counted"),
        }
    );
    let why = match (m.combined_light, m.budget_light) {
        (None, _) => "",
        (Some(_), Some(Light::Green)) if m.combined_light == Some(Light::Green) => lang.pick(
            "（支出达到序时进度，目标均可完成）",
            " (spending on pace, every target achievable)",
        ),
        (Some(_), Some(Light::Green)) => lang.pick(
            "（支出达到序时进度，但有目标不能完成）",
            " (spending on pace, a target not achievable)",
        ),
        (Some(_), _) => lang.pick("（支出未达到序时进度）", " (spending not on pace)"),
    };
    let _ = writeln!(
        out,
        "{} {}{why}",
        lang.pick("综合预警", "Combined light"),
        light_text(m.combined_light, lang),
    );
    if let Some(note) = &m.note {
        let _ = writeln!(out, "{} {note}", lang.pick("备注", "Note"));
    }
    if let Some(action) = &m.action {
        let _ = writeln!(
            out,
            "{} {action}",
            lang.pick("整改措施", "Corrective action")
        );
    }
}

fn num(d: Decimal) -> Value {
    crate::report::num(d)
}

fn opt(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

fn money(d: Decimal) -> Value {
    Value::String(fixed(d, 2))
}

/// A projection as written: money as a string, other values as numbers.
#[derive(Serialize)]
struct ProjectionJson {
    value: Value,
    source: ProjectionSource,
    line: Option<usize>,
}

fn projection_json(p: Option<Projection>, money_value: bool) -> Option<ProjectionJson> {
    p.map(|p| ProjectionJson {
        value: if money_value {
            money(p.value)
        } else {
            num(p.value)
        },
        source: p.source,
        line: p.line,
    })
}

/// The JSON document of a project monitored, field by field in the order of its keys:
/// serialised as it is ([`write_json`]: a bureau writes 20,000 of these, with no map
/// built for each), or as a [`Value`] ([`to_json`]), the same text either way.
#[derive(Serialize)]
struct MonitorJson<'a> {
    as_of: String,
    project: ProjectJson<'a>,
    scheme: &'a str,
    profile: &'a str,
    time_rule: TimeRule,
    months: u32,
    time_progress: Value,
    budget: BudgetJson,
    execution_rate: Value,
    budget_ratio: Value,
    budget_light: Option<&'static str>,
    indicators: Vec<IndicatorJson<'a>>,
    goal_light: Option<&'static str>,
    combined_light: Option<&'static str>,
    causes: &'a [Cause],
    reason: &'a Option<String>,
    note: &'a Option<String>,
    action: &'a Option<String>,
    warnings: &'a [crate::diag::Problem],
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    id: &'a str,
    name: &'a str,
    year: i32,
    department: &'a Option<String>,
    unit: &'a Option<String>,
}

#[derive(Serialize)]
struct BudgetJson {
    initial_budget: Value,
    adjusted_budget: Value,
    allocated: Value,
    denominator: super::profile::Denominator,
    spent: Value,
    rows: usize,
    rows_after: usize,
    rows_before: usize,
    projected: Option<ProjectionJson>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    id: &'a str,
    name: &'a str,
    dimension: &'static str,
    group: &'a str,
    kind: Kind,
    metric: &'a Option<String>,
    target: &'a str,
    target_value: Value,
    actual: Value,
    actual_date: Option<String>,
    tier: Option<crate::judgment::Tier>,
    expected: Value,
    ratio: Value,
    light: Option<&'static str>,
    no_data: Option<String>,
    projected: Option<ProjectionJson>,
    achievable: Option<bool>,
    causes: &'a [Cause],
    reason: &'a Option<String>,
    likelihood: Option<crate::records::Likelihood>,
    note: &'a Option<String>,
    action: &'a Option<String>,
    line: Option<usize>,
}

impl<'a> MonitorJson<'a> {
    fn of(m: &'a Monitor) -> Self {
        let b = &m.budget;
        let as_of = m.as_of.to_string();
        let light = |l: Option<Light>| l.map(Light::key);
        let indicators = m
            .indicators
            .iter()
            .map(|i| IndicatorJson {
                id: &i.id,
                name: &i.name,
                dimension: i.dimension.key(),
                group: &i.group,
                kind: i.kind,
                metric: &i.metric,
                target: &i.target_text,
                target_value: opt(i.target),
                actual: opt(i.actual),
                actual_date: i.actual_date.map(|d| d.to_string()),
                tier: i.tier,
                expected: opt(i.expected),
                ratio: opt(i.ratio),
                light: light(i.light),
                no_data: i
                    .no_light
                    .as_ref()
                    .map(|n| no_light_text(n, &as_of, Lang::En)),
                projected: projection_json(i.projected, false),
                achievable: i.achievable,
                causes: &i.causes,
                reason: &i.reason,
                likelihood: i.likelihood,
                note: &i.note,
                action: &i.action,
                line: i.line,
            })
            .collect();
        MonitorJson {
            project: ProjectJson {
                id: &m.project.id,
                name: &m.project.name,
                year: m.project.year,
                department: &m.project.department,
                unit: &m.project.unit,
            },
            scheme: &m.scheme,
            profile: &m.profile.id,
            time_rule: m.profile.time_progress,
            months: m.months,
            time_progress: num(m.time_progress),
            budget: BudgetJson {
                initial_budget: money(b.initial_budget),
                adjusted_budget: money(b.adjusted_budget),
                allocated: money(b.allocated),
                denominator: b.denominator,
                spent: money(b.spent),
                rows: b.rows,
                rows_after: b.rows_after,
                rows_before: b.rows_before,
                projected: projection_json(b.projected, true),
            },
            execution_rate: opt(m.execution_rate),
            budget_ratio: opt(m.budget_ratio),
            budget_light: light(m.budget_light),
            indicators,
            goal_light: light(m.goal_light),
            combined_light: light(m.combined_light),
            causes: &m.causes,
            reason: &m.reason,
            note: &m.note,
            action: &m.action,
            warnings: &m.warnings,
            as_of,
        }
    }
}

/// The JSON document. Keys are stable (docs/monitor.md): money as strings with two
/// places, rates as fractions (0.2978), ratios as numbers (51.05), lights as words.
pub fn to_json(m: &Monitor) -> Value {
    serde_json::to_value(MonitorJson::of(m)).unwrap_or(Value::Null)
}

/// [`to_json`] written compactly to `w`, with no [`Value`] built.
pub fn write_json(m: &Monitor, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer(w, &MonitorJson::of(m)).map_err(std::io::Error::from)
}

/// The CSV columns, in order. Stable.
pub const CSV_COLUMNS: [&str; 24] = [
    "project",
    "as_of",
    "time_progress",
    "spent",
    "execution_rate",
    "budget_ratio",
    "budget_light",
    "id",
    "name",
    "target",
    "actual",
    "actual_date",
    "expected",
    "ratio",
    "light",
    "projected",
    "projection",
    "likelihood",
    "achievable",
    "causes",
    "reason",
    "action",
    "goal_light",
    "combined_light",
];

/// One CSV row per indicator (UTF-8 with a BOM; text neutralised against formulas); the
/// project's figures repeated on each row.
pub fn to_csv(m: &Monitor) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(CSV_COLUMNS);
    let key = |l: Option<Light>| l.map_or("", Light::key).to_string();
    let o = |d: Option<Decimal>| d.map(plain).unwrap_or_default();
    for i in &m.indicators {
        let causes: Vec<&str> = i.causes.iter().map(|c| c.zh()).collect();
        let _ = w.write_record([
            neutralise(&m.project.id),
            m.as_of.to_string(),
            plain(m.time_progress),
            fixed(m.budget.spent, 2),
            o(m.execution_rate),
            o(m.budget_ratio),
            key(m.budget_light),
            neutralise(&i.id),
            neutralise(&i.name),
            neutralise(&i.target_text),
            o(i.actual.map(|v| round_half_up(v, 4))),
            i.actual_date.map(|d| d.to_string()).unwrap_or_default(),
            o(i.expected.map(|v| round_half_up(v, 4))),
            o(i.ratio),
            key(i.light),
            o(i.projected.map(|p| p.value)),
            i.projected
                .map(|p| match p.source {
                    ProjectionSource::Given => "given",
                    ProjectionSource::RunRate => "run_rate",
                    ProjectionSource::AsItStands => "as_it_stands",
                })
                .unwrap_or_default()
                .to_string(),
            i.likelihood.map(|l| l.zh()).unwrap_or_default().to_string(),
            // the officer's 完成目标可能性 or, where none, the projection's (as in JSON)
            i.achievable.map(|a| a.to_string()).unwrap_or_default(),
            causes.join("、"),
            neutralise(i.reason.as_deref().unwrap_or("")),
            neutralise(i.action.as_deref().unwrap_or("")),
            key(m.goal_light),
            key(m.combined_light),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// Why a project's combined light is not green, in words: spending off pace, the red
/// indicators with their causes, the targets not achievable.
pub fn reasons(m: &Monitor, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let (Some(l), Some(r)) = (m.budget_light, m.budget_ratio)
        && l != Light::Green
    {
        let mut text = match lang {
            Lang::Zh => format!("支出未达序时进度（{} → {}）", fixed(r, 2), l.zh()),
            Lang::En => format!("spending not on pace ({} → {})", fixed(r, 2), l.en()),
        };
        let why = causes_of(&m.causes, m.reason.as_deref(), lang);
        if !why.is_empty() {
            text.push_str(lang.pick("：", ": "));
            text.push_str(&why);
        }
        parts.push(text);
    }
    for i in m.indicators.iter().filter(|i| i.light == Some(Light::Red)) {
        let why = causes_text(i, lang);
        parts.push(match (why.is_empty(), lang) {
            (true, Lang::Zh) => format!("{} 红灯（未填偏差原因）", i.id),
            (true, Lang::En) => format!("{} red (no cause given)", i.id),
            (false, Lang::Zh) => format!("{} 红灯：{why}", i.id),
            (false, Lang::En) => format!("{} red: {why}", i.id),
        });
    }
    let unachievable: Vec<&str> = m
        .indicators
        .iter()
        .filter(|i| i.achievable == Some(false))
        .map(|i| i.id.as_str())
        .collect();
    if !unachievable.is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("预计不能完成：{}", unachievable.join("、")),
            Lang::En => format!("not achievable: {}", unachievable.join(", ")),
        });
    }
    parts.join(lang.pick("；", "; "))
}

/// A bureau's summary for people: the lights counted, the 主管部门 with the most red first,
/// then every project whose combined light is red or yellow, worst first, with its reasons.
pub fn bureau_table(
    b: &super::bureau::Bureau,
    as_of: Date,
    lang: Lang,
    width: Option<u16>,
    all: bool,
) -> String {
    use super::bureau::{by_department, by_light};
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} {}{}{}{}",
        lang.pick("绩效运行监控汇总", "Performance monitoring summary"),
        lang.pick("截至", "as of"),
        as_of,
        lang.pick("，", ", "),
        b.summaries.len(),
        lang.pick(" 个项目", " project(s)"),
    );
    if !b.failed.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{} 个项目输入有误，未监控（错误见标准错误输出）",
                    b.failed.len()
                ),
                Lang::En => format!(
                    "{} project(s) not monitored: their inputs have errors (listed on stderr)",
                    b.failed.len()
                ),
            }
        );
    }
    let [budget, goal, combined] = by_light(&b.summaries);
    let mut t = new_table(width);
    t.set_header(vec![
        lang.pick("预警", "Light"),
        lang.pick("预算执行", "Budget"),
        lang.pick("目标", "Goal"),
        lang.pick("综合", "Combined"),
    ]);
    for light in [
        Some(Light::Red),
        Some(Light::Yellow),
        Some(Light::Green),
        Some(Light::Blue),
        None,
    ] {
        t.add_row(vec![
            light_text(light, lang).to_string(),
            budget.of(light).to_string(),
            goal.of(light).to_string(),
            combined.of(light).to_string(),
        ]);
    }
    right_align(&mut t, &[1, 2, 3]);
    let _ = writeln!(out, "\n{t}");
    let mut t = new_table(width);
    t.set_header(vec![
        lang.pick("主管部门（综合预警）", "Department (combined light)"),
        lang.pick("项目", "Projects"),
        lang.pick("红灯", "Red"),
        lang.pick("黄灯", "Yellow"),
        lang.pick("绿灯", "Green"),
        lang.pick("暂无", "None yet"),
    ]);
    for (d, c) in by_department(&b.summaries) {
        t.add_row(vec![
            if d.is_empty() { "—".to_string() } else { d },
            c.total().to_string(),
            c.red.to_string(),
            c.yellow.to_string(),
            (c.green + c.blue).to_string(),
            c.none.to_string(),
        ]);
    }
    right_align(&mut t, &[1, 2, 3, 4, 5]);
    let _ = writeln!(out, "\n{t}");
    if let Some(line) = super::bureau::warning_line(&b.summaries, lang) {
        let _ = writeln!(out, "{line}");
    }
    // Only these projects' results are made again, one at a time: the worst
    // [`crate::report::batch::WORST`] (the summaries are worst first), all with `all`.
    let red_or_yellow =
        |s: &&super::bureau::Summary| matches!(s.combined_light, Some(Light::Red | Light::Yellow));
    let flagged_count = b.summaries.iter().filter(red_or_yellow).count();
    let shown = if all {
        flagged_count
    } else {
        flagged_count.min(crate::report::batch::WORST)
    };
    let mut flagged = b
        .summaries
        .iter()
        .enumerate()
        .filter(|(_, s)| red_or_yellow(s))
        .take(shown)
        .filter_map(|(n, _)| b.result(n))
        .peekable();
    if flagged.peek().is_some() {
        // Laid out as the score tables are: codes, rates and lights whole, the name and
        // the reasons given the room (80 or 120 columns of a terminal). The budget and
        // goal lights are the reasons' subject, and each is in the JSON and CSV: the
        // combined light alone leaves 80 columns room for the rest.
        let col = |header, wrap, priority, right| crate::report::layout::Column {
            header,
            wrap,
            priority,
            right,
        };
        let columns = [
            col(lang.pick("项目编码", "Project"), false, false, false),
            col(lang.pick("项目名称", "Name"), true, false, false),
            col(lang.pick("主管部门", "Department"), true, false, false),
            col(lang.pick("执行率", "Rate"), false, false, true),
            col(
                lang.pick("执行率 ÷ 序时进度", "Rate ÷ time"),
                false,
                false,
                true,
            ),
            col(lang.pick("综合", "Combined"), false, false, false),
            col(lang.pick("原因", "Reasons"), true, true, false),
        ];
        let rows: Vec<Vec<String>> = flagged
            .map(|m| {
                vec![
                    m.project.id.clone(),
                    m.project.name.clone(),
                    m.project.department.clone().unwrap_or_default(),
                    m.execution_rate.map(percent).unwrap_or_default(),
                    m.budget_ratio.map(|r| fixed(r, 2)).unwrap_or_default(),
                    light_text(m.combined_light, lang).to_string(),
                    reasons(&m, lang),
                ]
            })
            .collect();
        let (t, _) = crate::report::layout::table(&columns, rows, width);
        let _ = writeln!(out, "\n{t}");
    }
    if shown < flagged_count {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "以上为最差的 {shown} 个；红灯、黄灯项目共 {flagged_count} 个，全部列出：加 --all；每个项目每个指标一行的 CSV：--format csv。"
                ),
                Lang::En => format!(
                    "The worst {shown} above; {flagged_count} red or yellow projects in all: --all lists them; a CSV row per indicator: --format csv."
                ),
            }
        );
    }
    out
}

/// A bureau as one JSON document, written as it is made (compact; one project's result
/// in memory at a time): `as_of`, `projects`, `summary` (the counts of each kind of
/// light), `by_department`, `failed` (the projects not monitored, with their error
/// counts) and `results` (each project as [`to_json`] gives it), worst first.
pub fn write_bureau_json(
    b: &super::bureau::Bureau,
    as_of: Date,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use super::bureau::{by_department, by_light};
    let [budget, goal, combined] = by_light(&b.summaries);
    let head = json!({
        "as_of": as_of.to_string(),
        "projects": b.summaries.len(),
        "summary": {
            "budget_light": budget,
            "goal_light": goal,
            "combined_light": combined,
        },
        "by_department": by_department(&b.summaries)
            .into_iter()
            .map(|(d, c)| json!({"department": d, "projects": c.total(), "combined_light": c}))
            .collect::<Vec<_>>(),
        "failed": b
            .failed
            .iter()
            .map(|(id, p)| json!({"project": id, "errors": p.errors().count()}))
            .collect::<Vec<_>>(),
    });
    let head = serde_json::to_string(&head)?;
    // The head without its closing brace, then the results one by one.
    w.write_all(head.strip_suffix('}').unwrap_or(&head).as_bytes())?;
    w.write_all(b",\"results\":[")?;
    let mut first = true;
    b.each_rendered(
        |m, out| {
            // (Writing to memory fails only if memory runs out.)
            let _ = write_json(m, out);
        },
        |bytes| {
            if !std::mem::take(&mut first) {
                w.write_all(b",\n")?;
            }
            w.write_all(bytes)
        },
    )?;
    w.write_all(b"]}\n")
}

/// A bureau as CSV: every project's rows under one header, worst project first.
pub fn bureau_csv(b: &super::bureau::Bureau) -> String {
    let mut out = String::new();
    let Ok(()) = b.each_rendered(
        |m, bytes| bytes.extend_from_slice(to_csv(m).as_bytes()),
        |bytes| {
            // (Each project's CSV is a String's bytes: nothing is lost.)
            let text = String::from_utf8_lossy(bytes);
            let body = text.strip_prefix(BOM).unwrap_or(&text);
            if out.is_empty() {
                out.push_str(BOM);
                out.push_str(body);
            } else {
                out.push_str(body.split_once('\n').map_or("", |(_, rows)| rows));
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    if out.is_empty() {
        out.push_str(BOM);
        out.push_str(&CSV_COLUMNS.join(","));
        out.push('\n');
    }
    out
}

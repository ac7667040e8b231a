//! Year over year (`--previous LAST_YEAR.json`): last year's saved `score --format json`
//! beside this year's result — every money figure, rate, score and actual value with its
//! change.
//!
//! Numbers are read from the saved JSON exactly: money is a decimal string ("85000.00"),
//! scores and rates are JSON numbers whose shortest text ("0.85", "7.33") is parsed as a
//! decimal, never used as a float. Indicators and dimensions are matched by id and name;
//! what only one year has is shown against "—".

use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

use crate::builtin::Builtin;
use crate::decimal::{fixed, percent, round_half_up, score_text, wan};
use crate::diag::{Code, Problem, Problems};
use crate::i18n::Lang;
use crate::outcome::Outcome;
use crate::scheme::{Scoring, Unit};
use crate::scoring::show;

/// Last year's result, as read from its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub file: PathBuf,
    pub year: Option<i32>,
    pub project_id: Option<String>,
    pub project_name: Option<String>,
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    /// The built-ins of `metrics`: money in 元, rates as fractions (other keys, such as
    /// `spending_rows`, are not compared).
    pub metrics: Vec<(Builtin, Decimal)>,
    /// `dimensions`: name and score.
    pub dimensions: Vec<(String, Decimal)>,
    pub indicators: Vec<PreviousIndicator>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousIndicator {
    pub id: String,
    pub name: String,
    pub actual: Option<String>,
    pub actual_value: Option<Decimal>,
    pub score: Option<Decimal>,
}

/// A JSON number or decimal string as an exact decimal ("0.85", 92, "85000.00", 1e-5).
fn decimal(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

/// [`decimal`], within the bound every input has (±10^15, [`crate::decimal::MAX_MAGNITUDE`]):
/// a larger figure is a problem naming its key, so no change computed from it can overflow.
fn bounded(v: &Value, path: &Path, field: &str, problems: &mut Problems) -> Option<Decimal> {
    let d = decimal(v)?;
    if crate::decimal::within_limit(d) {
        return Some(d);
    }
    problems.push(
        Problem::error(path, "a figure too large to compare")
            .zh("数值太大，无法比较")
            .code(Code::InvalidValue)
            .field(field)
            .value(d.to_string())
            .expected("a number within ±1,000,000,000,000,000")
            .zh_expected("绝对值不超过 1,000,000,000,000,000 的数"),
    );
    None
}

/// What `--previous` takes.
const SAVED: &str = "the saved output of jixiao score --format json";
const SAVED_ZH: &str = "用 jixiao score --format json 保存的上年结果";

/// What kind of JSON error `e` is, in Chinese (its place is the problem's line and column).
fn json_error_zh(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "内容不完整，文件在中途结束",
        Category::Syntax => "语法错误",
        Category::Data => "数据类型不对",
        Category::Io => "读取出错",
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Read last year's JSON. Problems: unreadable, not JSON, or not a result of
/// `jixiao score --format json`.
pub fn load(path: &Path) -> Result<Previous, Problems> {
    let fail = |p: Problem| Err(Problems(vec![p]));
    let source = match crate::input::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            return fail(
                Problem::error(path, format!("cannot read last year's result: {e}"))
                    .zh(format!("无法读取上年结果：{e}"))
                    .code(Code::UnreadableFile)
                    .expected(SAVED)
                    .zh_expected(SAVED_ZH),
            );
        }
    };
    let v: Value = match serde_json::from_str(source.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(e) => {
            return fail(
                Problem::error(path, format!("not valid JSON: {e}"))
                    .zh(format!("不是有效的 JSON：{}", json_error_zh(&e)))
                    .at(e.line(), e.column())
                    .expected(SAVED)
                    .zh_expected(SAVED_ZH),
            );
        }
    };
    let shape = |field: &str, what: &str, what_zh: &str| {
        Problem::error(path, format!("not a jixiao result: {what}"))
            .zh(format!("不是 jixiao 的评分结果：{what_zh}"))
            .code(Code::InvalidValue)
            .field(field)
            .expected(format!("{SAVED} (docs/output.md)"))
            .zh_expected(format!("{SAVED_ZH}（格式见 docs/output.md）"))
    };
    let mut problems = Problems::default();
    let Some(indicators) = v.get("indicators").and_then(Value::as_array) else {
        return fail(shape(
            "indicators",
            "no \"indicators\" array",
            "没有“indicators”数组",
        ));
    };
    let total = bounded(&v["total_score"], path, "total_score", &mut problems);
    if decimal(&v["total_score"]).is_none() {
        problems.push(shape(
            "total_score",
            "no number \"total_score\"",
            "没有数值“total_score”",
        ));
    }
    let mut prev_indicators = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        let Some(id) = text(&i["id"]) else {
            problems.push(shape(
                &format!("indicators[{n}].id"),
                "an indicator without an \"id\"",
                "有一个指标没有“id”",
            ));
            continue;
        };
        prev_indicators.push(PreviousIndicator {
            id,
            name: text(&i["name"]).unwrap_or_default(),
            actual: text(&i["actual"]),
            actual_value: bounded(
                &i["actual_value"],
                path,
                &format!("indicators[{n}].actual_value"),
                &mut problems,
            ),
            score: bounded(
                &i["score"],
                path,
                &format!("indicators[{n}].score"),
                &mut problems,
            ),
        });
    }
    let metrics = v["metrics"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let metric = Builtin::parse(k)?;
                    Some((
                        metric,
                        bounded(v, path, &format!("metrics.{k}"), &mut problems)?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let dimensions = v["dimensions"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .enumerate()
                .filter_map(|(n, d)| {
                    let name = text(&d["name"])?;
                    let field = format!("dimensions[{n}].score");
                    Some((name, bounded(&d["score"], path, &field, &mut problems)?))
                })
                .collect()
        })
        .unwrap_or_default();
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Previous {
        file: path.to_path_buf(),
        year: v["project"]["year"]
            .as_i64()
            .and_then(|y| i32::try_from(y).ok()),
        project_id: text(&v["project"]["id"]),
        project_name: text(&v["project"]["name"]),
        total,
        grade: text(&v["grade"]),
        metrics,
        dimensions,
        indicators: prev_indicators,
    })
}

/// What a compared number measures, which decides how it and its change are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// 元, shown in 万元 with this many decimals.
    Money(u32),
    /// A fraction, shown as a percentage; the change in percentage points.
    Rate,
    /// Points, two decimals.
    Score,
    /// An indicator's actual value in its unit.
    Value(Unit),
}

/// One number this year and last year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub previous: Option<Decimal>,
    pub current: Option<Decimal>,
}

impl Change {
    /// This year minus last year, when both are known.
    pub fn delta(&self) -> Option<Decimal> {
        Some(self.current? - self.previous?)
    }

    fn value_text(&self, v: Option<Decimal>) -> String {
        let Some(v) = v else {
            return "—".into();
        };
        match &self.kind {
            Kind::Money(places) => wan(v, *places),
            Kind::Rate => percent(v),
            Kind::Score => score_text(v),
            Kind::Value(u) => show(v, u),
        }
    }

    pub fn previous_text(&self) -> String {
        self.value_text(self.previous)
    }

    pub fn current_text(&self) -> String {
        self.value_text(self.current)
    }

    /// The change with its sign: "+3.00", "-17.10个百分点", "+15件", "—" when unknown.
    pub fn delta_text(&self, lang: Lang) -> String {
        let Some(d) = self.delta() else {
            return "—".into();
        };
        let sign = if d > Decimal::ZERO { "+" } else { "" };
        let body = match &self.kind {
            Kind::Money(places) => wan(d, *places),
            Kind::Score => score_text(d),
            Kind::Rate | Kind::Value(Unit::Percent) => format!(
                "{}{}",
                fixed(d * Decimal::ONE_HUNDRED, 2),
                lang.pick("个百分点", " pp")
            ),
            Kind::Value(u) => show(d, u),
        };
        format!("{sign}{body}")
    }

    fn to_json(&self) -> Value {
        let num = |d: Option<Decimal>| d.map_or(Value::Null, super::num);
        let money = |d: Option<Decimal>| d.map_or(Value::Null, |d| Value::String(fixed(d, 2)));
        let delta = self.delta();
        match self.kind {
            Kind::Money(_) => json!({
                "previous": money(self.previous),
                "current": money(self.current),
                "change": money(delta),
            }),
            _ => {
                let places = |d: Option<Decimal>| d.map(|d| round_half_up(d, 4));
                json!({
                    "previous": num(places(self.previous)),
                    "current": num(places(self.current)),
                    "change": num(places(delta)),
                })
            }
        }
    }
}

/// One indicator this year and last year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorChange {
    pub id: String,
    pub name: String,
    /// `None` for indicators without a numeric actual value (qualitative, manual).
    pub actual: Option<Change>,
    /// 实际完成值 as each year's table shows it (for qualitative tiers).
    pub actual_texts: (Option<String>, Option<String>),
    pub score: Change,
}

/// Why a comparison may need a second look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Last year's result is not of the year before this one.
    Year { previous: Option<i32>, current: i32 },
    /// Last year's project has another name.
    Project { previous: String, current: String },
}

impl Note {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Note::Year { previous, current }, Lang::Zh) => format!(
                "上年结果的年度为 {}，不是 {} 年",
                previous.map_or("—".to_string(), |y| y.to_string()),
                current - 1
            ),
            (Note::Year { previous, current }, Lang::En) => format!(
                "last year's result is of {}, not {}",
                previous.map_or("—".to_string(), |y| y.to_string()),
                current - 1
            ),
            (Note::Project { previous, current }, Lang::Zh) => {
                format!("上年项目名称为“{previous}”，本年为“{current}”")
            }
            (Note::Project { previous, current }, Lang::En) => {
                format!("last year's project is \"{previous}\", this year's \"{current}\"")
            }
        }
    }
}

/// This year's result against last year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub file: PathBuf,
    pub previous_year: Option<i32>,
    pub current_year: i32,
    /// Money and rates, in [`Builtin::ALL`] order.
    pub metrics: Vec<(Builtin, Change)>,
    pub total: Change,
    pub grade: (Option<String>, String),
    pub dimensions: Vec<(String, Change)>,
    pub indicators: Vec<IndicatorChange>,
    pub notes: Vec<Note>,
}

/// The label of a compared metric: money in 万元, as the comparison prints it.
pub fn metric_label(b: Builtin, lang: Lang) -> String {
    let heading = b.heading(lang);
    if b.is_money() {
        format!("{heading}{}", lang.pick("（万元）", " (10k yuan)"))
    } else {
        heading.to_string()
    }
}

/// Compare this year's outcome with last year's result.
pub fn compare(o: &Outcome, p: &Previous) -> Comparison {
    let f = &o.funds;
    let prev_metric = |b: Builtin| p.metrics.iter().find(|(k, _)| *k == b).map(|(_, v)| *v);
    let metrics = Builtin::ALL
        .into_iter()
        .map(|b| {
            let kind = if b.is_money() {
                Kind::Money(o.wan_places)
            } else {
                Kind::Rate
            };
            (
                b,
                Change {
                    kind,
                    previous: prev_metric(b),
                    current: f.value(b),
                },
            )
        })
        .collect();
    let dimensions = o
        .sheet
        .dimensions
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                Change {
                    kind: Kind::Score,
                    previous: p
                        .dimensions
                        .iter()
                        .find(|(n, _)| *n == d.name)
                        .map(|(_, s)| *s),
                    current: Some(d.score),
                },
            )
        })
        .collect();
    let mut values = o.metrics();
    let mut indicators: Vec<IndicatorChange> = o
        .sheet
        .indicators
        .iter()
        .map(|i| {
            let prev = p.indicators.iter().find(|pi| pi.id == i.id);
            // The unit the table shows the actual value in: the target's, or the metric's.
            let unit = o
                .scheme
                .indicator(&i.id)
                .and_then(|ind| match &ind.scoring {
                    Scoring::Quantitative { metric, target, .. } => match &target.quantity.unit {
                        Unit::None => values.get(metric).ok().map(|v| v.unit),
                        u => Some(u.clone()),
                    },
                    Scoring::Checklist(_) => Some(Unit::None),
                    _ => None,
                });
            IndicatorChange {
                id: i.id.clone(),
                name: i.name.clone(),
                // Both years to the 4 places the JSON keeps (502.962962… → 502.963).
                actual: unit.map(|u| Change {
                    kind: Kind::Value(u),
                    previous: prev.and_then(|pi| pi.actual_value),
                    current: i.actual_value.map(|v| round_half_up(v, 4)),
                }),
                actual_texts: (prev.and_then(|pi| pi.actual.clone()), i.actual.clone()),
                score: Change {
                    kind: Kind::Score,
                    previous: prev.and_then(|pi| pi.score),
                    current: i.score,
                },
            }
        })
        .collect();
    // Indicators only last year had.
    for pi in &p.indicators {
        if !o.sheet.indicators.iter().any(|i| i.id == pi.id) {
            indicators.push(IndicatorChange {
                id: pi.id.clone(),
                name: pi.name.clone(),
                actual: None,
                actual_texts: (pi.actual.clone(), None),
                score: Change {
                    kind: Kind::Score,
                    previous: pi.score,
                    current: None,
                },
            });
        }
    }
    let mut notes = Vec::new();
    if p.year != Some(o.project.year - 1) {
        notes.push(Note::Year {
            previous: p.year,
            current: o.project.year,
        });
    }
    if let Some(name) = &p.project_name
        && *name != o.project.name
    {
        notes.push(Note::Project {
            previous: name.clone(),
            current: o.project.name.clone(),
        });
    }
    Comparison {
        file: p.file.clone(),
        previous_year: p.year,
        current_year: o.project.year,
        metrics,
        total: Change {
            kind: Kind::Score,
            previous: p.total,
            current: Some(o.sheet.total),
        },
        grade: (p.grade.clone(), o.sheet.grade.clone()),
        dimensions,
        indicators,
        notes,
    }
}

impl Comparison {
    /// The year labels of the two value columns: "2021年" / "2022年".
    pub fn year_labels(&self, lang: Lang) -> (String, String) {
        let y = |y: Option<i32>, fallback: &str| match (y, lang) {
            (Some(y), Lang::Zh) => format!("{y}年"),
            (Some(y), Lang::En) => y.to_string(),
            (None, _) => fallback.to_string(),
        };
        (
            y(self.previous_year, lang.pick("上年", "last year")),
            y(Some(self.current_year), lang.pick("本年", "this year")),
        )
    }

    /// The `year_over_year` object of the JSON output (docs/output.md).
    pub fn to_json(&self) -> Value {
        json!({
            "file": self.file.display().to_string(),
            "previous_year": self.previous_year,
            "current_year": self.current_year,
            "total_score": self.total.to_json(),
            "grade": { "previous": self.grade.0, "current": self.grade.1 },
            "metrics": self.metrics.iter().map(|(k, c)| (k.name().to_string(), c.to_json())).collect::<serde_json::Map<_, _>>(),
            "dimensions": self.dimensions.iter().map(|(name, c)| {
                let mut v = c.to_json();
                v["name"] = Value::String(name.clone());
                v
            }).collect::<Vec<_>>(),
            "indicators": self.indicators.iter().map(|i| json!({
                "id": i.id,
                "name": i.name,
                "actual": { "previous": i.actual_texts.0, "current": i.actual_texts.1 },
                "actual_value": i.actual.as_ref().map_or(Value::Null, Change::to_json),
                "score": i.score.to_json(),
            })).collect::<Vec<_>>(),
            "notes": self.notes.iter().map(|n| n.text(Lang::En)).collect::<Vec<_>>(),
        })
    }
}

/// The comparison as tables for people, printed after the score tables.
pub fn table(c: &Comparison, lang: Lang, width: Option<u16>) -> String {
    use super::table::{new_table, right_align};
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let (py, cy) = c.year_labels(lang);
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::Zh => format!("\n与上年比较（上年结果：{}）\n", c.file.display()),
        Lang::En => format!(
            "\nYear over year (last year's result: {})\n",
            c.file.display()
        ),
    });
    let mut t = new_table(width);
    t.set_header(vec![
        l("项目", "Item").to_string(),
        py.clone(),
        cy.clone(),
        l("变动", "Change").to_string(),
    ]);
    for (key, ch) in &c.metrics {
        t.add_row(vec![
            metric_label(*key, lang),
            ch.previous_text(),
            ch.current_text(),
            ch.delta_text(lang),
        ]);
    }
    t.add_row(vec![
        l("总分", "Total").to_string(),
        c.total.previous_text(),
        c.total.current_text(),
        c.total.delta_text(lang),
    ]);
    t.add_row(vec![
        l("等级", "Grade").to_string(),
        c.grade.0.clone().unwrap_or_else(|| "—".into()),
        c.grade.1.clone(),
        String::new(),
    ]);
    for (name, ch) in &c.dimensions {
        t.add_row(vec![
            format!("{name}{}", l(" 得分", " score")),
            ch.previous_text(),
            ch.current_text(),
            ch.delta_text(lang),
        ]);
    }
    right_align(&mut t, &[1, 2, 3]);
    out.push_str(&format!("{t}\n"));

    let mut t = new_table(width);
    t.set_header(vec![
        l("三级指标", "Indicator").to_string(),
        format!("{py}{}", l("完成值", " actual")),
        format!("{cy}{}", l("完成值", " actual")),
        l("变动", "Change").to_string(),
        format!("{py}{}", l("得分", " score")),
        format!("{cy}{}", l("得分", " score")),
        l("变动", "Change").to_string(),
    ]);
    for i in &c.indicators {
        let (prev_actual, cur_actual, delta) = match &i.actual {
            Some(a) => (a.previous_text(), a.current_text(), a.delta_text(lang)),
            None => (
                i.actual_texts.0.clone().unwrap_or_else(|| "—".into()),
                i.actual_texts.1.clone().unwrap_or_else(|| "—".into()),
                String::new(),
            ),
        };
        t.add_row(vec![
            format!("{} {}", i.id, i.name),
            prev_actual,
            cur_actual,
            delta,
            i.score.previous_text(),
            i.score.current_text(),
            i.score.delta_text(lang),
        ]);
    }
    right_align(&mut t, &[3, 4, 5, 6]);
    out.push_str(&format!("\n{t}\n"));
    for n in &c.notes {
        out.push_str(&format!("{}{}\n", l("提示：", "Note: "), n.text(lang)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn json_numbers_are_read_as_exact_decimals() {
        // 0.85 and 7.33 have no exact binary form; their shortest text is parsed instead
        assert_eq!(decimal(&json!(0.85)), Some(d("0.85")));
        assert_eq!(decimal(&json!(7.33)), Some(d("7.33")));
        assert_eq!(decimal(&json!(92)), Some(d("92")));
        assert_eq!(decimal(&json!("85000.00")), Some(d("85000.00")));
        assert_eq!(decimal(&json!(1e-5)), Some(d("0.00001")));
        assert_eq!(decimal(&Value::Null), None);
    }

    #[test]
    fn changes_are_signed_in_their_unit() {
        let c = |kind, p: &str, n: &str| Change {
            kind,
            previous: Some(d(p)),
            current: Some(d(n)),
        };
        // 67.90% − 85.00% = −17.10 percentage points
        assert_eq!(
            c(Kind::Rate, "0.85", "0.679").delta_text(Lang::Zh),
            "-17.10个百分点"
        );
        // 95 − 92 = +3.00
        assert_eq!(c(Kind::Score, "92", "95").delta_text(Lang::Zh), "+3.00");
        // 67,900 − 85,000 = −17,100 元 = −1.71 万元
        assert_eq!(
            c(Kind::Money(2), "85000", "67900").delta_text(Lang::Zh),
            "-1.71"
        );
        // 135 − 114 = +21 件
        assert_eq!(
            c(Kind::Value(Unit::Other("件".into())), "114", "135").delta_text(Lang::Zh),
            "+21件"
        );
        assert_eq!(c(Kind::Score, "4", "4").delta_text(Lang::En), "0.00");
        let unknown = Change {
            kind: Kind::Score,
            previous: None,
            current: Some(d("5")),
        };
        assert_eq!(unknown.delta_text(Lang::Zh), "—");
        assert_eq!(unknown.previous_text(), "—");
    }
}

//! The report's narrative (叙述): the text a person writes — the project's background, its
//! goals, how the evaluation was done, experience, problems, suggestions — kept in
//! `narrative.toml` (or `narrative.md`) in the evaluation folder. Figures, tables and lost
//! points come from the evaluation; a section without narrative gets a marked placeholder.
//!
//! Text may quote computed values: `{{cases_civil}}` is replaced by the metric's value in
//! its unit (`105件`), `{{spent:万元}}` by an amount in 万元 (`6.79万元`), `{{spent:元}}` in 元
//! (`67,900.00元`), a formula such as `{{cases_civil + cases_criminal}}` by its exact value
//! (in the unit its metrics share: `135件`); `{{total_score}}`, `{{grade}}`, `{{year}}`,
//! `{{project}}` by the result.

use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::decimal::{grouped, plain, wan};
use crate::diag::{Code, Lines, Locate, Problem, Problems};
use crate::input::Root;
use crate::metrics::{MetricValue, Metrics, Source};
use crate::outcome::Outcome;
use crate::scheme::{Unit, UnitKind};
use crate::scoring::show;

pub const TOML_FILE: &str = "narrative.toml";
pub const MARKDOWN_FILE: &str = "narrative.md";

/// One piece of narrative: where it comes from (key and Chinese title), for placeholders,
/// errors and the `.md` headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub key: &'static str,
    pub title: &'static str,
    /// What to write there, for the placeholder.
    pub hint: &'static str,
    /// Titles a `narrative.md` heading may still use (those of earlier versions).
    pub aliases: &'static [&'static str],
}

/// Every narrative slot, in report order.
pub const SLOTS: [Slot; 15] = [
    Slot {
        key: "basic.overview",
        title: "项目概况",
        hint: "项目背景、主要内容及实施情况、资金投入和使用情况",
        aliases: &["项目基本情况"],
    },
    Slot {
        key: "basic.goals",
        title: "项目绩效目标",
        hint: "项目总体目标和阶段性目标（同自评表“年度总体目标—预期目标”）",
        aliases: &[],
    },
    Slot {
        key: "basic.achieved",
        title: "年度总体目标完成情况",
        hint: "年度总体目标的实际完成情况（同自评表“年度总体目标—实际完成情况”）",
        aliases: &[],
    },
    Slot {
        key: "work.purpose",
        title: "绩效评价目的、对象和范围",
        hint: "评价的目的、对象和范围",
        aliases: &[],
    },
    Slot {
        key: "work.principles",
        title: "绩效评价原则、评价指标体系、评价方法、评价标准",
        hint: "评价遵循的原则与采用的方法",
        aliases: &["绩效评价原则、评价指标体系、评价方法和评价标准"],
    },
    Slot {
        key: "work.process",
        title: "绩效评价工作过程",
        hint: "评价的组织、时间安排和步骤",
        aliases: &[],
    },
    Slot {
        key: "conclusion.summary",
        title: "综合评价情况及评价结论",
        hint: "对项目总体情况的评价",
        aliases: &[],
    },
    Slot {
        key: "analysis.decision",
        title: "项目决策情况",
        hint: "立项依据、绩效目标、预算编制与资金分配",
        aliases: &[],
    },
    Slot {
        key: "analysis.process",
        title: "项目过程情况",
        hint: "资金到位、使用与管理，制度建设与执行",
        aliases: &[],
    },
    Slot {
        key: "analysis.output",
        title: "项目产出情况",
        hint: "产出数量、质量、时效与成本",
        aliases: &[],
    },
    Slot {
        key: "analysis.benefit",
        title: "项目效益情况",
        hint: "经济效益、社会效益、可持续影响与服务对象满意度",
        aliases: &[],
    },
    Slot {
        key: "lessons.experience",
        title: "主要经验及做法",
        hint: "项目实施中的主要经验和做法",
        aliases: &[],
    },
    Slot {
        key: "lessons.problems",
        title: "存在的问题及原因分析",
        hint: "存在的问题及其原因（可参考下列扣分事项）",
        aliases: &["存在的问题"],
    },
    Slot {
        key: "lessons.suggestions",
        title: "有关建议",
        hint: "针对问题的改进建议",
        aliases: &[],
    },
    Slot {
        key: "other.notes",
        title: "其他需要说明的问题",
        hint: "其他需要说明的问题；没有时写“无。”",
        aliases: &[],
    },
];

/// The slot of a key, e.g. `analysis.process`.
pub fn slot(key: &str) -> &'static Slot {
    SLOTS
        .iter()
        .find(|s| s.key == key)
        .expect("a known narrative key")
}

/// A piece of narrative as written, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub line: usize,
}

/// The narrative of one evaluation; every slot optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrative {
    /// The file it was read from (`None`: there is none).
    pub file: Option<PathBuf>,
    texts: Vec<(&'static str, Text)>,
}

impl Narrative {
    /// The raw text of a slot, when written and not blank.
    pub fn get(&self, key: &str) -> Option<&Text> {
        self.texts
            .iter()
            .find(|(k, t)| *k == key && !t.text.trim().is_empty())
            .map(|(_, t)| t)
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    basic: Basic,
    #[serde(default)]
    work: Work,
    #[serde(default)]
    conclusion: Conclusion,
    #[serde(default)]
    analysis: Analysis,
    #[serde(default)]
    lessons: Lessons,
    #[serde(default)]
    other: Other,
}

type S = Option<Para>;

/// A piece of text as written, with its place in the file.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct Para(Spanned<String>);

impl JsonSchema for Para {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

/// The JSON Schema of narrative.toml, for finding unknown keys and values of the wrong kind
/// (scheme/keys.rs) before serde reads the file.
fn schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(TomlFile).to_value())
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Basic {
    overview: S,
    goals: S,
    achieved: S,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Work {
    purpose: S,
    principles: S,
    process: S,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Conclusion {
    summary: S,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Analysis {
    decision: S,
    process: S,
    output: S,
    benefit: S,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Lessons {
    experience: S,
    problems: S,
    suggestions: S,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(deny_unknown_fields)]
struct Other {
    notes: S,
}

/// The narrative file of a folder: `narrative.toml` or `narrative.md`, if either exists.
pub fn find(dir: &Path, root: &Root) -> Result<Option<PathBuf>, Problems> {
    let toml = dir.join(TOML_FILE);
    let md = dir.join(MARKDOWN_FILE);
    let found = match (toml.is_file(), md.is_file()) {
        (true, true) => {
            return Err(Problems(vec![
                Problem::error(&md, "the folder has both narrative.toml and narrative.md")
                    .zh("目录中同时有 narrative.toml 和 narrative.md")
                    .code(Code::BadEvaluation)
                    .expected("one narrative file: narrative.toml or narrative.md")
                    .zh_expected("只留一个叙述文件：narrative.toml 或 narrative.md"),
            ]));
        }
        (true, false) => toml,
        (false, true) => md,
        (false, false) => return Ok(None),
    };
    // The folder's narrative may be a link: only inside the allowed root.
    root.admit(&found)
        .map_err(|why| Problems(vec![root.refused(&found, why)]))?;
    Ok(Some(found))
}

/// Read a narrative file (`.md` by its extension, else TOML).
pub fn load(path: &Path) -> Result<Narrative, Problems> {
    let source = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the narrative: {e}"))
                .zh(format!("无法读取叙述文件：{e}"))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 file")
                .zh_expected("可读取的 UTF-8 文件"),
        ])
    })?;
    let source = source.trim_start_matches('\u{feff}');
    let texts = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    {
        parse_markdown(path, source)?
    } else {
        parse_toml(path, source)?
    };
    Ok(Narrative {
        file: Some(path.to_path_buf()),
        texts,
    })
}

/// `narrative.toml`: syntax, then every unknown key (with a did-you-mean) and every value
/// that is not text, all at once, as in a scheme; then the texts.
fn parse_toml(path: &Path, source: &str) -> Result<Vec<(&'static str, Text)>, Problems> {
    use crate::scheme::keys;
    let lines = Lines::new(source);
    let doc = keys::parse_document(path, source)?;
    let mut problems = Problems::default();
    keys::check(path, &lines, &doc, schema(), &mut problems);
    if problems.has_errors() {
        problems.0.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
    }
    drop(doc);
    let file: TomlFile = toml::from_str(source).map_err(|e| {
        Problems(vec![keys::toml_problem(
            path,
            &lines,
            &e,
            Code::BadEvaluation,
        )])
    })?;
    let b = file.basic;
    let w = file.work;
    let a = file.analysis;
    let l = file.lessons;
    let all: [(&'static str, S); 15] = [
        ("basic.overview", b.overview),
        ("basic.goals", b.goals),
        ("basic.achieved", b.achieved),
        ("work.purpose", w.purpose),
        ("work.principles", w.principles),
        ("work.process", w.process),
        ("conclusion.summary", file.conclusion.summary),
        ("analysis.decision", a.decision),
        ("analysis.process", a.process),
        ("analysis.output", a.output),
        ("analysis.benefit", a.benefit),
        ("lessons.experience", l.experience),
        ("lessons.problems", l.problems),
        ("lessons.suggestions", l.suggestions),
        ("other.notes", file.other.notes),
    ];
    Ok(all
        .into_iter()
        .filter_map(|(key, s)| {
            let s = s?.0;
            let line = lines.line_col(s.span().start).0;
            Some((
                key,
                Text {
                    text: s.into_inner(),
                    line,
                },
            ))
        })
        .collect())
}

/// `narrative.md`: one `## ` heading per slot (its key, e.g. `## basic.overview`, or its
/// Chinese title, e.g. `## 项目概况`), the text below it up to the next heading. Lines
/// before the first heading (a `# ` title, say) are ignored.
fn parse_markdown(path: &Path, source: &str) -> Result<Vec<(&'static str, Text)>, Problems> {
    let mut problems = Problems::default();
    let mut texts: Vec<(&'static str, Text)> = Vec::new();
    let mut current: Option<usize> = None;
    for (n, line) in source.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## ") {
            let h = heading.trim();
            match SLOTS
                .iter()
                .find(|s| s.key == h || s.title == h || s.aliases.contains(&h))
            {
                Some(s) => {
                    if texts.iter().any(|(k, _)| *k == s.key) {
                        problems.push(
                            Problem::error(path, format!("\"{}\" is written twice", s.title))
                                .zh(format!("“{}”写了两次", s.title))
                                .code(Code::BadEvaluation)
                                .at_line(n + 1)
                                .value(h),
                        );
                    }
                    texts.push((
                        s.key,
                        Text {
                            text: String::new(),
                            line: n + 2,
                        },
                    ));
                    current = Some(texts.len() - 1);
                }
                None => {
                    let titles = SLOTS.iter().map(|s| s.title).collect::<Vec<_>>().join("、");
                    problems.push(
                        Problem::error(path, "a heading that names no part of the report")
                            .zh("这个标题不是报告的任何一部分")
                            .code(Code::BadEvaluation)
                            .at_line(n + 1)
                            .value(h)
                            .expected(format!("one of: {titles}"))
                            .zh_expected(format!("以下之一：{titles}")),
                    );
                    current = None;
                }
            }
        } else if let Some(i) = current {
            let t = &mut texts[i].1.text;
            t.push_str(line);
            t.push('\n');
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    for (_, t) in &mut texts {
        // the text starts on its first non-blank line
        let leading = t.text.len() - t.text.trim_start_matches('\n').len();
        t.line += leading;
        t.text = t.text.trim().to_string();
    }
    Ok(texts)
}

/// Why a `{{…}}` stands for no value, in English and in Chinese.
struct Why {
    en: String,
    zh: String,
}

/// The value a `{{name}}` stands for, or why there is none.
fn value(o: &Outcome, metrics: &mut Metrics<'_>, name: &str) -> Result<String, Why> {
    let (name, unit) = match name.split_once(':') {
        Some((n, u)) => (n.trim(), Some(u.trim())),
        None => (name.trim(), None),
    };
    match name {
        "total_score" => return Ok(plain(o.sheet.total)),
        "grade" => return Ok(o.sheet.grade.clone()),
        "year" => return Ok(o.project.year.to_string()),
        "project" => return Ok(o.project.name.clone()),
        _ => {}
    }
    let expr = crate::formula::Expr::parse(name).map_err(|e| Why {
        en: format!("\"{name}\" is neither a metric nor a formula: {e}"),
        zh: format!(
            "“{name}”既不是数据名称，也不是能计算的公式（第 {} 个字符：{}）",
            e.position + 1,
            e.message
        ),
    })?;
    let v = match expr {
        crate::formula::Expr::Metric(_) => metrics.get(name).map_err(|_| Why {
            en: format!(
                "\"{name}\" is not a metric of this evaluation (nor total_score, grade, year, project)"
            ),
            zh: format!(
                "“{name}”不是本次评价的数据（也不是 total_score、grade、year、project）"
            ),
        })?,
        _ => formula(metrics, &expr, name)?,
    };
    match (unit, v.kind()) {
        (None, _) => Ok(show(v.value, &v.unit)),
        (Some("万元"), UnitKind::Money) => Ok(format!("{}万元", wan(v.value, o.wan_places))),
        (Some("元"), UnitKind::Money) => Ok(format!("{}元", grouped(v.value))),
        (Some(u), _) => Err(Why {
            en: format!("\"{name}:{u}\": only an amount can be shown in 万元 or 元"),
            zh: format!("“{name}:{u}”：只有金额才能以万元或元显示"),
        }),
    }
}

/// A formula over metrics (`cases_civil + cases_criminal`), computed exactly like a
/// derived metric; its unit is that of its metrics when they all share one.
fn formula(
    metrics: &mut Metrics<'_>,
    expr: &crate::formula::Expr,
    text: &str,
) -> Result<MetricValue, Why> {
    let mut units = Vec::new();
    for m in expr.metrics() {
        let v = metrics.get(&m).map_err(|_| Why {
            en: format!("\"{m}\" in \"{text}\" is not a metric of this evaluation"),
            zh: format!("“{text}”中的“{m}”不是本次评价的数据"),
        })?;
        if !units.contains(&v.unit) {
            units.push(v.unit);
        }
    }
    let value = expr
        .eval(&mut |m: &str| metrics.get(m).map(|v| v.value), false)
        .map_err(|_| Why {
            en: format!("\"{text}\" cannot be computed (a division by zero?)"),
            zh: format!("“{text}”无法计算（是否除以了 0？）"),
        })?;
    Ok(MetricValue {
        value,
        unit: match units.as_slice() {
            [one] => one.clone(),
            _ => Unit::None,
        },
        source: Source::Derived {
            formula: text.to_string(),
        },
    })
}

/// A slot's text with every `{{…}}` replaced. Problems name the narrative file and line.
pub fn fill(
    o: &Outcome,
    metrics: &mut Metrics<'_>,
    narrative: &Narrative,
    key: &str,
    problems: &mut Problems,
) -> Option<String> {
    let t = narrative.get(key)?;
    let file = narrative.file.clone().unwrap_or_default();
    let mut out = String::new();
    let mut rest = t.text.as_str();
    let mut line = t.line;
    while let Some(start) = rest.find("{{") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        line += before.matches('\n').count();
        let Some(end) = after.find("}}") else {
            problems.push(
                Problem::error(&file, format!("\"{{{{\" without \"}}}}\" in {key}"))
                    .zh(format!("{key} 中有“{{{{”而没有与之配对的“}}}}”"))
                    .code(Code::BadEvaluation)
                    .at_line(line)
                    .field(key)
                    .expected("{{metric}}, e.g. {{cases_total}} or {{spent:万元}}")
                    .zh_expected("{{数据名称}}，如 {{cases_total}} 或 {{spent:万元}}"),
            );
            out.push_str(after);
            rest = "";
            break;
        };
        let name = &after[2..end];
        match value(o, metrics, name) {
            Ok(v) => out.push_str(&v),
            Err(why) => {
                problems.push(
                    Problem::error(&file, why.en)
                        .zh(why.zh)
                        .code(Code::BadEvaluation)
                        .at_line(line)
                        .field(key)
                        .value(format!("{{{{{name}}}}}"))
                        .expected("a metric (built-in, outputs.csv or formula), a formula over metrics, total_score, grade, year or project")
                        .zh_expected("数据名称（内置、outputs.csv 中的或公式定义的）、数据的公式，或 total_score、grade、year、project"),
                );
                out.push_str(&after[..end + 2]);
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrative_init_writes_has_every_key_empty() {
        let text = crate::templates::NARRATIVE;
        // every key is known (deny_unknown_fields), and none is written
        let texts = parse_toml(Path::new("narrative.toml"), text).expect("the template loads");
        assert!(
            texts.iter().all(|(_, t)| t.text.trim().is_empty()),
            "{texts:?}"
        );
        for slot in &SLOTS {
            let (table, key) = slot.key.split_once('.').unwrap();
            let value = text
                .split(&format!("\n[{table}]\n"))
                .nth(1)
                .and_then(|rest| rest.split("\n[").next())
                .map(|block| format!("\n{block}").contains(&format!("\n{key} = \"\"\n")));
            assert_eq!(value, Some(true), "{}", slot.key);
        }
    }

    #[test]
    fn markdown_headings_name_slots_by_key_or_title() {
        let src =
            "# 叙述\n\n## 项目基本情况\n\n法律援助……\n第二段\n\n## analysis.process\n资金到位。\n";
        let texts = parse_markdown(Path::new("n.md"), src).unwrap();
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[0].0, "basic.overview");
        // the text starts on line 5, after the heading (line 3) and a blank line
        assert_eq!(
            texts[0].1,
            Text {
                text: "法律援助……\n第二段".into(),
                line: 5
            }
        );
        assert_eq!(texts[1].0, "analysis.process");
        assert_eq!(texts[1].1.line, 9);
        let err = parse_markdown(Path::new("n.md"), "## 项目简介\nx\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(1));
        assert_eq!(err.0[0].value.as_deref(), Some("项目简介"));
    }

    #[test]
    fn toml_keys_are_checked_and_lines_kept() {
        let src = "[basic]\noverview = \"\"\"\n法律援助\"\"\"\n\n[analysis]\nprocess = \"x\"\n";
        let texts = parse_toml(Path::new("n.toml"), src).unwrap();
        assert_eq!(texts[0].0, "basic.overview");
        assert_eq!(texts[0].1.line, 2);
        assert_eq!(
            texts[1],
            (
                "analysis.process",
                Text {
                    text: "x".into(),
                    line: 6
                }
            )
        );
        let err = parse_toml(Path::new("n.toml"), "[basic]\noverveiw = \"x\"\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(2));
    }
}

//! Reading a claims file: syntax, every unknown key, then every figure as printed. All
//! problems are reported together, each with its line and column.

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use toml::Spanned;

use super::model::{
    Actual, AmountsClaim, AmountsRef, Claims, ClaimsFile, DimensionClaim, FundsClaim, GroupClaim,
    Place, Printed, Raw, Report, RowClaim, SourceClaim, Template, Text, TotalClaim,
};
use crate::diag::{Code, Problem, Problems, line_col};
use crate::input::Root;
use crate::judgment::JudgedTier;
use crate::judgment::Tier;
use crate::scheme::{Quantity, Unit, UnitKind};
use crate::values::{fold_width, parse_value};

/// The file name looked for in an evaluation folder or below a directory.
pub const CLAIMS_FILE: &str = "claims.toml";

/// Read and check a claims file; the paths it names must lie in `root`.
pub fn load(path: &Path, root: &Root) -> Result<Claims, Problems> {
    let source = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the claims file: {e}"))
                .zh(format!("无法读取转录文件：{e}"))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 TOML file")
                .zh_expected("可读取的 UTF-8 TOML 文件"),
        ])
    })?;
    parse(path, &source, root)
}

/// Parse and check claims text (`path` names the file in problems and anchors the relative
/// paths of `report.scheme` and `report.evaluation`, which must lie in `root`: one outside
/// is a problem, JX0107, and is not read).
pub fn parse(path: &Path, source: &str, root: &Root) -> Result<Claims, Problems> {
    parse_located(path, source, root, &|_| None)
}

/// Where a claim of claims text stands in the form it was read from (a workbook's cell),
/// when the text is not a file of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The row as the form numbers it (1-based).
    pub line: usize,
    /// The column (1-based: A = 1).
    pub column: usize,
    /// The cell and what it holds, for problems: `H14 培训人次 · 得分`.
    pub label: String,
}

/// [`parse`] claims text read from a form: `locate` gives, for the byte offset of a value
/// in `source`, where the value stands in the form, and every claim and problem is placed
/// there instead of in the text. (The byte spans stay those of the text: they order the
/// figures.)
pub fn parse_located(
    path: &Path,
    source: &str,
    root: &Root,
    locate: &dyn Fn(usize) -> Option<Located>,
) -> Result<Claims, Problems> {
    let mut problems = Problems::default();
    let doc = crate::scheme::keys::parse_document(path, source)?;
    // Every unknown key and every value of the wrong kind at once (the claims file has no
    // required key); serde would stop at the first wrong kind.
    if !crate::scheme::keys::check(path, source, &doc, super::model::schema(), &mut problems) {
        problems.0.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
    }
    let file: ClaimsFile = match toml::from_str(source) {
        Ok(f) => f,
        Err(e) => {
            problems.push(crate::scheme::keys::toml_problem(
                path,
                source,
                &e,
                Code::InvalidValue,
            ));
            return Err(problems);
        }
    };
    let mut r = Reader {
        path,
        source,
        root,
        locate,
        problems,
        weight: Kind::Weight(Decimal::ONE_HUNDRED),
    };
    let claims = r.claims(file);
    r.problems.0.sort_by_key(|p| (p.line, p.column));
    if r.problems.has_errors() {
        Err(r.problems)
    } else {
        Ok(claims)
    }
}

/// What a figure must be.
#[derive(Clone, Copy)]
enum Kind {
    /// An amount: in 元 or 万元 (`unit` when it carries none).
    Money(&'static Unit),
    /// A rate: a percentage or a fraction.
    Rate,
    /// Points: a plain number (a trailing 分 is allowed).
    Points,
    /// A weight: points, or a share of the total (权重占比 `10%` is 10 of a total of 100).
    Weight(Decimal),
    /// An actual value or an output: any number with any unit, or 是/否.
    Any,
}

static WAN: Unit = Unit::Wan;
static YUAN: Unit = Unit::Yuan;

struct Reader<'a> {
    path: &'a Path,
    source: &'a str,
    /// Where the paths the claims file names may lie.
    root: &'a Root,
    /// Where a value stands in the form the text was read from, if it was.
    locate: &'a dyn Fn(usize) -> Option<Located>,
    problems: Problems,
    /// How the weights of the table are read: a share of the total (printed, else 100).
    weight: Kind,
}

impl Reader<'_> {
    fn place(&self, span: std::ops::Range<usize>) -> Place {
        let (line, column) = match (self.locate)(span.start) {
            Some(l) => (l.line, l.column),
            None => line_col(self.source, span.start),
        };
        Place { line, column, span }
    }

    fn text(&self, s: &Spanned<String>) -> Text {
        Text {
            text: s.get_ref().trim().to_string(),
            at: self.place(s.span()),
        }
    }

    /// A value that cannot be used: what is wrong and what was expected, each in English
    /// and in Chinese.
    fn bad(
        &mut self,
        span: std::ops::Range<usize>,
        field: &str,
        why: Said,
        expected: (&str, &str),
    ) {
        let problem = Problem::error(self.path, why.en)
            .zh(why.zh)
            .code(Code::InvalidValue);
        let problem = match (self.locate)(span.start) {
            Some(l) => problem.at(l.line, l.column).field(l.label),
            None => problem.span(self.source, span).field(field),
        };
        self.problems
            .push(problem.expected(expected.0).zh_expected(expected.1));
    }

    /// `[report] template`: a template it knows, else a problem.
    fn template(&mut self, written: &Option<Spanned<String>>) -> Option<Template> {
        let w = written.as_ref()?;
        let t = Template::parse(w.get_ref());
        if t.is_none() {
            let shown = crate::diag::shown(w.get_ref());
            self.bad(
                w.span(),
                "report.template",
                Said {
                    en: format!("unknown template \"{shown}\""),
                    zh: format!("没有“{shown}”这种自评表模板"),
                },
                ("\"10+90\" or \"20+80\"", "\"10+90\" 或 \"20+80\""),
            );
        }
        t
    }

    /// Read one printed figure; a figure that cannot be read is reported and left out.
    fn printed(&mut self, raw: &Option<Spanned<Raw>>, kind: Kind, field: &str) -> Option<Printed> {
        let raw = raw.as_ref()?;
        let span = raw.span();
        let text = match raw.get_ref() {
            Raw::Text(t) => t.trim().to_string(),
            // A TOML number is read from its text, so that 0.90 keeps its last zero.
            Raw::Number => self.source[span.clone()].trim().replace('_', ""),
        };
        let expected = match kind {
            Kind::Money(_) => (
                "an amount as printed, e.g. \"6.79\", \"6.79万\", \"67,900.00元\"",
                "照表上所印抄写的金额，如 \"6.79\"、\"6.79万\"、\"67,900.00元\"",
            ),
            Kind::Rate => (
                "a rate as printed, e.g. \"67.9%\", \"91.78%\" or \"0.917\"",
                "照表上所印抄写的比率，如 \"67.9%\"、\"91.78%\" 或 \"0.917\"",
            ),
            Kind::Points => (
                "points as printed, e.g. 95, \"6.79\" or \"8分\"",
                "照表上所印抄写的分数，如 95、\"6.79\" 或 \"8分\"",
            ),
            Kind::Weight(_) => (
                "a weight as printed: points (10, \"10分\") or a share of the total (\"10%\")",
                "照表上所印抄写的分值：分数（10、\"10分\"）或占总分的比例（\"10%\"）",
            ),
            Kind::Any => (
                "a figure as printed, e.g. \"135件\", \"67.9%\", \"6.79万元\" or 是/否",
                "照表上所印抄写的数，如 \"135件\"、\"67.9%\"、\"6.79万元\" 或 是/否",
            ),
        };
        match read_figure(&text, kind) {
            // A share of the total is that many points: 10% of 100 is 10.
            Ok((number, places, Unit::Percent)) if matches!(kind, Kind::Weight(_)) => {
                let Kind::Weight(total) = kind else {
                    unreachable!("matched above")
                };
                let points = Unit::Percent.to_base(number) * total;
                Some(Printed {
                    value: points,
                    text,
                    number: points,
                    places,
                    precision: places.max(crate::decimal::SCORE_PLACES),
                    unit: Unit::None,
                    at: self.place(span),
                })
            }
            Ok((number, places, unit)) => Some(Printed {
                value: unit.to_base(number),
                text,
                number,
                places,
                precision: match kind {
                    Kind::Points | Kind::Weight(_) => places.max(crate::decimal::SCORE_PLACES),
                    _ => places,
                },
                unit,
                at: self.place(span),
            }),
            Err(why) => {
                self.bad(span, field, why, expected);
                None
            }
        }
    }

    /// A path the claims file names, resolved against its folder; one outside the allowed
    /// root is reported (JX0107, at the key) and left out, unread.
    fn named(&mut self, written: &Option<Spanned<String>>, field: &str) -> Option<PathBuf> {
        let written = written.as_ref()?;
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let path = lexical(&dir.join(written.get_ref().trim()));
        match self.root.admit(&path) {
            Ok(()) => Some(path),
            Err(why) => {
                self.problems.push(
                    self.root
                        .refused(&path, why)
                        .in_file(self.path)
                        .span(self.source, written.span())
                        .field(field)
                        .value(written.get_ref()),
                );
                None
            }
        }
    }

    fn claims(&mut self, file: ClaimsFile) -> Claims {
        let report = Report {
            project: file.report.project.clone(),
            name: file.report.name.clone(),
            year: file.report.year,
            department: file.report.department.clone(),
            unit: file.report.unit.clone(),
            source: file.report.source.clone(),
            scheme: self.named(&file.report.scheme, "report.scheme"),
            evaluation: self.named(&file.report.evaluation, "report.evaluation"),
            partial: file.report.partial,
            template: self.template(&file.report.template),
        };
        // A weight printed as a share (权重占比 10%) is that share of the printed total.
        let total_weight = self.printed(
            &file.total.weight,
            Kind::Weight(Decimal::ONE_HUNDRED),
            "total.weight",
        );
        if let Some(w) = &total_weight {
            self.weight = Kind::Weight(w.value);
        }
        let total = TotalClaim {
            weight: total_weight,
            score: self.printed(&file.total.score, Kind::Points, "total.score"),
            grade: file.total.grade.as_ref().map(|g| self.text(g)),
        };
        let funds = self.funds(&file.funds);
        let dimensions = file
            .dimensions
            .iter()
            .enumerate()
            .map(|(di, d)| {
                let field = format!("dimension[{}]", di + 1);
                DimensionClaim {
                    name: d.name.as_ref().map(|n| n.trim().to_string()),
                    weight: self.printed(&d.weight, self.weight, &format!("{field}.weight")),
                    score: self.printed(&d.score, Kind::Points, &format!("{field}.score")),
                    groups: d
                        .groups
                        .iter()
                        .enumerate()
                        .map(|(gi, g)| self.group(g, &format!("{field}.group[{}]", gi + 1)))
                        .collect(),
                    field,
                }
            })
            .collect();
        let mut outputs = Vec::new();
        for (name, raw) in &file.outputs {
            let field = format!("outputs.{name}");
            if !crate::scheme::is_identifier(name) {
                self.bad(
                    raw.span(),
                    &field,
                    Said {
                        en: format!("\"{name}\" is not a metric id"),
                        zh: format!("“{name}”不能作数据名称"),
                    },
                    (
                        "letters, digits and _, starting with a letter (e.g. cases_civil)",
                        "由英文字母、数字和 _ 组成，以字母开头（如 cases_civil）",
                    ),
                );
                continue;
            }
            if let Some(p) = self.printed(&Some(raw.clone()), Kind::Any, &field) {
                outputs.push((name.clone(), p));
            }
        }
        let metrics = crate::scheme::derived_metrics(
            self.path,
            self.source,
            file.metrics,
            &mut self.problems,
        );
        Claims {
            path: self.path.to_path_buf(),
            sheet: None,
            report,
            total,
            funds,
            dimensions,
            outputs,
            metrics,
        }
    }

    fn funds(&mut self, f: &super::model::FundsDef) -> FundsClaim {
        let unit: &'static Unit = match f.unit.as_ref().map(|u| u.get_ref().trim()) {
            None | Some("万元" | "万") => &WAN,
            Some("元") => &YUAN,
            Some(other) => {
                let other = other.to_string();
                let span = f.unit.as_ref().map(Spanned::span).unwrap_or_default();
                self.bad(
                    span,
                    "funds.unit",
                    Said {
                        en: format!("unknown funds unit \"{other}\""),
                        zh: format!("项目资金的金额单位“{other}”无法识别"),
                    },
                    ("\"万元\" or \"元\"", "\"万元\" 或 \"元\""),
                );
                &WAN
            }
        };
        FundsClaim {
            unit: unit.clone(),
            weight: self.printed(&f.weight, Kind::Points, "funds.weight"),
            score: self.printed(&f.score, Kind::Points, "funds.score"),
            total: self.amounts(f.amounts(), unit, "funds"),
            sources: f
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let field = format!("funds.source[{}]", i + 1);
                    SourceClaim {
                        name: s
                            .name
                            .as_ref()
                            .map_or_else(|| format!("其中 {}", i + 1), |n| n.trim().to_string()),
                        weight: self.printed(&s.weight, Kind::Points, &format!("{field}.weight")),
                        score: self.printed(&s.score, Kind::Points, &format!("{field}.score")),
                        row: self.amounts(s.amounts(), unit, &field),
                        field,
                    }
                })
                .collect(),
        }
    }

    fn amounts(&mut self, a: AmountsRef<'_>, unit: &'static Unit, field: &str) -> AmountsClaim {
        let money = Kind::Money(unit);
        AmountsClaim {
            initial_budget: self.printed(
                a.initial_budget,
                money,
                &format!("{field}.initial_budget"),
            ),
            adjusted_budget: self.printed(
                a.adjusted_budget,
                money,
                &format!("{field}.adjusted_budget"),
            ),
            allocated: self.printed(a.allocated, money, &format!("{field}.allocated")),
            spent: self.printed(a.spent, money, &format!("{field}.spent")),
            execution_rate: self.printed(
                a.execution_rate,
                Kind::Rate,
                &format!("{field}.execution_rate"),
            ),
            execution_rate_allocated: self.printed(
                a.execution_rate_allocated,
                Kind::Rate,
                &format!("{field}.execution_rate_allocated"),
            ),
            arrival_rate: self.printed(
                a.arrival_rate,
                Kind::Rate,
                &format!("{field}.arrival_rate"),
            ),
        }
    }

    fn group(&mut self, g: &super::model::GroupDef, field: &str) -> GroupClaim {
        GroupClaim {
            name: g.name.as_ref().map(|n| n.trim().to_string()),
            weight: self.printed(&g.weight, self.weight, &format!("{field}.weight")),
            score: self.printed(&g.score, Kind::Points, &format!("{field}.score")),
            rows: g
                .indicators
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let at = format!("{field}.indicator[{}]", i + 1);
                    let mut claim = self.row(row, &at);
                    let named = claim
                        .name
                        .as_ref()
                        .is_some_and(|n| n.text.trim_start().starts_with("其中"));
                    claim.sub = match &row.sub {
                        // A 其中 row needs a row above it to be part of.
                        Some(s) if *s.get_ref() && i == 0 => {
                            self.bad(
                                s.span(),
                                &format!("{at}.sub"),
                                Said {
                                    en: "the first row of a group cannot be a 其中 row: no row \
                                         above it"
                                        .into(),
                                    zh: "二级指标下的第一行不能是“其中”行：它上面没有所属的行"
                                        .into(),
                                },
                                (
                                    "sub = true only on a row below the row it is part of",
                                    "sub = true 只写在它所属那一行下面的行上",
                                ),
                            );
                            false
                        }
                        Some(s) => *s.get_ref(),
                        None => i > 0 && named,
                    };
                    claim
                })
                .collect(),
            field: field.to_string(),
        }
    }

    fn row(&mut self, r: &super::model::IndicatorDef, field: &str) -> RowClaim {
        let at = |f: &str| format!("{field}.{f}");
        let mut tier = None;
        if let Some(t) = &r.tier {
            match parse_tier(t.get_ref()) {
                Some(j) => tier = Some((j, self.text(t))),
                None => self.bad(
                    t.span(),
                    &at("tier"),
                    Said {
                        en: format!("unknown tier \"{}\"", t.get_ref().trim()),
                        zh: format!("档次“{}”无法识别", t.get_ref().trim()),
                    },
                    (
                        crate::judgment::TIER_EXPECTED,
                        crate::judgment::TIER_EXPECTED_ZH,
                    ),
                ),
            }
        }
        let actual = r.actual.as_ref().and_then(|a| {
            let text = match a.get_ref() {
                Raw::Text(t) => t.trim().to_string(),
                Raw::Number => {
                    return self
                        .printed(&Some(a.clone()), Kind::Any, &at("actual"))
                        .map(Actual::Number);
                }
            };
            if looks_numeric(&text) {
                return self
                    .printed(&Some(a.clone()), Kind::Any, &at("actual"))
                    .map(Actual::Number);
            }
            let t = Text {
                text,
                at: self.place(a.span()),
            };
            // A tier printed in the 实际完成值 column (达成年度指标) is the row's tier.
            if tier.is_none()
                && let Some(j) = parse_tier(&t.text)
            {
                tier = Some((j, t.clone()));
            }
            Some(Actual::Text(t))
        });
        let id = r.id.as_ref().map(|s| self.text(s));
        let name = r.name.as_ref().map(|s| self.text(s));
        let weight = self.printed(&r.weight, self.weight, &at("weight"));
        let score = self.printed(&r.score, Kind::Points, &at("score"));
        let basis_weight = self.printed(&r.basis_weight, Kind::Points, &at("basis_weight"));
        let basis_score = self.printed(&r.basis_score, Kind::Points, &at("basis_score"));
        let target = r.target.as_ref().map(|s| self.text(s));
        let reason = r.reason.as_ref().map(|s| self.text(s));
        let first = [
            id.as_ref().map(|t| &t.at),
            name.as_ref().map(|t| &t.at),
            weight.as_ref().map(|p| &p.at),
            target.as_ref().map(|t| &t.at),
            score.as_ref().map(|p| &p.at),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|p| p.span.start)
        .cloned()
        .unwrap_or_default();
        RowClaim {
            id,
            name,
            weight,
            basis_weight,
            basis_score,
            target,
            actual,
            score,
            tier,
            reason,
            field: field.to_string(),
            at: first,
            sub: false,
        }
    }
}

/// `a/b/../c` → `a/c`, without touching the file system (for paths shown to people).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

fn parse_tier(text: &str) -> Option<JudgedTier> {
    match text.trim() {
        "不适用" | "n/a" | "N/A" | "not_applicable" => Some(JudgedTier::NotApplicable),
        t => Tier::parse(t).map(JudgedTier::Tier),
    }
}

/// Whether a printed text starts like a number (so that "135件" is a figure and
/// "达成预期指标" a text). 是/否 count as figures (1 and 0).
fn looks_numeric(text: &str) -> bool {
    let folded = fold_width(text);
    let t = folded.trim();
    t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
        || parse_value(t).is_ok()
}

/// A text in English and in Chinese: why a figure is refused.
type Said = crate::values::ValueError;

/// Read a printed figure: the number as printed, its decimals, and its unit.
fn read_figure(text: &str, kind: Kind) -> Result<(Decimal, u32, Unit), Said> {
    let folded = fold_width(text);
    let mut t = folded.trim();
    if t.is_empty() {
        return Err(Said {
            en: "an empty figure".into(),
            zh: "数是空的".into(),
        });
    }
    if matches!(kind, Kind::Any)
        && !t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
    {
        // 是/否 (1/0), as in outputs.csv.
        return match parse_value(t) {
            Ok((v, false)) => Ok((v, 0, Unit::None)),
            _ => Err(Said {
                en: format!("\"{t}\" is not a figure"),
                zh: format!("“{t}”不是数"),
            }),
        };
    }
    if matches!(kind, Kind::Money(_)) {
        t = t.trim_start_matches(['¥', '￥']).trim_start();
    }
    let q = Quantity::parse(t)?;
    let number = q.unit.from_base(q.value);
    let mut unit = match q.unit {
        Unit::Other(u) if u == "万" => Unit::Wan,
        u => u,
    };
    match kind {
        Kind::Money(default) => {
            if unit == Unit::None {
                unit = default.clone();
            }
            if unit.kind() != UnitKind::Money {
                return Err(Said {
                    en: format!("\"{t}\" is not an amount in 元 or 万元"),
                    zh: format!("“{t}”不是以元或万元为单位的金额"),
                });
            }
        }
        Kind::Rate => {
            if !matches!(unit, Unit::Percent | Unit::None) {
                return Err(Said {
                    en: format!("\"{t}\" is not a rate (a percentage or a fraction)"),
                    zh: format!("“{t}”不是比率（百分数或小数）"),
                });
            }
        }
        Kind::Points | Kind::Weight(_) => {
            if matches!(&unit, Unit::Other(u) if u == "分") {
                unit = Unit::None;
            }
            let share = matches!(kind, Kind::Weight(_)) && unit == Unit::Percent;
            if (unit != Unit::None && !share) || number < Decimal::ZERO {
                return Err(Said {
                    en: format!("\"{t}\" is not a number of points"),
                    zh: format!("“{t}”不是分数（不小于 0 的数，可带“分”字）"),
                });
            }
        }
        Kind::Any => {}
    }
    Ok((number, places(t), unit))
}

/// The decimals of the number a printed figure starts with: "67.90%" → 2, "1,200件" → 0.
fn places(text: &str) -> u32 {
    let body = text.trim_start_matches(['-', '+']);
    let number: String = body
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    number.split_once('.').map_or(0, |(_, f)| {
        f.chars().filter(char::is_ascii_digit).count() as u32
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn figures_keep_their_printed_precision() {
        // "0.917": a fraction with 3 decimals
        assert_eq!(
            read_figure("0.917", Kind::Rate),
            Ok((d("0.917"), 3, Unit::None))
        );
        // "91.78%": 91.78 in percent, 2 decimals; "92%": 0 decimals
        assert_eq!(
            read_figure("91.78%", Kind::Rate),
            Ok((d("91.78"), 2, Unit::Percent))
        );
        assert_eq!(read_figure("92%", Kind::Rate).unwrap().1, 0);
        // "6.79万" and a bare "6.79" in a 万元 table are both 6.79 万元
        assert_eq!(
            read_figure("6.79万", Kind::Money(&YUAN)),
            Ok((d("6.79"), 2, Unit::Wan))
        );
        assert_eq!(
            read_figure("6.79", Kind::Money(&WAN)),
            Ok((d("6.79"), 2, Unit::Wan))
        );
        assert_eq!(
            read_figure("¥67,900.00", Kind::Money(&WAN)),
            Ok((d("67900.00"), 2, Unit::Wan))
        );
        assert_eq!(
            read_figure("67,900.00元", Kind::Money(&WAN)),
            Ok((d("67900.00"), 2, Unit::Yuan))
        );
        assert_eq!(
            read_figure("8分", Kind::Points),
            Ok((d("8"), 0, Unit::None))
        );
        assert_eq!(read_figure("是", Kind::Any), Ok((d("1"), 0, Unit::None)));
        assert_eq!(
            read_figure("135件", Kind::Any),
            Ok((d("135"), 0, Unit::Other("件".into())))
        );
        assert!(read_figure("67.9%", Kind::Points).is_err());
        assert!(read_figure("135件", Kind::Rate).is_err());
        assert!(read_figure("很多", Kind::Any).is_err());
        assert!(read_figure("", Kind::Points).is_err());
    }

    #[test]
    fn a_claims_file_reads_every_figure_and_reports_every_bad_one() {
        let src = r#"
[report]
scheme = "s.toml"

[total]
score = 95
grade = "优"

[funds]
execution_rate = 0.90
spent = "6.79万"

[[dimension]]
  [[dimension.group]]
    [[dimension.group.indicator]]
    id = "P2"
    actual = "67.9%"
    score = "2"
    reason = ""
    [[dimension.group.indicator]]
    name = "宣传"
    actual = "达成年度指标"
"#;
        let c = parse(Path::new("dir/claims.toml"), src, &Root::Anywhere).unwrap();
        assert_eq!(c.report.scheme, Some(Path::new("dir/s.toml").to_path_buf()));
        // 0.90 written as a TOML number keeps its two decimals
        let rate = c.funds.total.execution_rate.as_ref().unwrap();
        assert_eq!((rate.text.as_str(), rate.places), ("0.90", 2));
        // 6.79万 = 67,900 元
        assert_eq!(c.funds.total.spent.as_ref().unwrap().value, d("67900"));
        let rows = &c.dimensions[0].groups[0].rows;
        assert_eq!(rows[0].reason.as_ref().unwrap().text, "");
        assert_eq!(rows[0].score.as_ref().unwrap().at.line, 18);
        // a tier printed as the actual value is the row's tier
        assert!(matches!(
            rows[1].tier,
            Some((JudgedTier::Tier(Tier::Achieved), _))
        ));

        let bad = r#"
[total]
scroe = 95

[funds]
unit = "千元"
spent = "很多"

[[dimension]]
  [[dimension.group]]
    [[dimension.group.indicator]]
    score = "67.9%"
    tier = "优秀"
"#;
        let e = parse(Path::new("claims.toml"), bad, &Root::Anywhere).unwrap_err();
        let codes: Vec<(&str, usize)> =
            e.0.iter()
                .map(|p| (p.code.unwrap().as_str(), p.line.unwrap()))
                .collect();
        assert_eq!(
            codes,
            [
                ("JX0002", 3),
                ("JX0004", 6),
                ("JX0004", 7),
                ("JX0004", 12),
                ("JX0004", 13)
            ],
            "{e:?}"
        );
    }

    #[test]
    fn the_paths_a_claims_file_names_must_lie_in_the_root() {
        let tmp = tempfile::TempDir::new().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir_all(root.join("records")).unwrap();
        std::fs::write(root.join("s.toml"), "").unwrap();
        let within = Root::within(&root).unwrap();
        let claims = root.join("claims.toml");
        let inside = "[report]\nscheme = \"s.toml\"\nevaluation = \"records\"\n";
        let c = parse(&claims, inside, &within).unwrap();
        assert_eq!(c.report.scheme, Some(root.join("s.toml")));
        // each key leading out is refused at its line and column, naming the key
        let outside = "[report]\nscheme = \"../s.toml\"\nevaluation = \"/\"\n";
        let e = parse(&claims, outside, &within).unwrap_err();
        let refused: Vec<(&str, usize, usize, &str)> =
            e.0.iter()
                .map(|p| {
                    (
                        p.code.unwrap().as_str(),
                        p.line.unwrap(),
                        p.column.unwrap(),
                        p.field.as_deref().unwrap(),
                    )
                })
                .collect();
        assert_eq!(
            refused,
            [
                ("JX0107", 2, 10, "report.scheme"),
                ("JX0107", 3, 14, "report.evaluation")
            ],
            "{e:?}"
        );
        // without a root (a library caller reading its own files) both are taken
        assert!(parse(&claims, outside, &Root::Anywhere).is_ok());
    }
}

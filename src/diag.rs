//! Problems found in input files, as values: where (file, line, column or field), what was
//! found, and what was expected. Readers collect every problem they can find before giving up,
//! so one run reports them all.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Stable diagnostic codes (`JX0104`). Each has a heading in `docs/checks.md`; codes never
/// change meaning, new problems get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // ── scheme structure ──
    /// TOML syntax error.
    TomlSyntax,
    /// A key the format does not know.
    UnknownKey,
    /// A required key is missing.
    MissingKey,
    /// A value of the wrong type or not among the accepted values.
    InvalidValue,
    /// Two indicators share an id.
    DuplicateId,
    /// A derived metric that cannot be defined: bad id, built-in name, defined twice.
    BadMetric,
    /// A formula that does not parse.
    FormulaSyntax,
    // ── weights ──
    /// Indicator weights do not add up to their group's.
    IndicatorWeights,
    /// Group weights do not add up to their dimension's.
    GroupWeights,
    /// Dimension weights do not add up to the scheme total.
    DimensionWeights,
    /// A weight of zero or less.
    NonPositiveWeight,
    // ── targets and rules ──
    /// A target that does not parse.
    BadTarget,
    /// A target whose unit does not fit its metric.
    UnitMismatch,
    /// A rule with bad parameters.
    BadRule,
    /// Qualitative tier bounds outside 0–100% or out of order.
    BadTiers,
    // ── metrics ──
    /// A metric no input and no formula defines.
    UndefinedMetric,
    /// Derived metrics that refer to each other.
    MetricCycle,
    /// A division by zero in a metric the scheme needs.
    ZeroDenominator,
    // ── grades ──
    /// Grade bands that overlap, leave a gap, or fall outside 0..total.
    BadGrades,
    // ── evaluation folders: files and rows ──
    /// A file that cannot be read.
    UnreadableFile,
    /// A required CSV column is missing (or given twice).
    MissingColumn,
    /// A field that cannot be read: amount, date, number, year, empty required field.
    BadField,
    /// A row naming a project that is not in the budget.
    UnknownProject,
    /// A metric given twice, or given both as data and as a formula.
    DuplicateMetric,
    /// The project to score cannot be chosen (none, several, inconsistent rows).
    ProjectChoice,
    /// evaluation.toml cannot be used.
    BadEvaluation,
    /// A file that a submitted file names, or a submitted folder holds, lies outside the
    /// allowed root (after symbolic links).
    OutsideRoot,
    // ── evaluation folders: judgments ──
    /// A judgment for an indicator the scheme does not have.
    UnknownIndicator,
    /// A judged score outside its tier, or above the weight.
    OutsideTier,
    /// A qualitative or manual indicator without its judgment.
    MissingJudgment,
    /// Points lost or deducted without a reason.
    MissingReason,
    /// A judgment that contradicts its indicator (tier on data, judged twice, …).
    BadJudgment,
    // ── warnings ──
    /// First-level weights far from the official guidance of the family.
    WeightsOffGuidance,
    /// A scored indicator with no target.
    NoTarget,
    /// 产出 + 效益 under 60% in an evaluation-framework scheme.
    ResultsUnderweighted,
    /// A dimension (or group) with no indicator.
    EmptyDimension,
    /// A derived metric no indicator uses.
    UnusedMetric,
    /// Two indicators with the same name.
    DuplicateName,
    /// Spending dated outside the evaluation year.
    SpendingOutsideYear,
    /// The same voucher number twice in a project.
    DuplicateVoucher,
    /// A budget row that repeats another row of its project exactly.
    DuplicateBudgetRow,
    /// Spending above the budget or above the funds that arrived.
    Overspent,
    /// A value `jixiao init` left to be filled in (`【待填写…】`).
    Placeholder,
    /// A measured indicator that loses points with no reason given (偏差原因).
    MeasuredLossNoReason,
    /// A project's spending adds up to less than zero: its reversals (冲销) exceed its
    /// payments.
    NegativeSpending,
    // ── monitoring sheets (jixiao monitor) ──
    /// A red light with no cause of deviation (偏差原因) in the monitoring sheet.
    RedWithoutCause,
    /// 完成目标可能性 完全不可能 with no corrective action (整改措施).
    ImpossibleWithoutAction,
    // ── review findings (`jixiao review`): a published figure that does not hold ──
    /// A printed rate (执行率, 到位率) that does not follow from the printed amounts.
    RateOffAmounts,
    /// A printed figure cut off (截断) where 四舍五入 gives another last digit.
    Truncated,
    /// The 预算执行率 score differs from what the scheme's rule gives for the rate.
    ExecutionScoreOffRule,
    /// Weights at one level do not add up to their parent's (or to the total).
    WeightsOffSum,
    /// Scores at one level do not add up to the printed subtotal or total.
    ScoresOffSum,
    /// The grade (评价等级) does not match the total under the scheme's bands.
    GradeOffBands,
    /// A score above its 分值.
    ScoreAboveWeight,
    /// Full points on a target that was not met, where the rule gives less.
    FullMarksTargetUnmet,
    /// A score that differs from what the scheme's rule gives for the printed actual value.
    ScoreOffRule,
    /// Points lost with the 偏差原因 left empty.
    LostPointsNoReason,
    /// A qualitative (定性) score outside the range of its tier.
    ScoreOutsideTier,
    /// 年度资金总额 that differs from the sum of its sub-rows (当年财政拨款 / 上年结转 / 其他资金).
    FundsRowsContradict,
    /// A printed 分值 that differs from the scheme's.
    WeightOffScheme,
    /// Every output indicator at full marks beside a very low execution rate.
    FullOutputsLowExecution,
    /// A published figure that differs from the one computed from the evaluation's records.
    OffRecords,
    /// An 实际完成值 that only restates the target (`≥500米`), not what was achieved.
    ActualRestatesTarget,
    /// 全年执行数 above 全年预算数: an execution rate over 100%.
    SpentAboveBudget,
    /// A total of full marks beside an execution rate under 100%, the execution score not
    /// printed.
    FullTotalLowExecution,
    /// A total above the cap a province's profile sets for the execution rate.
    AboveExecutionCap,
    /// A 折算得分 that is not the row's 得分 converted by its 权重占比.
    ConvertedScoreOff,
}

impl Code {
    /// Every code of `jixiao check` (input and scheme problems, JX0001–JX1102), in
    /// documentation order (`docs/checks.md`). The review findings are in [`Code::REVIEW`].
    pub const ALL: [Code; 47] = [
        Code::TomlSyntax,
        Code::UnknownKey,
        Code::MissingKey,
        Code::InvalidValue,
        Code::DuplicateId,
        Code::BadMetric,
        Code::FormulaSyntax,
        Code::IndicatorWeights,
        Code::GroupWeights,
        Code::DimensionWeights,
        Code::NonPositiveWeight,
        Code::BadTarget,
        Code::UnitMismatch,
        Code::BadRule,
        Code::BadTiers,
        Code::UndefinedMetric,
        Code::MetricCycle,
        Code::ZeroDenominator,
        Code::BadGrades,
        Code::UnreadableFile,
        Code::MissingColumn,
        Code::BadField,
        Code::UnknownProject,
        Code::DuplicateMetric,
        Code::ProjectChoice,
        Code::BadEvaluation,
        Code::OutsideRoot,
        Code::UnknownIndicator,
        Code::OutsideTier,
        Code::MissingJudgment,
        Code::MissingReason,
        Code::BadJudgment,
        Code::RedWithoutCause,
        Code::WeightsOffGuidance,
        Code::NoTarget,
        Code::ResultsUnderweighted,
        Code::EmptyDimension,
        Code::UnusedMetric,
        Code::DuplicateName,
        Code::SpendingOutsideYear,
        Code::DuplicateVoucher,
        Code::DuplicateBudgetRow,
        Code::Overspent,
        Code::Placeholder,
        Code::MeasuredLossNoReason,
        Code::NegativeSpending,
        Code::ImpossibleWithoutAction,
    ];

    /// Every finding of `jixiao review` (JX2001…), in documentation order (`docs/review.md`).
    pub const REVIEW: [Code; 20] = [
        Code::RateOffAmounts,
        Code::Truncated,
        Code::ExecutionScoreOffRule,
        Code::WeightsOffSum,
        Code::ScoresOffSum,
        Code::GradeOffBands,
        Code::ScoreAboveWeight,
        Code::FullMarksTargetUnmet,
        Code::ScoreOffRule,
        Code::LostPointsNoReason,
        Code::ScoreOutsideTier,
        Code::FundsRowsContradict,
        Code::WeightOffScheme,
        Code::FullOutputsLowExecution,
        Code::OffRecords,
        Code::ActualRestatesTarget,
        Code::SpentAboveBudget,
        Code::FullTotalLowExecution,
        Code::AboveExecutionCap,
        Code::ConvertedScoreOff,
    ];

    /// The stable text form, e.g. `JX0012`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TomlSyntax => "JX0001",
            Code::UnknownKey => "JX0002",
            Code::MissingKey => "JX0003",
            Code::InvalidValue => "JX0004",
            Code::DuplicateId => "JX0005",
            Code::BadMetric => "JX0006",
            Code::FormulaSyntax => "JX0007",
            Code::IndicatorWeights => "JX0010",
            Code::GroupWeights => "JX0011",
            Code::DimensionWeights => "JX0012",
            Code::NonPositiveWeight => "JX0013",
            Code::BadTarget => "JX0020",
            Code::UnitMismatch => "JX0021",
            Code::BadRule => "JX0022",
            Code::BadTiers => "JX0023",
            Code::UndefinedMetric => "JX0030",
            Code::MetricCycle => "JX0031",
            Code::ZeroDenominator => "JX0032",
            Code::BadGrades => "JX0040",
            Code::UnreadableFile => "JX0100",
            Code::MissingColumn => "JX0101",
            Code::BadField => "JX0102",
            Code::UnknownProject => "JX0103",
            Code::DuplicateMetric => "JX0104",
            Code::ProjectChoice => "JX0105",
            Code::BadEvaluation => "JX0106",
            Code::OutsideRoot => "JX0107",
            Code::UnknownIndicator => "JX0110",
            Code::OutsideTier => "JX0111",
            Code::MissingJudgment => "JX0112",
            Code::MissingReason => "JX0113",
            Code::BadJudgment => "JX0114",
            Code::WeightsOffGuidance => "JX1001",
            Code::NoTarget => "JX1002",
            Code::ResultsUnderweighted => "JX1003",
            Code::EmptyDimension => "JX1004",
            Code::UnusedMetric => "JX1005",
            Code::DuplicateName => "JX1006",
            Code::SpendingOutsideYear => "JX1101",
            Code::DuplicateVoucher => "JX1102",
            Code::DuplicateBudgetRow => "JX1103",
            Code::Overspent => "JX1104",
            Code::Placeholder => "JX1105",
            Code::MeasuredLossNoReason => "JX1106",
            Code::NegativeSpending => "JX1107",
            Code::RedWithoutCause => "JX0120",
            Code::ImpossibleWithoutAction => "JX1201",
            Code::RateOffAmounts => "JX2001",
            Code::Truncated => "JX2002",
            Code::ExecutionScoreOffRule => "JX2003",
            Code::WeightsOffSum => "JX2004",
            Code::ScoresOffSum => "JX2005",
            Code::GradeOffBands => "JX2006",
            Code::ScoreAboveWeight => "JX2007",
            Code::FullMarksTargetUnmet => "JX2008",
            Code::ScoreOffRule => "JX2009",
            Code::LostPointsNoReason => "JX2010",
            Code::ScoreOutsideTier => "JX2011",
            Code::FundsRowsContradict => "JX2012",
            Code::WeightOffScheme => "JX2013",
            Code::FullOutputsLowExecution => "JX2014",
            Code::OffRecords => "JX2015",
            Code::ActualRestatesTarget => "JX2016",
            Code::SpentAboveBudget => "JX2017",
            Code::FullTotalLowExecution => "JX2018",
            Code::AboveExecutionCap => "JX2019",
            Code::ConvertedScoreOff => "JX2020",
        }
    }

    /// Codes from JX1000 on are warnings; the rest are errors. (Review findings, JX2001 on,
    /// are not input problems: `jixiao review` reports them as findings, whatever this says.)
    pub fn severity(self) -> Severity {
        if self.as_str() >= "JX1000" {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How serious a problem is: an error stops scoring, a warning is shown beside the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one input, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The stable code, when one is assigned (see [`Code`]).
    pub code: Option<Code>,
    pub file: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (characters, not bytes), when known.
    pub column: Option<usize>,
    /// The CSV column or TOML key concerned.
    pub field: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    pub message: String,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// Byte range of the offending text in the file, for carets under the exact span.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// How to fix it.
    pub help: Option<String>,
    /// The project (项目编码) of the row the problem was found on, when the row names one:
    /// a batch lists each project's problems with it.
    #[serde(skip)]
    pub project: Option<String>,
    /// The texts in Chinese, where given: shown by default (`--lang zh`); the English ones
    /// above stay for `--lang en` and the JSON.
    #[serde(skip)]
    pub zh: Option<Box<ZhText>>,
}

/// A problem's texts in Chinese; each falls back to the English one when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZhText {
    pub message: Option<String>,
    /// The column or key as the user knows it (金额 for `amount`).
    pub field: Option<String>,
    pub expected: Option<String>,
    pub help: Option<String>,
}

impl Problem {
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            code: None,
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            field: None,
            value: None,
            message: message.into(),
            expected: None,
            span: None,
            help: None,
            project: None,
            zh: None,
        }
    }

    fn zh_text(&mut self) -> &mut ZhText {
        self.zh.get_or_insert_with(Box::default)
    }

    /// The message in Chinese.
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        self.zh_text().message = Some(message.into());
        self
    }

    /// The column or key in Chinese, as the user's header names it.
    pub fn zh_field(mut self, field: impl Into<String>) -> Self {
        self.zh_text().field = Some(field.into());
        self
    }

    /// What would have been accepted, in Chinese.
    pub fn zh_expected(mut self, expected: impl Into<String>) -> Self {
        self.zh_text().expected = Some(expected.into());
        self
    }

    /// How to fix it, in Chinese.
    pub fn zh_help(mut self, help: impl Into<String>) -> Self {
        self.zh_text().help = Some(help.into());
        self
    }

    /// The message in `lang` (the English one where no Chinese is given).
    pub fn message_in(&self, lang: crate::i18n::Lang) -> &str {
        self.pick(lang, |z| z.message.as_deref(), Some(&self.message))
            .unwrap_or_default()
    }

    /// The field in `lang`.
    pub fn field_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        self.pick(lang, |z| z.field.as_deref(), self.field.as_ref())
    }

    /// What was expected, in `lang`.
    pub fn expected_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        self.pick(lang, |z| z.expected.as_deref(), self.expected.as_ref())
    }

    /// The help, in `lang`.
    pub fn help_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        self.pick(lang, |z| z.help.as_deref(), self.help.as_ref())
    }

    fn pick<'a>(
        &'a self,
        lang: crate::i18n::Lang,
        zh: impl Fn(&'a ZhText) -> Option<&'a str>,
        en: Option<&'a String>,
    ) -> Option<&'a str> {
        match (lang, self.zh.as_deref().and_then(zh)) {
            (crate::i18n::Lang::Zh, Some(t)) => Some(t),
            _ => en.map(String::as_str),
        }
    }

    /// The problem as one line in `lang`: [`Problem`]'s `Display` in English, or the same
    /// in Chinese (`文件:行:列: 错误 [金额]：…；所填为“…”；应为…`).
    pub fn display(&self, lang: crate::i18n::Lang) -> InLang<'_> {
        InLang(self, lang)
    }

    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    /// Set the code; its severity follows the code (warnings from JX1000 on).
    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self.severity = code.severity();
        self
    }

    /// Byte range of the offending text in `source`; also sets line and column.
    pub fn span(mut self, source: &(impl Locate + ?Sized), span: Range<usize>) -> Self {
        let (line, column) = source.line_col(span.start);
        self.line = Some(line);
        self.column = Some(column);
        self.span = Some(span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = file.as_ref().to_path_buf();
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How many characters of a value a message quotes.
pub const SHOWN_CHARS: usize = 200;

/// Most characters of a message, once each quoted value in it is cut.
pub const MESSAGE_CHARS: usize = 2_000;

/// A message as it is shown: [`visible`], each `"quoted"` run longer than [`SHOWN_CHARS`]
/// cut as [`cut`] does (messages quote the values they are about: `"9999…" is not an
/// amount`), and the whole held to [`MESSAGE_CHARS`].
pub fn shown(text: &str) -> String {
    visible(&cut_message(text)).into_owned()
}

/// [`shown`] without making characters visible, for JSON (which escapes them itself).
pub fn cut_message(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(&cut(part.to_string()));
        } else {
            out.push_str(part);
        }
    }
    cut_to(out, MESSAGE_CHARS)
}

/// `text` when short, else its first [`SHOWN_CHARS`] characters and how many were left out.
pub fn cut(text: String) -> String {
    cut_to(text, SHOWN_CHARS)
}

fn cut_to(text: String, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text,
        Some((at, _)) => {
            let rest = text[at..].chars().count();
            format!("{}… (+{rest} more characters)", &text[..at])
        }
    }
}

/// A character that must not reach a terminal as it is: a control character other than
/// the tab, or an invisible one (a byte-order mark, zero-width and bidirectional marks).
pub fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from an input, made safe to show on a terminal: control characters (ESC, BEL, the
/// C1 controls…), invisible ones (a byte-order mark, zero-width and bidirectional marks)
/// and NUL are written as `\u{…}`, so that a cell can neither drive the terminal (retitle
/// it, clear it) nor hide a character in a message (`"\u{feff}RJ-001" is not in the
/// budget`). Borrowed when there is nothing to escape.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl fmt::Display for Problem {
    /// `file:line:col: error[field]: message: found "value", expected …`, every text from
    /// the input made [`visible`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", visible(&self.file.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}")?;
        if let Some(field) = &self.field {
            write!(f, " [{}]", visible(field))?;
        }
        write!(f, ": {}", shown(&self.message))?;
        if let Some(value) = &self.value {
            // cut: a 10 MB cell or a formula of 100,000 terms is named, not echoed
            write!(f, "; found \"{}\"", cut(visible(value).into_owned()))?;
        }
        if let Some(expected) = &self.expected {
            write!(f, "; expected {}", shown(expected))?;
        }
        if let Some(help) = &self.help {
            write!(f, "; help: {}", shown(help))?;
        }
        Ok(())
    }
}

/// A [`Problem`] shown in a language (see [`Problem::display`]).
pub struct InLang<'a>(&'a Problem, crate::i18n::Lang);

impl fmt::Display for InLang<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, lang) = (self.0, self.1);
        if lang == crate::i18n::Lang::En {
            return write!(f, "{p}");
        }
        write!(f, "{}", visible(&p.file.display().to_string()))?;
        if let Some(line) = p.line {
            write!(f, ":{line}")?;
            if let Some(col) = p.column {
                write!(f, ":{col}")?;
            }
        }
        let level = match p.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, ": {level}")?;
        if let Some(code) = p.code {
            write!(f, " {code}")?;
        }
        if let Some(field) = p.field_in(lang) {
            write!(f, " [{}]", visible(field))?;
        }
        write!(f, "：{}", shown(p.message_in(lang)))?;
        if let Some(value) = &p.value {
            write!(f, "；所填为“{}”", cut(visible(value).into_owned()))?;
        }
        if let Some(expected) = p.expected_in(lang) {
            write!(f, "；应为：{}", shown(expected))?;
        }
        if let Some(help) = p.help_in(lang) {
            write!(f, "；提示：{}", shown(help))?;
        }
        Ok(())
    }
}

/// The warnings of a bureau's projects counted by code: what a summary says of them in
/// one line, when each project's are in its own result and not printed one by one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WarningCounts {
    /// Per code (`None`: a warning without one): the projects with one, and the warnings.
    by_code: std::collections::BTreeMap<Option<Code>, (usize, usize)>,
}

impl WarningCounts {
    /// The warnings of one project, by their codes.
    pub fn add(&mut self, codes: impl IntoIterator<Item = Option<Code>>) {
        let mut mine: std::collections::BTreeMap<Option<Code>, usize> = Default::default();
        for c in codes {
            *mine.entry(c).or_default() += 1;
        }
        for (code, n) in mine {
            let (projects, warnings) = self.by_code.entry(code).or_default();
            *projects += 1;
            *warnings += n;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// `数据警告：JX1101 2 个项目共 3 个、…；逐项见 WHERE`: `None` when there is none.
    /// `where_zh` / `where_en`: where each is listed.
    pub fn line(&self, lang: crate::i18n::Lang, where_: (&str, &str)) -> Option<String> {
        use crate::i18n::Lang;
        if self.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .by_code
            .iter()
            .map(|(code, (projects, n))| {
                let code = code.map_or("—", Code::as_str);
                match lang {
                    Lang::Zh => format!("{code} {projects} 个项目共 {n} 个"),
                    Lang::En => format!("{code} {n} in {projects} project(s)"),
                }
            })
            .collect();
        Some(match lang {
            Lang::Zh => format!("数据警告：{}；逐项见{}", parts.join("、"), where_.0),
            Lang::En => format!(
                "Warnings: {}; each is listed in {}",
                parts.join(", "),
                where_.1
            ),
        })
    }
}

/// Errors and warnings gathered from one run, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| !p.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The error returned when input problems prevent a result. It carries every problem found
/// (warnings included, so none are lost when errors stop the run).
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) in the input", .0.errors().count())]
pub struct InputErrors(pub Problems);

/// 1-based line and character column of a byte offset in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A text in which a byte offset can be placed on a line and a column: a plain `str`, by a
/// pass over the text before the offset, or [`Lines`], by its index.
pub trait Locate {
    fn text(&self) -> &str;
    /// 1-based line and character column of a byte offset, as [`line_col`] gives them.
    fn line_col(&self, offset: usize) -> (usize, usize);
}

impl Locate for str {
    fn text(&self) -> &str {
        self
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(self, offset)
    }
}

/// A text with the offsets its lines start at, made in one pass: the line of an offset is
/// then a binary search, and its column a count of at most a few thousand bytes, however
/// long the text or its lines. A scheme of 100,000 indicators asks for the lines of some
/// 300,000 offsets; counting from the top each time took minutes.
#[derive(Debug, Clone)]
pub struct Lines<'s> {
    text: Cow<'s, str>,
    /// Byte offset of each line's start, the first 0.
    starts: Vec<usize>,
    /// Every [`MARK`] bytes (moved on to a character's start): the offset and the
    /// characters before it, for the columns of long lines.
    marks: Vec<(usize, usize)>,
}

/// Bytes between two of [`Lines`]' character marks.
const MARK: usize = 4096;

impl<'s> Lines<'s> {
    pub fn new(text: impl Into<Cow<'s, str>>) -> Self {
        let text = text.into();
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut marks = Vec::with_capacity(text.len() / MARK + 1);
        let (mut at, mut chars) = (0, 0);
        for k in 0..=text.len() / MARK {
            let mut mark = (k * MARK).min(text.len());
            while !text.is_char_boundary(mark) {
                mark += 1;
            }
            chars += text[at..mark].chars().count();
            at = mark;
            marks.push((mark, chars));
        }
        Lines {
            text,
            starts,
            marks,
        }
    }

    /// The 1-based line holding `offset` (at most the text's length, on a character).
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Characters before `offset` (on a character).
    fn chars_before(&self, offset: usize) -> usize {
        let mut k = offset / MARK;
        if self.marks[k].0 > offset {
            k -= 1;
        }
        let (at, chars) = self.marks[k];
        chars + self.text[at..offset].chars().count()
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_range(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.starts[line - 1]..end
    }
}

impl Locate for Lines<'_> {
    fn text(&self) -> &str {
        &self.text
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if !self.text.is_char_boundary(offset) {
            // Inside a character: counted as line_col counts it (the whole text).
            return line_col(&self.text, offset);
        }
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let column = if offset - start <= 2 * MARK {
            self.text[start..offset].chars().count()
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line, column + 1)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn warnings_are_counted_by_code_and_project() {
        use super::{Code, WarningCounts};
        use crate::i18n::Lang;
        let mut c = WarningCounts::default();
        // Project 1: two JX1101 and one JX1106; project 2: one JX1101.
        c.add([
            Some(Code::SpendingOutsideYear),
            Some(Code::MeasuredLossNoReason),
            Some(Code::SpendingOutsideYear),
        ]);
        c.add([Some(Code::SpendingOutsideYear)]);
        c.add([]);
        // JX1101: 2 projects, 2 + 1 = 3 warnings; JX1106: 1 project, 1 warning.
        assert_eq!(
            c.line(Lang::Zh, ("JSON", "JSON")).unwrap(),
            "数据警告：JX1101 2 个项目共 3 个、JX1106 1 个项目共 1 个；逐项见JSON"
        );
        assert_eq!(
            c.line(Lang::En, ("JSON", "JSON")).unwrap(),
            "Warnings: JX1101 3 in 2 project(s), JX1106 1 in 1 project(s); each is listed in JSON"
        );
        assert_eq!(WarningCounts::default().line(Lang::Zh, ("", "")), None);
    }

    #[test]
    fn a_long_value_is_cut_to_its_first_200_characters() {
        use super::cut;
        let short = "法".repeat(200);
        assert_eq!(cut(short.clone()), short);
        // 203 characters: the first 200 kept (on a character, not a byte: 法 is 3 bytes),
        // 203 − 200 = 3 named as left out
        let long = "法".repeat(201) + "援助";
        assert_eq!(cut(long), "法".repeat(200) + "… (+3 more characters)");
    }

    #[test]
    fn a_message_quoting_a_long_value_is_cut_there() {
        use super::{MESSAGE_CHARS, cut_message, shown};
        // "9…9" of 1,000 digits is not an amount: the quoted run keeps its first 200,
        // 1,000 − 200 = 800 named as left out; the words around it stay whole
        let msg = format!("\"{}\" is not an amount", "9".repeat(1000));
        assert_eq!(
            cut_message(&msg),
            format!(
                "\"{}… (+800 more characters)\" is not an amount",
                "9".repeat(200)
            )
        );
        // a short message, quotes and all, is left as it is
        assert_eq!(
            cut_message("\"abc\" is not a date"),
            "\"abc\" is not a date"
        );
        // unquoted text is held to 2,000 characters in all
        let long = "字".repeat(MESSAGE_CHARS + 5);
        assert!(cut_message(&long).ends_with("… (+5 more characters)"));
        // and what is shown is made visible too
        assert_eq!(shown("\"\u{1b}[2J\" x"), "\"\\u{1b}[2J\" x");
    }

    #[test]
    fn text_from_inputs_is_made_visible() {
        // Plain text, Chinese included, is left as it is (and not copied).
        assert!(matches!(
            visible("法律援助 RJ-001"),
            std::borrow::Cow::Borrowed(_)
        ));
        // ESC ] 0 ; x BEL (retitle), a byte-order mark, a right-to-left override, NUL.
        assert_eq!(
            visible("\u{1b}]0;x\u{7}\u{feff}A\u{202e}B\0"),
            "\\u{1b}]0;x\\u{7}\\u{feff}A\\u{202e}B\\u{0}"
        );
        let p = Problem::error("s.csv", "project \"\u{feff}RJ\" is not in the budget")
            .value("\u{1b}[2J");
        assert_eq!(
            p.to_string(),
            "s.csv: error: project \"\\u{feff}RJ\" is not in the budget; found \"\\u{1b}[2J\""
        );
    }
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a = 1\nname = \"预算\" x\n";
        // "x" sits after `name = "预算" ` on line 2: n,a,m,e,space,=,space,",预,算,",space → col 13
        let offset = src.find('x').unwrap();
        assert_eq!(line_col(src, offset), (2, 13));
        assert_eq!(line_col(src, 0), (1, 1));
    }

    /// The index places every offset where a pass from the top does: on short and long
    /// lines (past the character marks), with Chinese text, CRLF, an empty last line, and
    /// offsets inside a character or past the end.
    #[test]
    fn lines_place_offsets_as_line_col_does() {
        let long = format!("k = \"{}\" # {}", "预算".repeat(3000), "x".repeat(9000));
        let texts = [
            String::new(),
            "a".to_string(),
            "\n\n".to_string(),
            "a = 1\r\nname = \"预算\" x\r\n".to_string(),
            format!("[scheme]\n{long}\nid = \"法\"\n{long}"),
        ];
        for text in &texts {
            let lines = Lines::new(text.as_str());
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    lines.line_col(offset),
                    line_col(text, offset),
                    "offset {offset} of {} bytes",
                    text.len()
                );
            }
        }
        // [scheme]\n is 9 bytes: line 2 runs from 9 to its line break
        let text = &texts[4];
        let lines = Lines::new(text.as_str());
        let second = 9..9 + long.len();
        assert_eq!(lines.line_range(9 + 100), second);
        assert_eq!(&text[lines.line_range(second.end)], long);
        assert_eq!(
            lines.line_range(text.len()),
            text.len() - long.len()..text.len()
        );
    }

    #[test]
    fn codes_are_unique_and_review_findings_have_their_own_range() {
        let all: Vec<&str> = Code::ALL
            .iter()
            .chain(&Code::REVIEW)
            .map(|c| c.as_str())
            .collect();
        let unique: std::collections::BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "{all:?}");
        assert!(Code::ALL.iter().all(|c| c.as_str() < "JX2000"));
        assert!(Code::REVIEW.iter().all(|c| c.as_str() > "JX2000"));
        // JX2001 … JX2020, in order
        assert_eq!(Code::REVIEW[0].as_str(), "JX2001");
        assert_eq!(Code::REVIEW[16].as_str(), "JX2017");
        assert_eq!(Code::REVIEW[19].as_str(), "JX2020");
    }

    #[test]
    fn display_names_place_value_and_expectation() {
        let p = Problem::error("budget.csv", "not an amount")
            .at_line(3)
            .field("amount")
            .value("abc")
            .expected("a number of 元 with at most 2 decimals");
        assert_eq!(
            p.to_string(),
            "budget.csv:3: error [amount]: not an amount; found \"abc\"; expected a number of 元 with at most 2 decimals"
        );
    }
}

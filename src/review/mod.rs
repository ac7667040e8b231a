//! `jixiao review` (复核): recompute what a department published in its self-evaluation and
//! name every figure that does not hold — a rate that does not follow from the amounts or
//! was cut off instead of rounded, weights or scores that do not add up, a grade outside its
//! band, full points on a target not met, points lost without a reason, a qualitative score
//! outside its tier, funds rows that contradict each other, and, when the records are at
//! hand, every published figure that differs from the one computed from them.
//!
//! The published figures are read from a claims file ([`load`], format in
//! `docs/review.md`), or from the 自评表 itself as an Excel workbook ([`workbook`]); every rule applied is the library's own ([`crate::scoring`],
//! [`crate::scoring::rules`], [`crate::metrics::Funds`], [`crate::scheme::Scheme::grade`]);
//! [`recompute`] compares, [`render`] prints.

pub mod caps;
pub mod load;
pub mod model;
pub mod recompute;
pub mod render;
pub mod workbook;

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Problems};
use crate::input::Root;
use crate::workspace::EVALUATION_FILE;

pub use load::CLAIMS_FILE;
pub use recompute::{Options, review};

/// One inconsistency in a published evaluation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub code: Code,
    /// The claims file.
    pub file: PathBuf,
    /// Where the claim stands in the claims file (1-based line and character column).
    pub line: usize,
    pub column: usize,
    /// The claim's key in the claims file (`funds.execution_rate`,
    /// `dimension[2].group[1].indicator[3].score`).
    pub field: String,
    /// What the claim is about, as the report names it (`P2 预算执行率 · 得分`).
    pub subject: String,
    /// What the department published, as printed.
    pub claim: String,
    /// The value recomputed.
    pub recomputed: String,
    /// The rule used and its arithmetic.
    pub rule: String,
    /// What is wrong, in one line.
    pub message: String,
}

/// What the review concluded about one published figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Judged, and it holds under every rule that judged it.
    Agrees,
    /// A finding was made on it.
    Differs,
    /// No rule could judge it: why is given.
    NotCheckable,
}

impl Verdict {
    /// The JSON value: `agrees`, `differs`, `not_checkable`.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::Differs => "differs",
            Verdict::NotCheckable => "not_checkable",
        }
    }
}

/// One published figure and the verdict on it. Every figure of the claims file has one
/// ([`model::Claims::figures`]): none is passed over in silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureVerdict {
    /// The claim's key, as in a finding.
    pub field: String,
    /// What it is about, as the report names it.
    pub subject: String,
    /// The figure as printed.
    pub claim: String,
    pub line: usize,
    pub column: usize,
    pub verdict: Verdict,
    /// The codes of the rules that judged it: of the finding made on it when it differs,
    /// of every rule it agrees with when it agrees; none when it could not be checked.
    pub codes: Vec<Code>,
    /// Why it could not be checked (`None` unless [`Verdict::NotCheckable`]).
    pub reason: Option<String>,
}

/// How many figures have each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerdictCounts {
    pub agrees: usize,
    pub differs: usize,
    pub not_checkable: usize,
}

impl VerdictCounts {
    pub fn of<'a>(figures: impl IntoIterator<Item = &'a FigureVerdict>) -> VerdictCounts {
        let mut c = VerdictCounts::default();
        for f in figures {
            match f.verdict {
                Verdict::Agrees => c.agrees += 1,
                Verdict::Differs => c.differs += 1,
                Verdict::NotCheckable => c.not_checkable += 1,
            }
        }
        c
    }

    pub fn figures(&self) -> usize {
        self.agrees + self.differs + self.not_checkable
    }
}

/// The budget execution rate (执行率 of 年度资金总额) as printed and as its printed amounts
/// give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionRate {
    /// As printed, when printed.
    pub claimed: Option<String>,
    /// 全年执行数 / 全年预算数 of the printed amounts (a fraction), when they give it.
    pub recomputed: Option<Decimal>,
    /// The arithmetic, or why the amounts do not give it.
    pub basis: String,
}

/// The totals side by side: as published, as the review scheme's rules give them for the
/// published figures, as the records give them, and under the baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// 总分 as published.
    pub claimed: Option<Decimal>,
    pub claimed_grade: Option<String>,
    /// Every indicator of the scheme recomputed from the published figures.
    pub recomputed: Option<Decimal>,
    pub recomputed_grade: Option<String>,
    /// Why there is no recomputed total (`None` when there is one).
    pub recomputed_why: Option<String>,
    /// Scored from the evaluation folder's records.
    pub records: Option<Decimal>,
    pub records_grade: Option<String>,
}

/// One baseline indicator scored from the published figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineIndicator {
    pub id: String,
    pub name: String,
    pub weight: Decimal,
    /// `None` when the published figures do not give it (see `basis`).
    pub score: Option<Decimal>,
    /// The arithmetic, or why it could not be scored.
    pub basis: String,
}

/// The published figures scored under a standard scheme (`--baseline`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    pub scheme_id: String,
    pub title: String,
    /// `None` unless every indicator could be scored.
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    /// The baseline's 预算执行率 indicator (execution_rate metric), when it has one.
    pub execution: Option<BaselineIndicator>,
    pub indicators: Vec<BaselineIndicator>,
}

/// One evaluation reviewed.
#[derive(Debug, Clone)]
pub struct Review {
    /// The claims file, or the workbook the claims were read from.
    pub claims: PathBuf,
    /// The workbook's sheet, when the claims were read from one.
    pub sheet: Option<String>,
    pub project: Option<String>,
    pub name: Option<String>,
    pub year: Option<i64>,
    /// 主管部门, as published (or as the records give it).
    pub department: Option<String>,
    /// The scheme reviewed against (id and title), when there is one.
    pub scheme: Option<(String, String)>,
    /// The evaluation folder whose records were compared, when there is one.
    pub records: Option<PathBuf>,
    pub totals: Totals,
    pub baseline: Option<Baseline>,
    /// The execution rate as printed and as the printed amounts give it; `None` when
    /// neither is printed.
    pub execution: Option<ExecutionRate>,
    /// In the order of the claims file.
    pub findings: Vec<Finding>,
    /// Every published figure with its verdict, in the order of the claims file.
    pub figures: Vec<FigureVerdict>,
}

impl Review {
    pub fn verdicts(&self) -> VerdictCounts {
        VerdictCounts::of(&self.figures)
    }
}

/// Everything one run found.
#[derive(Debug, Clone, Default)]
pub struct ReviewReport {
    pub reviews: Vec<Review>,
    /// Claims that could not be reviewed, with why (exit status 2).
    pub failures: Vec<(PathBuf, Problems)>,
}

impl ReviewReport {
    /// The verdicts on the figures of every evaluation.
    pub fn verdicts(&self) -> VerdictCounts {
        VerdictCounts::of(self.reviews.iter().flat_map(|r| &r.figures))
    }

    pub fn findings(&self) -> usize {
        self.reviews.iter().map(|r| r.findings.len()).sum()
    }

    /// How many findings of each code, in code order (codes with none left out).
    pub fn by_code(&self) -> Vec<(Code, usize)> {
        Code::REVIEW
            .iter()
            .map(|&c| {
                let n = self
                    .reviews
                    .iter()
                    .flat_map(|r| &r.findings)
                    .filter(|f| f.code == c)
                    .count();
                (c, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The evaluations with findings, most first (ties in path order).
    pub fn most(&self) -> Vec<(&Path, usize)> {
        let mut v: Vec<(&Path, usize)> = self
            .reviews
            .iter()
            .filter(|r| !r.findings.is_empty())
            .map(|r| (r.claims.as_path(), r.findings.len()))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

/// Why a review could not start at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{}: no such file or folder", .0.display())]
    Missing(PathBuf),
    #[error("{}: no claims file ({CLAIMS_FILE} or *.claims.toml) or 自评表 workbook in this folder or below", .0.display())]
    NoClaims(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::i18n::Localized for ReviewError {
    fn zh(&self) -> String {
        match self {
            ReviewError::Missing(p) => format!("{}：没有这个文件或目录", p.display()),
            ReviewError::NoClaims(p) => format!(
                "{}：此文件夹及其下级文件夹中既没有转录文件（{CLAIMS_FILE} 或 *.claims.toml），\
                 也没有自评表工作簿（.xlsx、.xlsm、.xls）",
                p.display()
            ),
            ReviewError::Unreadable { path, source } => format!(
                "{}：无法读取：{}",
                path.display(),
                crate::i18n::io_error_zh(source)
            ),
        }
    }
}

/// Folders never searched.
const SKIPPED_DIRS: [&str; 3] = ["target", "node_modules", "fuzz"];

/// A claims file to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A claims file, or a workbook holding a 自评表 (by its extension:
    /// [`crate::data::is_workbook`]).
    Claims(PathBuf),
    /// A claims file found while searching a folder that lies outside the allowed root (a
    /// symbolic link out of it): not read, reported.
    Outside(PathBuf, String),
}

/// Turn the paths given into claims files: a file is a claims file whatever its name (a
/// workbook by its extension); a folder is searched, itself and below, for `claims.toml`,
/// `*.claims.toml` and workbooks (see [`is_form_name`]), without following symbolic links
/// to folders; a file found there that leads out of `root` is reported instead of read.
pub fn discover(paths: &[PathBuf], root: &Root) -> Result<Vec<Target>, ReviewError> {
    let mut found = Vec::new();
    for p in paths {
        if p.is_file() {
            found.push(Target::Claims(p.clone()));
        } else if p.is_dir() {
            let before = found.len();
            walk(p, root, &mut found)?;
            if found.len() == before {
                return Err(ReviewError::NoClaims(p.clone()));
            }
        } else {
            return Err(ReviewError::Missing(p.clone()));
        }
    }
    found.dedup();
    Ok(found)
}

fn is_claims_name(name: &str) -> bool {
    name == CLAIMS_FILE || name.ends_with(".claims.toml")
}

/// Whether a workbook found in a folder is taken as a published 自评表: any workbook but
/// Excel's lock files (`~$…`) — except in an evaluation folder (one holding
/// `evaluation.toml`), whose workbooks are its records, where only a name containing 自评
/// (`自评表.xlsx`, `绩效自评.xlsx`) is.
pub fn is_form_name(name: &str, in_evaluation_folder: bool) -> bool {
    crate::data::is_workbook(Path::new(name))
        && !name.starts_with("~$")
        && !name.starts_with('.')
        && (!in_evaluation_folder || name.contains("自评"))
}

fn walk(dir: &Path, root: &Root, found: &mut Vec<Target>) -> Result<(), ReviewError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ReviewError::Unreadable {
        path: dir.to_path_buf(),
        source,
    })?;
    // The entry's own type: a link to a folder is not a folder here.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            Some((e.path(), e.file_type().ok()?.is_dir()))
        })
        .collect();
    paths.sort();
    // The folder's own claims first, then its subfolders'.
    let evaluation_folder = dir.join(EVALUATION_FILE).is_file();
    for (path, _) in paths.iter().filter(|(_, is_dir)| !is_dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !is_claims_name(name) && !is_form_name(name, evaluation_folder) {
            continue;
        }
        match root.admit(path) {
            Err(why) => found.push(Target::Outside(path.clone(), why)),
            Ok(()) if path.is_file() => found.push(Target::Claims(path.clone())),
            Ok(()) => {}
        }
    }
    for (path, _) in paths.iter().filter(|(_, is_dir)| *is_dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name) {
            walk(path, root, found)?;
        }
    }
    Ok(())
}

/// The evaluation folder holding the records of a claims file: the one `report.evaluation`
/// names, else the claims file's own folder when it holds `evaluation.toml`.
pub fn records_folder(claims: &model::Claims) -> Option<PathBuf> {
    claims.report.evaluation.clone().or_else(|| {
        let dir = claims.path.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.join(EVALUATION_FILE)
            .is_file()
            .then(|| dir.to_path_buf())
    })
}

/// Review every claims file; those that cannot be read or reviewed, or lie outside the
/// allowed root, are listed as failures. What a claims file names, and the records, are
/// read only inside `options.root`.
pub fn run(targets: &[Target], options: &Options) -> ReviewReport {
    let mut report = ReviewReport::default();
    for t in targets {
        match t {
            Target::Claims(path) if crate::data::is_workbook(path) => {
                match workbook::read(path, &options.root, options.sheet.as_deref()) {
                    Ok(sheets) => {
                        for s in sheets {
                            let reviewed = match &s.claims {
                                Ok(c) => review(c, options).map_err(|p| s.name_cells(p)),
                                Err(p) => Err(p.clone()),
                            };
                            match reviewed {
                                Ok(r) => report.reviews.push(r),
                                Err(p) => report.failures.push((path.clone(), p)),
                            }
                        }
                    }
                    Err(p) => report.failures.push((path.clone(), p)),
                }
            }
            Target::Claims(path) => {
                match load::load(path, &options.root).and_then(|c| review(&c, options)) {
                    Ok(r) => report.reviews.push(r),
                    Err(p) => report.failures.push((path.clone(), p)),
                }
            }
            Target::Outside(path, why) => report.failures.push((
                path.clone(),
                Problems(vec![options.root.refused(path, why.clone())]),
            )),
        }
    }
    report
}

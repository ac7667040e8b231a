//! The one loader every command uses: which files, which scheme for which project, which
//! projects. A folder is one evaluation (`evaluation.toml` and the four inputs), a bureau
//! (`projects.csv` naming each project's scheme), or either with command-line overrides; a
//! single project is scored as a bureau of one, by the same reader, checks and messages
//! ([`crate::batch`]). Opening a folder reads nothing but `evaluation.toml` (and the
//! budget's project codes, to tell one project from a bureau).

use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::data::{self, InputPaths, ReadOptions};
use crate::diag::{Code, Problem, Problems};
use crate::input::Root;
use crate::scheme::{DerivedMetric, raw::MetricDef};

pub const EVALUATION_FILE: &str = "evaluation.toml";
pub use crate::data::PROJECTS_FILE;

/// `evaluation.toml` as written. Unknown keys are found (all of them, in `[[metric]]`
/// tables too) by the schema walk of the scheme's keys, not by serde.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
struct EvaluationFile {
    /// 项目编码 of the project evaluated.
    #[serde(default)]
    project: Option<String>,
    /// The scheme file, relative to the folder (with its place, for problems).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    scheme: Option<Spanned<String>>,
    /// 主管部门
    #[serde(default)]
    department: Option<String>,
    /// 实施单位
    #[serde(default)]
    unit: Option<String>,
    /// Project-specific derived metrics (取数口径), e.g. binding a standard scheme's
    /// generic metric to this project's outputs.
    #[serde(default, rename = "metric")]
    metrics: Vec<MetricDef>,
    /// The input files, when they are not budget.csv, spending.csv … (relative to the folder).
    #[serde(default)]
    files: FilesTable,
}

/// `[files]` of evaluation.toml: the four inputs under other names, relative to the folder
/// (`budget = "预算.csv"`, `spending = "支出明细.xlsx"`).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
struct FilesTable {
    #[schemars(with = "Option<String>")]
    budget: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    spending: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    outputs: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    judgments: Option<Spanned<String>>,
}

/// The JSON Schema of `evaluation.toml`, for its keys.
fn evaluation_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(EvaluationFile).to_value())
}

/// `evaluation.toml` read: its keys, its `[[metric]]` bindings and its text (for the
/// places of problems).
#[derive(Default)]
struct Evaluation {
    file: EvaluationFile,
    metrics: Vec<DerivedMetric>,
    source: String,
}

/// Read `evaluation.toml`; problems are pushed (and the defaults returned).
fn read_evaluation(eval_path: &Path, problems: &mut Problems) -> Evaluation {
    let source = match crate::input::read_to_string(eval_path) {
        Ok(source) => source,
        Err(e) => {
            problems.push(
                Problem::error(eval_path, format!("cannot read: {e}"))
                    .zh(format!("无法读取：{}", crate::i18n::io_error_zh(&e)))
                    .code(Code::BadEvaluation),
            );
            return Evaluation::default();
        }
    };
    // Every unknown key (a misspelt `projct`, a key of a `[[metric]]`) and syntax error at
    // once: serde would take the first, and pass over a metric's unknown key in silence.
    let lines = crate::diag::Lines::new(source.as_str());
    match crate::scheme::keys::parse_document(eval_path, &source) {
        Ok(doc) => {
            let mut found = Problems::default();
            crate::scheme::keys::check(eval_path, &lines, &doc, evaluation_schema(), &mut found);
            for mut p in found.0 {
                // A key of evaluation.toml, not of a scheme.
                if p.code == Some(Code::UnknownKey) || p.code == Some(Code::MissingKey) {
                    p = p.code(Code::BadEvaluation);
                }
                problems.push(p);
            }
        }
        Err(found) => {
            problems.extend(found.0);
            return Evaluation::default();
        }
    }
    match toml::from_str::<EvaluationFile>(&source) {
        Ok(mut file) => {
            let defs = std::mem::take(&mut file.metrics);
            let metrics = crate::scheme::derived_metrics(eval_path, &source, defs, problems);
            Evaluation {
                file,
                metrics,
                source,
            }
        }
        Err(e) => {
            problems.push(crate::scheme::keys::toml_problem(
                eval_path,
                &lines,
                &e,
                Code::BadEvaluation,
            ));
            Evaluation::default()
        }
    }
}

/// Where a path that `evaluation.toml` names is written, for the problem if it is refused.
struct NamedAt<'a> {
    eval_path: &'a Path,
    source: &'a str,
    field: &'a str,
}

/// Whether `path` lies in the root; if not, an error is pushed on the file itself, or on
/// the key of `evaluation.toml` that names it.
fn admitted(
    root: &Root,
    path: &Path,
    named: Option<(&NamedAt, &Spanned<String>)>,
    problems: &mut Problems,
) -> bool {
    let Err(why) = root.admit(path) else {
        return true;
    };
    let p = root.refused(path, why);
    problems.push(match named {
        None => p,
        Some((at, written)) => p
            .in_file(at.eval_path)
            .span(at.source, written.span())
            .field(at.field)
            .value(written.get_ref()),
    });
    false
}

/// The names an input is looked for under when neither the command line nor `[files]`
/// names it: the CSV file first, then a workbook.
fn default_names(stem: &str) -> [String; 4] {
    ["csv", "xlsx", "xlsm", "xls"].map(|ext| format!("{stem}.{ext}"))
}

/// Overrides from the command line (`--scheme`, `--budget`, …, `--project`).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub scheme: Option<PathBuf>,
    pub budget: Option<PathBuf>,
    pub spending: Option<PathBuf>,
    pub outputs: Option<PathBuf>,
    pub judgments: Option<PathBuf>,
    pub project: Option<String>,
    /// `--encoding` and `--sheet`: how the input files are read.
    pub read: ReadOptions,
    /// Where the files the folder holds or names may lie (`--root`); the paths above,
    /// typed on the command line, are read wherever they are.
    pub root: Root,
}

/// Where each project's scheme comes from: the first of `--scheme`, the project's row of
/// `projects.csv`, and `scheme` in evaluation.toml.
#[derive(Debug, Clone, Default)]
pub struct SchemeSource {
    /// `--scheme`: every project, whatever projects.csv says.
    pub given: Option<PathBuf>,
    /// `scheme` of evaluation.toml: projects that projects.csv gives no scheme.
    pub folder: Option<PathBuf>,
}

impl SchemeSource {
    /// The scheme of a project whose row of projects.csv names `listed` (already resolved
    /// against the folder), if any.
    pub fn for_project<'a>(&'a self, listed: Option<&'a Path>) -> Option<&'a Path> {
        self.given.as_deref().or(listed).or(self.folder.as_deref())
    }
}

/// Which projects a run scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every project of the budget.
    All,
    /// One project (`--project`, or the budget's only one): the others are read and
    /// checked as in a batch, but not scored.
    One(String),
}

/// A folder opened: every path resolved, nothing read but evaluation.toml.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    /// `DIR/evaluation.toml` (which need not exist).
    pub eval_file: PathBuf,
    /// The project chosen (`--project`, else `project` of evaluation.toml).
    pub project: Option<String>,
    pub schemes: SchemeSource,
    /// `DIR/projects.csv`, when the folder is a bureau that lists its projects.
    pub projects_file: Option<PathBuf>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub inputs: InputPaths,
    /// `[[metric]]` of evaluation.toml.
    pub metrics: Vec<DerivedMetric>,
    /// Where the schemes that projects.csv names may lie.
    pub root: Root,
}

impl Workspace {
    /// Open an evaluation or bureau folder with the overrides, reading `evaluation.toml`
    /// when present. Problems: unreadable or invalid `evaluation.toml`, no scheme named
    /// anywhere, no such folder.
    pub fn open(dir: &Path, overrides: &Overrides) -> Result<Workspace, Problems> {
        let mut problems = Problems::default();
        let eval_path = dir.join(EVALUATION_FILE);
        let root = &overrides.root;
        let mut eval = Evaluation::default();
        if eval_path.is_file() {
            if admitted(root, &eval_path, None, &mut problems) {
                eval = read_evaluation(&eval_path, &mut problems);
            }
        } else if !dir.is_dir() {
            problems.push(
                Problem::error(dir, "no such evaluation folder")
                    .zh("没有这个评价目录")
                    .code(Code::UnreadableFile)
                    .expected("a folder holding evaluation.toml and the CSV files")
                    .zh_expected("包含 evaluation.toml 和各 CSV 文件的目录"),
            );
            return Err(problems);
        }
        let file = eval.file;
        // A path evaluation.toml names, relative to the folder, if it lies in the root.
        let mut named = |written: &Option<Spanned<String>>, field: &str| {
            let written = written.as_ref()?;
            let path = normalize(&dir.join(written.get_ref()));
            let at = NamedAt {
                eval_path: &eval_path,
                source: &eval.source,
                field,
            };
            admitted(root, &path, Some((&at, written)), &mut problems).then_some(path)
        };
        let folder_scheme = named(&file.scheme, "scheme");
        // An input is the file the command line names, else the one `[files]` names,
        // else the first of STEM.csv, STEM.xlsx, STEM.xlsm, STEM.xls that exists. Only
        // the command line's are read wherever they are.
        let f = &file.files;
        let mut input = |given: &Option<PathBuf>, written: &Option<Spanned<String>>, stem| {
            given
                .clone()
                .or_else(|| named(written, &format!("files.{stem}")))
        };
        let budget = input(&overrides.budget, &f.budget, "budget");
        let spending = input(&overrides.spending, &f.spending, "spending");
        let outputs = input(&overrides.outputs, &f.outputs, "outputs");
        let judgments = input(&overrides.judgments, &f.judgments, "judgments");
        // A file the folder holds under an input's name must lie in the root too (a
        // symbolic link to another folder's ledger is refused).
        let mut found = |stem: &str| {
            let path = default_names(stem)
                .into_iter()
                .map(|n| dir.join(n))
                .find(|p| p.exists())?;
            admitted(root, &path, None, &mut problems).then_some(path)
        };
        let mut or_found = |path: Option<PathBuf>, stem: &str| path.or_else(|| found(stem));
        let budget = or_found(budget, "budget");
        let spending = or_found(spending, "spending");
        let outputs = or_found(outputs, "outputs");
        let judgments = or_found(judgments, "judgments");
        let projects_file = Some(dir.join(PROJECTS_FILE))
            .filter(|p| p.is_file() && admitted(root, p, None, &mut problems));
        let schemes = SchemeSource {
            given: overrides.scheme.clone(),
            folder: folder_scheme,
        };
        if schemes.given.is_none()
            && schemes.folder.is_none()
            && projects_file.is_none()
            && !problems.has_errors()
        {
            problems.push(
                Problem::error(&eval_path, "no scheme given")
                    .zh("未指定指标体系")
                    .code(Code::BadEvaluation)
                    .field("scheme")
                    .expected("scheme = \"…toml\" in evaluation.toml, or --scheme FILE")
                    .zh_expected("在 evaluation.toml 中写 scheme = \"…toml\"，或用 --scheme 文件"),
            );
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let required = |path: Option<PathBuf>, stem: &str| {
            path.unwrap_or_else(|| dir.join(format!("{stem}.csv")))
        };
        Ok(Workspace {
            dir: dir.to_path_buf(),
            eval_file: eval_path,
            project: overrides.project.clone().or(file.project),
            schemes,
            projects_file,
            department: file.department,
            unit: file.unit,
            inputs: InputPaths {
                budget: required(budget, "budget"),
                spending: required(spending, "spending"),
                outputs,
                judgments,
                options: overrides.read.clone(),
            },
            metrics: eval.metrics,
            root: root.clone(),
        })
    }

    /// Every file a run reads (the schemes that projects.csv names aside): an output must
    /// never be written over any of them.
    pub fn files_read(&self) -> Vec<&Path> {
        let i = &self.inputs;
        [
            Some(self.eval_file.as_path()),
            self.schemes.given.as_deref(),
            self.schemes.folder.as_deref(),
            self.projects_file.as_deref(),
            Some(i.budget.as_path()),
            Some(i.spending.as_path()),
            i.outputs.as_deref(),
            i.judgments.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// What a run scores: the project chosen; else, for a folder listing its projects
    /// (projects.csv) or a budget of several projects, all of them; else the budget's one
    /// project (or an error saying there is none).
    pub fn scope(&self) -> Scope {
        if let Some(id) = &self.project {
            return Scope::One(id.clone());
        }
        if self.projects_file.is_some() {
            return Scope::All;
        }
        // An unreadable budget is reported by the run that reads it.
        let (ids, _) = self.budget_projects();
        match ids.as_slice() {
            [only] => Scope::One(only.clone()),
            _ => Scope::All,
        }
    }

    /// The project a command about one project works on (`explain`, `report`, `export`):
    /// the one chosen, else the budget's only project. Problems: the budget holds none or
    /// several.
    pub fn one_project(&self) -> Result<String, Problems> {
        if let Some(id) = &self.project {
            return Ok(id.clone());
        }
        let (ids, mut problems) = self.budget_projects();
        // A budget that cannot be read: its own problems say why.
        if problems.has_errors() {
            return Err(problems);
        }
        let budget = &self.inputs.budget;
        match ids.len() {
            1 => return Ok(ids[0].clone()),
            0 => problems.push(
                Problem::error(budget, "the budget has no rows")
                    .zh("预算表没有数据行")
                    .code(Code::ProjectChoice)
                    .expected("a row per project and funding source")
                    .zh_expected("每个项目、每个资金来源一行"),
            ),
            n => problems.push(
                Problem::error(
                    budget,
                    format!("the budget holds {n} projects; say which one to score"),
                )
                .zh(format!("预算表中有 {n} 个项目，请指明给哪一个打分"))
                .code(Code::ProjectChoice)
                .field("project")
                .expected(format!(
                    "--project ID or project = \"…\" in evaluation.toml; projects: {}",
                    listed(&ids)
                ))
                .zh_expected(format!(
                    "--project 项目编码，或在 evaluation.toml 中写 project = \"…\"；项目有：{}",
                    listed_zh(&ids)
                )),
            ),
        }
        Err(problems)
    }

    /// The project codes of the budget, sorted, each once (nothing else is read), and the
    /// problems of reading it.
    fn budget_projects(&self) -> (Vec<String>, Problems) {
        let mut problems = Problems::default();
        let rows = data::read_budget(&self.inputs.budget, &self.inputs.options, &mut problems);
        let mut ids: Vec<String> = rows.into_iter().map(|b| b.project).collect();
        ids.sort_unstable();
        ids.dedup();
        (ids, problems)
    }
}

/// The first project codes of a list, for a message (a bureau may hold thousands).
pub(crate) fn listed(ids: &[String]) -> String {
    listed_with(ids, ", ", |n| format!(", … ({n} in all)"))
}

/// [`listed`] in Chinese.
pub(crate) fn listed_zh(ids: &[String]) -> String {
    listed_with(ids, "、", |n| format!("……（共 {n} 个）"))
}

fn listed_with(ids: &[String], sep: &str, all: impl Fn(usize) -> String) -> String {
    const SHOWN: usize = 20;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(sep);
    if ids.len() > SHOWN {
        text.push_str(&all(ids.len()));
    }
    text
}

/// `samples/x/../../indicators/s.toml` → `indicators/s.toml`: lexically, without touching the
/// file system, so messages and CI annotations name the file the way a person would.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(
            normalize(Path::new("samples/legal-aid-2022/../../indicators/a.toml")),
            PathBuf::from("indicators/a.toml")
        );
        assert_eq!(normalize(Path::new("./x/./y")), PathBuf::from("x/y"));
        // a leading .. cannot be resolved without the file system: kept
        assert_eq!(normalize(Path::new("../a/../b")), PathBuf::from("../b"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn the_scheme_flag_wins_then_projects_csv_then_the_folder() {
        let s = SchemeSource {
            given: Some(PathBuf::from("flag.toml")),
            folder: Some(PathBuf::from("folder.toml")),
        };
        let listed = Path::new("listed.toml");
        assert_eq!(s.for_project(Some(listed)), Some(Path::new("flag.toml")));
        let s = SchemeSource { given: None, ..s };
        assert_eq!(s.for_project(Some(listed)), Some(listed));
        assert_eq!(s.for_project(None), Some(Path::new("folder.toml")));
        let none = SchemeSource::default();
        assert_eq!(none.for_project(None), None);
    }

    #[test]
    fn long_project_lists_are_cut() {
        let ids: Vec<String> = (0..25).map(|i| format!("P{i}")).collect();
        let text = listed(&ids);
        // 20 shown, then the count of all 25
        assert!(text.starts_with("P0, P1, "));
        assert!(text.ends_with("P19, … (25 in all)"), "{text}");
        assert_eq!(listed(&ids[..2]), "P0, P1");
        let zh = listed_zh(&ids);
        assert!(zh.starts_with("P0、P1、"), "{zh}");
        assert!(zh.ends_with("P19……（共 25 个）"), "{zh}");
    }
}

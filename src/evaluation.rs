//! The evaluation folder: `evaluation.toml` naming the project and the scheme, and the four
//! CSV files under their default names. Command-line options override each part.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::{self, InputPaths, Inputs, ReadOptions};
use crate::diag::{Code, InputErrors, Problem, Problems, line_col};
use crate::i18n::Lang;
use crate::metrics::{Funds, Metrics, OutputValue};
use crate::scheme::{self, DerivedMetric, Scheme, model::MetricDef};
use crate::scoring::{self, Judgment, ScoreSheet};

pub const EVALUATION_FILE: &str = "evaluation.toml";

/// `evaluation.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationFile {
    /// 项目编码 of the project evaluated.
    #[serde(default)]
    project: Option<String>,
    /// The scheme file, relative to the folder.
    #[serde(default)]
    scheme: Option<String>,
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
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesTable {
    budget: Option<String>,
    spending: Option<String>,
    outputs: Option<String>,
    judgments: Option<String>,
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
}

/// Everything needed to score one evaluation, with paths resolved.
#[derive(Debug, Clone)]
pub struct EvaluationSetup {
    pub dir: PathBuf,
    /// `DIR/evaluation.toml` (which need not exist).
    pub eval_file: PathBuf,
    pub project: Option<String>,
    pub scheme: PathBuf,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub inputs: InputPaths,
    pub metrics: Vec<DerivedMetric>,
}

impl EvaluationSetup {
    /// Every file a run reads: `evaluation.toml`, the scheme and the inputs. An output
    /// must never be written over any of them.
    pub fn files_read(&self) -> Vec<&Path> {
        let i = &self.inputs;
        [
            Some(self.eval_file.as_path()),
            Some(self.scheme.as_path()),
            Some(i.budget.as_path()),
            Some(i.spending.as_path()),
            i.outputs.as_deref(),
            i.judgments.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Resolve an evaluation folder and the overrides into paths, reading `evaluation.toml`
/// when present. Problems: unreadable or invalid `evaluation.toml`, no scheme named.
pub fn resolve(dir: &Path, overrides: &Overrides) -> Result<EvaluationSetup, Problems> {
    let mut problems = Problems::default();
    let eval_path = dir.join(EVALUATION_FILE);
    let mut file = EvaluationFile {
        project: None,
        scheme: None,
        department: None,
        unit: None,
        metrics: Vec::new(),
        files: FilesTable::default(),
    };
    let mut metrics = Vec::new();
    if eval_path.is_file() {
        match std::fs::read_to_string(&eval_path) {
            Err(e) => problems.push(
                Problem::error(&eval_path, format!("cannot read: {e}")).code(Code::BadEvaluation),
            ),
            Ok(source) => match toml::from_str::<EvaluationFile>(&source) {
                Ok(f) => {
                    file = f;
                    let defs = std::mem::take(&mut file.metrics);
                    metrics =
                        crate::scheme::derived_metrics(&eval_path, &source, defs, &mut problems);
                }
                Err(e) => {
                    let mut p = Problem::error(&eval_path, e.message().trim().to_string())
                        .code(Code::BadEvaluation);
                    if let Some(span) = e.span() {
                        let (line, col) = line_col(&source, span.start);
                        p = p.at(line, col);
                    }
                    problems.push(p);
                }
            },
        }
    } else if !dir.is_dir() {
        problems.push(
            Problem::error(dir, "no such evaluation folder")
                .code(Code::UnreadableFile)
                .expected("a folder holding evaluation.toml and the CSV files"),
        );
        return Err(problems);
    }
    let scheme = match (&overrides.scheme, &file.scheme) {
        (Some(s), _) => Some(s.clone()),
        (None, Some(s)) => Some(normalize(&dir.join(s))),
        (None, None) if problems.has_errors() => None,
        // A batch folder may name each project's scheme in projects.csv instead.
        (None, None) if dir.join(crate::data::PROJECTS_FILE).is_file() => Some(PathBuf::new()),
        (None, None) => {
            problems.push(
                Problem::error(&eval_path, "no scheme given")
                    .code(Code::BadEvaluation)
                    .field("scheme")
                    .expected("scheme = \"…toml\" in evaluation.toml, or --scheme FILE"),
            );
            None
        }
    };
    // An input is the file the command line names, else the one `[files]` names (relative
    // to the folder), else the first of STEM.csv, STEM.xlsx, STEM.xlsm, STEM.xls that exists.
    let named = |o: &Option<PathBuf>, f: &Option<String>| {
        o.clone().or_else(|| f.as_ref().map(|f| dir.join(f)))
    };
    let found = |stem: &str| {
        default_names(stem)
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists())
    };
    let pick = |o: &Option<PathBuf>, f: &Option<String>, stem: &str| {
        named(o, f)
            .or_else(|| found(stem))
            .unwrap_or_else(|| dir.join(format!("{stem}.csv")))
    };
    let optional =
        |o: &Option<PathBuf>, f: &Option<String>, stem: &str| named(o, f).or_else(|| found(stem));
    let files = &file.files;
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(EvaluationSetup {
        dir: dir.to_path_buf(),
        eval_file: eval_path.clone(),
        project: overrides.project.clone().or(file.project),
        scheme: scheme.expect("checked above"),
        department: file.department,
        unit: file.unit,
        inputs: InputPaths {
            budget: pick(&overrides.budget, &files.budget, "budget"),
            spending: pick(&overrides.spending, &files.spending, "spending"),
            outputs: optional(&overrides.outputs, &files.outputs, "outputs"),
            judgments: optional(&overrides.judgments, &files.judgments, "judgments"),
            options: overrides.read.clone(),
        },
        metrics,
    })
}

/// The project evaluated, as the 自评表 header names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    /// 项目编码
    pub id: String,
    /// 项目名称
    pub name: String,
    /// 年度
    pub year: i32,
    /// 主管部门
    pub department: Option<String>,
    /// 实施单位
    pub unit: Option<String>,
}

/// The result of scoring one evaluation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Shared by every project a batch scores with it.
    pub scheme: Arc<Scheme>,
    pub project: ProjectInfo,
    pub funds: Funds,
    pub sheet: ScoreSheet,
    /// Warnings found along the way (they do not change the score).
    pub warnings: Vec<Problem>,
    /// The files read and the project's rows in them, for `explain` and the report (a
    /// batch keeps no rows).
    pub sources: Sources,
}

/// What an outcome was computed from: the input files and, of each, the rows of the
/// project scored (with their line numbers), and the evaluation's own derived metrics.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Shared by every outcome of a batch, like `judgments_file`.
    pub paths: Arc<InputPaths>,
    /// The judgments file looked for (`DIR/judgments.csv` when none was given).
    pub judgments_file: Arc<Path>,
    pub budget: Vec<data::BudgetRow>,
    pub spending: Vec<data::SpendingRow>,
    pub outputs: Vec<data::OutputRow>,
    pub judgments: Vec<data::JudgmentRow>,
    /// `[[metric]]` of evaluation.toml (the scheme's own are in `Outcome::scheme`).
    pub metrics: Vec<DerivedMetric>,
}

impl Outcome {
    pub fn total(&self) -> Decimal {
        self.sheet.total
    }

    /// The project's metrics, computed again from the sources exactly as they were for
    /// scoring: built-in money figures and rates, outputs, derived formulas.
    pub fn metrics(&self) -> Metrics<'_> {
        Metrics::new(
            &self.funds,
            self.sources.outputs.iter().map(OutputValue::from),
            self.sources.paths.outputs.as_deref(),
            self.scheme.metrics.iter().chain(&self.sources.metrics),
        )
    }
}

/// Score an evaluation: load the scheme and the data, pick the project, compute the metrics,
/// apply the scheme. Every problem found on the way is returned together.
pub fn evaluate(setup: &EvaluationSetup, lang: Lang) -> Result<Outcome, InputErrors> {
    let mut problems = Problems::default();
    let scheme = match scheme::load(&setup.scheme) {
        Ok(s) => {
            problems.extend(s.warnings.iter().cloned());
            Some(Arc::new(s))
        }
        Err(p) => {
            problems.extend(p.0);
            None
        }
    };
    let inputs = data::read_inputs(&setup.inputs, &mut problems);
    let project = pick_project(setup, &inputs, &mut problems);
    let (Some(scheme), Some(project)) = (scheme, project) else {
        return Err(InputErrors(data::cap_per_file(
            problems,
            data::MAX_PROBLEMS_PER_FILE,
        )));
    };
    // Rows that could not be read leave metrics incomplete, so metric problems found after
    // that may be echoes of the read errors; judgments are still checked in full.
    let read_errors = problems.has_errors();

    let pid = project.id.as_str();
    let budget: Vec<_> = inputs.budget.iter().filter(|b| b.project == pid).collect();
    let spending: Vec<_> = inputs
        .spending
        .iter()
        .filter(|s| s.project == pid)
        .collect();
    let outputs: Vec<_> = inputs.outputs.iter().filter(|o| o.project == pid).collect();
    let judgments: Vec<_> = inputs
        .judgments
        .iter()
        .filter(|j| j.project == pid)
        .collect();
    let mut spending_problems = Problems::default();
    spending_year_warning(
        &setup.inputs.spending,
        project.year,
        spending
            .iter()
            .filter(|s| s.date.year != project.year)
            .map(|s| s.line),
        &mut spending_problems,
    );
    data::duplicate_vouchers(&setup.inputs.spending, &spending, &mut spending_problems);
    let funds = Funds::from_rows(budget.iter().copied(), spending.iter().copied());
    let values: Vec<OutputValue<'_>> = outputs.iter().map(|o| OutputValue::from(*o)).collect();
    score_one(
        setup,
        &scheme,
        project,
        funds,
        &values,
        judgments.iter().map(|j| Judgment::from(*j)),
        ScoreContext {
            read_errors,
            problems,
            spending_problems,
            lang,
            rows: Some(ProjectRows {
                budget: budget.into_iter().cloned().collect(),
                spending: spending.into_iter().cloned().collect(),
                outputs: outputs.iter().map(|o| (*o).clone()).collect(),
                judgments: judgments.iter().map(|j| (*j).clone()).collect(),
            }),
            detail: scoring::Detail::Full,
            files: SourceFiles::of(setup),
        },
    )
}

/// The files the outcomes of a run name as their sources, made once for all of them.
#[derive(Debug, Clone)]
pub(crate) struct SourceFiles {
    pub paths: Arc<InputPaths>,
    /// The judgments file looked for (`DIR/judgments.csv` when none was given).
    pub judgments: Arc<Path>,
}

impl SourceFiles {
    pub(crate) fn of(setup: &EvaluationSetup) -> SourceFiles {
        let judgments = match &setup.inputs.judgments {
            Some(path) => Arc::from(path.as_path()),
            None => Arc::from(setup.dir.join("judgments.csv")),
        };
        SourceFiles {
            paths: Arc::new(setup.inputs.clone()),
            judgments,
        }
    }
}

/// What [`score_one`] is given beside the project's data.
pub(crate) struct ScoreContext {
    /// Rows could not be read: metric problems may be echoes of those errors.
    pub read_errors: bool,
    /// Problems found so far (reported with the result).
    pub problems: Problems,
    /// Warnings about the project's spending rows (dates, vouchers).
    pub spending_problems: Problems,
    pub lang: Lang,
    /// The project's rows, kept in the outcome for `explain` and the report; `None` keeps
    /// no rows: a batch renders only what does not show them, and its ledger is summed as
    /// it streams.
    pub rows: Option<ProjectRows>,
    /// Whether the score sheet holds the texts of the indicators.
    pub detail: scoring::Detail,
    /// The input files, for the outcome's sources.
    pub files: SourceFiles,
}

/// The rows of one project in each input. Its judgments are kept only for the scheme it
/// is scored with.
#[derive(Debug, Default)]
pub(crate) struct ProjectRows {
    pub budget: Vec<data::BudgetRow>,
    pub spending: Vec<data::SpendingRow>,
    pub outputs: Vec<data::OutputRow>,
    pub judgments: Vec<data::JudgmentRow>,
}

/// Score one project from its funds, outputs and judgments (already those of the project,
/// borrowed: a batch does not build rows for them): the checks on its outputs, its
/// metrics, the scheme's rules. Shared by the single-project run and the batch.
pub(crate) fn score_one<'a>(
    setup: &EvaluationSetup,
    scheme: &Arc<Scheme>,
    project: ProjectInfo,
    funds: Funds,
    outputs: &[OutputValue<'_>],
    judgments: impl IntoIterator<Item = Judgment<'a>>,
    cx: ScoreContext,
) -> Result<Outcome, InputErrors> {
    let ScoreContext {
        read_errors,
        mut problems,
        spending_problems,
        lang,
        rows,
        detail,
        files,
    } = cx;
    let pid = project.id.as_str();
    let of_scheme = |scheme_id: Option<&str>| scheme_id.is_none_or(|s| s == scheme.id);
    // Collected whole, then filtered: one allocation of the right size.
    let mut judgments: Vec<Judgment<'_>> = judgments.into_iter().collect();
    judgments.retain(|j| of_scheme(j.scheme));
    let outputs_file = setup.inputs.outputs.as_deref();
    for (o, earlier) in outputs.iter().zip(earlier_rows(outputs)) {
        if let Some(first) = earlier {
            problems.push(
                Problem::error(
                    outputs_file.unwrap_or(Path::new("outputs.csv")),
                    format!(
                        "metric \"{}\" is given twice for project {pid} (first on line {first})",
                        o.metric
                    ),
                )
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .value(o.metric)
                .expected("each metric once per project"),
            );
        }
        if let Some(def) = scheme
            .metrics
            .iter()
            .chain(&setup.metrics)
            .find(|m| m.id == o.metric)
        {
            problems.push(
                Problem::error(
                    outputs_file.unwrap_or(Path::new("outputs.csv")),
                    format!(
                        "\"{}\" is a formula ({}:{}) and cannot also be given in outputs.csv",
                        o.metric,
                        def.file.display(),
                        def.line
                    ),
                )
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .value(o.metric)
                .expected("a metric name no [[metric]] formula defines"),
            );
        }
        if scheme::BUILTIN_METRICS.contains(&o.metric) {
            problems.push(
                Problem::error(outputs_file.unwrap_or(Path::new("outputs.csv")), format!("\"{}\" is computed from budget and spending and cannot be given in outputs.csv", o.metric)).code(Code::DuplicateMetric)
                    .at_line(o.line)
                    .field("metric")
                    .value(o.metric),
            );
        }
    }
    for m in &setup.metrics {
        if let Some(other) = scheme.metrics.iter().find(|s| s.id == m.id) {
            problems.push(
                Problem::error(
                    &m.file,
                    format!(
                        "metric \"{}\" is already defined by the scheme (line {})",
                        m.id, other.line
                    ),
                )
                .code(Code::DuplicateMetric)
                .at_line(m.line)
                .field("metric.id")
                .value(&m.id)
                .expected("a metric id the scheme does not define"),
            );
        }
    }
    problems.extend(spending_problems.0);

    let mut metrics = Metrics::new(
        &funds,
        outputs.iter().copied(),
        outputs_file,
        scheme.metrics.iter().chain(&setup.metrics),
    );
    let judgments_file = files.judgments;
    let scored = scoring::score_with(
        scheme,
        &mut metrics,
        &judgments,
        &judgments_file,
        lang,
        detail,
    );
    let (sheet, more) = match scored {
        Ok((sheet, more)) => (Some(sheet), more),
        Err(more) => (None, more),
    };
    if read_errors {
        problems.extend(more.0.into_iter().filter(|p| *p.file == *judgments_file));
    } else {
        problems.extend(more.0);
    }
    let problems = data::cap_per_file(problems, data::MAX_PROBLEMS_PER_FILE);
    match sheet {
        Some(sheet) if !problems.has_errors() => Ok(Outcome {
            sources: match rows {
                Some(mut rows) => Sources {
                    paths: Arc::clone(&files.paths),
                    judgments_file: Arc::clone(&judgments_file),
                    budget: rows.budget,
                    spending: rows.spending,
                    outputs: rows.outputs,
                    judgments: {
                        rows.judgments.retain(|j| of_scheme(j.scheme.as_deref()));
                        rows.judgments
                    },
                    metrics: setup.metrics.clone(),
                },
                None => Sources {
                    paths: Arc::clone(&files.paths),
                    judgments_file: Arc::clone(&judgments_file),
                    budget: Vec::new(),
                    spending: Vec::new(),
                    outputs: Vec::new(),
                    judgments: Vec::new(),
                    metrics: setup.metrics.clone(),
                },
            },
            scheme: Arc::clone(scheme),
            project,
            funds,
            sheet,
            warnings: problems.0,
        }),
        _ => Err(InputErrors(problems)),
    }
}

/// For each output, the line of the last row before it that gives the same metric (a
/// metric given twice). Without a map: a batch asks for every project.
fn earlier_rows(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    // A project has a few dozen outputs: comparing each with the rows before it is
    // cheaper than sorting them, until there are many.
    if outputs.len() <= 32 {
        earlier_rows_scanned(outputs)
    } else {
        earlier_rows_sorted(outputs)
    }
}

fn earlier_rows_scanned(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    (0..outputs.len())
        .map(|i| {
            let metric = outputs[i].metric;
            outputs[..i]
                .iter()
                .rev()
                .find(|o| o.metric == metric)
                .map(|o| o.line)
        })
        .collect()
}

fn earlier_rows_sorted(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    let mut by_name: Vec<usize> = (0..outputs.len()).collect();
    // Stable: the rows of a name stay in file order.
    by_name.sort_by_key(|&i| outputs[i].metric);
    let mut earlier = vec![None; outputs.len()];
    for pair in by_name.windows(2) {
        let (a, b) = (&outputs[pair[0]], &outputs[pair[1]]);
        if a.metric == b.metric {
            earlier[pair[1]] = Some(a.line);
        }
    }
    earlier
}

/// Choose the project (from `--project` or evaluation.toml, or the only one in budget.csv),
/// and check that every row of the other files names a project of the budget.
fn pick_project(
    setup: &EvaluationSetup,
    inputs: &Inputs,
    problems: &mut Problems,
) -> Option<ProjectInfo> {
    let budget_path = &setup.inputs.budget;
    let mut projects: BTreeMap<&str, &data::BudgetRow> = BTreeMap::new();
    for b in &inputs.budget {
        match projects.get(b.project.as_str()) {
            None => {
                projects.insert(&b.project, b);
            }
            Some(first) => {
                if first.name != b.name {
                    problems.push(
                        Problem::error(
                            budget_path,
                            format!(
                                "project {} has two names (line {} says \"{}\")",
                                b.project, first.line, first.name
                            ),
                        )
                        .code(Code::ProjectChoice)
                        .at_line(b.line)
                        .field("name")
                        .value(&b.name)
                        .expected("the same name on every row of a project"),
                    );
                }
                if first.year != b.year {
                    problems.push(
                        Problem::error(
                            budget_path,
                            format!(
                                "project {} has two years (line {} says {})",
                                b.project, first.line, first.year
                            ),
                        )
                        .code(Code::ProjectChoice)
                        .at_line(b.line)
                        .field("year")
                        .value(b.year.to_string())
                        .expected("the same year on every row of a project"),
                    );
                }
            }
        }
    }
    let unknown = |file: &Path, line: usize, project: &str, problems: &mut Problems| {
        problems.push(
            Problem::error(file, format!("project \"{project}\" is not in the budget"))
                .code(Code::UnknownProject)
                .at_line(line)
                .field("project")
                .value(project)
                .expected(format!("a project of {}", budget_path.display())),
        );
    };
    if !inputs.budget.is_empty() {
        for s in &inputs.spending {
            if !projects.contains_key(s.project.as_str()) {
                unknown(&setup.inputs.spending, s.line, &s.project, problems);
            }
        }
        if let Some(path) = &setup.inputs.outputs {
            for o in inputs
                .outputs
                .iter()
                .filter(|o| !projects.contains_key(o.project.as_str()))
            {
                unknown(path, o.line, &o.project, problems);
            }
        }
        if let Some(path) = &setup.inputs.judgments {
            for j in inputs
                .judgments
                .iter()
                .filter(|j| !projects.contains_key(j.project.as_str()))
            {
                unknown(path, j.line, &j.project, problems);
            }
        }
    }
    let listed = || projects.keys().copied().collect::<Vec<_>>().join(", ");
    let row = match &setup.project {
        Some(id) => match projects.get(id.as_str()) {
            Some(row) => *row,
            None => {
                if !projects.is_empty() {
                    problems.push(
                        Problem::error(
                            budget_path,
                            format!(
                                "the project to score, \"{id}\" (from evaluation.toml or --project), is not in the budget"
                            ),
                        )
                        .code(Code::ProjectChoice)
                        .field("project")
                        .value(id)
                        .expected(format!("one of: {}", listed())),
                    );
                } else if !problems.has_errors() {
                    problems.push(
                        Problem::error(budget_path, "the budget has no rows")
                            .code(Code::ProjectChoice)
                            .expected(format!("a row for project \"{id}\"")),
                    );
                }
                return None;
            }
        },
        None if projects.len() == 1 => *projects.values().next().expect("one project"),
        None => {
            if !projects.is_empty() {
                problems.push(
                    Problem::error(
                        budget_path,
                        format!(
                            "the budget holds {} projects; say which one to score",
                            projects.len()
                        ),
                    )
                    .code(Code::ProjectChoice)
                    .field("project")
                    .expected(format!(
                        "--project ID or project = \"…\" in evaluation.toml; projects: {}",
                        listed()
                    )),
                );
            } else if !problems.has_errors() {
                problems.push(
                    Problem::error(budget_path, "the budget has no rows")
                        .code(Code::ProjectChoice)
                        .expected("a row per project and funding source"),
                );
            }
            return None;
        }
    };
    Some(ProjectInfo {
        id: row.project.clone(),
        name: row.name.clone(),
        year: row.year,
        department: setup.department.clone(),
        unit: setup.unit.clone(),
    })
}

/// Spending dated outside the evaluation year is counted but flagged: it usually means a
/// wrong date or a ledger of the wrong year. `outside` is the lines of those rows (only
/// the first five are shown, so a batch keeps only those and the count).
pub(crate) fn spending_year_warning(
    file: &Path,
    year: i32,
    outside: impl IntoIterator<Item = usize>,
    problems: &mut Problems,
) {
    let mut count = 0;
    let mut shown: Vec<String> = Vec::new();
    let mut first_line = None;
    for line in outside {
        count += 1;
        first_line.get_or_insert(line);
        if shown.len() < 5 {
            shown.push(line.to_string());
        }
    }
    outside_year_problem(file, year, count, &shown, first_line, problems);
}

/// The warning for `count` rows dated outside `year`, the first lines `shown`.
pub(crate) fn outside_year_problem(
    file: &Path,
    year: i32,
    count: usize,
    shown: &[String],
    first_line: Option<usize>,
    problems: &mut Problems,
) {
    if let Some(first) = first_line {
        problems.push(
            Problem::warning(
                file,
                format!(
                    "{} spending row(s) dated outside {} ({} {}{})",
                    count,
                    year,
                    if count == 1 { "line" } else { "lines" },
                    shown.join(", "),
                    if count > 5 { ", …" } else { "" }
                ),
            )
            .code(Code::SpendingOutsideYear)
            .at_line(first)
            .field("date"),
        );
    }
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
    fn a_metric_given_again_points_at_its_row_before() {
        let units = crate::scheme::Unit::None;
        let output = |line: usize, metric: &'static str| OutputValue {
            line,
            metric,
            value: Decimal::ONE,
            unit: &units,
        };
        let outputs = [
            output(2, "b"),
            output(3, "a"),
            output(4, "b"),
            output(5, "c"),
            output(6, "b"),
            output(7, "a"),
        ];
        // b on 4 repeats line 2 and b on 6 repeats line 4 (the row just before, as the
        // message says "first on line"), a on 7 repeats line 3
        let expected = [None, None, Some(2), None, Some(4), Some(3)];
        assert_eq!(earlier_rows_scanned(&outputs), expected);
        assert_eq!(earlier_rows_sorted(&outputs), expected);
        assert!(earlier_rows(&[]).is_empty());
        // Many rows go the sorted way: 40 rows naming metrics m0…m6 in turn, so row i
        // repeats row i − 7 (lines are i + 2).
        let names = ["m0", "m1", "m2", "m3", "m4", "m5", "m6"];
        let many: Vec<OutputValue<'_>> = (0..40).map(|i| output(i + 2, names[i % 7])).collect();
        let expected: Vec<Option<usize>> = (0..40).map(|i| (i >= 7).then(|| i - 7 + 2)).collect();
        assert_eq!(earlier_rows(&many), expected);
        assert_eq!(earlier_rows_scanned(&many), expected);
    }

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
}

//! projects.csv: which scheme scores each project of a bureau, and who runs it.

use std::collections::BTreeMap;
use std::path::Path;

use super::table;
use super::{Column, PROJECT, ReadOptions, col};
use crate::diag::Problems;

/// The optional file of a batch folder choosing each project's scheme, department and unit.
pub const PROJECTS_FILE: &str = "projects.csv";

pub(super) const PROJECTS_COLUMNS: &[Column] = &[
    PROJECT,
    col("scheme", &["指标体系"], false),
    col("department", &["主管部门"], false),
    col("unit", &["实施单位"], false),
];

/// Positions in [`PROJECTS_COLUMNS`].
pub(super) mod projects_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const SCHEME: usize = 1;
    pub(in crate::data) const DEPARTMENT: usize = 2;
    pub(in crate::data) const UNIT: usize = 3;
}

/// One row of projects.csv: which scheme scores a project of a batch, and who runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    pub line: usize,
    pub project: String,
    /// The scheme file, as written (relative to the evaluation folder).
    pub scheme: Option<String>,
    /// 主管部门
    pub department: Option<String>,
    /// 实施单位
    pub unit: Option<String>,
}

/// Read projects.csv (CSV or workbook); problems are pushed. A project listed twice is an
/// error on the second row.
pub fn read_projects(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
) -> Vec<ProjectRow> {
    let source = match table::open(path, options) {
        Ok(source) => source,
        Err(p) => {
            problems.push(*p);
            return Vec::new();
        }
    };
    let mut out: Vec<ProjectRow> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    table::read_rows(path, source, PROJECTS_COLUMNS, problems, |row, problems| {
        let Some(project) = row.required(projects_at::PROJECT, problems) else {
            return;
        };
        if let Some(first) = seen.insert(project.clone(), row.line) {
            problems.push(
                row.problem(
                    "project",
                    format!("project {project} is listed twice (first on line {first})"),
                )
                .zh(format!("项目 {project} 列了两次（第一次在第 {first} 行）"))
                .value(&project)
                .expected("each project once")
                .zh_expected("每个项目只列一次"),
            );
            return;
        }
        out.push(ProjectRow {
            line: row.line,
            project,
            scheme: row.get(projects_at::SCHEME).map(str::to_string),
            department: row.get(projects_at::DEPARTMENT).map(str::to_string),
            unit: row.get(projects_at::UNIT).map(str::to_string),
        });
    });
    out
}

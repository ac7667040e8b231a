//! Reading a published 项目支出绩效自评表 from an Excel workbook (`.xlsx`, `.xlsm`, `.xls`)
//! into the claims a claims file would hold, so that every check and verdict of the review
//! applies to it unchanged.
//!
//! Each sheet is read cell by cell as it prints ([`crate::data::sheet::Numbers::Shown`]);
//! `form` finds the form on it by its Chinese labels (never by position), `text` writes
//! it as claims text with the cell of each figure, and the claims are read from that text
//! ([`crate::review::load::parse_located`]) with every claim placed at its cell: a finding
//! names the sheet row, and its subject the row's 三级指标. The same text is what
//! `jixiao review --to-claims` writes.

#[cfg(feature = "xlsx")]
mod form;
#[cfg(feature = "xlsx")]
mod text;

use std::path::Path;

use super::load::Located;
use super::model::Claims;
use crate::diag::{Code, Problem, Problems};
use crate::input::Root;

/// The claims of one sheet holding a 自评表.
#[derive(Debug, Clone)]
pub struct SheetClaims {
    pub sheet: String,
    /// The claims as claims text (what `--to-claims` writes); `None` when the sheet's
    /// layout could not be read.
    pub text: Option<String>,
    /// The claims, or why they cannot be reviewed: a layout not accepted, a figure that is
    /// not one (each placed at its cell).
    pub claims: Result<Claims, Problems>,
    /// The cell of every value of the claims, for naming the cells of later problems.
    pub cells: Vec<Located>,
}

impl SheetClaims {
    /// Problems with the claims found later (an actual in a unit its target cannot be
    /// compared with, JX0021), each named by its cell and what the cell holds
    /// (`F24 受理法律援助案件数 · 实际完成值`) instead of the claims key.
    pub fn name_cells(&self, mut problems: Problems) -> Problems {
        let workbook = self.claims.as_ref().ok().map(|c| c.path.as_path());
        for p in &mut problems.0 {
            if Some(p.file.as_path()) != workbook {
                continue; // the records' or the scheme's own
            }
            let cell = self
                .cells
                .iter()
                .find(|c| Some(c.line) == p.line && Some(c.column) == p.column);
            if let Some(c) = cell {
                p.field = Some(c.label.clone());
                p.span = None;
            }
        }
        problems
    }
}

/// Read every sheet of a workbook that holds a 自评表 (or only `sheet`), each into its
/// claims. Sheets without a 绩效指标 table are passed over when another has one; a sheet
/// whose table does not match an accepted layout is refused with the sheet, the row and
/// the labels found and expected. `Err`: the workbook cannot be read, has no such sheet,
/// or no sheet holds a 绩效指标 table (a problem per sheet, naming what was found).
#[cfg(feature = "xlsx")]
pub fn read(path: &Path, root: &Root, sheet: Option<&str>) -> Result<Vec<SheetClaims>, Problems> {
    use crate::data::sheet::{self, Numbers};
    let unreadable = |e: sheet::Unreadable| {
        Problems(vec![
            Problem::error(path, e.message.clone())
                .zh(format!("无法读取工作簿：{}", e.message))
                .code(Code::UnreadableFile)
                .expected(e.expected),
        ])
    };
    // The sheet asked for, or the first, read at once: it gives the workbook's sheet names
    // too, so an `.xls` (read in a child process per sheet) is not opened again for them.
    // A sheet asked for that the workbook lacks is refused by the reader, naming the sheets.
    let first = sheet::read_with(path, sheet, Numbers::Shown).map_err(unreadable)?;
    let chosen: Vec<String> = match sheet {
        Some(s) => vec![s.to_string()],
        None => first.sheets.clone(),
    };
    let mut first = Some(first);
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut found = Vec::new();
    let mut no_table = Problems::default();
    for name in &chosen {
        let sheet = match first.take_if(|f| f.name == *name) {
            Some(s) => s,
            None => sheet::read_with(path, Some(name), Numbers::Shown).map_err(unreadable)?,
        };
        let form = match form::read(&sheet) {
            Ok(f) => f,
            Err(why) if why.row.is_none() => {
                no_table.push(why.problem(path, name));
                continue;
            }
            Err(why) => {
                found.push(SheetClaims {
                    sheet: name.clone(),
                    text: None,
                    claims: Err(Problems(vec![why.problem(path, name)])),
                    cells: Vec::new(),
                });
                continue;
            }
        };
        let written = text::write(&form, &file);
        let locate = |offset: usize| written.locate(offset);
        let claims = super::load::parse_located(path, &written.text, root, &locate).map(|mut c| {
            c.sheet = Some(name.clone());
            c
        });
        found.push(SheetClaims {
            sheet: name.clone(),
            text: Some(written.text),
            claims,
            cells: written.cells.into_iter().map(|(_, l)| l).collect(),
        });
    }
    if found.is_empty() {
        return Err(no_table);
    }
    Ok(found)
}

/// Without Excel support: the workbook is refused, saying so.
#[cfg(not(feature = "xlsx"))]
pub fn read(path: &Path, _root: &Root, _sheet: Option<&str>) -> Result<Vec<SheetClaims>, Problems> {
    Err(Problems(vec![
        Problem::error(
            path,
            "this jixiao was built without Excel support (cargo feature \"xlsx\"): a workbook cannot be reviewed",
        )
        .zh("此版本的 jixiao 编译时未带 Excel 支持（cargo feature \"xlsx\"），无法复核工作簿")
        .code(Code::UnreadableFile)
        .expected("a claims file (claims.toml), or a jixiao built with the feature \"xlsx\"")
        .zh_expected("转录文件（claims.toml），或带 \"xlsx\" 功能编译的 jixiao"),
    ]))
}

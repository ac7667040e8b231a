//! Excel workbooks (`.xlsx`, `.xlsm`, `.xls`) as input tables, read with calamine.
//!
//! Every cell becomes the text the CSV path would see, so one set of parsers serves both:
//!
//! - a number becomes its shortest decimal text, rounded to the 15 significant digits Excel
//!   keeps (0.1 + 0.2, stored as 0.30000000000000004, reads `0.3`); no arithmetic is done
//!   on the binary value, so 1560.005 stays `1560.005` (and is refused as more precise
//!   than a fen, as in a CSV file);
//! - a number formatted as a percentage reads as Excel shows it: 0.95 → `95%`;
//! - a date (a serial number with a date format) becomes `2022-03-28`, in the 1900 date
//!   system (with Excel's fictitious 1900-02-29) or the 1904 one, as the workbook says;
//! - TRUE and FALSE become `TRUE` and `FALSE`; an error value (`#DIV/0!`) is reported.
//!
//! A form read for what it prints ([`Numbers::Shown`], the 自评表 that `jixiao review`
//! reads) takes a number as its format shows it instead, when the format is a plain one:
//! 2 formatted `0.00` reads `2.00`, 135 formatted `0"件"` reads `135件`.

use calamine::{Data, Reader, StyleRange};
use std::path::Path;

/// Significant digits Excel keeps in a number (IEEE doubles hold 15 to 17).
const EXCEL_DIGITS: usize = 15;

/// One cell as text, or the Excel error it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CellText {
    Text(String),
    /// An error value such as `#DIV/0!` or `#N/A`.
    Error(String),
}

/// One sheet, read whole (calamine loads a sheet at once): rows of cell texts with their
/// Excel row numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sheet {
    pub name: String,
    /// (row number as Excel shows it, cells from the sheet's first used column)
    pub rows: Vec<(usize, Vec<CellText>)>,
    /// The sheet's first used column, 0-based (0 = A): where each row's cells start.
    pub first_column: u32,
    /// Every sheet of the workbook, in order: an `.xls` read in a child process says so in
    /// the same reply, so that its other sheets can be asked for.
    #[serde(default)]
    pub sheets: Vec<String>,
}

/// How number cells become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// The number itself (a percentage format gives `95%`): what a table of data holds.
    Values,
    /// As a plain number format shows it (decimals, `%`, a quoted unit: `0.00`, `0.00%`,
    /// `0"件"`, `#,##0.00####` without the thousands separators); other formats as
    /// [`Numbers::Values`]: what a printed form says.
    Shown,
}

/// Why a sheet could not be read, and what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unreadable {
    pub message: String,
    pub expected: String,
    /// The message and what was expected in Chinese (empty: none given).
    #[serde(default)]
    pub zh: String,
    #[serde(default)]
    pub expected_zh: String,
}

/// What a damaged workbook should be instead.
pub const SAVE_AGAIN: &str =
    "an Excel workbook; open it in Excel or WPS and save it again as .xlsx";
pub const SAVE_AGAIN_ZH: &str = "Excel 工作簿；请在 Excel 或 WPS 中打开并另存为 .xlsx";

impl Unreadable {
    /// Why, and what was expected, in English and Chinese.
    pub fn new(
        message: impl Into<String>,
        zh: impl Into<String>,
        expected: impl Into<String>,
        expected_zh: impl Into<String>,
    ) -> Self {
        Unreadable {
            message: message.into(),
            expected: expected.into(),
            zh: zh.into(),
            expected_zh: expected_zh.into(),
        }
    }

    /// The workbook's reader failed with `why` (its own words, kept).
    fn reader(en: &str, zh: &str, why: impl std::fmt::Display) -> Self {
        Unreadable::new(
            format!("{en}: {why}"),
            format!("{zh}：{why}"),
            "an Excel workbook (.xlsx, .xlsm or .xls)",
            "Excel 工作簿（.xlsx、.xlsm 或 .xls）",
        )
    }

    /// The problem of `path`, in both languages.
    pub fn problem(&self, path: &Path) -> crate::diag::Problem {
        let mut p = crate::diag::Problem::error(path, self.message.clone())
            .code(crate::diag::Code::UnreadableFile)
            .expected(self.expected.clone());
        if !self.zh.is_empty() {
            p = p.zh(self.zh.clone());
        }
        if !self.expected_zh.is_empty() {
            p = p.zh_expected(self.expected_zh.clone());
        }
        p
    }
}

/// A reader of `.xls` workbooks other than [`read_here`]: see [`read_xls_with`].
pub type XlsReader = fn(&Path, Option<&str>) -> Result<Sheet, Unreadable>;

static XLS_READER: std::sync::OnceLock<XlsReader> = std::sync::OnceLock::new();

/// Read `.xls` workbooks with `reader` from now on. calamine's reader of the old binary
/// format trusts the sizes a file states: a damaged or hostile `.xls` of 6 KB can make it
/// ask for 137 GB (the process aborts) or index out of bounds. The `jixiao` binary reads
/// `.xls` files in a child process of its own, which may die without taking the run with it;
/// a library user keeps [`read_here`]. The first call wins.
pub fn read_xls_with(reader: XlsReader) {
    let _ = XLS_READER.set(reader);
}

fn is_xls(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xls"))
}

/// Open a workbook and read one sheet: `sheet`, or the first one (an `.xls` workbook by
/// the reader [`read_xls_with`] set, if any).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, Unreadable> {
    read_with(path, sheet, Numbers::Values)
}

/// The names of a workbook's sheets, in order. The child process that reads an `.xls`
/// (see [`read_xls_with`]) gives one sheet at a time: an `.xls` is taken by its first.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, Unreadable> {
    if is_xls(path)
        && let Some(reader) = XLS_READER.get()
    {
        return reader(path, None).map(|s| s.sheets);
    }
    guarded(|| {
        let book = calamine::open_workbook_auto(path)
            .map_err(|e| Unreadable::reader("cannot read the workbook", "无法读取工作簿", e))?;
        Ok(book.sheet_names())
    })
}

/// Open a workbook and read one sheet (`sheet`, or the first one), its numbers as `numbers`
/// says (an `.xls` by the reader [`read_xls_with`] set, if any: by value, as an `.xls`
/// gives no styles).
pub fn read_with(path: &Path, sheet: Option<&str>, numbers: Numbers) -> Result<Sheet, Unreadable> {
    if is_xls(path)
        && let Some(reader) = XLS_READER.get()
    {
        return reader(path, sheet);
    }
    guarded(|| read_workbook(path, sheet, numbers))
}

/// [`read`] in this process. A panic inside calamine (a malformed file) is an error, not a
/// crash; an allocation it cannot get still aborts the process (see [`read_xls_with`]).
pub fn read_here(path: &Path, sheet: Option<&str>) -> Result<Sheet, Unreadable> {
    guarded(|| read_workbook(path, sheet, Numbers::Values))
}

/// `f`, with a panic inside it an error: the workbook is damaged.
fn guarded<T>(
    f: impl FnOnce() -> Result<T, Unreadable> + std::panic::UnwindSafe,
) -> Result<T, Unreadable> {
    std::panic::catch_unwind(f).unwrap_or_else(|_| {
        Err(Unreadable::new(
            "cannot read the workbook: it is damaged (its reader failed)",
            "无法读取工作簿：文件已损坏（读取程序出错）",
            SAVE_AGAIN,
            SAVE_AGAIN_ZH,
        ))
    })
}

fn read_workbook(path: &Path, sheet: Option<&str>, numbers: Numbers) -> Result<Sheet, Unreadable> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| Unreadable::reader("cannot read the workbook", "无法读取工作簿", e))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Unreadable::new(
                    format!(
                        "the workbook has no sheet \"{s}\" (sheets: {})",
                        names.join(", ")
                    ),
                    format!(
                        "工作簿中没有名为“{s}”的工作表（工作表有：{}）",
                        names.join("、")
                    ),
                    "--sheet naming one of the workbook's sheets",
                    "--sheet 后写工作簿中的一个工作表名",
                )
            })?,
        None => names.first().cloned().ok_or_else(|| {
            Unreadable::new(
                "the workbook has no sheet",
                "工作簿中没有工作表",
                "an Excel workbook (.xlsx, .xlsm or .xls)",
                "Excel 工作簿（.xlsx、.xlsm 或 .xls）",
            )
        })?,
    };
    // Styles tell percentages apart (xlsx only; other formats give none). calamine keeps
    // them as runs, so a far cell costs nothing here.
    let styles = book.worksheet_style(&name).unwrap_or_default();
    let cells = match &mut book {
        // An .xlsx sheet is read cell by cell: calamine's whole-sheet range is dense, and
        // one cell at XFD1048576 would ask for 1,048,576 × 16,384 cells (512 GB).
        calamine::Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(&name)
                .map_err(|e| sheet_unreadable(&name, e))?;
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(|e| sheet_unreadable(&name, e))? {
                let (row, col) = cell.get_position();
                let value: Data = cell.get_value().clone().into();
                if value != Data::Empty {
                    if cells.len() == MAX_CELLS {
                        return Err(too_many_cells());
                    }
                    cells.push((row, col, value));
                }
            }
            cells
        }
        // An .xls sheet is at most 65,536 rows of 256 columns by its format, but a damaged
        // file may state more: the binary reads .xls in a child process (read_xls_with).
        _ => {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| sheet_unreadable(&name, e))?;
            range
                .used_cells()
                .filter(|(_, _, v)| **v != Data::Empty)
                .map(|(r, c, v)| {
                    let (row0, col0) = range.start().unwrap_or((0, 0));
                    (row0 + r as u32, col0 + c as u32, v.clone())
                })
                .collect()
        }
    };
    let first_column = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let rows = rows_of(cells, &styles, numbers)?;
    Ok(Sheet {
        name,
        rows,
        first_column,
        sheets: names,
    })
}

/// Most cells a sheet may hold (filled ones, and the empty ones to their left in the
/// same row): a ledger of a million rows is a CSV file's job.
pub const MAX_CELLS: usize = 10_000_000;

/// Most columns a table may span, from its first used column (as many as an .xls sheet).
pub const MAX_COLUMNS: u32 = 256;

fn too_many_cells() -> Unreadable {
    Unreadable::new(
        format!("the sheet holds more than {MAX_CELLS} cells"),
        format!("工作表超过 {MAX_CELLS} 个单元格"),
        "a smaller sheet; save a large table as CSV (UTF-8), which is read row by row",
        "更小的工作表；大表请另存为 CSV（UTF-8），按行读取",
    )
}

fn sheet_unreadable(name: &str, e: impl std::fmt::Display) -> Unreadable {
    Unreadable::reader(
        &format!("cannot read sheet \"{name}\""),
        &format!("无法读取工作表“{name}”"),
        e,
    )
}

/// Cells `(row, column, value)` (0-based, any order) as rows of texts from the first used
/// column, each row as wide as its last filled cell; rows with no cell are left out (a
/// blank row). A cell beyond [`MAX_COLUMNS`] is an error naming it.
fn rows_of(
    mut cells: Vec<(u32, u32, Data)>,
    styles: &StyleRange,
    numbers: Numbers,
) -> Result<Vec<(usize, Vec<CellText>)>, Unreadable> {
    let Some(col0) = cells.iter().map(|c| c.1).min() else {
        return Ok(Vec::new());
    };
    if let Some((row, col, _)) = cells.iter().find(|c| c.1 - col0 >= MAX_COLUMNS) {
        let (cell, right, first) = (cell_name(*row, *col), col - col0, column_name(col0));
        return Err(Unreadable::new(
            format!("cell {cell} lies {right} columns right of the table's first column {first}"),
            format!("单元格 {cell} 在表格首列 {first} 右边第 {right} 列"),
            "a table within 256 columns: clear the cells beyond it",
            "不超过 256 列的表格：请清除其外的单元格",
        ));
    }
    cells.sort_by_key(|c| (c.0, c.1));
    let mut rows: Vec<(usize, Vec<CellText>)> = Vec::new();
    let mut shown = 0usize;
    for (row, col, value) in cells {
        let line = row as usize + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            rows.push((line, Vec::new()));
        }
        let Some((_, texts)) = rows.last_mut() else {
            continue;
        };
        let at = (col - col0) as usize;
        if at < texts.len() {
            continue; // the same cell twice (a malformed sheet): the first stands
        }
        shown += at + 1 - texts.len();
        if shown > MAX_CELLS {
            return Err(too_many_cells());
        }
        texts.resize(at, CellText::Text(String::new()));
        let shown = match (numbers, &value) {
            (Numbers::Shown, Data::Float(_) | Data::Int(_)) => format_code(styles, (row, col))
                .and_then(|code| shown_number(&number_cell_text(&value), code)),
            _ => None,
        };
        texts.push(match shown {
            Some(text) => CellText::Text(text),
            None => cell_text(&value, is_percent(styles, (row, col))),
        });
    }
    Ok(rows)
}

/// `A`, `Z`, `AA`, … `XFD` for a 0-based column.
fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        name.push(char::from(b'A' + d as u8));
        n = (n - 1) / 26;
    }
    name.iter().rev().collect()
}

/// `XFD1048576` for a 0-based row and column.
fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// Whether the cell at `pos` has a number format that shows a percentage (`0%`, `0.00%`):
/// a `%` outside quotes and escapes.
fn is_percent(styles: &StyleRange, pos: (u32, u32)) -> bool {
    format_code(styles, pos).is_some_and(format_shows_percent)
}

/// The number format code of the cell at `pos`, when it has one.
fn format_code(styles: &StyleRange, pos: (u32, u32)) -> Option<&str> {
    styles
        .get(pos)
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.as_str())
}

/// A number cell's value as decimal text (see [`number_text`]).
fn number_cell_text(cell: &Data) -> String {
    match cell {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        _ => String::new(),
    }
}

/// A number (as decimal text) as a plain number format shows it: the decimals the format
/// asks for (at least its `0`s after the point, at most its `0`s and `#`s, rounded 四舍五入),
/// × 100 before a `%`, with the format's literal text (`"件"`, `\%`, `¥`) around it.
/// `None` when the format is not a plain one — General, text (`@`), dates and times,
/// exponents, fractions, several number parts, or a negative number under a format of
/// several sections — and the value is then read as it is.
///
/// `0.00` shows 2 as `2.00`; `0.00%` shows 0.679 as `67.90%`; `0"件"` shows 135 as
/// `135件`; `#,##0.00####` shows 6.79 as `6.79` and 10 as `10.00` (no separators).
pub fn shown_number(value: &str, code: &str) -> Option<String> {
    let sections = split_sections(code);
    if sections.len() > 1 && value.starts_with('-') {
        return None;
    }
    let section = sections.first()?;
    let mut literal = [String::new(), String::new()];
    let (mut number, mut in_number, mut after_point) = (false, false, false);
    let (mut min, mut max, mut percent) = (0u32, 0u32, false);
    let mut chars = section.chars().peekable();
    while let Some(c) = chars.next() {
        let text: Option<String> = match c {
            '0' | '#' | '?' => {
                if number && !in_number {
                    return None;
                }
                (number, in_number) = (true, true);
                if after_point {
                    max += 1;
                    min += u32::from(c == '0');
                }
                continue;
            }
            '.' if in_number || matches!(chars.peek(), Some('0' | '#' | '?')) => {
                if after_point || (number && !in_number) {
                    return None;
                }
                (number, in_number, after_point) = (true, true, true);
                continue;
            }
            ',' if in_number => continue,
            '"' => Some(chars.by_ref().take_while(|&q| q != '"').collect()),
            '\\' => Some(chars.next()?.to_string()),
            '_' => {
                chars.next();
                Some(" ".into())
            }
            '*' => {
                chars.next();
                None
            }
            '[' => {
                // a colour or a condition; a currency [$¥-804] shows its symbol
                let inner: String = chars.by_ref().take_while(|&b| b != ']').collect();
                inner
                    .strip_prefix('$')
                    .map(|s| s.split('-').next().unwrap_or("").to_string())
            }
            '%' => {
                percent = true;
                Some("%".into())
            }
            '@' => return None,
            c if c.is_ascii_alphabetic() => return None,
            c => Some(c.to_string()),
        };
        in_number = false;
        if let Some(t) = text {
            literal[usize::from(number)].push_str(&t);
        }
    }
    if !number {
        return None;
    }
    let value = if percent {
        shift_point(value, 2)
    } else {
        value.to_string()
    };
    let mut d = crate::decimal::round_half_up(value.parse::<rust_decimal::Decimal>().ok()?, max)
        .normalize();
    if d.scale() < min {
        d.rescale(min);
    }
    let [before, after] = literal;
    Some(format!("{before}{d}{after}"))
}

/// A format code's sections (positive; negative; zero; text), split at `;` outside quotes
/// and escapes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else {
            match c {
                ';' if !quoted => {
                    sections.push(String::new());
                    continue;
                }
                '\\' if !quoted => escaped = true,
                '"' => quoted = !quoted,
                _ => {}
            }
        }
        if let Some(s) = sections.last_mut() {
            s.push(c);
        }
    }
    sections
}

/// Whether a number format code shows its value as a percentage.
pub fn format_shows_percent(code: &str) -> bool {
    let mut quoted = false;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                chars.next();
            }
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The text of one cell, as the CSV path would see it (see the module documentation).
pub fn cell_text(cell: &Data, percent: bool) -> CellText {
    CellText::Text(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) if percent => format!("{}%", shift_point(&i.to_string(), 2)),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if percent => format!("{}%", shift_point(&number_text(*f), 2)),
        Data::Float(f) => number_text(*f),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(d) if d.is_datetime() => serial_date_text(d),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return CellText::Error(e.to_string()),
    })
}

/// A date cell as `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when it has a time of day.
/// Serial numbers outside Excel's dates (below 1, from year 10000 on) stay numbers.
fn serial_date_text(d: &calamine::ExcelDateTime) -> String {
    let v = d.as_f64();
    if !(1.0..2_958_466.0).contains(&v) {
        return number_text(v);
    }
    let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
    if (h, min, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}

/// A number cell's value as decimal text: the shortest text that reads back as the same
/// double (Rust's `Display`, which never uses an exponent), rounded half away from zero to
/// the 15 significant digits Excel works with, trailing zeros dropped. The rounding is done
/// on the digits, never on the binary value.
///
/// 0.30000000000000004 → `0.3`; 7200 → `7200`; 1560.005 → `1560.005`; 1e-7 → `0.0000001`.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    round_significant(&value.to_string(), EXCEL_DIGITS)
}

/// Round a plain decimal text (`-123.456`, no exponent) to `digits` significant digits,
/// half away from zero, and drop trailing zeros after the point.
fn round_significant(text: &str, digits: usize) -> String {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    // All digits and the position of the point among them.
    let mut all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let mut point = int.len();
    let first = all.iter().position(|&d| d != 0);
    if let Some(first) = first
        && all.len() > first + digits
    {
        let keep = first + digits;
        let round_up = all[keep] >= 5;
        all.truncate(keep);
        if round_up {
            let mut i = keep;
            loop {
                if i == 0 {
                    all.insert(0, 1);
                    point += 1;
                    break;
                }
                i -= 1;
                if all[i] == 9 {
                    all[i] = 0;
                } else {
                    all[i] += 1;
                    break;
                }
            }
        }
        // Digits dropped before the point become zeros.
        while all.len() < point {
            all.push(0);
        }
    }
    let to_str = |d: &[u8]| d.iter().map(|&d| char::from(b'0' + d)).collect::<String>();
    let int_digits = to_str(&all[..point.min(all.len())]);
    let int_digits = int_digits.trim_start_matches('0');
    let frac_digits = to_str(all.get(point..).unwrap_or(&[]));
    let frac_digits = frac_digits.trim_end_matches('0');
    let int_digits = if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    };
    let zero = int_digits == "0" && frac_digits.is_empty();
    let mut out = String::new();
    if negative && !zero {
        out.push('-');
    }
    out.push_str(int_digits);
    if !frac_digits.is_empty() {
        out.push('.');
        out.push_str(frac_digits);
    }
    out
}

/// Move the decimal point of a plain decimal text `places` to the right (× 10^places),
/// exactly: `0.95` → `95`, `0.125` → `12.5`, `-1` → `-100`.
fn shift_point(text: &str, places: usize) -> String {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut frac = frac.to_string();
    while frac.len() < places {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(places);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let rest = rest.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(int == "0" && rest.is_empty()) {
        out.push('-');
    }
    out.push_str(int);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn text(cell: Data) -> String {
        match cell_text(&cell, false) {
            CellText::Text(t) => t,
            CellText::Error(e) => panic!("error cell {e}"),
        }
    }

    #[test]
    fn column_names_as_excel_writes_them() {
        // bijective base 26: A = 1 … Z = 26, AA = 27; XFD = 24 × 676 + 6 × 26 + 4 = 16,384
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(701), "ZZ"); // 26 × 26 + 26 = 702nd
        assert_eq!(super::column_name(702), "AAA");
        assert_eq!(super::cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn sparse_cells_become_rows_from_the_first_used_column() {
        use super::{MAX_COLUMNS, Numbers, rows_of};
        let t = |s: &str| CellText::Text(s.to_string());
        let styles = StyleRange::default();
        // out of order, starting at column C (2), with a gap at D and an empty row 2
        let cells = vec![
            (2, 4, Data::String("z".into())),
            (0, 2, Data::String("a".into())),
            (0, 3, Data::Float(1.5)),
            (2, 2, Data::String("y".into())),
            (2, 2, Data::String("dup".into())),
        ];
        let rows = rows_of(cells, &styles, Numbers::Values).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec![t("a"), t("1.5")]),
                // E is two right of C: D empty between; the repeated C3 keeps its first value
                (3, vec![t("y"), t(""), t("z")]),
            ]
        );
        // the 256th column from C is the last allowed: 0-based 2 + 255 = 257, the 258th
        // column (9 × 26 + 24: IX)
        let edge = vec![(0, 2, Data::Int(1)), (0, 2 + MAX_COLUMNS - 1, Data::Int(2))];
        assert_eq!(
            rows_of(edge, &styles, Numbers::Values).unwrap()[0].1.len(),
            256
        );
        let over = vec![(0, 2, Data::Int(1)), (4, 2 + MAX_COLUMNS, Data::Int(2))];
        let err = rows_of(over, &styles, Numbers::Values).unwrap_err();
        // one further: 0-based 258, the 259th column = 9 × 26 + 25: I, Y
        assert_eq!(
            err.message,
            "cell IY5 lies 256 columns right of the table's first column C"
        );
    }

    #[test]
    fn numbers_lose_their_binary_noise_not_their_digits() {
        // 0.1 + 0.2 = 0.30000000000000004 as a double; Excel shows 0.3
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(7200.0), "7200");
        assert_eq!(number_text(67900.5), "67900.5");
        // three decimals are kept, so the amount parser can refuse them
        assert_eq!(number_text(1560.005), "1560.005");
        assert_eq!(number_text(-280.0), "-280");
        assert_eq!(number_text(0.0), "0");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1e-7), "0.0000001");
        // 1.1 × 3 = 3.3000000000000003 → 3.3
        assert_eq!(number_text(1.1 * 3.0), "3.3");
        // 67,900 × 1.13 = 76726.99999999999 as a double → 15 digits 76727.0000000000 → 76727
        assert_eq!(number_text(67900.0 * 1.13), "76727");
        // 16 significant digits are rounded to 15: 1234567890.123456 → 1234567890.12346
        assert_eq!(number_text(1234567890.123456), "1234567890.12346");
        // rounding carries through nines: 9.9999999999999996 → 10
        assert_eq!(number_text(9.999_999_999_999_999_6), "10");
        // large whole numbers keep their zeros
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(123456789012345680.0), "123456789012346000");
    }

    #[test]
    fn percentages_read_as_excel_shows_them() {
        assert!(format_shows_percent("0%"));
        assert!(format_shows_percent("0.00%"));
        assert!(!format_shows_percent("General"));
        assert!(!format_shows_percent("0.00\"%\""));
        assert!(!format_shows_percent("0\\%"));
        // 0.95 shown as 95%
        assert_eq!(
            cell_text(&Data::Float(0.95), true),
            CellText::Text("95%".into())
        );
        // 0.125 → 12.5%; 1 → 100%
        assert_eq!(
            cell_text(&Data::Float(0.125), true),
            CellText::Text("12.5%".into())
        );
        assert_eq!(
            cell_text(&Data::Int(1), true),
            CellText::Text("100%".into())
        );
        assert_eq!(shift_point("-0.005", 2), "-0.5");
        assert_eq!(shift_point("0", 2), "0");
    }

    #[test]
    fn plain_number_formats_read_as_shown() {
        // 2 as 0.00 → 2.00; 0.679 as 0.00% → 67.90% (0.679 × 100 = 67.9, two decimals)
        assert_eq!(shown_number("2", "0.00").as_deref(), Some("2.00"));
        assert_eq!(shown_number("0.679", "0.00%").as_deref(), Some("67.90%"));
        // 0.91777 as 0.0% → 91.777% → 91.8% (四舍五入 at one decimal)
        assert_eq!(shown_number("0.91777", "0.0%").as_deref(), Some("91.8%"));
        // a quoted unit after the number
        assert_eq!(shown_number("135", "0\"件\"").as_deref(), Some("135件"));
        assert_eq!(
            shown_number("502.96", "0.00\"元/件\"").as_deref(),
            Some("502.96元/件")
        );
        // #,##0.00####: at least 2 decimals, at most 6, no separator written
        assert_eq!(shown_number("10", "#,##0.00####").as_deref(), Some("10.00"));
        assert_eq!(
            shown_number("67900.123", "#,##0.00####").as_deref(),
            Some("67900.123")
        );
        // 2.345 as 0.00 → 2.35 (half away from zero, not to even)
        assert_eq!(shown_number("2.345", "0.00").as_deref(), Some("2.35"));
        assert_eq!(
            shown_number("7", "[Red]0.0_);(0.0)").as_deref(),
            Some("7.0 ")
        );
        assert_eq!(shown_number("7", "\\¥0").as_deref(), Some("¥7"));
        // formats that are not plain numbers are left to the value
        for code in ["General", "@", "yyyy-mm-dd", "0.00E+00", "# ?/?", "000-000"] {
            assert_eq!(shown_number("7", code), None, "{code}");
        }
        // a negative number under a format of two sections (shown in brackets, say)
        assert_eq!(shown_number("-7", "0.00;(0.00)"), None);
        assert_eq!(shown_number("-7", "0.00").as_deref(), Some("-7.00"));
    }

    #[test]
    fn serial_dates_in_both_date_systems() {
        let date = |v: f64, is_1904: bool| {
            text(Data::DateTime(ExcelDateTime::new(
                v,
                ExcelDateTimeType::DateTime,
                is_1904,
            )))
        };
        // 1900 system: serial 44648 = 2022-03-28 (1900-01-01 is 1, and Excel counts the
        // fictitious 1900-02-29 as 60, so later serials are one day ahead of a true count)
        assert_eq!(date(44648.0, false), "2022-03-28");
        assert_eq!(date(1.0, false), "1900-01-01");
        assert_eq!(date(59.0, false), "1900-02-28");
        // the day that never was: the date parser refuses it
        assert_eq!(date(60.0, false), "1900-02-29");
        assert_eq!(date(61.0, false), "1900-03-01");
        // 1904 system: serial 0 = 1904-01-01, so 2022-03-28 is 44648 − 1462 = 43186
        assert_eq!(date(43186.0, true), "2022-03-28");
        // a time of day is kept (and refused by the date parser)
        assert_eq!(date(44648.5, false), "2022-03-28 12:00:00");
        // below 1 and beyond 9999-12-31 are not dates
        assert_eq!(date(0.5, false), "0.5");
        assert_eq!(date(3e6, false), "3000000");
    }

    #[test]
    fn other_cells() {
        assert_eq!(text(Data::Empty), "");
        assert_eq!(text(Data::String(" 记-0315 ".into())), " 记-0315 ");
        assert_eq!(text(Data::Int(135)), "135");
        assert_eq!(text(Data::Bool(true)), "TRUE");
        assert_eq!(
            cell_text(&Data::Error(calamine::CellErrorType::Div0), false),
            CellText::Error("#DIV/0!".into())
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        proptest! {
            #![proptest_config(crate::testing::proptest_config("tests/proptest-regressions/data-sheet.txt"))]
            /// A number typed into Excel (at most 15 significant digits) reads back as the
            /// very digits typed, whatever binary double holds it.
            #[test]
            fn typed_numbers_read_back_exactly(
                mantissa in 0i64..1_000_000_000_000_000,
                scale in 0u32..=12,
                negative in any::<bool>(),
            ) {
                let d = Decimal::new(if negative { -mantissa } else { mantissa }, scale);
                let typed = d.normalize().to_string();
                let double: f64 = typed.parse().unwrap();
                prop_assert_eq!(number_text(double), typed);
            }

            /// Any double gives plain decimal text with at most 15 significant digits.
            #[test]
            fn any_double_gives_plain_text(bits in any::<u64>()) {
                let f = f64::from_bits(bits);
                prop_assume!(f.is_finite());
                let t = number_text(f);
                prop_assert!(!t.contains(['e', 'E']), "{}", t);
                let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                let significant = digits.trim_start_matches('0').trim_end_matches('0');
                prop_assert!(significant.len() <= 15, "{}", t);
            }

            /// The percentage shown is the value × 100, exactly.
            #[test]
            fn percent_is_value_times_one_hundred(
                mantissa in 0i64..1_000_000_000_000,
                scale in 0u32..=8,
            ) {
                let d = Decimal::new(mantissa, scale);
                let shown = shift_point(&d.normalize().to_string(), 2);
                prop_assert_eq!(
                    shown.parse::<Decimal>().unwrap(),
                    d * Decimal::ONE_HUNDRED
                );
            }
        }
    }
}

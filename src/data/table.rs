//! Input tables, whatever file they come in: CSV (UTF-8 or GB18030, streaming) or an Excel
//! sheet. Both give rows of cell texts with the line (CSV) or row number (Excel) a person
//! sees; the header is found, columns resolved, and each data row handed on.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use super::encoding::{self, EncodingChoice, Scan, TextEncoding};
use super::{Column, ReadOptions};
use crate::diag::{Code, Problem, Problems};
use crate::values::fold_width;

/// The header is looked for among the first rows that are not blank: title rows above it
/// (`2022年支出明细`, `单位：元`), as exports from accounting software and Excel forms have,
/// are skipped.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// A cell or line that cannot be read as text.
#[derive(Debug, Clone)]
pub(crate) struct Unreadable {
    /// Line (CSV) or row (Excel) of the problem.
    pub line: usize,
    /// Index of the cell, when known.
    pub column: Option<usize>,
    pub message: String,
    pub value: String,
    pub expected: &'static str,
    /// The whole row is suspect (undecodable bytes), not just one cell (an Excel error
    /// value in a column jixiao does not read is harmless).
    pub whole_row: bool,
}

/// One row of a table.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    /// The line of a CSV file the row starts on, or the row number of an Excel sheet.
    pub line: usize,
    pub cells: Vec<String>,
    pub unreadable: Vec<Unreadable>,
}

impl RawRow {
    fn is_blank(&self) -> bool {
        self.unreadable.is_empty() && self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A data row as it is read: its text once and each cell's range in it, rather than a
/// `String` per cell. Reading copies a row's text in one piece, and every buffer is reused
/// from row to row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    /// The line of a CSV file the row starts on, or the row number of an Excel sheet.
    pub line: usize,
    text: String,
    /// The byte range of each cell in `text`.
    ranges: Vec<(usize, usize)>,
    pub unreadable: Vec<Unreadable>,
}

impl Record {
    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.ranges.len()
    }

    /// The text of cell `i`.
    pub(crate) fn cell(&self, i: usize) -> Option<&str> {
        let &(from, to) = self.ranges.get(i)?;
        self.text.get(from..to)
    }

    /// Every cell's text, in order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &str> {
        self.ranges
            .iter()
            .map(|&(from, to)| self.text.get(from..to).unwrap_or_default())
    }

    fn is_blank(&self) -> bool {
        self.unreadable.is_empty() && self.cells().all(|c| c.trim().is_empty())
    }

    /// Empty the record for the cells of another row.
    fn clear(&mut self, line: usize) {
        self.line = line;
        self.text.clear();
        self.ranges.clear();
        self.unreadable.clear();
    }

    /// Add a cell after the others.
    fn push(&mut self, cell: &str) {
        let from = self.text.len();
        self.text.push_str(cell);
        self.ranges.push((from, self.text.len()));
    }

    /// The cells joined by commas, as a message shows the row.
    fn joined(&self) -> String {
        self.cells().collect::<Vec<_>>().join(",")
    }

    fn from_row(row: RawRow, into: &mut Record) {
        into.clear(row.line);
        for cell in &row.cells {
            into.push(cell);
        }
        into.unreadable = row.unreadable;
    }

    fn to_row(&self) -> RawRow {
        RawRow {
            line: self.line,
            cells: self.cells().map(str::to_string).collect(),
            unreadable: self.unreadable.clone(),
        }
    }
}

/// Where rows come from.
pub(crate) trait RowSource {
    /// The next row, or `None` at the end (a problem that ends the reading is pushed).
    fn next_row(&mut self, problems: &mut Problems) -> Option<RawRow>;
    /// The next row into `row`, whose buffers are reused; `false` at the end.
    fn next_into(&mut self, row: &mut Record, problems: &mut Problems) -> bool {
        match self.next_row(problems) {
            Some(next) => {
                Record::from_row(next, row);
                true
            }
            None => false,
        }
    }
    /// Problems about lines no row has reported (undecodable bytes after the reading
    /// stopped early).
    fn leftovers(&mut self) -> Vec<Unreadable> {
        Vec::new()
    }
    /// Whether a row with more cells than the header is suspect (CSV: an unquoted comma).
    fn checks_width(&self) -> bool;
}

/// Something a CSV file can be read from twice.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Open an input file: a workbook by its extension, otherwise CSV.
pub(crate) fn open(path: &Path, options: &ReadOptions) -> Result<Box<dyn RowSource>, Box<Problem>> {
    let workbook = super::is_workbook(path);
    let file = crate::input::open(path).map_err(|e| {
        Box::new(
            Problem::error(path, format!("cannot open: {e}"))
                .zh(format!("无法打开：{e}"))
                .code(Code::UnreadableFile)
                .expected(if workbook {
                    "a readable Excel workbook"
                } else {
                    "a readable CSV file"
                })
                .zh_expected(if workbook {
                    "可以读取的 Excel 工作簿"
                } else {
                    "可以读取的 CSV 文件"
                }),
        )
    })?;
    if workbook {
        return open_workbook(path, options.sheet.as_deref());
    }
    csv_rows(
        path,
        Box::new(std::io::BufReader::new(file)),
        options.encoding,
    )
}

#[cfg(feature = "xlsx")]
fn open_workbook(path: &Path, sheet: Option<&str>) -> Result<Box<dyn RowSource>, Box<Problem>> {
    let sheet = super::sheet::read(path, sheet).map_err(|e| Box::new(e.problem(path)))?;
    Ok(Box::new(SheetRows {
        rows: sheet.rows.into_iter(),
    }))
}

#[cfg(not(feature = "xlsx"))]
fn open_workbook(path: &Path, _sheet: Option<&str>) -> Result<Box<dyn RowSource>, Box<Problem>> {
    Err(Box::new(
        Problem::error(
            path,
            "this jixiao was built without Excel support (cargo feature \"xlsx\")",
        )
        .zh("此 jixiao 构建时未含 Excel 支持（cargo 功能 \"xlsx\"）")
        .code(Code::UnreadableFile)
        .expected("a CSV file")
        .zh_expected("CSV 文件"),
    ))
}

/// The rows of an Excel sheet.
#[cfg(feature = "xlsx")]
struct SheetRows {
    rows: std::vec::IntoIter<(usize, Vec<super::sheet::CellText>)>,
}

#[cfg(feature = "xlsx")]
impl RowSource for SheetRows {
    fn next_row(&mut self, _problems: &mut Problems) -> Option<RawRow> {
        use super::sheet::CellText;
        let (line, cells) = self.rows.next()?;
        let mut unreadable = Vec::new();
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| match c {
                CellText::Text(t) => t,
                CellText::Error(e) => {
                    unreadable.push(Unreadable {
                        line,
                        column: Some(i),
                        message: format!("the cell holds the Excel error {e}"),
                        value: e,
                        expected: "a value, not an error: fix the formula or type the value",
                        whole_row: false,
                    });
                    String::new()
                }
            })
            .collect();
        Some(RawRow {
            line,
            cells,
            unreadable,
        })
    }

    fn checks_width(&self) -> bool {
        false
    }
}

/// Newlines of the decoded text, shared between the [`LineTap`] that sees the bytes the csv
/// reader reads and the [`LineCounter`] that turns record offsets into lines. For each
/// `\n`, the offset where its run of `\r`/`\n` bytes began.
type Breaks = Rc<RefCell<VecDeque<u64>>>;

/// Passes the decoded text to the csv reader, noting where lines break: at each `\n`, and
/// at each `\r` not followed by `\n` (a file with old Mac line ends, which the csv reader
/// splits there too, and whose lines would otherwise all be line 1).
struct LineTap<R> {
    inner: R,
    breaks: Breaks,
    offset: u64,
    run_start: Option<u64>,
    /// A `\r` seen whose next byte is not yet known: the start of its run.
    pending_cr: Option<u64>,
}

impl<R: Read> Read for LineTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.breaks.borrow_mut();
        if n == 0 {
            breaks.extend(self.pending_cr.take());
            return Ok(0);
        }
        let data = &buf[..n];
        let mut i = 0;
        while let Some(k) = memchr::memchr2(b'\r', b'\n', &data[i..]) {
            let j = i + k;
            // Any other byte before this one ends a run of line breaks, and makes a `\r`
            // just before it a line break of its own.
            if k > 0 {
                breaks.extend(self.pending_cr.take());
                self.run_start = None;
            }
            let start = *self.run_start.get_or_insert(self.offset + j as u64);
            if data[j] == b'\n' {
                // `\r\n` is one break
                self.pending_cr = None;
                breaks.push_back(start);
            } else if let Some(lone) = self.pending_cr.replace(start) {
                breaks.push_back(lone);
            }
            i = j + 1;
        }
        if i < n {
            breaks.extend(self.pending_cr.take());
            self.run_start = None;
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Turns byte offsets of records in the decoded text into 1-based line numbers. The csv
/// crate's own line count is taken before the previous row's terminator is consumed, so it
/// is one short after a CRLF or a blank line, and a record's byte position may point at
/// that terminator. A record starts after any run of line breaks its position falls in, so
/// its line is 1 + the newlines whose run began at or before the position.
struct LineCounter {
    breaks: Breaks,
    line: usize,
}

impl LineCounter {
    /// The line of the record whose position is `byte` (positions only grow).
    fn record_line(&mut self, byte: u64) -> usize {
        let mut breaks = self.breaks.borrow_mut();
        while breaks.front().is_some_and(|&start| start <= byte) {
            breaks.pop_front();
            self.line += 1;
        }
        self.line
    }
}

/// The decoded text of a CSV file, as the csv reader reads it.
type Decoded = LineTap<Box<dyn Read>>;

/// The rows of a CSV file, decoded as [`encoding::scan`] decided.
pub(crate) struct CsvRows {
    reader: csv::Reader<Decoded>,
    lines: LineCounter,
    record: csv::ByteRecord,
    /// Lines with undecodable bytes not yet reported.
    bad: BTreeMap<usize, Vec<u8>>,
    bad_message: String,
    path: std::path::PathBuf,
}

/// Valid UTF-8 is its own decoding: the bytes go to the reader as they are, past the
/// byte-order mark.
fn is_raw(scan: &Scan) -> bool {
    scan.encoding == TextEncoding::Utf8 && scan.valid_utf8
}

/// First pass over `reader` to choose the encoding; `reader` is then positioned where the
/// rows start.
fn scanned(
    path: &Path,
    mut reader: Box<dyn ReadSeek>,
    choice: EncodingChoice,
) -> Result<(Box<dyn ReadSeek>, Scan), Box<Problem>> {
    let unreadable = |e: std::io::Error| {
        Box::new(
            Problem::error(path, format!("cannot read: {e}"))
                .zh(format!("无法读取：{}", crate::i18n::io_error_zh(&e)))
                .code(Code::UnreadableFile)
                .expected("a readable CSV file")
                .zh_expected("可读取的 CSV 文件"),
        )
    };
    let scan = encoding::scan(&mut reader, choice).map_err(unreadable)?;
    if scan.utf16 && choice == EncodingChoice::Auto {
        return Err(Box::new(
            Problem::error(path, "the file is UTF-16 text")
                .zh("文件是 UTF-16 文本（Excel 另存为“Unicode 文本”所得）")
                .zh_expected("在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”")
                .code(Code::UnreadableFile)
                .at_line(1)
                .expected(DECODE_EXPECTED),
        ));
    }
    if let Some((utf8, other)) = scan.mixed {
        return Err(Box::new(
            Problem::error(
                path,
                format!(
                    "the file mixes encodings: line {utf8} holds Chinese in UTF-8, line {other} holds bytes that are not UTF-8 (GBK?); read either way, one of them would come out garbled"
                ),
            )
            .zh(format!(
                "文件混用了两种编码：第 {utf8} 行的中文是 UTF-8，第 {other} 行的字节不是 UTF-8（GBK？）；无论按哪种读，总有一处会成乱码"
            ))
            .code(Code::UnreadableFile)
            .at_line(other)
            .expected(format!(
                "one encoding for the whole file: retype line {other} or save the file again as \"CSV UTF-8\"; --encoding utf-8 lists every line that is not UTF-8"
            ))
            .zh_expected(format!(
                "整个文件用同一种编码：重新输入第 {other} 行，或在 Excel 中另存为“CSV UTF-8”；加 --encoding utf-8 可列出所有非 UTF-8 的行"
            )),
        ));
    }
    let from = if is_raw(&scan) && scan.bom { 3 } else { 0 };
    reader.seek(SeekFrom::Start(from)).map_err(unreadable)?;
    Ok((reader, scan))
}

/// The rows of CSV text: split by [`PlainRows`] when the text has no quote and no carriage
/// return and is valid UTF-8 or valid GB18030 (decoded as it streams: `"` and `\r` are
/// never part of a GB18030 character), by the csv reader otherwise.
pub(crate) fn csv_rows(
    path: &Path,
    reader: Box<dyn ReadSeek>,
    choice: EncodingChoice,
) -> Result<Box<dyn RowSource>, Box<Problem>> {
    let (reader, scan) = scanned(path, reader, choice)?;
    let valid_gb18030 =
        scan.encoding == TextEncoding::Gb18030 && scan.bad.is_empty() && !scan.utf16;
    Ok(if is_raw(&scan) && scan.plain {
        Box::new(PlainRows::new(path, reader, PLAIN_BLOCK))
    } else if valid_gb18030 && scan.plain {
        let text = encoding::decoded(reader, scan.encoding);
        Box::new(PlainRows::new(path, Box::new(text), PLAIN_BLOCK))
    } else {
        Box::new(CsvRows::after_scan(path, reader, scan, choice))
    })
}

/// How many bytes [`PlainRows`] reads at a time.
const PLAIN_BLOCK: usize = 16 * 1024;

/// The rows of a CSV file that is valid UTF-8 and holds no `"` and no carriage return
/// ([`Scan::plain`]), as most exports are: each line is a record, each comma ends a field
/// and empty lines are no records, which is exactly what the csv reader makes of such a
/// file. Splitting lines and commas with `memchr`, and checking the text as UTF-8 a block
/// at a time rather than per record, costs a fraction of the csv reader's state machine.
pub(crate) struct PlainRows {
    reader: Box<dyn Read>,
    /// Bytes read and not yet in `text`: the start of a line.
    pending: Vec<u8>,
    /// Whole lines read and checked as UTF-8; from `at` on, not yet handed out.
    text: String,
    at: usize,
    /// The line of `text[at..]`.
    line: usize,
    eof: bool,
    block: usize,
    path: std::path::PathBuf,
}

impl PlainRows {
    fn new(path: &Path, reader: Box<dyn Read>, block: usize) -> PlainRows {
        PlainRows {
            reader,
            pending: Vec::new(),
            text: String::new(),
            at: 0,
            line: 1,
            eof: false,
            block,
            path: path.to_path_buf(),
        }
    }

    /// Read another block: its whole lines go to `text`, or everything at the end.
    fn fill(&mut self) -> std::io::Result<()> {
        self.text.drain(..self.at);
        self.at = 0;
        let old = self.pending.len();
        self.pending.resize(old + self.block, 0);
        let n = loop {
            match self.reader.read(&mut self.pending[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.pending.truncate(old);
                    return Err(e);
                }
            }
        };
        self.pending.truncate(old + n);
        let upto = if n == 0 {
            self.eof = true;
            self.pending.len()
        } else {
            memchr::memrchr(b'\n', &self.pending).map_or(0, |i| i + 1)
        };
        // The first pass found the file valid; should it have changed since, it is read
        // as the csv reader would read it, with replacement characters.
        match simdutf8::basic::from_utf8(&self.pending[..upto]) {
            Ok(text) => self.text.push_str(text),
            Err(_) => self
                .text
                .push_str(&String::from_utf8_lossy(&self.pending[..upto])),
        }
        self.pending.drain(..upto);
        Ok(())
    }
}

impl RowSource for PlainRows {
    fn next_row(&mut self, problems: &mut Problems) -> Option<RawRow> {
        let mut row = Record::default();
        self.next_into(&mut row, problems).then(|| row.to_row())
    }

    fn next_into(&mut self, row: &mut Record, problems: &mut Problems) -> bool {
        loop {
            let rest = &self.text[self.at..];
            let end = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(k) => k,
                None if self.eof && !rest.is_empty() => rest.len(),
                None if self.eof => return false,
                None => {
                    if let Err(e) = self.fill() {
                        problems.push(
                            Problem::error(&self.path, e.to_string())
                                .zh(crate::i18n::io_error_zh(&e))
                                .code(Code::UnreadableFile),
                        );
                        return false;
                    }
                    continue;
                }
            };
            let line = &rest[..end];
            let at = self.line;
            self.at += (end + 1).min(rest.len());
            self.line += 1;
            if line.is_empty() {
                continue;
            }
            row.clear(at);
            row.text.push_str(line);
            let mut from = 0;
            for comma in memchr::memchr_iter(b',', line.as_bytes()) {
                row.ranges.push((from, comma));
                from = comma + 1;
            }
            row.ranges.push((from, line.len()));
            return true;
        }
    }

    fn checks_width(&self) -> bool {
        true
    }
}

/// What a file with undecodable bytes should have been.
const DECODE_EXPECTED: &str = "UTF-8 text (save the CSV as \"CSV UTF-8\") or GB18030/GBK text (Excel's \"CSV\" on Chinese Windows)";

impl CsvRows {
    /// First pass over `reader` to choose the encoding, then a streaming decoder into the
    /// csv reader, whatever the text ([`csv_rows`] chooses the reader).
    #[cfg(test)]
    pub(crate) fn new(
        path: &Path,
        reader: Box<dyn ReadSeek>,
        choice: EncodingChoice,
    ) -> Result<CsvRows, Box<Problem>> {
        let (reader, scan) = scanned(path, reader, choice)?;
        Ok(CsvRows::after_scan(path, reader, scan, choice))
    }

    /// The csv reader over `reader`, positioned by [`scanned`].
    fn after_scan(
        path: &Path,
        reader: Box<dyn ReadSeek>,
        scan: Scan,
        choice: EncodingChoice,
    ) -> CsvRows {
        let inner: Box<dyn Read> = if is_raw(&scan) {
            reader
        } else {
            Box::new(encoding::decoded(reader, scan.encoding))
        };
        let breaks = Breaks::default();
        let tap = LineTap {
            inner,
            breaks: breaks.clone(),
            offset: 0,
            run_start: None,
            pending_cr: None,
        };
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(tap);
        CsvRows {
            reader,
            lines: LineCounter { breaks, line: 1 },
            record: csv::ByteRecord::new(),
            bad_message: bad_message(&scan, choice),
            bad: scan.bad,
            path: path.to_path_buf(),
        }
    }

    fn unreadable(&self, line: usize, bytes: &[u8], column: Option<usize>) -> Unreadable {
        Unreadable {
            line,
            column,
            message: self.bad_message.clone(),
            value: encoding::hex(bytes),
            expected: DECODE_EXPECTED,
            whole_row: true,
        }
    }
}

fn bad_message(scan: &Scan, choice: EncodingChoice) -> String {
    match (scan.encoding, choice) {
        (TextEncoding::Utf8, _) if scan.bom => {
            "bytes that are not valid UTF-8, in a file that starts with a UTF-8 byte-order mark"
                .into()
        }
        (TextEncoding::Utf8, _) => "bytes that are not valid UTF-8 (--encoding utf-8)".into(),
        (TextEncoding::Gb18030, EncodingChoice::Auto) => {
            "the file is not valid UTF-8, and these bytes are not valid GB18030 (GBK) either".into()
        }
        (TextEncoding::Gb18030, _) => {
            "bytes that are not valid GB18030 (GBK) (--encoding gb18030)".into()
        }
    }
}

impl RowSource for CsvRows {
    fn next_row(&mut self, problems: &mut Problems) -> Option<RawRow> {
        let mut row = Record::default();
        self.next_into(&mut row, problems).then(|| row.to_row())
    }

    fn next_into(&mut self, row: &mut Record, problems: &mut Problems) -> bool {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => false,
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte());
                let line = self.lines.record_line(start);
                row.clear(line);
                // The text the csv reader reads is UTF-8 (checked whole or decoded), so the
                // record is checked at once, not field by field, and copied in one piece.
                match simdutf8::basic::from_utf8(self.record.as_slice()) {
                    Ok(text) => {
                        row.text.push_str(text);
                        row.ranges.extend(
                            (0..self.record.len())
                                .filter_map(|i| self.record.range(i))
                                .map(|r| (r.start, r.end)),
                        );
                    }
                    Err(_) => {
                        // Replacement characters shift the text: a field whose range no
                        // longer falls on character boundaries reads as empty.
                        row.text
                            .push_str(&String::from_utf8_lossy(self.record.as_slice()));
                        let text = &row.text;
                        row.ranges.extend(
                            (0..self.record.len())
                                .filter_map(|i| self.record.range(i))
                                .map(|r| match text.get(r.clone()) {
                                    Some(_) => (r.start, r.end),
                                    None => (0, 0),
                                }),
                        );
                    }
                }
                if !self.bad.is_empty() {
                    // Quoted fields keep their line breaks, so the record's last line is known.
                    let last = line + memchr::memchr_iter(b'\n', self.record.as_slice()).count();
                    let bad: Vec<(usize, Vec<u8>)> = self
                        .bad
                        .range(line..=last)
                        .map(|(l, b)| (*l, b.clone()))
                        .collect();
                    // The cell holding the first replacement character, for the message.
                    let column = (!bad.is_empty())
                        .then(|| row.cells().position(|c| c.contains('\u{FFFD}')))
                        .flatten();
                    for (l, b) in bad {
                        self.bad.remove(&l);
                        row.unreadable.push(self.unreadable(l, &b, column));
                    }
                }
                true
            }
            Err(e) => {
                let mut p = Problem::error(&self.path, e.to_string()).code(Code::UnreadableFile);
                if let Some(pos) = e.position() {
                    p = p.at_line(self.lines.record_line(pos.byte()));
                }
                problems.push(p);
                false
            }
        }
    }

    fn leftovers(&mut self) -> Vec<Unreadable> {
        std::mem::take(&mut self.bad)
            .into_iter()
            .map(|(l, b)| self.unreadable(l, &b, None))
            .collect()
    }

    fn checks_width(&self) -> bool {
        true
    }
}

/// Normalise a header cell: trim, fold full-width characters, lowercase ASCII.
pub(crate) fn normalise_header(h: &str) -> String {
    fold_width(h).trim().to_ascii_lowercase()
}

fn names_column(cell: &str, c: &Column) -> bool {
    cell == c.name || c.aliases.iter().any(|a| normalise_header(a) == cell)
}

/// How many of the required columns a row names.
pub(crate) fn required_named(cells: &[String], columns: &[Column]) -> usize {
    let found: Vec<String> = cells.iter().map(|c| normalise_header(c)).collect();
    columns
        .iter()
        .filter(|c| c.required && found.iter().any(|h| names_column(h, c)))
        .count()
}

pub(crate) fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| {
            let name = format!("{} ({})", c.name, c.aliases.join("/"));
            if c.required {
                name
            } else {
                format!("[{name}]")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Map each known column to its position in the header row; report missing required
/// columns (listing the columns found and expected) and columns given twice.
pub(crate) fn resolve_header(
    path: &Path,
    header: &RawRow,
    columns: &'static [Column],
    problems: &mut Problems,
) -> Option<Vec<Option<usize>>> {
    let found: Vec<String> = header.cells.iter().map(|c| normalise_header(c)).collect();
    let mut index = Vec::with_capacity(columns.len());
    let mut ok = true;
    for c in columns {
        let matches: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, h)| names_column(h, c))
            .map(|(i, _)| i)
            .collect();
        if matches.len() > 1 {
            problems.push(
                Problem::error(
                    path,
                    format!("column \"{}\" appears {} times", c.name, matches.len()),
                )
                .zh(format!(
                    "“{}”列出现了 {} 次",
                    super::zh_column(columns, c.name),
                    matches.len()
                ))
                .code(Code::MissingColumn)
                .at_line(header.line)
                .field(c.name)
                .zh_field(super::zh_column(columns, c.name))
                .expected("each column once")
                .zh_expected("每列只出现一次"),
            );
            ok = false;
        }
        if matches.is_empty() && c.required {
            problems.push(
                Problem::error(
                    path,
                    format!("missing column \"{}\" ({})", c.name, c.aliases.join("/")),
                )
                .zh(format!(
                    "缺少“{}”列（表头可写 {} 或 {}）",
                    super::zh_column(columns, c.name),
                    c.aliases.join("、"),
                    c.name
                ))
                .code(Code::MissingColumn)
                .at_line(header.line)
                .field(c.name)
                .zh_field(super::zh_column(columns, c.name))
                .value(header.cells.join(","))
                .expected(format!("columns {} ([…] optional)", column_list(columns)))
                .zh_expected(format!("这些列：{}（[…] 为可选）", column_list(columns))),
            );
            ok = false;
        }
        index.push(matches.first().copied());
    }
    ok.then_some(index)
}

/// One data row with its columns resolved.
pub(crate) struct Row<'a> {
    pub path: &'a Path,
    pub line: usize,
    pub cells: &'a Record,
    pub index: &'a [Option<usize>],
    pub columns: &'static [Column],
}

/// The name of the cell at `i` for messages: its column's English name, or its header.
fn cell_name(
    i: Option<usize>,
    index: &[Option<usize>],
    columns: &[Column],
    header: &RawRow,
) -> Option<String> {
    let i = i?;
    if let Some(k) = index.iter().position(|&x| x == Some(i)) {
        return Some(columns[k].name.to_string());
    }
    header
        .cells
        .get(i)
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

fn report_unreadable(path: &Path, u: &Unreadable, field: Option<String>, problems: &mut Problems) {
    let mut p = Problem::error(path, u.message.clone())
        .code(Code::UnreadableFile)
        .at_line(u.line)
        .value(u.value.clone())
        .expected(u.expected);
    if let Some(f) = field {
        p = p.field(f);
    }
    problems.push(p);
}

/// Read a table: find its header, resolve the columns, and hand each row that is not blank
/// to `each`. Every problem is pushed, and reading goes on where it can.
pub(crate) fn read_rows(
    path: &Path,
    mut source: Box<dyn RowSource>,
    columns: &'static [Column],
    problems: &mut Problems,
    mut each: impl FnMut(&Row<'_>, &mut Problems),
) {
    read_rows_inner(path, source.as_mut(), columns, problems, &mut each);
    for u in source.leftovers() {
        report_unreadable(path, &u, None, problems);
    }
}

fn read_rows_inner(
    path: &Path,
    source: &mut dyn RowSource,
    columns: &'static [Column],
    problems: &mut Problems,
    each: &mut impl FnMut(&Row<'_>, &mut Problems),
) {
    // The header: the first row naming every required column, among the first rows that
    // are not blank; failing that, the one naming the most (the first on a tie), so that the
    // missing columns are reported against the likeliest header.
    let required = columns.iter().filter(|c| c.required).count();
    let mut candidates: Vec<(RawRow, usize)> = Vec::new();
    while candidates.len() < HEADER_SEARCH_ROWS {
        let Some(row) = source.next_row(problems) else {
            break;
        };
        if row.is_blank() {
            continue;
        }
        let named = required_named(&row.cells, columns);
        candidates.push((row, named));
        if named == required {
            break;
        }
    }
    let Some(best) = candidates.iter().map(|(_, n)| *n).max() else {
        problems.push(
            Problem::error(path, "the file is empty: no header row")
                .zh("文件是空的：没有表头行")
                .code(Code::MissingColumn)
                .at_line(1)
                .expected(format!(
                    "a header row naming the columns ({})",
                    column_list(columns)
                )),
        );
        return;
    };
    let at = candidates.iter().position(|(_, n)| *n == best).unwrap_or(0);
    // Undecodable bytes are reported wherever they are, title rows included.
    for (i, (row, _)) in candidates.iter().enumerate() {
        if i != at {
            for u in &row.unreadable {
                report_unreadable(path, u, None, problems);
            }
        }
    }
    let header = &candidates[at].0;
    if !header.unreadable.is_empty() {
        for u in &header.unreadable {
            report_unreadable(path, u, None, problems);
        }
        return;
    }
    let Some(index) = resolve_header(path, header, columns, problems) else {
        return;
    };
    let header = header.clone();
    // A complete header ends the search, so no candidate follows it.
    let mut row = Record::default();
    while source.next_into(&mut row, problems) {
        if row.is_blank() {
            continue;
        }
        // A row that cannot be read is its project's error when its project cell can be
        // read: it stops that project alone. Otherwise it stops every project (see
        // `batch::stops`).
        let before = problems.0.len();
        let project = || readable_project(&row, &index, columns).map(str::to_string);
        let bad: Vec<&Unreadable> = row
            .unreadable
            .iter()
            .filter(|u| u.whole_row || u.column.is_some_and(|c| index.contains(&Some(c))))
            .collect();
        if !bad.is_empty() {
            for u in bad {
                let field = cell_name(u.column, &index, columns, &header);
                report_unreadable(path, u, field, problems);
            }
            tag(&mut problems.0[before..], project());
            continue;
        }
        // More fields than the header usually means an unquoted thousands separator:
        // 7,200.00 read as two fields would silently lose money.
        let width = header.cells.len();
        if source.checks_width()
            && row.len() > width
            && row.cells().skip(width).any(|f| !f.trim().is_empty())
        {
            problems.push(
                Problem::error(
                    path,
                    format!(
                        "the row has {} fields but the header has {}",
                        row.len(),
                        width
                    ),
                )
                .zh(format!(
                    "这一行有 {} 个字段，表头只有 {} 列",
                    row.len(),
                    width
                ))
                .code(Code::BadField)
                .at_line(row.line)
                .value(row.joined())
                .expected(
                    "one field per column; quote values that contain a comma, e.g. \"7,200.00\"",
                )
                .zh_expected(
                    "每列一个字段；含逗号的数要加引号，如 \"7,200.00\"（或不用千分位逗号）",
                ),
            );
            tag(&mut problems.0[before..], project());
            continue;
        }
        let row = Row {
            path,
            line: row.line,
            cells: &row,
            index: &index,
            columns,
        };
        // Problems found on a row are tagged with its project, for a batch to list them
        // with that project.
        each(&row, problems);
        if problems.0.len() > before
            && let Some(project) = row.named("project")
        {
            for p in &mut problems.0[before..] {
                p.project = Some(project.to_string());
            }
        }
    }
}

/// The project cell of a row that is otherwise unreadable or too wide, when it can be
/// trusted: not empty, and no cell whose place is unknown or is the project's own could
/// not be decoded.
fn readable_project<'r>(
    row: &'r Record,
    index: &[Option<usize>],
    columns: &'static [Column],
) -> Option<&'r str> {
    let at = index[columns.iter().position(|c| c.name == "project")?]?;
    if row
        .unreadable
        .iter()
        .any(|u| u.column.is_none_or(|c| c == at))
    {
        return None;
    }
    let cell = super::trim_cell(row.cell(at)?);
    (!cell.is_empty()).then_some(cell)
}

fn tag(problems: &mut [Problem], project: Option<String>) {
    if let Some(project) = project {
        for p in problems {
            p.project = Some(project.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &[u8]) -> Vec<(usize, Vec<String>)> {
        let mut rows = CsvRows::new(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(text.to_vec())),
            EncodingChoice::Auto,
        )
        .unwrap();
        all_rows(&mut rows)
    }

    /// The rows [`PlainRows`] reads from `text`, `block` bytes at a time.
    fn plain_lines_of(text: &[u8], block: usize) -> Vec<(usize, Vec<String>)> {
        let mut rows = PlainRows::new(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(text.to_vec())),
            block,
        );
        all_rows(&mut rows)
    }

    /// Every row of `rows` (line and cells), which must report no problem.
    fn all_rows(rows: &mut dyn RowSource) -> Vec<(usize, Vec<String>)> {
        let mut problems = Problems::default();
        let mut out = Vec::new();
        while let Some(r) = rows.next_row(&mut problems) {
            out.push((r.line, r.cells));
        }
        assert!(problems.is_empty());
        out
    }

    #[test]
    fn plain_rows_are_the_csv_readers_rows() {
        // Header on 1; blank 2; 甲,1 on 3; two empty fields on 4; z on 5 with no newline.
        let rows = plain_lines_of("h,v\n\n甲,1\n,\nz".as_bytes(), 4);
        let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rows,
            [
                (1, cells(&["h", "v"])),
                (3, cells(&["甲", "1"])),
                (4, cells(&["", ""])),
                (5, cells(&["z"])),
            ]
        );
        for text in [
            "",
            "only",
            "\n",
            "x\n\n",
            "a,b\n1,2\n",
            "\n\nstart\n \n  , \n,,,\n",
            "项目,指标,数值\n01-2024-00001,cases_civil,67\n\n\n02,件,１２\u{3000}\n",
            "h1,h2\n\n\nx,\n,\n,,y,extra\nlast,\u{FEFF}",
        ] {
            let general = lines_of(text.as_bytes());
            // Blocks of 1 byte split characters and lines everywhere.
            for block in [1, 2, 3, 5, 8, 64 * 1024] {
                assert_eq!(
                    plain_lines_of(text.as_bytes(), block),
                    general,
                    "{text:?} {block}"
                );
            }
        }
    }

    #[test]
    fn gbk_text_without_quotes_is_split_like_utf8_text() {
        // The same rows from a GBK file (decoded as it streams into the plain splitter)
        // and from its UTF-8 twin (the plain splitter on the bytes as they are): header
        // on 1, blank 2, 甲 on 3, full-width ＡＢ on 4, 乙 with no newline on 5.
        let text = "项目,指标,数值\n\n甲,cases_civil,67\n02,ＡＢ,件\n乙,1";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        assert_ne!(&gbk[..], text.as_bytes());
        // As a file is opened: the first pass chooses the reader.
        let opened = |bytes: &[u8]| {
            let reader = Box::new(std::io::Cursor::new(bytes.to_vec()));
            let mut rows = csv_rows(Path::new("t.csv"), reader, EncodingChoice::Auto).unwrap();
            all_rows(rows.as_mut())
        };
        let rows = opened(&gbk);
        assert_eq!(rows, opened(text.as_bytes()));
        // The csv reader on the same GBK bytes reads the same rows.
        assert_eq!(rows, lines_of(&gbk));
        assert_eq!(
            rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [1, 3, 4, 5]
        );
        assert_eq!(rows[2].1, ["02", "ＡＢ", "件"]);
    }

    #[test]
    fn lines_count_crlf_blank_lines_and_quoted_breaks() {
        // a on 1; b on 2 (CRLF); blank lines 3–4; "x⏎y" on 5–6; z on 7
        let text = b"a\r\nb\r\n\r\n\n\"x\ny\",1\nz\n";
        let lines: Vec<usize> = lines_of(text).iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 5, 7]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // old Mac line ends: a on 1, b on 2, blank 3, c on 4, then a CRLF after c, d on 5
        let text = b"a\rb\r\rc\r\nd";
        let lines: Vec<usize> = lines_of(text).iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 4, 5]);
        // the csv reader reads 8 KiB at a time: a CR ending one read is a line end of its
        // own when the next read starts with another byte, and one with the LF that
        // starts it otherwise. 5,000 "x⏎" lines put a CR at byte 8,191 (x at even offsets)
        let long = [b"x\r".repeat(5000), b"y".to_vec()].concat();
        let rows = lines_of(&long);
        assert_eq!(rows.len(), 5001);
        assert_eq!((rows[4096].0, rows[5000].0), (4097, 5001));
        // 8,191 bytes of "a", then CR LF across the cut: b is on line 2, not 3
        let cut = [b"a".repeat(8191), b"\r\nb".to_vec()].concat();
        assert_eq!(lines_of(&cut)[1], (2, vec!["b".to_string()]));
    }

    #[test]
    fn lines_are_counted_in_the_decoded_text() {
        // GBK: each Chinese character is 2 bytes here and 3 once decoded; lines must not
        // drift. Line 1 header, 2 甲, 3 blank, 4 乙.
        let (bytes, _, _) = encoding_rs::GB18030.encode("项目,金额\r\n甲,1\r\n\r\n乙,2\r\n");
        let rows = lines_of(&bytes);
        assert_eq!(rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(rows[2].1, ["乙", "2"]);
    }
}

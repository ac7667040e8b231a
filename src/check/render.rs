//! Rendering of check findings: rustc-style snippets (annotate-snippets, whose carets line
//! up under Chinese text), one JSON document, or GitHub Actions workflow commands.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Report;
use crate::diag::{Problem, Severity, hidden, line_col, shown, visible};

/// The text a finding points into. A scheme (a finding with a byte span) is read whole; of
/// a table only the lines the findings name are kept, read in one pass (a ledger may be a
/// gigabyte). A line that is not UTF-8 is shown as GB18030 (GBK), as the readers take it.
struct Excerpts {
    whole: BTreeMap<PathBuf, Option<String>>,
    lines: BTreeMap<PathBuf, BTreeMap<usize, String>>,
}

/// A file larger than this is never read whole for a snippet.
const WHOLE_FILE_LIMIT: u64 = 8 << 20;

impl Excerpts {
    fn new(problems: &[Problem]) -> Excerpts {
        let mut wanted: BTreeMap<&Path, BTreeSet<usize>> = BTreeMap::new();
        for p in problems.iter().filter(|p| p.span.is_none()) {
            if let Some(line) = p.line {
                wanted.entry(p.file.as_path()).or_default().insert(line);
            }
        }
        let lines = wanted
            .into_iter()
            .map(|(path, lines)| (path.to_path_buf(), read_lines(path, &lines)))
            .collect();
        Excerpts {
            whole: BTreeMap::new(),
            lines,
        }
    }

    /// The text shown for `p`, the number of its first line, and the range to underline.
    fn of(&mut self, p: &Problem) -> Option<(&str, usize, Range<usize>)> {
        if p.span.is_some() {
            let text = self
                .whole
                .entry(p.file.clone())
                .or_insert_with(|| read_whole(&p.file))
                .as_deref()?;
            return span_in(text, p).map(|span| (text, 1, span));
        }
        let line = p.line?;
        let text = self.lines.get(&p.file)?.get(&line)?.as_str();
        span_in_line(text, p).map(|span| (text, line, span))
    }
}

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_whole(path: &Path) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    let text = (size <= WHOLE_FILE_LIMIT)
        .then(|| crate::input::read(path).ok())
        .flatten()
        .map(|bytes| decode(&bytes))?;
    // A span counts bytes of the text as it is: a file holding characters that drive the
    // terminal gets no snippet (the message names the place).
    (!text.chars().any(|c| c != '\n' && c != '\r' && hidden(c))).then_some(text)
}

/// Lines `wanted` (1-based) of a file, without their line ends, read up to the last.
fn read_lines(path: &Path, wanted: &BTreeSet<usize>) -> BTreeMap<usize, String> {
    use std::io::BufRead;
    let mut found = BTreeMap::new();
    let (Some(&last), Ok(file)) = (wanted.last(), crate::input::open(path)) else {
        return found;
    };
    let mut reader = std::io::BufReader::new(file);
    let mut buf = Vec::new();
    for n in 1..=last {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if wanted.contains(&n) {
            let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            let text = if n == 1 {
                text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text)
            } else {
                text
            };
            // Shown as the messages show it: no character that drives the terminal.
            found.insert(n, visible(&decode(text)).into_owned());
        }
    }
    found
}

/// The byte range to underline in a whole file: the problem's span, kept inside the text.
fn span_in(source: &str, p: &Problem) -> Option<Range<usize>> {
    let span = p.span.as_ref()?;
    let end = span.end.clamp(span.start, source.len());
    Some(span.start.min(source.len())..end)
}

/// The range to underline in a line of its own: the problem's value within it, else the
/// line's text.
fn span_in_line(text: &str, p: &Problem) -> Option<Range<usize>> {
    // The line is shown made visible: so is the value looked for in it.
    if let Some(v) = p.value.as_deref().filter(|v| !v.is_empty()).map(visible)
        && let Some(i) = text.find(v.as_ref())
    {
        return Some(i..i + v.len());
    }
    let trimmed = text.trim_end();
    let lead = trimmed.len() - trimmed.trim_start().len();
    Some(lead..trimmed.len())
}

/// Findings as rustc-style snippets, then one summary line. Empty when there is nothing.
pub fn human(report: &Report, color: bool) -> String {
    let mut excerpts = Excerpts::new(&report.problems);
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for p in &report.problems {
        let level = match p.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let code = p.code.map(|c| c.as_str()).unwrap_or("");
        let path = p.file.display().to_string();
        let mut notes: Vec<String> = Vec::new();
        if let Some(expected) = &p.expected {
            notes.push(format!("expected {}", shown(expected)));
        }
        let message = shown(&p.message);
        let title = level.primary_title(message.as_str()).id(code);
        let group = match excerpts.of(p) {
            Some((src, first_line, span)) if long_line(src, &span) => {
                let (line, col) = line_col(src, span.start);
                title.element(Level::NOTE.message(format!(
                    "in {path}:{}:{col} (a line too long to show)",
                    line + first_line - 1
                )))
            }
            Some((src, first_line, span)) => {
                let label = p.field.as_deref().unwrap_or("");
                title.element(
                    Snippet::source(src)
                        .line_start(first_line)
                        .path(path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span).label(label)),
                )
            }
            None => title.element(Level::NOTE.message(format!("in {path}"))),
        };
        let mut group: Group<'_> = notes
            .iter()
            .fold(group, |g, n| g.element(Level::NOTE.message(n.as_str())));
        let help = p.help.as_deref().map(shown);
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    if !report.problems.is_empty() {
        out.push_str(&summary(report));
        out.push('\n');
    }
    out
}

/// A line longer than this (in bytes) is named, not shown: a formula of 100,000 terms or
/// a 10 MB cell would flood the terminal.
const SHOWN_LINE_BYTES: usize = 1000;

/// Whether the line the span starts on is too long to show.
fn long_line(src: &str, span: &Range<usize>) -> bool {
    let at = span.start.min(src.len());
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    end - start > SHOWN_LINE_BYTES
}

fn summary(report: &Report) -> String {
    format!(
        "jixiao check: {} error(s), {} warning(s) in {} scheme(s) and {} evaluation folder(s)",
        report.errors(),
        report.warnings(),
        report.schemes,
        report.evaluations
    )
}

/// Start and end (line, character column; 1-based, end exclusive) of what a problem points
/// at. A CSV problem knows its line and value; its column is where the value stands.
type Place = Option<(usize, usize)>;

fn place(excerpts: &mut Excerpts, p: &Problem) -> (Place, Place) {
    match excerpts.of(p) {
        Some((s, first_line, sp)) => {
            let at = |offset| {
                let (line, col) = line_col(s, offset);
                (line + first_line - 1, col)
            };
            (Some(at(sp.start)), Some(at(sp.end)))
        }
        None => (None, None),
    }
}

/// One JSON document: every finding with code, severity, place and texts, and the counts.
pub fn json(report: &Report) -> String {
    let mut excerpts = Excerpts::new(&report.problems);
    let items: Vec<serde_json::Value> = report
        .problems
        .iter()
        .map(|p| {
            let (start, end) = place(&mut excerpts, p);
            serde_json::json!({
                "code": p.code.map(|c| c.as_str()),
                "severity": p.severity,
                "file": p.file.display().to_string(),
                "line": start.map(|s| s.0).or(p.line),
                "column": start.map(|s| s.1).or(p.column),
                "end_line": end.map(|e| e.0),
                "end_column": end.map(|e| e.1),
                "field": p.field,
                "value": p.value.clone().map(crate::diag::cut),
                "message": crate::diag::cut_message(&p.message),
                "expected": p.expected,
                "help": p.help,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "errors": report.errors(),
        "warnings": report.warnings(),
        "schemes": report.schemes,
        "evaluations": report.evaluations,
        "diagnostics": items,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands: one `::error …::` or `::warning …::` line per finding.
pub fn github(report: &Report) -> String {
    // Workflow-command escaping: data escapes % CR LF; properties also : and ,.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut excerpts = Excerpts::new(&report.problems);
    let mut out = String::new();
    for p in &report.problems {
        let kind = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = vec![format!("file={}", prop(&p.file.display().to_string()))];
        let (start, end) = place(&mut excerpts, p);
        if let Some(line) = start.map(|s| s.0).or(p.line) {
            props.push(format!("line={line}"));
        }
        if let Some(col) = start.map(|s| s.1).or(p.column) {
            props.push(format!("col={col}"));
        }
        if let Some((end_line, end_col)) = end {
            props.push(format!("endLine={end_line}"));
            props.push(format!("endColumn={end_col}"));
        }
        if let Some(code) = p.code {
            props.push(format!("title={}", prop(code.as_str())));
        }
        let mut message = p.message.clone();
        if let Some(e) = &p.expected {
            message.push_str(&format!("; expected {e}"));
        }
        if let Some(h) = &p.help {
            message.push_str(&format!("; help: {h}"));
        }
        out.push_str(&format!(
            "::{kind} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lines_named_are_read_in_their_encoding() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("s.csv");
        // A byte-order mark, CRLF ends, a GBK line (记 = BC C7) and a UTF-8 one.
        let mut bytes = b"\xEF\xBB\xBFproject,amount\r\n".to_vec();
        bytes.extend(b"P1,\xBC\xC7\r\n");
        bytes.extend("P2,记\n".as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let wanted = BTreeSet::from([1, 2, 3, 9]);
        let lines = read_lines(&path, &wanted);
        // Line 9 is past the end: not there.
        assert_eq!(
            lines,
            BTreeMap::from([
                (1, "project,amount".to_string()),
                (2, "P1,记".to_string()),
                (3, "P2,记".to_string()),
            ])
        );
    }

    #[test]
    fn a_value_is_underlined_where_it_stands_in_its_line() {
        let p = Problem::error("s.csv", "bad").at_line(2).value("12.3.4");
        // "P1,2022-01-01," is 14 bytes: the value spans 14..20.
        assert_eq!(span_in_line("P1,2022-01-01,12.3.4,V", &p), Some(14..20));
        // Not found: the whole line, trimmed.
        let q = Problem::error("s.csv", "bad").at_line(2);
        assert_eq!(span_in_line("  P1,x  ", &q), Some(2..6));
    }
}

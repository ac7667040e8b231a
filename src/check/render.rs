//! Rendering of check findings: rustc-style snippets (annotate-snippets, whose carets line
//! up under Chinese text), one JSON document, or GitHub Actions workflow commands.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Report;
use crate::diag::{Lines, Locate, Problem, Severity, hidden, line_col, shown, visible};
use crate::i18n::Lang;

/// The text a finding points into. A scheme (a finding with a byte span) is read whole; of
/// a table only the lines the findings name are kept, read in one pass (a ledger may be a
/// gigabyte). A line that is not UTF-8 is shown as GB18030 (GBK), as the readers take it.
struct Excerpts {
    /// Files read whole, each with its lines found once: a scheme of 100,000 indicators
    /// may have as many findings, and each is placed without reading the file again.
    whole: BTreeMap<PathBuf, Option<Lines<'static>>>,
    lines: BTreeMap<PathBuf, BTreeMap<usize, String>>,
}

/// What a finding points at.
struct Excerpt<'e> {
    /// The whole lines the finding's range is on (not the whole file: a snippet of it
    /// costs what the file is long, for every finding).
    text: &'e str,
    /// The number of the first of them in the file.
    first_line: usize,
    /// The range to underline, in `text`.
    span: Range<usize>,
    /// Line and character column (1-based, the end exclusive) of the range's start and
    /// end in the file.
    start: (usize, usize),
    end: (usize, usize),
    /// Whether the line the range starts on is too long to show.
    too_long: bool,
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

    /// What `p` points at, when its file (or line) can be shown.
    fn of(&mut self, p: &Problem) -> Option<Excerpt<'_>> {
        if p.span.is_some() {
            let lines = self
                .whole
                .entry(p.file.clone())
                .or_insert_with(|| read_whole(&p.file).map(Lines::new))
                .as_ref()?;
            let span = span_in(lines.text(), p)?;
            let cut = lines_of(lines, &span);
            return Some(Excerpt {
                text: &lines.text()[cut.clone()],
                first_line: lines.line_col(cut.start).0,
                span: span.start - cut.start..span.end - cut.start,
                start: lines.line_col(span.start),
                end: lines.line_col(span.end),
                too_long: lines.line_range(span.start).len() > SHOWN_LINE_BYTES,
            });
        }
        let line = p.line?;
        let text = self.lines.get(&p.file)?.get(&line)?.as_str();
        let span = span_in_line(text, p)?;
        let at = |offset| {
            let (l, column) = line_col(text, offset);
            (l + line - 1, column)
        };
        Some(Excerpt {
            text,
            first_line: line,
            start: at(span.start),
            end: at(span.end),
            too_long: long_line(text, &span),
            span,
        })
    }
}

/// The whole lines `span` is on, with the last one's line break.
fn lines_of(lines: &Lines<'_>, span: &Range<usize>) -> Range<usize> {
    let text = lines.text();
    let last = lines.line_range(span.end);
    let end = if last.end < text.len() {
        last.end + 1
    } else {
        last.end
    };
    // A range at the very end, after the last line break, is shown on the last line.
    let start = if span.start == text.len() && text.ends_with('\n') {
        span.start - 1
    } else {
        span.start
    };
    lines.line_range(start).start..end
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

/// Findings as rustc-style snippets, then one summary line, in `lang`. Empty when there is
/// nothing.
pub fn human(report: &Report, color: bool, lang: Lang) -> String {
    let mut excerpts = Excerpts::new(&report.problems);
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for p in &report.problems {
        let level = match (p.severity, lang) {
            (Severity::Error, Lang::Zh) => Level::ERROR.with_name("错误"),
            (Severity::Warning, Lang::Zh) => Level::WARNING.with_name("警告"),
            (Severity::Error, Lang::En) => Level::ERROR,
            (Severity::Warning, Lang::En) => Level::WARNING,
        };
        let code = p.code.map(|c| c.as_str()).unwrap_or("");
        let path = p.file.display().to_string();
        let note = match lang {
            Lang::Zh => Level::NOTE.with_name("说明"),
            Lang::En => Level::NOTE,
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(expected) = p.expected_in(lang) {
            notes.push(format!(
                "{}{}",
                lang.pick("应为：", "expected "),
                shown(expected)
            ));
        }
        let message = shown(p.message_in(lang));
        let title = level.primary_title(message.as_str()).id(code);
        let group = match excerpts.of(p) {
            Some(e) if e.too_long => {
                let (line, col) = e.start;
                title.element(note.clone().message(match lang {
                    Lang::Zh => format!("位于 {path}:{line}:{col}（该行过长，不显示）"),
                    Lang::En => format!("in {path}:{line}:{col} (a line too long to show)"),
                }))
            }
            Some(e) => {
                let label = p.field_in(lang).unwrap_or("");
                title.element(snippet(e.text, e.first_line, &path, e.span, label))
            }
            None => title.element(
                note.clone()
                    .message(format!("{}{path}", lang.pick("位于 ", "in "))),
            ),
        };
        let mut group: Group<'_> = notes
            .iter()
            .fold(group, |g, n| g.element(note.clone().message(n.as_str())));
        let help = p.help_in(lang).map(shown);
        if let Some(help) = &help {
            let level = match lang {
                Lang::Zh => Level::HELP.with_name("提示"),
                Lang::En => Level::HELP,
            };
            group = group.element(level.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    if !report.problems.is_empty() {
        out.push_str(&summary(report, lang));
        out.push('\n');
    }
    out
}

/// The snippet of `text` (whose first line is number `first_line`) with `span` underlined.
fn snippet<'a>(
    text: &'a str,
    first_line: usize,
    path: &'a str,
    span: Range<usize>,
    label: &'a str,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    Snippet::source(text)
        .line_start(first_line)
        .path(path)
        .fold(true)
        .annotation(AnnotationKind::Primary.span(span).label(label))
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

fn summary(report: &Report, lang: Lang) -> String {
    let (e, w, s, f) = (
        report.errors(),
        report.warnings(),
        report.schemes,
        report.evaluations,
    );
    let p = report.profiles;
    match lang {
        Lang::Zh if p > 0 => format!(
            "jixiao check：{e} 个错误，{w} 个警告（检查了 {s} 个指标体系文件、{p} 个监控预警规则文件、{f} 个评价目录）"
        ),
        Lang::Zh => format!(
            "jixiao check：{e} 个错误，{w} 个警告（检查了 {s} 个指标体系文件、{f} 个评价目录）"
        ),
        Lang::En if p > 0 => format!(
            "jixiao check: {e} error(s), {w} warning(s) in {s} scheme(s), {p} monitoring profile(s) and {f} evaluation folder(s)"
        ),
        Lang::En => format!(
            "jixiao check: {e} error(s), {w} warning(s) in {s} scheme(s) and {f} evaluation folder(s)"
        ),
    }
}

/// Start and end (line, character column; 1-based, end exclusive) of what a problem points
/// at. A CSV problem knows its line and value; its column is where the value stands.
type Place = Option<(usize, usize)>;

fn place(excerpts: &mut Excerpts, p: &Problem) -> (Place, Place) {
    match excerpts.of(p) {
        Some(e) => (Some(e.start), Some(e.end)),
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
        "profiles": report.profiles,
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

    /// A snippet of the lines a range is on shows what the snippet of the whole file
    /// shows: every range of a text with Chinese, CRLF, empty and indented lines, with and
    /// without a last line break.
    #[test]
    fn a_snippet_of_its_lines_shows_what_the_whole_file_shows() {
        let body = "[scheme]\r\nid = \"预算\"\n\n  name = \"法律援助\"\n# 注\nweight = 5";
        let renderer = Renderer::plain();
        let render = |text: &str, first_line: usize, span: Range<usize>| {
            let group = Level::ERROR
                .primary_title("bad")
                .element(snippet(text, first_line, "s.toml", span, "field"));
            renderer.render(&[group])
        };
        for text in [body.to_string(), format!("{body}\n")] {
            let lines = Lines::new(text.as_str());
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (i, &start) in offsets.iter().enumerate() {
                for &end in &offsets[i..] {
                    let span = start..end;
                    let cut = lines_of(&lines, &span);
                    assert_eq!(
                        render(
                            &text[cut.clone()],
                            lines.line_col(cut.start).0,
                            start - cut.start..end - cut.start
                        ),
                        render(&text, 1, span.clone()),
                        "{span:?} of {text:?}"
                    );
                }
            }
        }
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

//! Rendering of check findings: rustc-style snippets (annotate-snippets, whose carets line
//! up under Chinese text), one JSON document, or GitHub Actions workflow commands.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Report;
use crate::diag::{Problem, Severity, line_col};

/// Source texts, read once per file; invalid UTF-8 is shown lossily.
#[derive(Default)]
struct Sources(BTreeMap<PathBuf, String>);

impl Sources {
    fn get(&mut self, path: &Path) -> Option<&str> {
        if !self.0.contains_key(path) {
            let bytes = std::fs::read(path).ok()?;
            self.0.insert(
                path.to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
        self.0.get(path).map(String::as_str)
    }
}

/// The byte range to underline: the problem's span, else its value within its line, else
/// the line's text.
fn span_in(source: &str, p: &Problem) -> Option<Range<usize>> {
    if let Some(span) = &p.span {
        let end = span.end.clamp(span.start, source.len());
        return Some(span.start.min(source.len())..end);
    }
    let line = p.line?;
    let start = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    if start > source.len() {
        return None;
    }
    let text = source[start..].split(['\n', '\r']).next().unwrap_or("");
    if let Some(v) = p.value.as_deref().filter(|v| !v.is_empty())
        && let Some(i) = text.find(v)
    {
        return Some(start + i..start + i + v.len());
    }
    let trimmed = text.trim_end();
    let lead = trimmed.len() - trimmed.trim_start().len();
    Some(start + lead..start + trimmed.len())
}

/// Findings as rustc-style snippets, then one summary line. Empty when there is nothing.
pub fn human(report: &Report, color: bool) -> String {
    let mut sources = Sources::default();
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
            notes.push(format!("expected {expected}"));
        }
        let source = sources.get(&p.file).map(str::to_owned);
        let span = source.as_deref().and_then(|s| span_in(s, p));
        let title = level.primary_title(p.message.as_str()).id(code);
        let group = match (&source, span) {
            (Some(src), Some(span)) => {
                let label = p.field.as_deref().unwrap_or("");
                title.element(
                    Snippet::source(src.as_str())
                        .path(path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span).label(label)),
                )
            }
            _ => title.element(Level::NOTE.message(format!("in {path}"))),
        };
        let mut group: Group<'_> = notes
            .iter()
            .fold(group, |g, n| g.element(Level::NOTE.message(n.as_str())));
        if let Some(help) = &p.help {
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

fn place(sources: &mut Sources, p: &Problem) -> (Place, Place) {
    match sources
        .get(&p.file)
        .and_then(|s| span_in(s, p).map(|sp| (s, sp)))
    {
        Some((s, sp)) => (Some(line_col(s, sp.start)), Some(line_col(s, sp.end))),
        None => (None, None),
    }
}

/// One JSON document: every finding with code, severity, place and texts, and the counts.
pub fn json(report: &Report) -> String {
    let mut sources = Sources::default();
    let items: Vec<serde_json::Value> = report
        .problems
        .iter()
        .map(|p| {
            let (start, end) = place(&mut sources, p);
            serde_json::json!({
                "code": p.code.map(|c| c.as_str()),
                "severity": p.severity,
                "file": p.file.display().to_string(),
                "line": start.map(|s| s.0).or(p.line),
                "column": start.map(|s| s.1).or(p.column),
                "end_line": end.map(|e| e.0),
                "end_column": end.map(|e| e.1),
                "field": p.field,
                "value": p.value,
                "message": p.message,
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
    let mut sources = Sources::default();
    let mut out = String::new();
    for p in &report.problems {
        let kind = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = vec![format!("file={}", prop(&p.file.display().to_string()))];
        let (start, end) = place(&mut sources, p);
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

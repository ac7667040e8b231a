//! The report draft as Markdown (GitHub tables), for editing or converting to a word
//! processor's format.

use super::draft::{Block, Document, Table};

/// Text from the inputs (names, reasons, the narrative) as Markdown shows it literally: no
/// raw HTML (`<script>`, `<img onerror=…>` would run in a viewer, as the HTML report already
/// prevents), no inline link or image (`![](…)` would fetch an address: `](` is broken as
/// `]\(`), no code span. A band such as `[60%, 70%)` is left as written.
fn text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ']' if chars.peek() == Some(&'(') => out.push_str("]\\"),
            c => out.push(c),
        }
    }
    out
}

/// A table cell: [`text`], `|` escaped, line breaks as `<br>`.
fn cell(t: &str) -> String {
    text(t).replace('|', "\\|").replace('\n', "<br>")
}

fn table(t: &Table, out: &mut String) {
    let row = |cells: &[String]| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    out.push_str(&row(&t.header));
    let rule: Vec<String> = (0..t.header.len())
        .map(|c| {
            if t.numeric.contains(&c) {
                "---:".to_string()
            } else {
                "---".to_string()
            }
        })
        .collect();
    out.push_str(&format!("|{}|\n", rule.join("|")));
    for r in &t.rows {
        out.push_str(&row(r));
    }
}

/// The draft as Markdown text.
pub fn render(doc: &Document) -> String {
    let mut out = format!("# {}\n", text(&doc.title));
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("{} {}\n", "#".repeat(*level as usize), text(t)));
            }
            Block::Paragraph(t) => out.push_str(&format!("{}\n", text(t))),
            Block::Todo(t) => out.push_str(&format!("> **{}**\n", text(t))),
            Block::Note(t) => out.push_str(&format!("> {}\n", text(t))),
            Block::Caption(t) => out.push_str(&format!("**{}**\n", text(t))),
            Block::Table(t) => table(t, &mut out),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", text(&i.replace('\n', " "))));
                }
            }
        }
    }
    out
}

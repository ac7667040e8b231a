//! The report draft as Markdown (GitHub tables), for editing or converting to a word
//! processor's format.

use super::draft::{Block, Document, Table};

/// A table cell: `|` escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
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
    let mut out = format!("# {}\n", doc.title);
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {text}\n", "#".repeat(*level as usize)));
            }
            Block::Paragraph(text) => out.push_str(&format!("{text}\n")),
            Block::Todo(text) => out.push_str(&format!("> **{text}**\n")),
            Block::Note(text) => out.push_str(&format!("> {text}\n")),
            Block::Caption(text) => out.push_str(&format!("**{text}**\n")),
            Block::Table(t) => table(t, &mut out),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", i.replace('\n', " ")));
                }
            }
        }
    }
    out
}

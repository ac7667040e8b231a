//! The report draft as one self-contained HTML page (no outside files, fonts or scripts)
//! that prints on A4: 宋体 body, 黑体 headings, bordered tables whose header repeats on each
//! page, placeholders on a yellow ground with a dashed border so they are not handed in by
//! mistake.

use super::draft::{Block, Document, Table};

/// Escape text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 2.2cm 2cm 2cm 2cm; }
html { background: #f3f3f3; }
body {
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 12pt; line-height: 1.75; color: #000;
  max-width: 21cm; margin: 1.5em auto; padding: 2cm; background: #fff;
  box-shadow: 0 0 6px rgba(0, 0, 0, .15);
}
h1, h2, h3 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 .8em; }
h2 { font-size: 14pt; margin: 1.4em 0 .4em; }
h3 { font-size: 12pt; margin: 1em 0 .3em; }
p { margin: .3em 0; text-indent: 2em; text-align: justify; }
p.meta { text-indent: 0; text-align: center; }
p.caption { text-indent: 0; text-align: center; font-weight: bold; margin-top: .8em; }
p.todo { text-indent: 0; background: #fff6c8; border: 1px dashed #b08800; padding: .3em .6em; }
p.note { text-indent: 0; font-size: 10.5pt; color: #444; border-left: 3px solid #999; padding-left: .6em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: 10.5pt; line-height: 1.45; }
th, td { border: 1px solid #000; padding: .2em .35em; vertical-align: middle; }
th { background: #eee; font-weight: bold; text-align: center; }
td.num { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
h2, h3, p.caption { page-break-after: avoid; break-after: avoid; }
ul { margin: .2em 0 .5em 2em; padding: 0; }
@media print {
  html { background: none; }
  body { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  p.todo { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn table(t: &Table, out: &mut String) {
    // The attributes are for word processors (WPS, Word) that open the page and read no
    // CSS; browsers follow the style sheet.
    out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n<thead><tr>");
    for h in &t.header {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (c, v) in r.iter().enumerate() {
            if t.numeric.contains(&c) {
                out.push_str(&format!("<td class=\"num\">{}</td>", esc(v)));
            } else {
                out.push_str(&format!("<td>{}</td>", esc(v)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The draft as a complete HTML page.
pub fn render(doc: &Document) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"jixiao\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<h1>{}</h1>\n",
        esc(&doc.title),
        esc(&doc.title)
    );
    let mut first_paragraph = true;
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", esc(text)));
            }
            Block::Paragraph(text) => {
                // the line naming the department and unit sits under the title
                if first_paragraph && matches!(doc.blocks.first(), Some(Block::Paragraph(_))) {
                    out.push_str(&format!("<p class=\"meta\">{}</p>\n", esc(text)));
                } else {
                    out.push_str(&format!("<p>{}</p>\n", esc(text)));
                }
            }
            Block::Todo(text) => out.push_str(&format!("<p class=\"todo\">{}</p>\n", esc(text))),
            Block::Note(text) => out.push_str(&format!("<p class=\"note\">{}</p>\n", esc(text))),
            Block::Caption(text) => {
                out.push_str(&format!("<p class=\"caption\">{}</p>\n", esc(text)));
            }
            Block::Table(t) => table(t, &mut out),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", esc(i)));
                }
                out.push_str("</ul>\n");
            }
        }
        first_paragraph = false;
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}

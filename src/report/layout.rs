//! Tables that read on a narrow terminal (80 columns as well as 120): each column's width
//! is chosen here, and each cell's text is broken into lines here, before comfy-table
//! draws it, so that
//!
//! - a number and its unit are never cut (`6.79万元`, `≥120件`, `502.96元/件`), nor an
//!   ASCII word (`[60%,`), nor a header (`扣分原因`, not `扣分原` / `因`);
//! - no line starts with closing punctuation (`，`, `、`, `）` …) or ends with opening
//!   punctuation (`（`, `“` …): Chinese text breaks between characters, as 禁则 allows;
//! - the columns of numbers keep their width, and what room is left goes first to the
//!   columns that hold the most text (the indicator's name and the reason for lost points).

use comfy_table::{Cell, CellAlignment, ColumnConstraint, Table, Width};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How many columns short of its widest cell a text column may be to be made whole
/// before the room is shared.
const CHEAP: usize = 4;

/// What a priority column gets of the room left for each column another gets.
const PRIORITY_SHARE: usize = 3;

/// A column of a laid-out table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column<'a> {
    pub header: &'a str,
    /// Text that may be broken onto more lines; otherwise the column is as wide as its
    /// widest cell (numbers, codes, grades).
    pub wrap: bool,
    /// Room left over goes to these columns first.
    pub priority: bool,
    pub right: bool,
}

/// Punctuation that never starts a line.
const CLOSING: &str = "，。、；：？！）》」』”’】〕…—%％·,.;:?!)]}";
/// Punctuation that never ends a line.
const OPENING: &str = "（《「『“‘【〔([{";
/// Units written right after a number (`6.79万元`, `135件`): never cut from it.
const UNITS: &str =
    "万元件人起个次户亩米吨套台座所份天年月日时分秒项处条名家村期批块km公里千克斤株棵";

/// The signs of a target, never cut from the number after them (`≤ 800`, `>= 120`).
const SIGNS: &str = "≥≤＞＜＝<>=";

/// A character of a number or an ASCII word, with the signs of targets (`≥120`).
fn numberish(c: char) -> bool {
    c.is_ascii_graphic() || "≥≤＞＜＝±×÷".contains(c)
}

/// The places where `text` may break: `true` before the character at that index (in
/// characters) when a line may start there.
fn breaks(chars: &[char]) -> Vec<bool> {
    let mut can = vec![false; chars.len()];
    // Whether the characters just before are a number and the units glued to it.
    let mut in_number = false;
    for i in 0..chars.len() {
        let b = chars[i];
        if i == 0 {
            in_number = b.is_ascii_digit();
            continue;
        }
        let a = chars[i - 1];
        // `≤ 800元/件`, `>= 120 件`: a sign and its number, with a space between
        let signed = a == ' ' && i >= 2 && SIGNS.contains(chars[i - 2]);
        let glued = signed
            || (numberish(a) && numberish(b))
            || (in_number && UNITS.contains(b))
            || (in_number && UNITS.contains(a) && numberish(b))
            || CLOSING.contains(b)
            || OPENING.contains(a)
            || b == ' ';
        can[i] = !glued || (a == ' ' && !signed);
        in_number = if b.is_ascii_digit() {
            true
        } else {
            in_number && (UNITS.contains(b) || numberish(b))
        };
    }
    can
}

/// The pieces of a line that are never cut: the text between two places it may break.
fn pieces(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let can = breaks(&chars);
    let mut out: Vec<String> = Vec::new();
    let mut piece = String::new();
    for (c, &start) in chars.iter().zip(&can) {
        if start && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
        }
        piece.push(*c);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

/// The widest piece of `text` that is never cut.
fn widest_piece(text: &str) -> usize {
    text.lines()
        .flat_map(pieces)
        .map(|p| p.trim().width())
        .max()
        .unwrap_or(0)
}

/// `text` broken into lines of at most `width` columns at the places it may break; a piece
/// wider than the column (a long code) is cut between characters. Lines are joined with
/// `\n`; its own line breaks are kept.
pub(crate) fn wrap_text(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let mut current = String::new();
        for piece in pieces(line) {
            let fits = current.width() + piece.trim_end().width() <= width;
            if !fits && !current.trim().is_empty() {
                lines.push(current.trim_end().to_string());
                current.clear();
            }
            let piece = if current.is_empty() {
                piece.trim_start().to_string()
            } else {
                piece
            };
            if piece.width() > width {
                // cut between characters
                for c in piece.chars() {
                    if current.width() + c.width().unwrap_or(0) > width && !current.is_empty() {
                        lines.push(std::mem::take(&mut current));
                    }
                    current.push(c);
                }
            } else {
                current.push_str(&piece);
            }
        }
        lines.push(current.trim_end().to_string());
    }
    lines.join("\n")
}

/// Fields (`label value`) joined by `sep` into lines of at most `width` columns: a line
/// breaks between fields, so a label is never cut from its value (`完成比` / `94.29`); only
/// a field wider than a line is broken inside, by [`wrap_text`].
pub(crate) fn wrap_fields(fields: &[String], sep: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for field in fields {
        let joined = if current.is_empty() {
            field.clone()
        } else {
            format!("{current}{sep}{field}")
        };
        if joined.width() <= width {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(format!("{current}{}", sep.trim_end()));
        }
        current.clear();
        if field.width() <= width {
            current = field.clone();
        } else {
            let mut pieces: Vec<String> =
                wrap_text(field, width).lines().map(String::from).collect();
            current = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The narrowest a header is drawn: its longest word, a header breaking only at a space
/// or before a bracket (`全年执行数` / `（万元）`), never inside a word.
fn header_width(header: &str) -> usize {
    header_parts(header)
        .iter()
        .map(|p| p.width())
        .max()
        .unwrap_or(0)
}

/// A header cut where it may break: at spaces and before `（` or `(`.
fn header_parts(header: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for c in header.chars() {
        if c == ' ' {
            parts.push(String::new());
            continue;
        }
        if (c == '（' || c == '(') && !parts.last().is_some_and(String::is_empty) {
            parts.push(String::new());
        }
        if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// A header in lines of at most `width` columns, broken only where [`header_parts`]
/// allows (a space is kept between words, none before a bracket).
fn wrap_header(header: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for part in header_parts(header) {
        let bracket = part.starts_with(['（', '(']);
        let gap = usize::from(!bracket);
        match lines.last_mut() {
            Some(l) if l.width() + gap + part.width() <= width => {
                if !bracket {
                    l.push(' ');
                }
                l.push_str(&part);
            }
            _ => lines.push(part),
        }
    }
    lines.join("\n")
}

/// The widest line of a cell.
fn line_width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The content width of each column in `available` columns of screen: each as wide as its
/// widest cell when all fit; else each at least its narrowest (a header whole, a piece
/// never cut, a number column whole) and the room left shared among the text columns,
/// [`PRIORITY_SHARE`] times as much to the priority ones, each up to its widest cell. Also whether the
/// table fits. A text column only a few columns short ([`CHEAP`]) is made whole first.
pub(crate) fn widths(
    columns: &[Column<'_>],
    rows: &[Vec<String>],
    available: usize,
) -> (Vec<usize>, bool) {
    let n = columns.len();
    // A space either side of each cell, a line between cells and at both ends.
    let room = available.saturating_sub(3 * n + 1);
    let natural: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |t| line_width(t)))
                .max()
                .unwrap_or(0)
                .max(header_width(columns[c].header))
        })
        .collect();
    if natural.iter().sum::<usize>() <= room {
        return (natural, true);
    }
    let least: Vec<usize> = (0..n)
        .map(|c| {
            if columns[c].wrap {
                let pieces = rows
                    .iter()
                    .map(|r| r.get(c).map_or(0, |t| widest_piece(t)))
                    .max()
                    .unwrap_or(0);
                pieces.max(header_width(columns[c].header)).min(natural[c])
            } else {
                natural[c]
            }
        })
        .collect();
    let mut w = least.clone();
    let mut left = room.saturating_sub(least.iter().sum());
    // A text column a few columns short of its widest cell (a label, `决策 (15)`) is made
    // whole first: cheap, and one line less on many rows.
    for c in 0..n {
        let short = natural[c] - w[c];
        if columns[c].wrap && !columns[c].priority && short <= CHEAP && short <= left {
            w[c] = natural[c];
            left -= short;
        }
    }
    // Then round by round: each text column short of its widest cell gets a column more,
    // a priority column three, until the room is used.
    loop {
        let mut gave = false;
        for c in 0..n {
            let share = if columns[c].priority {
                PRIORITY_SHARE
            } else {
                1
            };
            let more = share.min(natural[c] - w[c]).min(left);
            if columns[c].wrap && more > 0 {
                w[c] += more;
                left -= more;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    let fits = w.iter().sum::<usize>() <= room;
    (w, fits)
}

/// A comfy-table drawn with the widths of [`widths`], the cells broken into lines here.
pub(crate) fn table(
    columns: &[Column<'_>],
    rows: Vec<Vec<String>>,
    width: Option<u16>,
) -> (Table, bool) {
    let available = usize::from(super::table::layout_width(width));
    let (w, fits) = widths(columns, &rows, available);
    let mut t = super::table::new_table(width);
    // The widths are set here: comfy-table draws them as they are.
    t.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    t.set_header(
        columns
            .iter()
            .enumerate()
            .map(|(c, col)| Cell::new(wrap_header(col.header, w[c]))),
    );
    for row in rows {
        t.add_row(row.iter().enumerate().map(|(c, text)| {
            let text = if columns[c].wrap {
                wrap_text(text, w[c])
            } else {
                text.clone()
            };
            let cell = Cell::new(text);
            if columns[c].right {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    for (c, col) in columns.iter().enumerate() {
        if let Some(column) = t.column_mut(c) {
            let drawn = u16::try_from(w[c] + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(drawn)));
            if col.right {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    (t, fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_units_are_never_cut() {
        // was "支出6.7" / "9万元低"
        let text = "预算编制偏大，年度支出6.79万元低于预算10万元";
        // 8 columns and more: 6.79万元 is 8 wide
        for width in 8..=20 {
            let lines = wrap_text(text, width);
            assert!(
                lines.contains("6.79万元") && lines.contains("10万元"),
                "{width}: {lines:?}"
            );
            assert!(
                lines.lines().all(|l| l.width() <= width),
                "{width}: {lines:?}"
            );
        }
        assert_eq!(wrap_text("目标 ≤800元/件", 10), "目标\n≤800元/件");
        // a sign, a space, its number: never cut at the space (was `… ≤` / `800元/件`)
        assert_eq!(
            wrap_text("序时应完成 ≤ 800元/件", 14),
            "序时应完成\n≤ 800元/件"
        );
        assert_eq!(wrap_text("指标值 >= 120 件", 10), "指标值\n>= 120 件");
        // a decimal point is not a full stop: 502.96元/件 stays whole
        assert_eq!(wrap_text("502.96元/件", 12), "502.96元/件");
    }

    #[test]
    fn fields_break_between_them_not_inside() {
        let fields: Vec<String> = ["年度指标值 >= 120 件", "实际完成值 66件", "完成比 94.29"]
            .map(String::from)
            .to_vec();
        // widths (a CJK character and `；` 2 columns each): 年度指标值 >= 120 件 = 10 + 8 + 2
        // = 20, 实际完成值 66件 = 10 + 1 + 4 = 15, 完成比 94.29 = 6 + 1 + 5 = 12.
        // 20 + 2 + 15 = 37 fit in 40; 37 + 2 + 12 = 51 do not: 完成比 94.29 starts the next
        // line whole (was `完成` / `比 94.29`)
        assert_eq!(
            wrap_fields(&fields, "；", 40),
            ["年度指标值 >= 120 件；实际完成值 66件；", "完成比 94.29"]
        );
        // all on one line in 51 columns, not in 50
        assert_eq!(wrap_fields(&fields, "；", 51).len(), 1);
        assert_eq!(wrap_fields(&fields, "；", 50).len(), 2);
        // a field wider than the line is broken inside it, the rest follows on its last line
        let long = vec![
            "偏差原因 人员保障、其他：农民工欠薪求助集中在年底".to_string(),
            "完成比 51.43".to_string(),
        ];
        let lines = wrap_fields(&long, "；", 20);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("完成比 51.43"),
            "{lines:?}"
        );
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        let text = "项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力";
        for width in 4..=24 {
            let lines = wrap_text(text, width);
            for l in lines.lines() {
                assert!(
                    !l.starts_with(|c| CLOSING.contains(c)),
                    "{width}: {lines:?}"
                );
            }
            assert_eq!(lines.replace('\n', ""), text);
        }
        // 8 columns: 项目预算 (8) then 比较薄弱， (10 > 8, the comma stays with 弱) …
        assert_eq!(wrap_text("比较薄弱，预算", 8), "比较薄\n弱，预算");
    }

    #[test]
    fn headers_break_only_at_spaces_and_before_brackets() {
        assert_eq!(header_width("扣分原因"), 8);
        assert_eq!(header_width("全年执行数（万元）"), 10);
        assert_eq!(
            wrap_header("全年执行数（万元）", 10),
            "全年执行数\n（万元）"
        );
        assert_eq!(wrap_header("全年执行数（万元）", 18), "全年执行数（万元）");
        assert_eq!(
            wrap_header("Reason for lost points", 10),
            "Reason for\nlost\npoints"
        );
    }

    #[test]
    fn ascii_words_break_at_spaces() {
        assert_eq!(
            wrap_text("67.90% 属于 [60%, 70%) 档，得 2", 12),
            "67.90% 属于\n[60%, 70%)\n档，得 2"
        );
    }

    #[test]
    fn number_columns_keep_their_width_and_text_columns_share_the_rest() {
        let cols = [
            Column {
                header: "三级指标",
                wrap: true,
                priority: true,
                right: false,
            },
            Column {
                header: "分值",
                wrap: false,
                priority: false,
                right: true,
            },
            Column {
                header: "扣分原因",
                wrap: true,
                priority: true,
                right: false,
            },
        ];
        let rows = vec![vec![
            "D5 预算编制科学性".to_string(),
            "3".to_string(),
            "项目预算比较薄弱，预算的计划性、科学性不强".to_string(),
        ]];
        // 30 columns: 30 − (3 × 3 + 1) = 20 of room; 分值 4 (its header), the two text
        // columns at least 8 (their headers) and 2 more each: 10 + 4 + 10 = 24 > 20?
        // No: 8 + 4 + 8 = 20 leaves none.
        let (w, fits) = widths(&cols, &rows, 30);
        assert_eq!((w, fits), (vec![8, 4, 8], true));
        // 40: 30 of room, 10 left, three a round to each (both are priority columns):
        // round 1 name 8 + 3 = 11, reason 8 + 3 = 11 (4 left); round 2 name 11 + 3 = 14
        // (1 left), reason 11 + 1 = 12
        let (w, _) = widths(&cols, &rows, 40);
        assert_eq!(w, vec![14, 4, 12]);
    }
}

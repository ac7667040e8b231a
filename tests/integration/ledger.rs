//! The fast ledger against the reference one on generated ledgers: any projects, amounts,
//! dates, vouchers and descriptions the reader accepts, in UTF-8 (with or without a BOM)
//! or GBK, with LF or CRLF, cut into tiny parts read by 1 to 3 threads. Every per-project
//! field, the row count and the problems must be the same as the reference reader's,
//! with a date limit (`monitor --as-of`) or without.

use proptest::prelude::*;
use proptest::sample::select;
use std::collections::HashMap;

use jixiao::ledger::{self, Ledger, LedgerOptions};
use jixiao::values::Date;

/// The projects rows are drawn from: a short code, a plain one, one longer than the 15
/// bytes the fast path packs (looked up by its bytes), and one the budget does not hold.
const PROJECTS: [&str; 4] = ["P1", "05-2024-00001", "长项目编码-2024-ABCDEFG", "X9"];

/// Descriptions: plain, and quoted with a comma, a line break (`{eol}` stands for the
/// file's line ending), doubled quotes, all three.
const DESCRIPTIONS: [&str; 6] = [
    "差旅费",
    "",
    "\"办案补贴,第一季度\"",
    "\"两行{eol}摘要\"",
    "\"he said \"\"hi\"\"\"",
    "\"a,\"\"b\"\"{eol}c\"",
];

/// The budget: each project's year (the one outside it is not in the budget), and
/// `extra` more projects with no spending (a budget of 8,192 or more checks 64 rows with a
/// voucher per project: 2^19 / 8,192 = 64).
fn budget(extra: usize) -> HashMap<String, i32> {
    let mut years: HashMap<String, i32> = (0..extra).map(|n| (format!("B{n:05}"), 2024)).collect();
    years.insert(PROJECTS[0].into(), 2024);
    years.insert(PROJECTS[1].into(), 2024);
    years.insert(PROJECTS[2].into(), 2023);
    years
}

#[derive(Debug, Clone)]
struct Row {
    project: usize,
    /// Year, month, day, and which of the reader's forms it is written in.
    date: (i32, u32, u32, usize),
    /// Negative, the amount in units of the last decimal written, how many decimals,
    /// thousands separators (then the field is quoted).
    amount: (bool, u64, u32, bool),
    /// The voucher's number and form; `None`: an empty field.
    voucher: Option<(u32, usize)>,
    description: usize,
}

impl Row {
    fn date(&self) -> String {
        let (y, m, d, form) = self.date;
        match form {
            0 | 1 => format!("{y}-{m:02}-{d:02}"),
            2 => format!("{y}/{m}/{d}"),
            3 => format!("{y}年{m}月{d}日"),
            _ => format!("{y}{m:02}{d:02}"),
        }
    }

    fn amount(&self) -> String {
        let (negative, units, decimals, thousands) = self.amount;
        let scale = 10u64.pow(decimals);
        let int = (units / scale).to_string();
        let int = if thousands {
            // 1234567 → 1,234,567
            let digits: Vec<char> = int.chars().collect();
            let mut out = String::new();
            for (i, c) in digits.iter().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(*c);
            }
            out
        } else {
            int
        };
        let frac = match decimals {
            0 => String::new(),
            d => format!(".{:0width$}", units % scale, width = d as usize),
        };
        let sign = if negative { "-" } else { "" };
        let text = format!("{sign}{int}{frac}");
        if thousands {
            format!("\"{text}\"")
        } else {
            text
        }
    }

    fn voucher(&self) -> String {
        let Some((n, form)) = self.voucher else {
            return String::new();
        };
        match form {
            0 => format!("记-{n}"),
            // Full width: folds to 记-{n}, the same voucher.
            1 => {
                let digits: String = n
                    .to_string()
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
                    .collect();
                format!("记－{digits}")
            }
            // Spaces around it: trimmed, the same voucher.
            2 => format!(" 记-{n} "),
            _ => format!("V{n}"),
        }
    }
}

fn row(vouchers: u32) -> impl Strategy<Value = Row> {
    (
        // Mostly the first project, so that it passes 64 rows with a voucher.
        prop_oneof![2 => Just(0usize), 1 => 1..PROJECTS.len()],
        (
            prop_oneof![6 => Just(2024), 1 => Just(2023), 1 => Just(2025)],
            1..=12u32,
            1..=28u32,
            0..5usize,
        ),
        (any::<bool>(), 0..300_000_000u64, 0..=2u32, any::<bool>()),
        prop::option::weighted(0.8, (0..vouchers, 0..4usize)),
        0..DESCRIPTIONS.len(),
    )
        .prop_map(|(project, date, amount, voucher, description)| Row {
            project,
            date,
            amount,
            voucher,
            description,
        })
}

/// How the file is written.
#[derive(Debug, Clone)]
struct Layout {
    crlf: bool,
    bom: bool,
    gbk: bool,
    chinese_header: bool,
    title: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(crlf, bom, gbk, chinese_header, title)| Layout {
            crlf,
            bom: bom && !gbk,
            gbk,
            chinese_header,
            title,
        })
}

fn file_bytes(rows: &[Row], layout: &Layout) -> Vec<u8> {
    let eol = if layout.crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if layout.title {
        text.push_str(&format!("2024年项目支出明细,,,,,{eol}"));
    }
    text.push_str(if layout.chinese_header {
        "项目编码,日期,金额,凭证号,支出类别,摘要"
    } else {
        "project,date,amount,voucher,category,description"
    });
    text.push_str(eol);
    for r in rows {
        text.push_str(&format!(
            "{},{},{},{},办公费,{}{eol}",
            PROJECTS[r.project],
            r.date(),
            r.amount(),
            r.voucher(),
            DESCRIPTIONS[r.description].replace("{eol}", eol),
        ));
    }
    if layout.gbk {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable);
        bytes.into_owned()
    } else if layout.bom {
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
    } else {
        text.into_bytes()
    }
}

/// No regression files: a failure prints its case, which becomes a test of its own.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

/// Sum `bytes` both ways and compare every field.
pub(crate) fn compare(
    bytes: &[u8],
    years: &HashMap<String, i32>,
    threads: usize,
    block_size: usize,
) {
    compare_as(bytes, years, threads, block_size, false, None);
}

/// [`compare`]; `gbk`: a GB18030 piece of a few bytes may happen to be valid UTF-8 as
/// well (`摘要` is D5 AA D2 AA, two UTF-8 characters), and then the fast path leaves the
/// file to the reader by design (it cannot tell the piece's encoding alone). Pieces are
/// that small only with the tiny parts of these tests.
fn compare_as(
    bytes: &[u8],
    years: &HashMap<String, i32>,
    threads: usize,
    block_size: usize,
    gbk: bool,
    as_of: Option<Date>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spending.csv");
    std::fs::write(&path, bytes).unwrap();
    let sum = |reference_only| {
        let options = LedgerOptions {
            threads,
            block_size,
            reference_only,
            as_of,
            ..LedgerOptions::default()
        };
        ledger::aggregate(&path, years, &options, &|_| {})
    };
    let reference: Ledger = sum(true);
    let fast: Ledger = sum(false);
    // The generated ledgers are all readable: the fast path must have read them itself,
    // or the comparison would be of the reference with itself.
    assert!(!reference.problems.has_errors(), "{:?}", reference.problems);
    let ambiguous =
        gbk && fast.fallback.as_deref() == Some("a part read as UTF-8 in a GB18030 file");
    assert!(fast.fast || ambiguous, "fell back: {:?}", fast.fallback);
    assert_eq!(fast.rows, reference.rows, "rows");
    assert_eq!(
        fast.projects.keys().collect::<Vec<_>>(),
        reference.projects.keys().collect::<Vec<_>>(),
        "projects"
    );
    for (code, r) in &reference.projects {
        let f = &fast.projects[code];
        assert_eq!(f.spent, r.spent, "{code}: spent");
        // The same decimals written, too: 1.50 stays 1.50.
        assert_eq!(f.spent.scale(), r.spent.scale(), "{code}: scale of spent");
        assert_eq!(f.rows, r.rows, "{code}: rows");
        assert_eq!(f.reversals, r.reversals, "{code}: reversals");
        assert_eq!(f.outside_year, r.outside_year, "{code}: outside_year");
        assert_eq!(f.outside_lines, r.outside_lines, "{code}: outside_lines");
        assert_eq!(f.first_line, r.first_line, "{code}: first_line");
        assert_eq!(
            (f.after, f.before),
            (r.after, r.before),
            "{code}: after, before"
        );
        assert_eq!(f.duplicates, r.duplicates, "{code}: duplicates");
        assert_eq!(
            f.duplicates_total, r.duplicates_total,
            "{code}: duplicates_total"
        );
        assert_eq!(
            f.unchecked_voucher_line, r.unchecked_voucher_line,
            "{code}: unchecked_voucher_line"
        );
        // And the fields not named here.
        assert_eq!(f, r, "{code}");
    }
    let messages =
        |l: &Ledger| -> Vec<String> { l.problems.0.iter().map(|p| format!("{p}")).collect() };
    assert_eq!(messages(&fast), messages(&reference), "problems");
}

proptest! {
    #![proptest_config(config(96))]

    /// A small budget: every row with a voucher is checked.
    #[test]
    fn the_fast_ledger_sums_as_the_reference_one(
        rows in prop::collection::vec(row(12), 0..120),
        layout in layout(),
        threads in 1..=3usize,
        block_size in select(vec![64usize, 97, 256, 1000, 4096]),
    ) {
        let bytes = file_bytes(&rows, &layout);
        compare_as(&bytes, &budget(0), threads, block_size, layout.gbk, None);
    }

    /// The same as of a date: rows after it counted, rows before the project's year
    /// counted, the rest summed, in every date form; limits in the projects' years
    /// (2024, and 2023 for the long code), the year before and after.
    #[test]
    fn the_fast_ledger_sums_to_a_date_as_the_reference_one(
        rows in prop::collection::vec(row(12), 0..120),
        layout in layout(),
        threads in 1..=3usize,
        block_size in select(vec![64usize, 97, 256, 1000, 4096]),
        (year, month, day) in (
            prop_oneof![4 => Just(2024), 1 => Just(2023), 1 => Just(2025)],
            1..=12u32,
            1..=28u32,
        ),
    ) {
        let bytes = file_bytes(&rows, &layout);
        let as_of = Some(Date { year, month, day });
        compare_as(&bytes, &budget(0), threads, block_size, layout.gbk, as_of);
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// A budget of 8,192 projects: 64 rows with a voucher checked per project, so the
    /// first project often has rows past them (the warning must be the same too).
    #[test]
    fn the_fast_ledger_checks_the_same_vouchers_in_a_large_budget(
        rows in prop::collection::vec(row(60), 60..220),
        layout in layout(),
        threads in 1..=3usize,
        block_size in select(vec![256usize, 1000, 4096]),
    ) {
        let bytes = file_bytes(&rows, &layout);
        compare_as(&bytes, &budget(8_189), threads, block_size, layout.gbk, None);
    }
}

/// The fixed point of the large-budget property: 8,189 + 3 = 8,192 projects check
/// 2^19 / 8,192 = 64 rows with a voucher each, so the 65th of `P1` (line 66, after the
/// header) is the first not checked.
#[test]
fn a_budget_of_8192_checks_64_vouchers_per_project() {
    assert_eq!(budget(8_189).len(), 8_192);
    assert_eq!(ledger::voucher_rows_checked(8_192), 64);
    let rows: Vec<Row> = (0..70)
        .map(|n| Row {
            project: 0,
            date: (2024, 3, 1, 0),
            amount: (false, 100, 2, false),
            voucher: Some((n, 3)),
            description: 0,
        })
        .collect();
    let layout = Layout {
        crlf: false,
        bom: false,
        gbk: false,
        chinese_header: false,
        title: false,
    };
    let bytes = file_bytes(&rows, &layout);
    compare(&bytes, &budget(8_189), 2, 256);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spending.csv");
    std::fs::write(&path, &bytes).unwrap();
    let l = ledger::aggregate(&path, &budget(8_189), &LedgerOptions::default(), &|_| {});
    let p = &l.projects["P1"];
    // 70 rows of 1.00 (100 units of 0.01).
    assert_eq!((p.rows, p.spent.to_string().as_str()), (70, "70.00"));
    assert_eq!(p.unchecked_voucher_line, Some(66));
    assert_eq!(l.problems.0.len(), 1);
}

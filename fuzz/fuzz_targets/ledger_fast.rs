//! The ledger's fast path on any bytes, against the reference reader: the same sums, rows
//! and number of problems, never a panic. The fast path cuts the file into tiny parts read
//! by 2 threads, so every cut, speculative start and re-parse is reached on small inputs.
//! The first byte chooses the encoding mode, the part size, the budget and whether the
//! ledger is summed to a date (`monitor --as-of`); the rest is the file (written to a
//! temporary file: the ledger reads files with positioned reads).

#![no_main]

use jixiao::data::{EncodingChoice, ReadOptions};
use jixiao::ledger::{self, LedgerOptions};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The budget: a short code, a longer one, one past the 15 bytes the fast path packs into
/// an integer, and one with a GBK lead byte; `large` adds projects up to 8,192, so each
/// is checked for 64 rows with a voucher only (2^19 / 8,192) and the limit is reached.
fn budget(large: bool) -> HashMap<String, i32> {
    let mut years: HashMap<String, i32> = if large {
        (4..8_192).map(|n| (format!("B{n:05}"), 2024)).collect()
    } else {
        HashMap::new()
    };
    for (code, year) in [
        ("P1", 2024),
        ("05-2024-00001", 2024),
        ("长项目编码-2024-ABCDEFG", 2023),
        ("模X", 2024),
    ] {
        years.insert(code.to_string(), year);
    }
    years
}

/// One file per process (libFuzzer runs one input at a time in each), written anew for
/// each input.
fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::temp_dir().join(format!("jixiao-fuzz-ledger-{}.csv", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let encoding = match selector % 3 {
        0 => EncodingChoice::Auto,
        1 => EncodingChoice::Utf8,
        _ => EncodingChoice::Gb18030,
    };
    // 16 to 256 bytes: many parts even for a short input.
    let block_size = 16 << ((selector / 3) % 5);
    let years = if selector >= 0xF0 {
        static LARGE: OnceLock<HashMap<String, i32>> = OnceLock::new();
        LARGE.get_or_init(|| budget(true))
    } else {
        static SMALL: OnceLock<HashMap<String, i32>> = OnceLock::new();
        SMALL.get_or_init(|| budget(false))
    };
    // To 2024-07-31 or not: rows after it counted, rows before a project's year counted.
    let as_of = ((selector / 15) % 2 == 1).then_some(jixiao::values::Date {
        year: 2024,
        month: 7,
        day: 31,
    });
    let path = file();
    std::fs::write(path, bytes).expect("write the temporary file");
    let sum = |reference_only| {
        let options = LedgerOptions {
            read: ReadOptions {
                encoding,
                sheet: None,
            },
            threads: 2,
            block_size,
            reference_only,
            as_of,
        };
        ledger::aggregate(path, years, &options, &|_| {})
    };
    let reference = sum(true);
    let fast = sum(false);
    // A fast path that left the file to the reader gives the reader's result: nothing to
    // compare, but it must not have panicked on the way.
    assert_eq!(fast.rows, reference.rows, "rows");
    assert_eq!(fast.projects, reference.projects, "sums, counts and lines");
    assert_eq!(
        fast.problems.0.len(),
        reference.problems.0.len(),
        "problems: {:?} against {:?}",
        fast.problems,
        reference.problems
    );
});

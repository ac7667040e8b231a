//! The four CSV readers on any bytes, in every encoding mode: rows or problems, never a
//! panic. The first byte chooses the reader and the encoding; the rest is the file.

#![no_main]

use jixiao::data::{EncodingChoice, InputKind, read_csv_bytes};
use jixiao::diag::Problems;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = match selector % 4 {
        0 => InputKind::Budget,
        1 => InputKind::Spending,
        2 => InputKind::Outputs,
        _ => InputKind::Judgments,
    };
    let encoding = match (selector / 4) % 3 {
        0 => EncodingChoice::Auto,
        1 => EncodingChoice::Utf8,
        _ => EncodingChoice::Gb18030,
    };
    let mut problems = Problems::default();
    let _ = read_csv_bytes(kind, Path::new("fuzz.csv"), bytes, encoding, &mut problems);
    for p in &problems.0 {
        let _ = p.to_string();
    }
});

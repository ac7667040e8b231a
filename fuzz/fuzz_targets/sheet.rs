//! The Excel reader on any bytes, as an `.xlsx` file: a sheet of rows or an error, never
//! a panic, a hang or an allocation out of proportion (the limits of 256 columns and
//! 10,000,000 cells hold). Then the same file through the input reader the command line
//! uses, chosen by the input's length: cells to fields, and every problem rendered.

#![no_main]

use jixiao::data::sheet::{self, MAX_CELLS, MAX_COLUMNS};
use jixiao::data::{ReadOptions, read_budget, read_judgments, read_outputs, read_spending};
use jixiao::diag::Problems;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One file per process (libFuzzer runs one input at a time in each), written anew for
/// each input.
fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::temp_dir().join(format!("jixiao-fuzz-sheet-{}.xlsx", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = file();
    std::fs::write(path, data).expect("write the temporary file");

    match sheet::read(path, None) {
        Ok(sheet) => {
            let mut last = 0;
            let mut cells = 0;
            for (line, row) in &sheet.rows {
                assert!(*line > last, "row {line} after row {last}");
                last = *line;
                assert!(
                    row.len() <= MAX_COLUMNS as usize,
                    "row {line}: {} cells",
                    row.len()
                );
                cells += row.len();
            }
            assert!(cells <= MAX_CELLS, "{cells} cells");
        }
        Err(e) => {
            assert!(!e.message.is_empty());
        }
    }

    let options = ReadOptions {
        sheet: (data.len() % 8 >= 4).then(|| "Sheet1".to_string()),
        ..ReadOptions::default()
    };
    let mut problems = Problems::default();
    match data.len() % 4 {
        0 => drop(read_budget(path, &options, &mut problems)),
        1 => drop(read_spending(path, &options, &mut problems)),
        2 => drop(read_outputs(path, &options, &mut problems)),
        _ => drop(read_judgments(path, &options, &mut problems)),
    }
    for p in &problems.0 {
        let _ = p.to_string();
    }
});

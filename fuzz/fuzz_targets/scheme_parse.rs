//! The scheme loader on any text: it must return a scheme or problems, never panic, and
//! every problem must render.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(problems) = jixiao::scheme::parse(Path::new("fuzz.toml"), &text) {
        for p in &problems.0 {
            let _ = p.to_string();
        }
    }
});

//! Helpers for the scheme's unit tests: a scheme around some dimensions, a one-indicator
//! scheme, and the problems of a scheme as text.

use std::path::Path;

use super::parse;

/// The problems of a scheme, one a line; empty when it loads.
pub(super) fn errors(src: &str) -> String {
    match parse(Path::new("s.toml"), src) {
        Ok(_) => String::new(),
        Err(p) => {
            p.0.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

/// A scheme of the given dimensions: three header lines, then `dims`.
pub(super) fn scheme(dims: &str) -> String {
    format!("[scheme]\nid = \"x\"\ntitle = \"t\"\n{dims}")
}

/// One dimension, one group, one indicator `A` (opens with an empty line).
pub(super) const ONE: &str = r#"
[[dimension]]
kind = "output"
weight = 100
  [[dimension.group]]
  name = "g"
  weight = 100
    [[dimension.group.indicator]]
    id = "A"
    name = "a"
    weight = 100
    metric = "m"
    target = ">= 5 件"
"#;

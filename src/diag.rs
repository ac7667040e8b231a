//! Problems found in input files, as values: where (file, line, column or field), what was
//! found, and what was expected. Readers collect every problem they can find before giving up,
//! so one run reports them all.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: an error stops scoring, a warning is shown beside the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one input, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (characters, not bytes), when known.
    pub column: Option<usize>,
    /// The CSV column or TOML key concerned.
    pub field: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    pub message: String,
    /// What would have been accepted.
    pub expected: Option<String>,
}

impl Problem {
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            field: None,
            value: None,
            message: message.into(),
            expected: None,
        }
    }

    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    /// `file:line:col: error[field]: message: found "value", expected …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}")?;
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(value) = &self.value {
            write!(f, "; found \"{value}\"")?;
        }
        if let Some(expected) = &self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}

/// Errors and warnings gathered from one run, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| !p.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The error returned when input problems prevent a result. It carries every problem found
/// (warnings included, so none are lost when errors stop the run).
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) in the input", .0.errors().count())]
pub struct InputErrors(pub Problems);

/// 1-based line and character column of a byte offset in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a = 1\nname = \"预算\" x\n";
        // "x" sits after `name = "预算" ` on line 2: n,a,m,e,space,=,space,",预,算,",space → col 13
        let offset = src.find('x').unwrap();
        assert_eq!(line_col(src, offset), (2, 13));
        assert_eq!(line_col(src, 0), (1, 1));
    }

    #[test]
    fn display_names_place_value_and_expectation() {
        let p = Problem::error("budget.csv", "not an amount")
            .at_line(3)
            .field("amount")
            .value("abc")
            .expected("a number of 元 with at most 2 decimals");
        assert_eq!(
            p.to_string(),
            "budget.csv:3: error [amount]: not an amount; found \"abc\"; expected a number of 元 with at most 2 decimals"
        );
    }
}

//! The shipped legal-aid sample, end to end.

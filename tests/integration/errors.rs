//! Bad input: every problem names file, line, field and value; exit status 1.

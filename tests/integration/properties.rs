//! Property tests: parsers never panic and round-trip; scoring stays within bounds.

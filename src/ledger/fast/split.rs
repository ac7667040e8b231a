//! The record splitter: a record's fields found in the buffer with one SIMD search per
//! line, by the CSV quoting rules of the reader.

/// One field of a record: its bytes in the buffer (quotes removed) and whether doubled
/// quotes inside it must be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) escaped: bool,
}

/// What [`split`] found at a record's start.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Split {
    /// A whole record ending at `end` (after its terminator), with `newlines` line feeds.
    Record { end: usize, newlines: usize },
    /// The buffer ends inside the record.
    More,
    /// Something the fast path does not read exactly as the reader would.
    Trouble(&'static str),
}

/// Split the record starting at `pos` into `spans`. `eof`: the buffer ends at the end of
/// the file. Quoting follows the reader's: a quote opens a quoted field only at the
/// field's start, `""` inside stands for one quote, and a quote inside an unquoted field
/// is a character; a lone `\r` (a terminator to the reader) is left to the reader.
#[inline]
pub(super) fn split(buf: &[u8], pos: usize, eof: bool, spans: &mut Vec<Span>) -> Split {
    spans.clear();
    let rest = &buf[pos..];
    let (line_end, end, newlines) = match memchr::memchr3(b'\n', b'"', b'\r', rest) {
        None if !eof => return Split::More,
        None => (rest.len(), rest.len(), 0),
        Some(i) => match rest[i] {
            b'\n' => (i, i + 1, 1),
            b'\r' => match rest.get(i + 1) {
                Some(b'\n') => (i, i + 2, 1),
                None if !eof => return Split::More,
                None => (i, i + 1, 0),
                Some(_) => return Split::Trouble("a carriage return inside a line"),
            },
            _ => return walk(buf, pos, eof, spans),
        },
    };
    let mut from = pos;
    for_each_comma(&rest[..line_end], |c| {
        spans.push(Span {
            from,
            to: pos + c,
            escaped: false,
        });
        from = pos + c + 1;
    });
    spans.push(Span {
        from,
        to: pos + line_end,
        escaped: false,
    });
    Split::Record {
        end: pos + end,
        newlines,
    }
}

/// Call `each` with the position of every comma of `line`, in order. Eight bytes at a time
/// (a record's line is short: one SIMD search per comma would cost more in calls).
pub(super) fn for_each_comma(line: &[u8], mut each: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Bytes equal to ',' become zero; the high bit marks each zero byte exactly.
    let commas = |word: u64| {
        let x = word ^ (ONES * u64::from(b','));
        !(((x & LOW7) + LOW7) | x | LOW7)
    };
    let mut each_in = |mut found: u64, at: usize| {
        while found != 0 {
            each(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
    };
    let mut words = line.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        each_in(
            commas(u64::from_le_bytes(word.try_into().expect("8 bytes"))),
            at,
        );
        at += 8;
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        for (d, s) in word.iter_mut().zip(rest) {
            *d = *s;
        }
        // Padding bytes are zero, not commas.
        let found = commas(u64::from_le_bytes(word)) & ((1u64 << (rest.len() * 8)) - 1);
        each_in(found, at);
    }
}

/// [`split`] for a record with a quote: field by field.
pub(super) fn walk(buf: &[u8], pos: usize, eof: bool, spans: &mut Vec<Span>) -> Split {
    let n = buf.len();
    let mut p = pos;
    let mut newlines = 0;
    // Where the field's terminator is, then what it is.
    loop {
        let after;
        if buf.get(p) == Some(&b'"') {
            let mut q = p + 1;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &buf[q..]) {
                    None if eof => return Split::Trouble("a quote never closed"),
                    None => return Split::More,
                    Some(k) => {
                        let at = q + k;
                        match buf.get(at + 1) {
                            Some(b'"') => {
                                escaped = true;
                                q = at + 2;
                            }
                            None if !eof => return Split::More,
                            _ => break at,
                        }
                    }
                }
            };
            newlines += memchr::memchr_iter(b'\n', &buf[p + 1..close]).count();
            spans.push(Span {
                from: p + 1,
                to: close,
                escaped,
            });
            after = close + 1;
        } else {
            match memchr::memchr3(b',', b'\n', b'\r', &buf[p..]) {
                None if !eof => return Split::More,
                None => {
                    spans.push(Span {
                        from: p,
                        to: n,
                        escaped: false,
                    });
                    return Split::Record { end: n, newlines };
                }
                Some(k) => {
                    spans.push(Span {
                        from: p,
                        to: p + k,
                        escaped: false,
                    });
                    after = p + k;
                }
            }
        }
        match buf.get(after) {
            None if eof => return Split::Record { end: n, newlines },
            None => return Split::More,
            Some(b',') => p = after + 1,
            Some(b'\n') => {
                return Split::Record {
                    end: after + 1,
                    newlines: newlines + 1,
                };
            }
            Some(b'\r') => match buf.get(after + 1) {
                Some(b'\n') => {
                    return Split::Record {
                        end: after + 2,
                        newlines: newlines + 1,
                    };
                }
                None if !eof => return Split::More,
                None => return Split::Record { end: n, newlines },
                Some(_) => return Split::Trouble("a carriage return inside a line"),
            },
            Some(_) => return Split::Trouble("text after a closing quote"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(text: &str) -> Vec<Vec<String>> {
        let buf = text.as_bytes();
        let mut spans = Vec::new();
        let mut pos = 0;
        let mut out = Vec::new();
        while pos < buf.len() {
            match split(buf, pos, true, &mut spans) {
                Split::Record { end, .. } => {
                    out.push(
                        spans
                            .iter()
                            .map(|s| {
                                let t = std::str::from_utf8(&buf[s.from..s.to]).unwrap();
                                if s.escaped {
                                    t.replace("\"\"", "\"")
                                } else {
                                    t.to_string()
                                }
                            })
                            .collect(),
                    );
                    pos = end;
                }
                other => panic!("{other:?} at {pos}"),
            }
        }
        out
    }

    /// The same records as the csv crate, which the reader uses.
    #[test]
    fn split_agrees_with_the_csv_crate() {
        for text in [
            "a,b,c\n1,2,3\n",
            "a,\"b,1\",c\r\n\"x\ny\",\"he said \"\"hi\"\"\",z\n",
            "a,b\"c,d\n",
            ",,\n\"\",x\n",
            "last,no,newline",
            "q,\"quoted at the end\"",
            "x,\"\"\"\",y\n",
            "\n\na,b\n",
        ] {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let expected: Vec<Vec<String>> = rdr
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let got: Vec<Vec<String>> = split_all(text)
                .into_iter()
                .filter(|r| !(r.len() == 1 && r[0].is_empty()))
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn commas_are_found_in_every_position() {
        for len in 0..40 {
            for pattern in 0..4u32 {
                let line: Vec<u8> = (0..len)
                    .map(|i: usize| {
                        if (i as u32 * 7 + pattern).is_multiple_of(3) {
                            b','
                        } else {
                            b"a\xE6\x80\x7F\xFF"[i % 5]
                        }
                    })
                    .collect();
                let expected: Vec<usize> = memchr::memchr_iter(b',', &line).collect();
                let mut got = Vec::new();
                for_each_comma(&line, |c| got.push(c));
                assert_eq!(got, expected, "{line:?}");
            }
        }
    }

    #[test]
    fn split_asks_for_more_at_the_buffer_end() {
        let mut spans = Vec::new();
        assert_eq!(split(b"a,b", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,\"b\nc", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,\"b\"", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,b\r", 0, false, &mut spans), Split::More);
        assert_eq!(
            split(b"a,\"b\"x,c\n", 0, true, &mut spans),
            Split::Trouble("text after a closing quote")
        );
        assert_eq!(
            split(b"a\rb\n", 0, true, &mut spans),
            Split::Trouble("a carriage return inside a line")
        );
    }
}

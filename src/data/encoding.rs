//! Text encodings of CSV files. A file is UTF-8 (with or without a byte-order mark) or
//! GB18030, the superset of GBK that Chinese Windows, Excel ("CSV" = ANSI) and accounting
//! software write.
//!
//! Deciding is done on the whole file, never on a prefix: a GBK ledger often starts with
//! ASCII headers and rows that are valid UTF-8 too, and its first Chinese character may come
//! a megabyte later; a few GBK characters are even valid UTF-8 on their own (`C2 A1`). So
//! the file is read at least twice, streaming each time: [`scan`] checks every byte against
//! UTF-8 (and, for a file that is not UTF-8, GB18030) in constant memory, then [`decoded`]
//! transcodes it with the encoding chosen. Bytes that are not valid in the chosen
//! encoding are never guessed at: [`Scan::bad`] lists their lines, and the readers report
//! them as errors.

use encoding_rs::{DecoderResult, GB18030, UTF_8};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, SeekFrom};

/// `--encoding`: how the bytes of CSV files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    /// UTF-8 if the whole file is valid UTF-8 or starts with a UTF-8 byte-order mark,
    /// otherwise GB18030 (GBK).
    #[default]
    Auto,
    /// UTF-8 (a byte-order mark is allowed).
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
}

/// The encoding a file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030 (GBK)",
        }
    }
}

/// At most this many lines with undecodable bytes are remembered per file; the readers
/// report far fewer (see [`super::MAX_PROBLEMS_PER_FILE`]).
const MAX_BAD_LINES: usize = 10_000;

/// The bytes shown for an undecodable sequence, at most.
const MAX_BAD_BYTES: usize = 4;

/// The result of the first pass over a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The encoding the file is read in.
    pub encoding: TextEncoding,
    /// The file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The file starts with a UTF-16 byte-order mark (neither encoding fits).
    pub utf16: bool,
    /// The file as a whole is valid UTF-8.
    pub valid_utf8: bool,
    /// The file holds no `"` and no carriage return: each line is a record and each comma
    /// ends a field, as a simple reader can split them.
    pub plain: bool,
    /// Lines (1-based) holding bytes that are not valid in `encoding`, each with the first
    /// such bytes on that line.
    pub bad: BTreeMap<usize, Vec<u8>>,
    /// A file read as GB18030 by `--encoding auto` that also holds a line of Chinese in
    /// UTF-8: (that line, the first line that is not UTF-8). Read either way, one part
    /// would be mojibake; the readers refuse it.
    pub mixed: Option<(usize, usize)>,
}

/// Chinese characters in UTF-8 on one line that mark it as UTF-8 text rather than GBK
/// bytes that happen to be valid UTF-8: a GBK pair followed by a lead byte can form one
/// UTF-8 character of the CJK block (lead byte E4–E9) by chance; two on a line that is
/// otherwise valid UTF-8 are far rarer.
const UTF8_CJK_ON_A_LINE: u32 = 2;

/// Finds the first line that is wholly valid UTF-8 and holds [`UTF8_CJK_ON_A_LINE`]
/// Chinese characters in UTF-8, byte by byte across chunks.
#[derive(Debug)]
struct Utf8Lines {
    /// Continuation bytes still expected by the current character.
    need: u8,
    /// The current character is in U+4000–U+9FFF (lead byte E4–E9).
    cjk: bool,
    line_ok: bool,
    line_cjk: u32,
    line: usize,
    found: Option<usize>,
}

impl Utf8Lines {
    fn new() -> Self {
        Utf8Lines {
            need: 0,
            cjk: false,
            line_ok: true,
            line_cjk: 0,
            line: 1,
            found: None,
        }
    }

    fn end_line(&mut self) {
        if self.need == 0 && self.line_ok && self.line_cjk >= UTF8_CJK_ON_A_LINE {
            self.found.get_or_insert(self.line);
        }
        self.line += 1;
        (self.need, self.line_ok, self.line_cjk) = (0, true, 0);
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        for &b in chunk {
            if self.found.is_some() {
                return;
            }
            if self.need > 0 {
                if b & 0xC0 == 0x80 {
                    self.need -= 1;
                    if self.need == 0 && self.cjk {
                        self.line_cjk += 1;
                    }
                    continue;
                }
                (self.need, self.line_ok) = (0, false);
            }
            match b {
                b'\n' => self.end_line(),
                0x00..=0x7F => {}
                0xC2..=0xDF => (self.need, self.cjk) = (1, false),
                0xE0..=0xEF => (self.need, self.cjk) = (2, (0xE4..=0xE9).contains(&b)),
                0xF0..=0xF4 => (self.need, self.cjk) = (3, false),
                _ => self.line_ok = false,
            }
        }
        if last {
            self.end_line();
        }
    }
}

/// Lines with undecodable bytes found by one validator.
#[derive(Debug, Default)]
struct BadLines {
    lines: BTreeMap<usize, Vec<u8>>,
}

impl BadLines {
    fn record(&mut self, line: usize, bytes: &[u8]) {
        if self.lines.len() < MAX_BAD_LINES || self.lines.contains_key(&line) {
            self.lines
                .entry(line)
                .or_insert_with(|| bytes[..bytes.len().min(MAX_BAD_BYTES)].to_vec());
        }
    }
}

/// Counts `\n` in a chunk up to increasing positions, so that a validator can say on which
/// line a bad byte is. Both encodings keep `\n` a single byte that is never part of a
/// longer character, so counting raw `\n` bytes gives the lines of the decoded text.
struct ChunkLines<'a> {
    chunk: &'a [u8],
    /// Line of the chunk's first byte.
    first_line: usize,
    upto: usize,
    newlines: usize,
}

impl<'a> ChunkLines<'a> {
    fn new(chunk: &'a [u8], first_line: usize) -> Self {
        ChunkLines {
            chunk,
            first_line,
            upto: 0,
            newlines: 0,
        }
    }

    /// The line of the byte at `index` of the chunk (positions only grow).
    fn line_at(&mut self, index: usize) -> usize {
        let index = index.min(self.chunk.len());
        if index > self.upto {
            self.newlines += self.chunk[self.upto..index]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.upto = index;
        }
        self.first_line + self.newlines
    }
}

/// Streaming UTF-8 validation: a sequence cut by a chunk boundary is carried over.
#[derive(Debug, Default)]
struct Utf8Check {
    carry: Vec<u8>,
    bad: BadLines,
    /// Only whether the text is valid UTF-8 is wanted (`--encoding auto`: a file that is
    /// not is read as GB18030 and checked as that): stop at the first bad byte.
    first_only: bool,
}

impl Utf8Check {
    fn feed(&mut self, chunk: &[u8], first_line: usize, last: bool) {
        // Nothing more to learn: a bad byte seen when only that is wanted, or as many bad
        // lines as are ever reported.
        let lines = self.bad.lines.len();
        if (self.first_only && lines > 0) || lines >= MAX_BAD_LINES {
            return;
        }
        // The common case: nothing carried in, a whole chunk of valid text.
        if self.carry.is_empty() && simdutf8::basic::from_utf8(chunk).is_ok() {
            return;
        }
        let carried = self.carry.len();
        let mut work = std::mem::take(&mut self.carry);
        work.extend_from_slice(chunk);
        let mut lines = ChunkLines::new(chunk, first_line);
        // A position in `work` as an index into `chunk` (carried bytes hold no newline and
        // sit on the chunk's first line).
        let in_chunk = |i: usize| i.saturating_sub(carried);
        let mut i = 0;
        while i < work.len() {
            // As `std::str::from_utf8` (where and how long the bad bytes are), at SIMD
            // speed: a chunk that splits a character at its end comes here, which is
            // nearly every chunk of a Chinese file.
            match simdutf8::compat::from_utf8(&work[i..]) {
                Ok(_) => break,
                Err(e) => {
                    let at = i + e.valid_up_to();
                    match e.error_len() {
                        Some(n) => {
                            self.bad
                                .record(lines.line_at(in_chunk(at)), &work[at..at + n]);
                            i = at + n;
                        }
                        None if last => {
                            self.bad.record(lines.line_at(in_chunk(at)), &work[at..]);
                            break;
                        }
                        None => {
                            self.carry = work[at..].to_vec();
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// Streaming GB18030 validation with encoding_rs's decoder, without replacement, so that
/// every malformed sequence is seen.
struct Gb18030Check {
    decoder: encoding_rs::Decoder,
    scratch: Vec<u8>,
    bad: BadLines,
}

impl Gb18030Check {
    fn new() -> Self {
        Gb18030Check {
            decoder: GB18030.new_decoder_without_bom_handling(),
            scratch: vec![0; 16 * 1024],
            bad: BadLines::default(),
        }
    }

    fn feed(&mut self, chunk: &[u8], first_line: usize, last: bool) {
        let mut lines = ChunkLines::new(chunk, first_line);
        let mut consumed = 0;
        loop {
            let (result, read, _) = self.decoder.decode_to_utf8_without_replacement(
                &chunk[consumed..],
                &mut self.scratch,
                last,
            );
            consumed += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(len, after) => {
                    let end = consumed.saturating_sub(after as usize);
                    // A sequence begun in the previous chunk starts at this chunk's start.
                    let start = end.saturating_sub(len as usize);
                    self.bad
                        .record(lines.line_at(start), &chunk[start..end.max(start)]);
                }
            }
        }
    }
}

/// Read as much as fits in `buf`; fewer bytes than its length means the end of the input.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// First pass: read the whole input, in chunks, checking it against UTF-8 and, when the
/// result needs it, GB18030, and decide its encoding. Memory use does not depend on the
/// file's size.
///
/// A UTF-8 byte-order mark means UTF-8 whatever `choice` says. Otherwise `Auto` chooses
/// UTF-8 when every byte of the file is valid UTF-8 (pure ASCII included), else GB18030.
pub fn scan<R: Read + Seek>(reader: &mut R, choice: EncodingChoice) -> io::Result<Scan> {
    scan_chunked(reader, choice, 64 * 1024)
}

/// [`scan`] with a given chunk size (small sizes test the carrying across chunks).
pub fn scan_chunked<R: Read + Seek>(
    reader: &mut R,
    choice: EncodingChoice,
    chunk_size: usize,
) -> io::Result<Scan> {
    let start = reader.stream_position()?;
    // With a byte-order mark the file is UTF-8 whatever the choice: its bad lines are
    // reported, so all of them are looked for.
    let mut head = Vec::with_capacity(3);
    reader.by_ref().take(3).read_to_end(&mut head)?;
    reader.seek(SeekFrom::Start(start))?;
    let mut utf8 = Utf8Check {
        first_only: choice == EncodingChoice::Auto && head != UTF8_BOM,
        ..Utf8Check::default()
    };
    let mut plain = true;
    let (bom, utf16) = each_chunk(reader, chunk_size, |chunk, line, last| {
        utf8.feed(chunk, line, last);
        plain = plain && memchr::memchr2(b'"', b'\r', chunk).is_none();
    })?;
    let valid_utf8 = utf8.bad.lines.is_empty();
    let encoding = match choice {
        _ if bom => TextEncoding::Utf8,
        EncodingChoice::Auto if valid_utf8 => TextEncoding::Utf8,
        EncodingChoice::Auto | EncodingChoice::Gb18030 => TextEncoding::Gb18030,
        EncodingChoice::Utf8 => TextEncoding::Utf8,
    };
    let mut mixed = None;
    let bad = match encoding {
        TextEncoding::Utf8 => utf8.bad.lines,
        // Most files are UTF-8: the GB18030 check is a second pass, only for those that
        // are read as GB18030.
        TextEncoding::Gb18030 => {
            reader.seek(SeekFrom::Start(start))?;
            let mut gb = Gb18030Check::new();
            // Chosen, not told: a line of Chinese in UTF-8 means the file mixes the two.
            let mut lines = (choice == EncodingChoice::Auto).then(Utf8Lines::new);
            each_chunk(reader, chunk_size, |chunk, line, last| {
                gb.feed(chunk, line, last);
                if let Some(l) = &mut lines {
                    l.feed(chunk, last);
                }
            })?;
            let not_utf8 = utf8.bad.lines.keys().next().copied();
            mixed = lines.and_then(|l| l.found).zip(not_utf8);
            gb.bad.lines
        }
    };
    Ok(Scan {
        encoding,
        bom,
        utf16,
        valid_utf8,
        plain,
        bad,
        mixed,
    })
}

/// Hand the input to `feed` in chunks, with the line of each chunk's first byte and
/// whether it is the last; a UTF-8 byte-order mark is left out. Returns whether the input
/// starts with a UTF-8 and with a UTF-16 byte-order mark.
fn each_chunk(
    reader: &mut impl Read,
    chunk_size: usize,
    mut feed: impl FnMut(&[u8], usize, bool),
) -> io::Result<(bool, bool)> {
    let mut buf = vec![0u8; chunk_size.max(UTF8_BOM.len())];
    let mut first = true;
    let (mut bom, mut utf16) = (false, false);
    let mut line = 1;
    loop {
        let n = read_full(reader, &mut buf)?;
        let last = n < buf.len();
        let mut chunk = &buf[..n];
        if first {
            first = false;
            if let Some(rest) = chunk.strip_prefix(UTF8_BOM) {
                bom = true;
                chunk = rest;
            } else if chunk.starts_with(b"\xFF\xFE") || chunk.starts_with(b"\xFE\xFF") {
                utf16 = true;
            }
        }
        feed(chunk, line, last);
        line += memchr::memchr_iter(b'\n', chunk).count();
        if last {
            break;
        }
    }
    Ok((bom, utf16))
}

/// Second pass: the input transcoded to UTF-8 in `encoding`, streaming, without a
/// byte-order mark. Undecodable bytes (already listed by [`scan`]) become U+FFFD.
pub fn decoded<R: Read>(reader: R, encoding: TextEncoding) -> DecodeReaderBytes<R, Vec<u8>> {
    let encoding = match encoding {
        TextEncoding::Utf8 => UTF_8,
        TextEncoding::Gb18030 => GB18030,
    };
    DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .strip_bom(true)
        .build(reader)
}

/// Undecodable bytes as shown in messages: `\xC4\x22`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = GB18030.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn scan_bytes(bytes: &[u8], choice: EncodingChoice, chunk: usize) -> Scan {
        scan_chunked(&mut std::io::Cursor::new(bytes), choice, chunk).unwrap()
    }

    fn decode(bytes: &[u8], encoding: TextEncoding) -> String {
        let mut out = String::new();
        decoded(bytes, encoding).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn ascii_and_utf8_are_utf8() {
        for text in ["project,amount\nA,1\n", "项目编码,金额\n甲,１\n", ""] {
            let s = scan_bytes(text.as_bytes(), EncodingChoice::Auto, 64 * 1024);
            assert_eq!(s.encoding, TextEncoding::Utf8, "{text}");
            assert!(s.bad.is_empty() && !s.bom);
            assert_eq!(decode(text.as_bytes(), s.encoding), text);
        }
    }

    #[test]
    fn a_bom_means_utf8_and_is_stripped() {
        let bytes = [UTF8_BOM, "金额\n1\n".as_bytes()].concat();
        for choice in [EncodingChoice::Auto, EncodingChoice::Gb18030] {
            let s = scan_bytes(&bytes, choice, 64 * 1024);
            assert_eq!((s.encoding, s.bom), (TextEncoding::Utf8, true));
            assert_eq!(decode(&bytes, s.encoding), "金额\n1\n");
        }
    }

    #[test]
    fn gbk_is_gb18030() {
        let bytes = gbk("项目编码,金额\n甲,¥7,200.00\n");
        let s = scan_bytes(&bytes, EncodingChoice::Auto, 64 * 1024);
        assert_eq!(s.encoding, TextEncoding::Gb18030);
        assert!(s.bad.is_empty());
        assert_eq!(decode(&bytes, s.encoding), "项目编码,金额\n甲,¥7,200.00\n");
    }

    #[test]
    fn utf8_in_its_first_bytes_only_is_still_gb18030() {
        // GBK 「隆」 is C2 A1, which is also valid UTF-8 (U+00A1 ¡): a sniffer that looks at
        // the first bytes, or at the first non-ASCII character, would say UTF-8. The ASCII
        // run before 「中」 (D6 D0, not UTF-8) is longer than any chunk below.
        let text = format!("隆,{}中\n", "x".repeat(200));
        let bytes = gbk(&text);
        assert_eq!(&bytes[..2], b"\xC2\xA1");
        assert!(std::str::from_utf8(&bytes[..150]).is_ok());
        for chunk in [3, 4, 7, 64, 64 * 1024] {
            let s = scan_bytes(&bytes, EncodingChoice::Auto, chunk);
            assert_eq!(s.encoding, TextEncoding::Gb18030, "chunk {chunk}");
            assert!(s.bad.is_empty());
            assert_eq!(decode(&bytes, s.encoding), text);
        }
    }

    #[test]
    fn sequences_cut_by_chunk_boundaries_are_carried() {
        let text = "金额,摘要\n7200,办案补贴\n";
        for chunk in 3..12 {
            let s = scan_bytes(text.as_bytes(), EncodingChoice::Auto, chunk);
            assert_eq!(s.encoding, TextEncoding::Utf8, "chunk {chunk}");
            assert!(s.bad.is_empty(), "chunk {chunk}: {:?}", s.bad);
            let g = gbk(text);
            let s = scan_bytes(&g, EncodingChoice::Auto, chunk);
            assert_eq!(s.encoding, TextEncoding::Gb18030, "chunk {chunk}");
            assert!(s.bad.is_empty(), "chunk {chunk}: {:?}", s.bad);
        }
    }

    #[test]
    fn utf8_chinese_beside_gbk_is_mixed() {
        // line 1 ASCII, line 2 Chinese in UTF-8, line 3 in GBK, line 4 UTF-8 again
        let bytes = [
            b"project,note\n".as_slice(),
            "甲,办案补贴\n".as_bytes(),
            &gbk("乙,办案补贴\n"),
            "丙,法律援助".as_bytes(),
        ]
        .concat();
        for chunk in [3, 5, 64 * 1024] {
            let s = scan_bytes(&bytes, EncodingChoice::Auto, chunk);
            // the first UTF-8 line with two Chinese characters, and the first that is not
            // UTF-8
            assert_eq!(s.mixed, Some((2, 3)), "chunk {chunk}");
        }
        // the last line counts without a line end: UTF-8 only there
        let tail = [gbk("乙,办案\n"), "丙,法律援助".as_bytes().to_vec()].concat();
        assert_eq!(
            scan_bytes(&tail, EncodingChoice::Auto, 4).mixed,
            Some((2, 1))
        );
        // one UTF-8 Chinese character is not enough (GBK pairs form one by chance): 「¡」
        // and 「中」 in UTF-8 beside GBK
        let one = [gbk("乙\n"), "¡中\n".as_bytes().to_vec()].concat();
        assert_eq!(scan_bytes(&one, EncodingChoice::Auto, 64).mixed, None);
        // told which encoding, the file is read so (its bad lines listed): no guess to doubt
        let s = scan_bytes(&bytes, EncodingChoice::Gb18030, 64);
        assert_eq!((s.encoding, s.mixed), (TextEncoding::Gb18030, None));
        // all GBK, or all UTF-8: not mixed
        assert_eq!(
            scan_bytes(&gbk("甲,办案补贴\n乙,法律援助\n"), EncodingChoice::Auto, 8).mixed,
            None
        );
        assert_eq!(
            scan_bytes("甲,办案补贴\n".as_bytes(), EncodingChoice::Auto, 8).mixed,
            None
        );
    }

    #[test]
    fn undecodable_bytes_are_listed_by_line() {
        // Line 3 holds 0xFF, which is neither UTF-8 nor GB18030; line 2 is fine GBK.
        let mut bytes = gbk("a,b\n甲,1\n");
        bytes.extend_from_slice(b"x\xFFy\nz\n");
        for chunk in [3, 5, 64 * 1024] {
            let s = scan_bytes(&bytes, EncodingChoice::Auto, chunk);
            assert_eq!(s.encoding, TextEncoding::Gb18030);
            assert_eq!(
                s.bad.keys().copied().collect::<Vec<_>>(),
                [3],
                "chunk {chunk}"
            );
            assert_eq!(hex(&s.bad[&3]), "\\xFF");
        }
    }

    #[test]
    fn forced_utf8_lists_gbk_lines_as_undecodable() {
        // 「甲」 on line 2 is D7 B2 in GBK: not UTF-8.
        let bytes = gbk("a,b\n甲,1\n");
        let s = scan_bytes(&bytes, EncodingChoice::Utf8, 64 * 1024);
        assert_eq!(s.encoding, TextEncoding::Utf8);
        assert_eq!(s.bad.keys().copied().collect::<Vec<_>>(), [2]);
        assert!(!s.valid_utf8);
    }

    #[test]
    fn truncated_sequence_at_the_end_is_undecodable() {
        // 「甲」 cut after its first byte at the end of line 2.
        let bytes = b"a\nb\xD7";
        let s = scan_bytes(bytes, EncodingChoice::Auto, 64 * 1024);
        assert_eq!(s.encoding, TextEncoding::Gb18030);
        assert_eq!(s.bad.keys().copied().collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn utf16_is_recognised() {
        let s = scan_bytes(b"\xFF\xFEa\x00", EncodingChoice::Auto, 64 * 1024);
        assert!(s.utf16);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(crate::testing::proptest_config("tests/proptest-regressions/data-encoding.txt"))]
            /// UTF-8 text, cut into chunks of any size, is read as UTF-8, unchanged.
            #[test]
            fn utf8_text_is_read_unchanged(text in "\\PC{0,60}", chunk in 3usize..40) {
                let s = scan_bytes(text.as_bytes(), EncodingChoice::Auto, chunk);
                prop_assert_eq!(s.encoding, TextEncoding::Utf8);
                prop_assert!(s.bad.is_empty());
                prop_assert_eq!(decode(text.as_bytes(), s.encoding), text);
            }

            /// GBK text is read back unchanged, unless its bytes are valid UTF-8 as a whole
            /// (pure ASCII, or rare runs like 「隆」), which is then what auto-detection says.
            #[test]
            fn gbk_text_is_read_unchanged(
                text in "[a-z0-9,.\\n 项目编码金额凭证号摘要办案补贴隆中（）￥¥万元]{0,60}",
                chunk in 3usize..40,
            ) {
                let bytes = gbk(&text);
                let s = scan_bytes(&bytes, EncodingChoice::Auto, chunk);
                prop_assert!(s.bad.is_empty());
                prop_assert_eq!(s.mixed, None);
                if std::str::from_utf8(&bytes).is_ok() {
                    prop_assert_eq!(s.encoding, TextEncoding::Utf8);
                } else {
                    prop_assert_eq!(s.encoding, TextEncoding::Gb18030);
                    prop_assert_eq!(decode(&bytes, s.encoding), text);
                }
            }

            /// Any bytes: no panic, and the lines listed exist in the input.
            #[test]
            fn any_bytes_are_scanned(bytes in proptest::collection::vec(any::<u8>(), 0..200), chunk in 3usize..40) {
                let s = scan_bytes(&bytes, EncodingChoice::Auto, chunk);
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
                prop_assert!(s.bad.keys().all(|&l| l >= 1 && l <= lines));
                prop_assert_eq!(s.valid_utf8, std::str::from_utf8(bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes)).is_ok());
            }
        }
    }
}

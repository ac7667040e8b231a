//! The ledger's header found in the first block, and the encoding each part is read in.

use super::*;
use crate::data::table::{RawRow, resolve_header};
use std::borrow::Cow;

/// The columns of the ledger the sums need.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cols {
    pub(super) project: usize,
    pub(super) date: usize,
    pub(super) amount: usize,
    pub(super) voucher: Option<usize>,
    pub(super) width: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Enc {
    Utf8,
    Gb,
}

#[inline]
pub(super) fn decode(bytes: &[u8], enc: Enc) -> Option<Cow<'_, str>> {
    if bytes.is_ascii() {
        return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
    }
    match enc {
        Enc::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Enc::Gb => encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes),
    }
}

/// How the bytes read so far were read: some as UTF-8 with characters beyond ASCII, some
/// not as UTF-8. A file must not be both: a GB18030 file with a part that happens to be
/// valid UTF-8 is left to the reader, which decides for the whole file.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Encodings {
    pub(super) utf8_non_ascii: bool,
    pub(super) not_utf8: bool,
}

impl Encodings {
    pub(super) fn note(&mut self, more: Encodings) -> Result<(), String> {
        self.utf8_non_ascii |= more.utf8_non_ascii;
        self.not_utf8 |= more.not_utf8;
        if self.utf8_non_ascii && self.not_utf8 {
            return Err("a part read as UTF-8 in a GB18030 file".into());
        }
        Ok(())
    }
}

/// The encoding `bytes` are read in under `choice`, and how; or why they cannot be read
/// ("not UTF-8", "not GB18030").
pub(super) fn read_as(
    bytes: &[u8],
    choice: EncodingChoice,
) -> Result<(Enc, Encodings), &'static str> {
    // A GBK part shows it is not UTF-8 in its first line: a check of the first 4 KB that
    // stops at the first bad byte spares it the check of the whole.
    let prefix = &bytes[..bytes.len().min(4096)];
    let cut_or_valid =
        simdutf8::compat::from_utf8(prefix).map_or_else(|e| e.error_len().is_none(), |_| true);
    let utf8 = cut_or_valid && simdutf8::basic::from_utf8(bytes).is_ok();
    let enc = match choice {
        EncodingChoice::Utf8 if !utf8 => return Err("not UTF-8"),
        EncodingChoice::Utf8 => Enc::Utf8,
        EncodingChoice::Auto if utf8 => Enc::Utf8,
        _ if valid_gb18030(bytes) => Enc::Gb,
        _ => return Err("not GB18030"),
    };
    let seen = Encodings {
        utf8_non_ascii: utf8 && !bytes.is_ascii(),
        not_utf8: !utf8,
    };
    Ok((enc, seen))
}

/// Reads the header in the first block; returns the columns, the byte where the data
/// starts and whether the file has a UTF-8 byte-order mark.
pub(super) fn header(first: &[u8], choice: EncodingChoice) -> Result<(Cols, usize, bool), String> {
    let bom = first.starts_with(b"\xEF\xBB\xBF");
    if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
        return Err("UTF-16".into());
    }
    let start = if bom { 3 } else { 0 };
    let enc = |b: &[u8]| -> Option<String> {
        let as_utf8 = bom || choice == EncodingChoice::Utf8;
        let e = if as_utf8 || (choice == EncodingChoice::Auto && std::str::from_utf8(b).is_ok()) {
            Enc::Utf8
        } else {
            Enc::Gb
        };
        decode(b, e).map(Cow::into_owned)
    };
    let mut rdr = csv_core::Reader::new();
    let mut pos = start;
    let mut out = vec![0u8; first.len() + 64];
    let mut ends = vec![0usize; 1024];
    let mut seen = 0;
    let mut line = 1 + first[..start].iter().filter(|&&b| b == b'\n').count();
    let required = data::SPENDING_COLUMNS.iter().filter(|c| c.required).count();
    while seen < crate::data::table::HEADER_SEARCH_ROWS {
        let rec_start = pos;
        let (res, nin, _nout, nend) = rdr.read_record(&first[pos..], &mut out, &mut ends);
        pos += nin;
        match res {
            csv_core::ReadRecordResult::Record => {}
            _ => return Err("no header in the first block".into()),
        }
        let skip = first[rec_start..pos]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .filter(|&&b| b == b'\n')
            .count();
        line += skip;
        let mut cells = Vec::with_capacity(nend);
        let mut from = 0;
        for &end in &ends[..nend] {
            cells.push(enc(&out[from..end]).ok_or("undecodable header")?);
            from = end;
        }
        let this_line = line;
        line += first[rec_start..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            - skip;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        seen += 1;
        let named = data::table::required_named(&cells, data::SPENDING_COLUMNS);
        if named == required {
            let mut problems = Problems::default();
            let row = RawRow {
                line: this_line,
                cells,
                unreadable: Vec::new(),
            };
            let index = resolve_header(Path::new(""), &row, data::SPENDING_COLUMNS, &mut problems)
                .ok_or("bad header")?;
            let at = |name: &str| {
                data::SPENDING_COLUMNS
                    .iter()
                    .position(|c| c.name == name)
                    .and_then(|i| index[i])
            };
            // Sums per 资金来源 are the reference reader's: a ledger that has the column is
            // left to it.
            if at("source").is_some() {
                return Err("a 资金来源 column (summed per source by the reference reader)".into());
            }
            let cols = Cols {
                project: at("project").ok_or("no project column")?,
                date: at("date").ok_or("no date column")?,
                amount: at("amount").ok_or("no amount column")?,
                voucher: at("voucher"),
                width: row.cells.len(),
            };
            return Ok((cols, pos, bom));
        }
    }
    Err("no header in the first rows".into())
}

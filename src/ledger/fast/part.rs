//! The part reader: one part of the file read into a thread's buffer, split into records
//! and summed per project, with what the merge needs in file order logged.

use super::fields::{
    Amount, amount, ascii, dated, is_ascii, plain_amount, plain_voucher, plain_year, text,
};
use super::header::{Cols, Enc, Encodings, decode, read_as};
use super::projects::{
    FIRST, OUTSIDE, PartSums, SUM_TOO_LARGE, Slot, UNCHECKED, VOUCHER, find, pack,
};
use super::split::{Span, Split, split};
use super::*;
use std::borrow::Cow;
use std::sync::atomic::Ordering;

/// A row that matters beyond the sums, kept in file order for the merge.
#[derive(Debug, Clone, Copy)]
pub(super) struct Event {
    pub(super) project: u32,
    /// Counted from the part's start.
    pub(super) line: u32,
    pub(super) what: u8,
    /// The voucher's key and where its text is in [`Part::text`].
    pub(super) key: u64,
    pub(super) text_start: u32,
    pub(super) text_len: u16,
}

/// How much of each project one part has kept already (it keeps no more than the merge
/// could use).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Kept {
    pub(super) first: bool,
    pub(super) outside: u8,
    pub(super) vouchers: u32,
    pub(super) unchecked: bool,
}

/// One part's result. Lines are counted from the part's start and shifted when merged.
pub(super) struct Part {
    /// Where the part's first record starts (a speculative start may be wrong) and where
    /// its last record ends (the next part's true start).
    pub(super) start: u64,
    pub(super) end: u64,
    /// The budget's table with this part's sums; reversals and rows outside the year by
    /// slot; the sums of projects with long codes.
    pub(super) slots: Vec<Slot>,
    pub(super) counts: FxHashMap<u32, (u32, u32)>,
    pub(super) long: FxHashMap<u32, PartSums>,
    /// Sums of amounts not of the plain form, by project number.
    pub(super) other: FxHashMap<u32, Decimal>,
    /// With a date limit: the rows dated after it by project number (empty without one),
    /// and those dated before the project's year.
    pub(super) after: Vec<u32>,
    pub(super) before: FxHashMap<u32, u32>,
    /// Rows of projects of the budget that matter beyond the sums, in order; the
    /// vouchers' texts; how much of each project is kept.
    pub(super) events: Vec<Event>,
    pub(super) text: Vec<u8>,
    pub(super) kept: Vec<Kept>,
    /// Projects the budget does not hold, by their text.
    pub(super) unknown: FxHashMap<Box<[u8]>, ProjectSpending>,
    pub(super) newlines: usize,
    pub(super) rows: usize,
    /// The last plain date read, its year and whether it is after the date limit: a
    /// ledger in date order repeats a date on thousands of rows in a row.
    pub(super) last_date: Option<([u8; 10], i32, bool)>,
    pub(super) encodings: Encodings,
    pub(super) trouble: Option<String>,
}

impl Part {
    /// [`plain_year`], and whether the date is after `limit` ([`Limit::after_plain`]),
    /// remembering the last date.
    #[inline]
    pub(super) fn plain_date(
        &mut self,
        b: &[u8],
        limit: Option<&Limit>,
    ) -> Option<Result<(i32, bool), ()>> {
        if let Some((date, year, after)) = self.last_date
            && b == date
        {
            return Some(Ok((year, after)));
        }
        let year = plain_year(b)?;
        let dated = year.map(|y| (y, limit.is_some_and(|l| l.after_plain(b))));
        if let (Ok((y, after)), Ok(date)) = (dated, b.try_into()) {
            self.last_date = Some((date, y, after));
        }
        Some(dated)
    }
}

/// The large tables of a part, used again by a later part once it is merged (the same
/// few allocations all along, not one set per part).
pub(super) struct Buffers {
    pub(super) slots: Vec<Slot>,
    pub(super) events: Vec<Event>,
    pub(super) text: Vec<u8>,
    pub(super) kept: Vec<Kept>,
    pub(super) after: Vec<u32>,
}

impl Buffers {
    pub(super) fn new(sh: &Shared) -> Self {
        Buffers {
            slots: sh.known.slots.clone(),
            events: Vec::new(),
            text: Vec::new(),
            kept: vec![Kept::default(); sh.known.names.len()],
            after: match sh.known.limit {
                Some(_) => vec![0; sh.known.names.len()],
                None => Vec::new(),
            },
        }
    }

    /// Made empty again: the budget's table without sums, nothing kept.
    pub(super) fn reset(mut self, sh: &Shared) -> Self {
        self.slots.copy_from_slice(&sh.known.slots);
        // Only the first parts keep many rows (every project's first vouchers): later
        // ones need little room.
        self.events.clear();
        self.events.shrink_to(1 << 12);
        self.text.clear();
        self.text.shrink_to(1 << 16);
        self.kept.fill(Kept::default());
        self.after.fill(0);
        self
    }
}

/// Parse the records starting before `stop`, from `start` (exact) or from the first
/// record start at or after `start` (speculative: after the first newline at or after
/// `start - 1`).
pub(super) fn parse_part(
    sh: &Shared,
    start: u64,
    speculative: bool,
    stop: u64,
    buf: &mut Vec<u8>,
    reuse: Option<Buffers>,
) -> Part {
    let Buffers {
        slots,
        events,
        text,
        kept,
        after,
    } = match reuse {
        Some(b) => b.reset(sh),
        None => Buffers::new(sh),
    };
    let mut part = Part {
        start,
        end: start,
        slots,
        counts: FxHashMap::default(),
        long: FxHashMap::default(),
        other: FxHashMap::default(),
        after,
        before: FxHashMap::default(),
        events,
        text,
        kept,
        unknown: FxHashMap::default(),
        newlines: 0,
        rows: 0,
        last_date: None,
        encodings: Encodings::default(),
        trouble: None,
    };
    if let Err(e) = parse_into(sh, start, speculative, stop, buf, &mut part) {
        part.trouble = Some(e);
    }
    part
}

pub(super) fn parse_into(
    sh: &Shared,
    start: u64,
    speculative: bool,
    stop: u64,
    buf: &mut Vec<u8>,
    part: &mut Part,
) -> Result<(), String> {
    let mut spans: Vec<Span> = Vec::with_capacity(16);
    // `buf[..filled]` holds the file from `base`; records are parsed from `pos`.
    let mut base = if speculative { start - 1 } else { start };
    let mut filled = 0usize;
    let mut pos = 0usize;
    let mut seeking = speculative;
    // Bytes before `checked` (buffer positions) were validated, as `enc`.
    let mut checked = 0usize;
    let mut enc = Enc::Utf8;
    loop {
        // Keep the unparsed tail, read more after it.
        if pos > 0 {
            buf.copy_within(pos..filled, 0);
            filled -= pos;
            checked = checked.saturating_sub(pos);
            base += pos as u64;
            pos = 0;
        }
        if filled == buf.len() {
            let grown = buf.len() * 2;
            buf.resize(grown, 0);
        }
        // Read no further than the part needs, but in large pieces.
        let want = (buf.len() - filled)
            .min((stop.saturating_sub(base + filled as u64) as usize).max(1 << 16));
        let k = read_at(
            sh.file,
            &mut buf[filled..filled + want],
            base + filled as u64,
        )
        .map_err(|e| e.to_string())?;
        filled += k;
        let eof = base + filled as u64 >= sh.len || k == 0;
        let total = sh.read.fetch_add(k as u64, Ordering::Relaxed) + k as u64;
        (sh.progress)(total.min(sh.len));
        if seeking {
            match memchr::memchr(b'\n', &buf[..filled]) {
                Some(i) => {
                    pos = i + 1;
                    seeking = false;
                    part.start = base + pos as u64;
                }
                None if eof => {
                    part.start = sh.len;
                    part.end = sh.len;
                    return Ok(());
                }
                None => {
                    pos = filled;
                    continue;
                }
            }
        }
        // Validate up to the last line feed (never inside a character in UTF-8 or
        // GB18030), in the encoding these bytes are read in.
        let upto = if eof {
            filled
        } else {
            memchr::memrchr(b'\n', &buf[..filled]).map_or(checked, |i| i + 1)
        };
        if upto > checked {
            let piece = validate(&buf[checked.max(pos)..upto], sh.choice, part)?;
            // A record with a quoted line break can start in an earlier piece: a plain
            // ASCII piece (read as UTF-8) after GB18030 ones leaves the part in GB18030,
            // or its bytes would be decoded as UTF-8 (and some GB18030 text is valid
            // UTF-8). A part is never both (see `Encodings`).
            enc = if part.encodings.not_utf8 {
                Enc::Gb
            } else {
                piece
            };
            checked = upto;
        }
        let eof_here = eof && checked == filled;
        while pos < checked {
            if base + pos as u64 >= stop {
                part.end = base + pos as u64;
                return Ok(());
            }
            match split(&buf[..checked], pos, eof_here, &mut spans) {
                Split::More => break,
                Split::Trouble(why) => return Err(why.into()),
                Split::Record { end, newlines } => {
                    record(sh, part, &buf[..checked], &spans, enc)?;
                    part.newlines += newlines;
                    pos = end;
                }
            }
        }
        if eof && pos >= filled {
            part.end = sh.len;
            return Ok(());
        }
        if eof && k == 0 && pos < filled {
            // Bytes the reader would read as a record but this path did not.
            return Err("an unfinished last record".into());
        }
    }
}

/// Check `bytes` decode in the file's encoding; say which one they are read in.
pub(super) fn validate(
    bytes: &[u8],
    choice: EncodingChoice,
    part: &mut Part,
) -> Result<Enc, String> {
    let (enc, seen) = read_as(bytes, choice).map_err(|e| format!("bytes that are {e}"))?;
    part.encodings.note(seen)?;
    Ok(enc)
}

/// Sum one record into the part.
pub(super) fn record(
    sh: &Shared,
    part: &mut Part,
    buf: &[u8],
    spans: &[Span],
    enc: Enc,
) -> Result<(), String> {
    let line = part.newlines;
    let blank = |s: &Span| {
        let f = &buf[s.from..s.to];
        f.trim_ascii().is_empty()
            || (!is_ascii(f) && decode(f, enc).is_some_and(|t| t.trim().is_empty()))
    };
    if spans.iter().all(blank) {
        return Ok(());
    }
    let cols = sh.cols;
    if spans.len() > cols.width && !spans[cols.width..].iter().all(blank) {
        return Err("a row wider than the header".into());
    }
    let decoded;
    let limit = sh.known.limit.as_ref();
    let (key, (year, after), value) = match fast_fields(part, buf, spans, cols, limit) {
        Some(((p, Ok(y)), v)) => (p, y, v),
        Some(((_, Err(())), _)) => return Err("a bad date or amount".into()),
        None => {
            let (p, y, v) = decoded_fields(buf, spans, cols, enc, limit)?;
            decoded = p;
            (decoded.as_bytes(), y, v)
        }
    };
    part.rows += 1;
    let slot = pack(key).and_then(|packed| find(&part.slots, packed).ok());
    let (i, y) = match slot {
        Some(h) => (sh.known.index_of[h], i32::from(part.slots[h].year)),
        None => match sh.known.long.get(key) {
            Some(&found) => found,
            None => {
                let value = match value {
                    Amount::Fen(f, s) => {
                        let mut d = Decimal::new(f, 2);
                        d.rescale(s);
                        d
                    }
                    Amount::Other(d) => d,
                };
                part.unknown.entry(key.into()).or_default().add(
                    line,
                    place(after, year, None, limit.is_some()),
                    value,
                    None,
                    sh.known.voucher_limit,
                );
                return Ok(());
            }
        },
    };
    let outside = match place(after, year, Some(y), limit.is_some()) {
        Place::Summed { outside } => {
            sum(part, slot, i, &value, outside)?;
            outside
        }
        Place::Before => {
            *part.before.entry(i).or_default() += 1;
            true
        }
        Place::After => {
            part.after[i as usize] += 1;
            return Ok(());
        }
    };
    keep_in_order(sh, part, (buf, spans, enc), i, line, outside)
}

/// A date's year and whether it is after the date limit (never without one).
type Dated = (i32, bool);

/// A record's project, its date ([`Dated`], or an error for a day the calendar lacks),
/// and its amount.
type Fast<'b> = ((&'b [u8], Result<Dated, ()>), Amount);

/// The project, the date's year (and whether it is after `limit`) and the amount of a
/// record whose fields are of the plain forms, read from the bytes (plain ASCII fields are
/// used as bytes); `None` when one is not.
#[inline]
fn fast_fields<'b>(
    part: &mut Part,
    buf: &'b [u8],
    spans: &[Span],
    cols: Cols,
    limit: Option<&Limit>,
) -> Option<Fast<'b>> {
    let (project, date, amt) = (
        spans.get(cols.project),
        spans.get(cols.date),
        spans.get(cols.amount),
    );
    // The date and amount of the plain forms need no ASCII check: those forms are ASCII.
    let plain = |span: Option<&Span>| {
        span.filter(|s| !s.escaped)
            .map(|s| buf[s.from..s.to].trim_ascii())
    };
    ascii(buf, project)
        .filter(|p| !p.is_empty())
        .zip(plain(date).and_then(|d| part.plain_date(d, limit)))
        .zip(plain(amt).and_then(plain_amount))
}

/// The project, the date's year (and whether it is after `limit`) and the amount of a
/// record, its fields decoded first.
fn decoded_fields<'b>(
    buf: &'b [u8],
    spans: &[Span],
    cols: Cols,
    enc: Enc,
    limit: Option<&Limit>,
) -> Result<(Cow<'b, str>, Dated, Amount), String> {
    let (Some(p), Some(d), Some(a)) = (
        text(buf, spans.get(cols.project), enc),
        text(buf, spans.get(cols.date), enc),
        text(buf, spans.get(cols.amount), enc),
    ) else {
        return Err("undecodable field".into());
    };
    if p.is_empty() || d.is_empty() || a.is_empty() {
        return Err("an empty required field".into());
    }
    let (Ok(y), Ok(v)) = (dated(d.as_bytes(), limit), amount(a.as_bytes())) else {
        return Err("a bad date or amount".into());
    };
    Ok((p, y, v))
}

/// Add a row of project number `i` (in table slot `slot`, or one with a long code) to the
/// part's sums.
fn sum(
    part: &mut Part,
    slot: Option<usize>,
    i: u32,
    value: &Amount,
    outside: bool,
) -> Result<(), String> {
    match slot {
        Some(h) => {
            let s = &mut part.slots[h];
            s.rows = s.rows.checked_add(1).ok_or(SUM_TOO_LARGE)?;
            if let Amount::Fen(f, scale) = *value {
                s.fen = s.fen.checked_add(f).ok_or(SUM_TOO_LARGE)?;
                s.scale = s.scale.max(scale as u8);
            }
            if outside || value.negative() {
                let c = part.counts.entry(h as u32).or_default();
                c.0 += u32::from(value.negative());
                c.1 += u32::from(outside);
            }
        }
        None => part.long.entry(i).or_default().row(value, outside)?,
    }
    if let Amount::Other(d) = *value {
        let o = part.other.entry(i).or_default();
        *o = o.checked_add(d).ok_or(SUM_TOO_LARGE)?;
    }
    Ok(())
}

/// What depends on the order (the first line, the first lines outside the year, the
/// first vouchers) of a row of project number `i`, logged only while the merge still
/// needs it.
fn keep_in_order(
    sh: &Shared,
    part: &mut Part,
    (buf, spans, enc): (&[u8], &[Span], Enc),
    i: u32,
    line: usize,
    outside: bool,
) -> Result<(), String> {
    let k = i as usize;
    let cols = sh.cols;
    let done = sh.known.done[k].load(Ordering::Relaxed);
    let kept = &mut part.kept[k];
    let mut what = 0;
    if done & FIRST == 0 && !kept.first {
        kept.first = true;
        what |= FIRST;
    }
    if outside && done & OUTSIDE == 0 && usize::from(kept.outside) < LINES_KEPT {
        kept.outside += 1;
        what |= OUTSIDE;
    }
    let voucher = |texts: &mut Vec<u8>| voucher(buf, spans.get(cols.voucher?)?, enc, texts);
    let mut key = 0;
    let mut at = (0, 0);
    // (Vouchers are short: one longer than 64 KB is left to the reader.)
    if cols.voucher.is_some()
        && done & VOUCHER == 0
        && (kept.vouchers as usize) < sh.known.voucher_limit
    {
        if let Some((from, voucher_key)) = voucher(&mut part.text) {
            kept.vouchers += 1;
            what |= VOUCHER;
            key = voucher_key;
            at = (
                u32::try_from(from).map_err(|_| "a part too large")?,
                u16::try_from(part.text.len() - from).map_err(|_| "a voucher longer than 64 KB")?,
            );
        }
    } else if cols.voucher.is_some() && done & UNCHECKED == 0 && !kept.unchecked {
        // Past the vouchers checked: only whether the row has one matters, once a part.
        let from = part.text.len();
        if voucher(&mut part.text).is_some() {
            kept.unchecked = true;
            what |= UNCHECKED;
        }
        part.text.truncate(from);
    }
    if what != 0 {
        part.events.push(Event {
            project: i,
            line: line as u32,
            what,
            key,
            text_start: at.0,
            text_len: at.1,
        });
    }
    Ok(())
}

/// A voucher's text, added to `texts` as UTF-8 bytes, and its key: where the text starts.
/// Most need no more than their bytes (see [`plain_voucher`]): UTF-8 ones are valid
/// already, GB18030 ones are decoded straight into `texts`.
fn voucher(buf: &[u8], span: &Span, enc: Enc, texts: &mut Vec<u8>) -> Option<(usize, u64)> {
    let raw = &buf[span.from..span.to];
    let from = texts.len();
    if !span.escaped {
        match enc {
            Enc::Utf8 if plain_voucher(raw) => {
                texts.extend_from_slice(raw);
                return Some((from, plain_voucher_key(raw)));
            }
            Enc::Gb if !raw.is_empty() => {
                let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
                let room = decoder.max_utf8_buffer_length_without_replacement(raw.len())?;
                texts.resize(from + room, 0);
                let (result, _, written) =
                    decoder.decode_to_utf8_without_replacement(raw, &mut texts[from..], true);
                texts.truncate(from + written);
                if result == encoding_rs::DecoderResult::InputEmpty && plain_voucher(&texts[from..])
                {
                    return Some((from, plain_voucher_key(&texts[from..])));
                }
                texts.truncate(from);
            }
            _ => {}
        }
    }
    let v = text(buf, Some(span), enc).filter(|v| !v.is_empty())?;
    texts.extend_from_slice(v.as_bytes());
    Some((from, voucher_key(&v)))
}

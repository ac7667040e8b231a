//! The budget's projects as the threads see them: an open-addressing table of packed
//! codes whose slots hold each project's sums, and the sums of a part and of the parts
//! merged.

use super::fields::Amount;
use super::*;
use std::sync::atomic::AtomicU8;

/// The projects of the budget, shared by the threads: each one's number and year, and
/// whether what the merge needs in file order is complete already (then later parts keep
/// no more of it; it would be dropped when merged anyway, so the result does not change).
pub(super) struct Known {
    /// Codes of up to 15 bytes (nearly all) packed into one integer, in an
    /// open-addressing table each part copies to add its sums into; longer codes by their
    /// bytes.
    pub(super) slots: Vec<Slot>,
    /// The project number of each slot.
    pub(super) index_of: Vec<u32>,
    pub(super) long: FxHashMap<Box<[u8]>, (u32, i32)>,
    pub(super) names: Vec<String>,
    /// What the merge has complete already, per project: [`FIRST`], [`OUTSIDE`],
    /// [`VOUCHER`], [`UNCHECKED`] bits.
    pub(super) done: Vec<AtomicU8>,
    /// The rows with a voucher checked per project ([`voucher_rows_checked`]).
    pub(super) voucher_limit: usize,
    /// The date limit, if any.
    pub(super) limit: Option<Limit>,
}

/// What a row can matter for beyond the sums, as bits: the project's first line, one of
/// its first lines outside the year, one of its first vouchers, the first row with a
/// voucher past those a part keeps (it may be the project's first unchecked one).
pub(super) const FIRST: u8 = 1;
pub(super) const OUTSIDE: u8 = 2;
pub(super) const VOUCHER: u8 = 4;
pub(super) const UNCHECKED: u8 = 8;

/// A project of the budget in the table of a part: its packed code and year, and the
/// part's commonest sums for it beside them, in 32 bytes — a row touches one cache line
/// of a table half the size of a core's cache. The project's number is in
/// [`Known::index_of`]; its reversals and rows outside the year (rare) in [`Part::counts`].
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
pub(super) struct Slot {
    /// 0: an empty slot (a packed code is never 0: its length byte is not).
    pub(super) key: u128,
    /// Plain amounts in 分, and the most decimals written among them.
    pub(super) fen: i64,
    pub(super) rows: u32,
    pub(super) year: i16,
    pub(super) scale: u8,
}

/// The open-addressing table of the budget's projects (at most 2/3 full: few probes), and
/// the project number of each slot; projects numbered in the order of their codes.
pub(super) fn table(years: &HashMap<String, i32>) -> Result<(Vec<Slot>, Vec<u32>), String> {
    let mut names: Vec<&String> = years.keys().collect();
    names.sort();
    let size = (names.len() * 3 / 2).next_power_of_two().max(16);
    let mut slots = vec![Slot::default(); size];
    let mut index_of = vec![0u32; size];
    for (i, k) in names.iter().enumerate() {
        if let Some(packed) = pack(k.as_bytes())
            && let Err(h) = find(&slots, packed)
        {
            let year = i16::try_from(years[*k]).map_err(|_| "a year beyond 32767")?;
            slots[h] = Slot {
                key: packed,
                year,
                ..Slot::default()
            };
            index_of[h] = i as u32;
        }
    }
    Ok((slots, index_of))
}

/// Find `key` in an open-addressing table (linear probing; a power-of-two size).
#[inline]
pub(super) fn find(slots: &[Slot], key: u128) -> Result<usize, usize> {
    let mask = slots.len() - 1;
    // Fibonacci hashing: one multiply, the slot from its top bits, which every bit of
    // the code reaches (the lookup is on every row's path to its slot).
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    // (The table has at least 16 slots: a shift of at most 60.)
    let bits = slots.len().trailing_zeros();
    let mut h = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    loop {
        match slots[h].key {
            k if k == key => return Ok(h),
            0 => return Err(h),
            _ => h = (h + 1) & mask,
        }
    }
}

/// The sums of one project in one part (order does not matter for them).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PartSums {
    /// Amounts of the plain form, in units of 0.01 元 (分). Amounts of other forms
    /// (`1,234.50`, `6.79万`) are summed as decimals in [`Part::other`].
    pub(super) fen: i64,
    /// The most decimals among those amounts (the exact sum keeps that scale, as the sum
    /// of the decimals would).
    pub(super) scale: u32,
    pub(super) rows: u32,
    pub(super) reversals: u32,
    pub(super) outside: u32,
}

impl PartSums {
    #[inline]
    pub(super) fn row(&mut self, value: &Amount, outside: bool) -> Result<(), &'static str> {
        self.rows = self.rows.checked_add(1).ok_or(SUM_TOO_LARGE)?;
        self.reversals += u32::from(value.negative());
        self.outside += u32::from(outside);
        if let Amount::Fen(f, s) = *value {
            self.fen = self.fen.checked_add(f).ok_or(SUM_TOO_LARGE)?;
            self.scale = self.scale.max(s);
        }
        Ok(())
    }
}

/// A code of at most 15 bytes as one integer: its bytes, then its length in the last byte
/// (so `A` and `A\0` differ).
#[inline]
pub(super) fn pack(code: &[u8]) -> Option<u128> {
    let len = code.len();
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    let (lo, hi) = match len {
        // Two overlapping eight-byte reads (no copy of a variable length): the second
        // shifted so that it holds bytes 8.. only.
        8..=15 => (
            word(&code[..8]),
            word(&code[len - 8..])
                .checked_shr((16 - len as u32) * 8)
                .unwrap_or(0),
        ),
        0..=7 => {
            let mut lo = 0u64;
            for (i, &b) in code.iter().enumerate() {
                lo |= u64::from(b) << (i * 8);
            }
            (lo, 0)
        }
        _ => return None,
    };
    Some(u128::from(lo) | (u128::from(hi | (len as u64) << 56) << 64))
}

/// The sums of one project over the parts merged so far.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Totals {
    pub(super) fen: i64,
    pub(super) scale: u32,
    pub(super) rows: usize,
    pub(super) reversals: usize,
    pub(super) outside: usize,
    /// With a date limit: rows after it, rows before the project's year.
    pub(super) after: usize,
    pub(super) before: usize,
}

impl Totals {
    pub(super) fn add(&mut self, part: &PartSums) -> Result<(), String> {
        self.fen = self.fen.checked_add(part.fen).ok_or(SUM_TOO_LARGE)?;
        self.scale = self.scale.max(part.scale);
        self.rows += part.rows as usize;
        self.reversals += part.reversals as usize;
        self.outside += part.outside as usize;
        Ok(())
    }

    /// The exact sum, as the sum of the amounts as decimals would be.
    pub(super) fn spent(&self, other: Option<Decimal>) -> Result<Decimal, String> {
        let mut plain = Decimal::new(self.fen, 2);
        plain.rescale(self.scale);
        match other {
            Some(o) => plain
                .checked_add(o)
                .ok_or_else(|| SUM_TOO_LARGE.to_string()),
            None => Ok(plain),
        }
    }
}

/// Sums beyond 9.2 × 10^16 分 are left to the reader's decimal sums.
pub(super) const SUM_TOO_LARGE: &str = "a sum too large for 64-bit fen";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_pack_into_distinct_integers() {
        // The layout: the bytes in order, the length in the last byte.
        for code in [
            "",
            "A",
            "05-2024-05965",
            "1234567",
            "12345678",
            "123456789012345",
        ] {
            let mut b = [0u8; 16];
            b[..code.len()].copy_from_slice(code.as_bytes());
            b[15] = code.len() as u8;
            assert_eq!(
                pack(code.as_bytes()),
                Some(u128::from_le_bytes(b)),
                "{code}"
            );
        }
        assert_eq!(pack(b"1234567890123456"), None);
        assert_ne!(pack(b"A"), pack(b"A\0"));
    }

    #[test]
    fn the_sum_keeps_the_scale_of_the_decimals() {
        // 12 + 0.5 = 12.5: scale 1, as Decimal addition gives; plus 1,000.25 of another
        // form = 1012.75.
        let mut part = PartSums::default();
        part.row(&Amount::Fen(1200, 0), false).unwrap();
        part.row(&Amount::Fen(50, 1), true).unwrap();
        part.row(&Amount::Fen(-1, 2), false).unwrap();
        // 1200 + 50 - 1 = 1249 分, 3 rows, 1 reversal, 1 outside the year.
        assert_eq!(
            (part.fen, part.rows, part.reversals, part.outside),
            (1249, 3, 1, 1)
        );
        let mut t = Totals::default();
        t.add(&part).unwrap();
        assert_eq!(t.spent(None).unwrap().to_string(), "12.49");
        let mut t = Totals::default();
        t.add(&PartSums {
            fen: 1250,
            scale: 1,
            ..PartSums::default()
        })
        .unwrap();
        assert_eq!(t.spent(None).unwrap().to_string(), "12.5");
        let other = Decimal::new(100_025, 2);
        assert_eq!(t.spent(Some(other)).unwrap().to_string(), "1012.75");
        let full = PartSums {
            fen: i64::MAX,
            ..PartSums::default()
        };
        assert!(t.add(&full).is_err());
    }
}

//! Singleton numeric fields that arrive repeated or comma-joined
//! (`../shared/spec/headers.md` section 6 A3, A4, A7): equal members give their value;
//! differing members give the most conservative one and a warning. Vendor counts may
//! be decimals (`588.0`, rounded down); `-1` means "unknown".

use super::ctx::Ctx;
use super::fields::Field;
use crate::model::{Bounded, Problem};
use crate::number::{NumberError, parse_decimal};

/// Most members of one repeated field that are compared.
pub(crate) const MEMBER_CAPACITY: usize = 8;

/// Members of one field: its lines, each split at commas (a comma after a day name,
/// as in `Tue, 14 Nov 2023 ...`, does not split).
pub(crate) type Members<'a> = Bounded<&'a [u8], MEMBER_CAPACITY>;

/// Splits one line into comma-separated members.
pub(crate) fn split_members<'a>(line: &'a [u8], out: &mut Members<'a>) {
    let mut start = 0usize;
    let mut i = 0usize;
    while i < line.len() {
        if line.get(i) == Some(&b',') {
            let piece = line.get(start..i).unwrap_or_default().trim_ascii();
            let is_day_name = !piece.is_empty() && piece.iter().all(u8::is_ascii_alphabetic);
            if !is_day_name {
                push_trimmed(line.get(start..i), out);
                start = i.saturating_add(1);
            }
        }
        i = i.saturating_add(1);
    }
    push_trimmed(line.get(start..), out);
}

fn push_trimmed<'a>(piece: Option<&'a [u8]>, out: &mut Members<'a>) {
    let piece = piece.unwrap_or_default().trim_ascii();
    if !piece.is_empty() {
        out.push(piece);
    }
}

/// Every member of a field, across its lines; members past [`MEMBER_CAPACITY`] are
/// not compared, and a warning says so.
pub(crate) fn members<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    field: Field,
) -> Members<'a> {
    let mut out = Members::new();
    ctx.fields
        .each_line(field, &mut |line| split_members(line, &mut out));
    if out.overflowed() > 0 {
        ctx.warn(field, Problem::FieldCapacityExceeded);
    }
    out
}

/// Which member wins when members disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Conservative {
    /// The smallest (limits, remaining counts).
    Min,
    /// The largest (resets, delays).
    Max,
}

/// Combines values: equal values give the value; otherwise the conservative pick and
/// a [`Problem::ConflictingValues`] warning on `name`.
pub(crate) fn combine<'a, T: Ord + Copy, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    values: impl Iterator<Item = T>,
    pick: Conservative,
) -> Option<T> {
    let mut acc: Option<T> = None;
    let mut conflict = false;
    for v in values {
        acc = Some(match acc {
            None => v,
            Some(a) => {
                conflict |= a != v;
                match pick {
                    Conservative::Min => a.min(v),
                    Conservative::Max => a.max(v),
                }
            }
        });
    }
    if conflict {
        ctx.warn_name(name, Problem::ConflictingValues);
    }
    acc
}

/// Reads one vendor count: a non-negative decimal rounded down; `-1` is "unknown".
pub(crate) fn count_value<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    value: &'a [u8],
) -> Option<u64> {
    match parse_decimal(value) {
        Ok(d) => Some(d.whole),
        Err(NumberError::Negative) if value.trim_ascii() == b"-1" => {
            ctx.warn_name(name, Problem::UnknownSentinel);
            None
        }
        Err(e) => {
            ctx.warn_name(name, Problem::InvalidNumber(e));
            None
        }
    }
}

/// Reads a (possibly repeated) vendor count field, combined conservatively (minimum).
pub(crate) fn count<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    field: Field,
) -> Option<u64> {
    let list = members(ctx, field);
    let name = ctx.fields.name(field);
    let mut values: Bounded<u64, MEMBER_CAPACITY> = Bounded::new();
    for &m in list.iter() {
        if let Some(v) = count_value(ctx, name, m) {
            values.push(v);
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_after_day_names_do_not_split() {
        let mut out = Members::new();
        split_members(b"Tue, 14 Nov 2023 22:13:20 GMT, 5", &mut out);
        assert!(
            out.iter()
                .eq([&b"Tue, 14 Nov 2023 22:13:20 GMT"[..], b"5"].iter())
        );
        let mut out = Members::new();
        split_members(b" 30 , 120,,", &mut out);
        assert!(out.iter().eq([&b"30"[..], b"120"].iter()));
    }
}

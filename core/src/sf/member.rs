//! Members of Lists and Dictionaries: an Item or an Inner List
//! (RFC 9651 sections 3.1, 3.2 and 4.2.1.1).

use super::bare_item::{BareItem, check_bare_item, read_bare_item};
use super::bytes::{at, is_token_start, span};
use super::error::Error;
use super::fast::fast_item;
use super::inner_list::{InnerList, check_inner_list, read_inner_list};
use super::item::{Item, check_item, read_item};
use super::parameters::{KeyIndex, Parameters, check_parameters_noting};
use super::string::{check_string_escapes, checked_string};

/// A List or Dictionary member (RFC 9651 sections 3.1 and 3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Member<'a> {
    /// A single Item.
    Item(Item<'a>),
    /// A parenthesized Inner List.
    InnerList(InnerList<'a>),
}

impl<'a> Member<'a> {
    /// The Item, if this member is one.
    pub const fn as_item(&self) -> Option<Item<'a>> {
        match *self {
            Member::Item(item) => Some(item),
            Member::InnerList(_) => None,
        }
    }

    /// The Inner List, if this member is one.
    pub const fn as_inner_list(&self) -> Option<InnerList<'a>> {
        match *self {
            Member::Item(_) => None,
            Member::InnerList(list) => Some(list),
        }
    }

    /// The member's parameters (of the Item, or after the Inner List's `)`).
    pub const fn params(&self) -> Parameters<'a> {
        match *self {
            Member::Item(item) => item.params,
            Member::InnerList(list) => list.params,
        }
    }
}

/// Checks an Item or Inner List starting at `i` (RFC 9651 section 4.2.1.1) and
/// returns the index just past it.
#[inline(always)]
pub(crate) fn check_member(b: &[u8], i: usize) -> Result<usize, Error> {
    if let Some((_, end)) = fast_item(b, i, &mut KeyIndex::default()) {
        return Ok(end);
    }
    if at(b, i) == Some(b'(') {
        check_inner_list(b, i)
    } else {
        check_item(b, i)
    }
}

/// Reads a member already checked by [`check_member`] starting at `i`.
#[inline(always)]
pub(crate) fn read_member(text: &str, i: usize) -> (Member<'_>, usize) {
    if at(text.as_bytes(), i) == Some(b'(') {
        let (list, end) = read_inner_list(text, i);
        (Member::InnerList(list), end)
    } else {
        let (item, end) = read_item(text, i);
        (Member::Item(item), end)
    }
}

/// Where the parts of a List member are, noted while it is checked so that
/// iterating can build the member without reading it again. Offsets count from
/// the start of the List's text, so only values shorter than 64 KiB are noted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct NotedMember {
    /// The member's first byte.
    start: u16,
    /// Just past the bare item (where the parameters start).
    params: u16,
    /// Just past the parameters.
    end: u16,
    /// Whether the bare item is a String with a `\\` escape.
    escaped: bool,
    /// The parameters' keys.
    keys: KeyIndex,
}

impl NotedMember {
    /// The offset just past the member.
    #[inline(always)]
    pub(crate) const fn end(&self) -> usize {
        self.end as usize
    }
}

/// The offset of index `i` from `base`, for a value at most `u16::MAX` bytes long.
#[inline(always)]
fn offset(i: usize, base: usize) -> u16 {
    // Callers note only values short enough for every offset to fit.
    i.wrapping_sub(base) as u16
}

/// [`check_member`], noting in `note` where the member's parts are; offsets
/// count from `base`, and the caller makes sure they fit in a `u16`.
#[inline(always)]
pub(crate) fn check_member_noting(
    b: &[u8],
    i: usize,
    base: usize,
    note: &mut NotedMember,
) -> Result<usize, Error> {
    note.keys = KeyIndex::default();
    if let Some((params, end)) = fast_item(b, i, &mut note.keys) {
        note.start = offset(i, base);
        note.params = offset(params, base);
        note.end = offset(end, base);
        note.escaped = false;
        return Ok(end);
    }
    let mut escaped = false;
    let params = match at(b, i) {
        Some(b'(') => {
            // Inner Lists are read again in full; only their extent is noted.
            let end = check_inner_list(b, i)?;
            *note = NotedMember {
                start: offset(i, base),
                params: offset(end, base),
                end: offset(end, base),
                escaped,
                keys: KeyIndex::default(),
            };
            return Ok(end);
        }
        Some(b'"') => {
            let (end, has_escapes) = check_string_escapes(b, i)?;
            escaped = has_escapes;
            end
        }
        _ => check_bare_item(b, i)?,
    };
    let mut keys = KeyIndex::default();
    let end = check_parameters_noting(b, params, &mut keys)?;
    *note = NotedMember {
        start: offset(i, base),
        params: offset(params, base),
        end: offset(end, base),
        escaped,
        keys,
    };
    Ok(end)
}

/// Builds the member that `note` describes in `text`, the checked List text its
/// offsets count from.
#[inline(always)]
pub(crate) fn noted_member<'a>(text: &'a str, note: &NotedMember) -> Member<'a> {
    let b = text.as_bytes();
    let start = usize::from(note.start);
    let params = usize::from(note.params);
    let bare = match at(b, start) {
        Some(b'"') => {
            let raw = span(text, start.wrapping_add(1), params.wrapping_sub(1));
            BareItem::String(checked_string(raw, note.escaped))
        }
        Some(c) if is_token_start(c) => BareItem::Token(span(text, start, params)),
        Some(b'(') => return read_member(text, start).0,
        _ => read_bare_item(text, start).0,
    };
    let params = Parameters::noted(span(text, params, usize::from(note.end)), note.keys);
    Member::Item(Item { bare, params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::BareItem;

    #[test]
    fn item_or_inner_list_by_first_byte() {
        assert_eq!(check_member(b"1;a", 0), Ok(3));
        let (item, _) = read_member("1;a", 0);
        assert_eq!(item.as_item().unwrap().bare, BareItem::Integer(1));
        assert_eq!(item.params().get("a"), Some(BareItem::Boolean(true)));
        assert!(item.as_inner_list().is_none());
        assert_eq!(check_member(b"(1 2);b", 0), Ok(7));
        let (list, end) = read_member("(1 2);b", 0);
        assert_eq!(end, 7);
        assert_eq!(list.as_inner_list().unwrap().len(), 2);
        assert_eq!(list.params().get("b"), Some(BareItem::Boolean(true)));
        assert!(list.as_item().is_none());
    }
}

//! Members of Lists and Dictionaries: an Item or an Inner List
//! (RFC 9651 sections 3.1, 3.2 and 4.2.1.1).

use super::bytes::at;
use super::error::Error;
use super::inner_list::{InnerList, check_inner_list, read_inner_list};
use super::item::{Item, check_item, read_item};
use super::parameters::Parameters;

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

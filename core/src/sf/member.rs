//! Members of Lists and Dictionaries: an Item or an Inner List
//! (RFC 9651 sections 3.1, 3.2 and 4.2.1.1).

use super::cursor::Cursor;
use super::error::Error;
use super::inner_list::{InnerList, parse_inner_list};
use super::item::{Item, parse_item_at};
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

/// Parses an Item or Inner List at the cursor (RFC 9651 section 4.2.1.1).
#[inline(always)]
pub(crate) fn parse_member<'a>(c: &mut Cursor<'a>) -> Result<Member<'a>, Error> {
    if c.peek() == Some(b'(') {
        parse_inner_list(c).map(Member::InnerList)
    } else {
        parse_item_at(c).map(Member::Item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::BareItem;

    #[test]
    fn item_or_inner_list_by_first_byte() {
        let item = parse_member(&mut Cursor::new("1;a")).unwrap();
        assert_eq!(item.as_item().unwrap().bare, BareItem::Integer(1));
        assert_eq!(item.params().get("a"), Some(BareItem::Boolean(true)));
        assert!(item.as_inner_list().is_none());
        let list = parse_member(&mut Cursor::new("(1 2);b")).unwrap();
        assert_eq!(list.as_inner_list().unwrap().len(), 2);
        assert_eq!(list.params().get("b"), Some(BareItem::Boolean(true)));
        assert!(list.as_item().is_none());
    }
}

//! A zero-copy, allocation-free reader for Structured Field Values
//! (RFC 9651, which obsoletes RFC 8941).
//!
//! Three entry points follow RFC 9651 section 4.2, one per field type:
//! [`parse_item`], [`parse_list`] and [`parse_dictionary`]. Each takes one field
//! value as bytes (several field lines already joined with `,`) and either
//! rejects the whole value with an [`Error`] or returns a view that borrows it.
//!
//! Lists and Dictionaries are validated completely up front, in one linear pass:
//! a failure anywhere, even after thousands of good members, fails the field, as
//! section 4.2 requires. Iterating then reads the already validated text again,
//! so results never need storage of their own: strings keep their escapes
//! ([`SfString::chars`] unescapes), Byte Sequences keep their base64 text
//! ([`decode_base64`] decodes into a caller buffer) and Display Strings keep their
//! `%xx` escapes ([`decode_display_string`]). A [`List`] also keeps a few small
//! notes from validation (where the parts of its first members and the keys of
//! their first parameters are), so that iterating those members and looking up
//! their parameters read nothing twice.
//!
//! ```
//! use ratelimit_governor::sf::{parse_list, BareItem, Member};
//!
//! let policy = parse_list(br#""burst";q=100;w=60,"daily";q=1000;w=86400"#)?;
//! for member in policy.iter() {
//!     let Member::Item(item) = member else { continue };
//!     let name = item.bare.as_string().map(|s| s.raw());
//!     let quota = item.params.get("q").and_then(|v| v.as_integer());
//!     assert!(matches!((name, quota), (Some("burst"), Some(100)) | (Some("daily"), Some(1000))));
//! }
//! # Ok::<(), ratelimit_governor::sf::Error>(())
//! ```
//!
//! Each grammar rule lives in its own file with two halves: a checker that works
//! on bytes, returns positions and reports the first broken rule as an [`Error`]
//! with its byte offset, and a reader that decodes already checked text without
//! error paths. The entry points run the checkers once over the whole value; the
//! iterators run only the readers. Members of the usual shapes (`"burst";q=100`)
//! are first checked by a fast path that reads eight bytes at a time where it
//! can, and that leaves anything else, errors included, to the rules' checkers.
//! Nothing recurses (Inner Lists cannot nest), and every byte is looked at a
//! small, fixed number of times, so work is linear in the input.
//!
//! Parsing is strict where RFC 9651 is strict (no space before `;`, lowercase
//! keys, at most 15 integer digits, ASCII only) and lenient where it asks to be
//! (base64 without `=` padding or with non-zero pad bits).

mod bare_item;
mod byte_sequence;
mod bytes;
mod dictionary;
mod display_string;
mod error;
mod fast;
mod inner_list;
mod item;
mod key;
mod list;
mod member;
mod number;
mod parameters;
mod string;
mod text;
mod token;

#[cfg(test)]
mod conformance;
#[cfg(test)]
mod properties;

pub use bare_item::BareItem;
pub use byte_sequence::{base64_decoded_len, decode_base64};
pub use dictionary::{Dictionary, DictionaryIter, parse_dictionary};
pub use display_string::decode_display_string;
pub use error::{Error, ErrorKind};
pub(crate) use fast::named_integer_members;
pub use inner_list::{InnerList, InnerListItems};
pub use item::{Item, parse_item};
pub(crate) use list::parse_list_text;
pub use list::{List, ListIter, parse_list};
pub use member::Member;
pub use number::Decimal;
pub use parameters::{Parameters, ParametersIter};
pub use string::{SfString, Unescaped};

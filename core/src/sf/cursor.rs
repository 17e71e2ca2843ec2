//! The reading position over one field value, and the input checks of RFC 9651
//! section 4.2 that come before any grammar rule: the value must be ASCII, and
//! leading SP is discarded.
//!
//! The input is checked to be ASCII once, up front, and turned into a `&str`
//! once; every later span is cut out of that `&str` in constant time, so no
//! span is ever re-validated as UTF-8.

use super::error::{Error, ErrorKind};

/// A position in an ASCII field value. Every parser in this module takes one and
/// leaves it just past what it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) const fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    /// The current byte offset.
    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    /// The byte at the current position.
    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The byte `ahead` bytes past the current position.
    #[inline(always)]
    pub(crate) fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.text
            .as_bytes()
            .get(self.pos.saturating_add(ahead))
            .copied()
    }

    /// Everything from the current position on.
    #[inline(always)]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or(&[])
    }

    /// True when all input has been read.
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// Moves one byte forward.
    #[inline(always)]
    pub(crate) fn advance(&mut self) {
        self.advance_by(1);
    }

    /// Moves `n` bytes forward (never past the end).
    #[inline(always)]
    pub(crate) fn advance_by(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.text.len());
    }

    /// Moves to the end of the input.
    pub(crate) fn finish(&mut self) {
        self.pos = self.text.len();
    }

    /// Consumes `byte` if it is next.
    #[inline(always)]
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        if hit {
            self.advance();
        }
        hit
    }

    /// Discards SP (RFC 9651 section 4.2 "discard any leading SP characters").
    #[inline(always)]
    pub(crate) fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.advance();
        }
    }

    /// Discards OWS, that is SP and HTAB (RFC 9651 sections 4.2.1 and 4.2.2).
    #[inline(always)]
    pub(crate) fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.advance();
        }
    }

    /// The text between two offsets (empty if they are out of order or range).
    #[inline(always)]
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The text from `start` to the current position.
    #[inline(always)]
    pub(crate) fn since(&self, start: usize) -> &'a str {
        self.slice(start, self.pos)
    }

    /// An error of `kind` at the current position.
    #[inline(always)]
    pub(crate) const fn error(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.pos)
    }
}

/// Checks that a field value is ASCII (RFC 9651 section 4.2 step 1 fails on
/// anything else) and views it as text.
pub(crate) fn ascii_text(input: &[u8]) -> Result<&str, Error> {
    let non_ascii = |offset: usize| Error::new(ErrorKind::NonAscii, offset);
    if !input.is_ascii() {
        let offset = input.iter().position(|b| !b.is_ascii()).unwrap_or(0);
        return Err(non_ascii(offset));
    }
    core::str::from_utf8(input).map_err(|e| non_ascii(e.valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_reports_first_offending_byte() {
        let err = ascii_text("ab\u{e9}".as_bytes()).unwrap_err();
        assert_eq!(err, Error::new(ErrorKind::NonAscii, 2));
        assert_eq!(ascii_text(b"abc"), Ok("abc"));
    }

    #[test]
    fn cursor_moves_within_bounds() {
        let mut c = Cursor::new(" \t x");
        c.skip_sp();
        assert_eq!(c.pos(), 1);
        c.skip_ows();
        assert_eq!(c.peek(), Some(b'x'));
        c.advance_by(10);
        assert!(c.is_empty());
        assert_eq!(c.peek(), None);
        assert_eq!(c.since(3), "x");
    }
}

//! [`Text`]: a name borrowed from the input (policy ids, vendor bucket names).

use core::fmt;

/// A piece of text borrowed from the response. Structured-Field Strings may carry
/// `\"` and `\\` escapes; they are kept in the borrowed text and removed by
/// [`Text::chars`] and [`fmt::Display`], so nothing is copied while parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Text<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> Text<'a> {
    /// Plain text, taken as it is.
    pub const fn plain(raw: &'a str) -> Self {
        Text {
            raw,
            escaped: false,
        }
    }

    /// The content of a Structured-Field String, escapes still in it.
    pub const fn sf_escaped(raw: &'a str) -> Self {
        Text { raw, escaped: true }
    }

    /// The borrowed text as it appeared in the input (escapes included).
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The characters of the value, escapes removed.
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        let escaped = self.escaped;
        let mut pending_escape = false;
        self.raw.chars().filter(move |&c| {
            if escaped && c == '\\' && !pending_escape {
                pending_escape = true;
                return false;
            }
            pending_escape = false;
            true
        })
    }

    /// True when the unescaped value equals `other`.
    pub fn eq_str(&self, other: &str) -> bool {
        if !self.escaped || !self.raw.contains('\\') {
            return self.raw == other;
        }
        self.chars().eq(other.chars())
    }

    /// True when the unescaped values of two texts are equal.
    #[inline]
    pub fn same_as(&self, other: &Text<'_>) -> bool {
        // Plain on both sides (the parser marks a String escaped only when it has
        // escapes): the characters are the bytes.
        if !self.escaped && !other.escaped {
            // Lengths and first bytes tell most different ids apart without a call
            // into `memcmp`.
            let (a, b) = (self.raw.as_bytes(), other.raw.as_bytes());
            return a.len() == b.len() && a.first() == b.first() && a == b;
        }
        self.chars().eq(other.chars())
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.escaped {
            return f.write_str(self.raw);
        }
        for c in self.chars() {
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_removed() {
        let t = Text::sf_escaped(r#"a\"b\\c"#);
        assert!(t.eq_str(r#"a"b\c"#));
        assert!(!t.eq_str(r#"a\"b\\c"#));
        assert!(Text::plain("core").eq_str("core"));
        assert!(t.same_as(&Text::sf_escaped(r#"a\"b\\c"#)));
    }
}

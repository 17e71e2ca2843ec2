//! Reading one HTTP response head as `curl -sD -` / `curl -si` prints it
//! (`../shared/contract/cli.md` section 1; RFC 9112 sections 4, 5 and 5.2).
//!
//! The input is an optional status line, `Name: value` field lines ended by CRLF or
//! LF, an empty line, then the body. Obsolete line folding (a line starting with SP or
//! HTAB) continues the previous value, joined with one space. When the input holds
//! several heads (interim `100 Continue` responses, redirects followed by `curl -L`:
//! each a status line ... empty line), the last one and the body after it are used.

use std::borrow::Cow;
use std::fmt;

/// One response head and the body after it, borrowed from the input (a folded value is
/// the only thing copied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head<'a> {
    /// The status code of the status line; `None` when the head has none.
    pub status: Option<u16>,
    /// The header fields in order, values trimmed of surrounding whitespace.
    pub fields: Vec<Field<'a>>,
    /// Everything after the empty line that ends the head (possibly empty).
    pub body: &'a [u8],
}

/// One header field: its name as sent and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name, as sent (case preserved).
    pub name: &'a [u8],
    /// The value without leading and trailing SP/HTAB; folded lines joined by one SP.
    pub value: Cow<'a, [u8]>,
}

/// What made a head unreadable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadProblem {
    /// The input holds no bytes at all.
    Empty,
    /// A line starting with `HTTP/` that is not `HTTP/<version> <3-digit status>`.
    MalformedStatusLine,
    /// A status line after header lines, without the empty line that ends a head.
    MisplacedStatusLine,
    /// A header line without the `:` that ends its name.
    MissingColon,
    /// A header line starting with `:`.
    EmptyName,
    /// Whitespace between the field name and the colon (RFC 9112 section 5.1).
    WhitespaceInName,
    /// Bytes outside ASCII (e.g. not UTF-8 text) in a field name.
    NonAsciiName,
    /// A character a field name cannot hold (RFC 9110 `token`).
    InvalidNameChar(u8),
    /// A line starting with SP/HTAB with no header line before it to continue.
    ContinuationWithoutField,
}

impl fmt::Display for HeadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeadProblem::Empty => f.write_str("input is empty: no response head"),
            HeadProblem::MalformedStatusLine => {
                f.write_str("malformed status line (expected `HTTP/<version> <status>`)")
            }
            HeadProblem::MisplacedStatusLine => {
                f.write_str("status line after header lines (missing empty line?)")
            }
            HeadProblem::MissingColon => f.write_str("header line without ':'"),
            HeadProblem::EmptyName => f.write_str("header line with an empty name"),
            HeadProblem::WhitespaceInName => f.write_str("whitespace in header name (before ':')"),
            HeadProblem::NonAsciiName => {
                f.write_str("header name is not ASCII text (non-UTF-8 or non-ASCII bytes)")
            }
            HeadProblem::InvalidNameChar(b) => {
                write!(f, "invalid character {:?} in header name", char::from(*b))
            }
            HeadProblem::ContinuationWithoutField => f.write_str(
                "continuation line (starting with a space or tab) without a header line before it",
            ),
        }
    }
}

/// A head that could not be read, with the 1-based line of the input it was found on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeadError {
    /// The line (1-based, counted over the whole input).
    pub line: usize,
    /// What was wrong.
    pub problem: HeadProblem,
}

/// Reads the last response head of `input` and the body after it.
pub fn read_last_head(input: &[u8]) -> Result<Head<'_>, HeadError> {
    if input.is_empty() {
        return Err(HeadError {
            line: 1,
            problem: HeadProblem::Empty,
        });
    }
    let mut lines = Lines::new(input);
    loop {
        let (status, fields, ended) = read_one_head(&mut lines)?;
        let rest = lines.rest();
        if ended && rest.starts_with(b"HTTP/") {
            continue;
        }
        return Ok(Head {
            status,
            fields,
            body: rest,
        });
    }
}

type OneHead<'a> = (Option<u16>, Vec<Field<'a>>, bool);

/// Reads one head from `lines`; the flag says whether an empty line ended it (rather
/// than the end of the input).
fn read_one_head<'a>(lines: &mut Lines<'a>) -> Result<OneHead<'a>, HeadError> {
    let mut status = None;
    let mut fields: Vec<Field<'a>> = Vec::new();
    let mut first = true;
    while let Some((line_no, line)) = lines.next() {
        let error = |problem| HeadError {
            line: line_no,
            problem,
        };
        if line.is_empty() {
            return Ok((status, fields, true));
        }
        if first && line.starts_with(b"HTTP/") {
            status = Some(parse_status_line(line).ok_or(error(HeadProblem::MalformedStatusLine))?);
            first = false;
            continue;
        }
        first = false;
        if let [b' ' | b'\t', ..] = line {
            let last = fields
                .last_mut()
                .ok_or(error(HeadProblem::ContinuationWithoutField))?;
            let more = trim_ows(line);
            if !more.is_empty() {
                let value = last.value.to_mut();
                if !value.is_empty() {
                    value.push(b' ');
                }
                value.extend_from_slice(more);
            }
            continue;
        }
        fields.push(parse_field_line(line).map_err(error)?);
    }
    Ok((status, fields, false))
}

/// `HTTP/<version> <3-digit status>[ <reason>]`, version digits and dots (`1.1`, `2`).
fn parse_status_line(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let (version, rest) = rest.split_at(space);
    let valid_version = !version.is_empty()
        && version.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && version.first().is_some_and(u8::is_ascii_digit);
    if !valid_version {
        return None;
    }
    let rest = rest.strip_prefix(b" ")?;
    let (code, reason) = rest.split_at(rest.len().min(3));
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !(reason.is_empty() || reason.starts_with(b" ")) {
        return None;
    }
    let code = std::str::from_utf8(code).ok()?.parse::<u16>().ok()?;
    (code >= 100).then_some(code)
}

fn parse_field_line(line: &[u8]) -> Result<Field<'_>, HeadProblem> {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(if line.starts_with(b"HTTP/") {
            HeadProblem::MisplacedStatusLine
        } else {
            HeadProblem::MissingColon
        });
    };
    let (name, value) = line.split_at(colon);
    if name.is_empty() {
        return Err(HeadProblem::EmptyName);
    }
    if let Some(&bad) = name.iter().find(|&&b| !is_tchar(b)) {
        return Err(match bad {
            b' ' | b'\t' => HeadProblem::WhitespaceInName,
            b if !b.is_ascii() => HeadProblem::NonAsciiName,
            b => HeadProblem::InvalidNameChar(b),
        });
    }
    let value = value.get(1..).unwrap_or_default();
    Ok(Field {
        name,
        value: Cow::Borrowed(trim_ows(value)),
    })
}

/// RFC 9110 section 5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// The input's lines, LF or CRLF ended, numbered from 1; the rest stays reachable.
struct Lines<'a> {
    rest: &'a [u8],
    next_no: usize,
}

impl<'a> Lines<'a> {
    fn new(input: &'a [u8]) -> Self {
        Lines {
            rest: input,
            next_no: 1,
        }
    }

    fn rest(&self) -> &'a [u8] {
        self.rest
    }

    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(nl) => {
                let (line, rest) = self.rest.split_at(nl);
                (line, rest.get(1..).unwrap_or_default())
            }
            None => (self.rest, &[][..]),
        };
        self.rest = rest;
        let no = self.next_no;
        self.next_no = self.next_no.saturating_add(1);
        Some((no, line.strip_suffix(b"\r").unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<'a>(head: &'a Head<'_>) -> Vec<(&'a str, &'a str)> {
        head.fields
            .iter()
            .map(|f| {
                (
                    std::str::from_utf8(f.name).unwrap(),
                    std::str::from_utf8(&f.value).unwrap(),
                )
            })
            .collect()
    }

    fn problem(input: &[u8]) -> (usize, HeadProblem) {
        let e = read_last_head(input).unwrap_err();
        (e.line, e.problem)
    }

    #[test]
    fn crlf_head_and_body() {
        let h = read_last_head(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nX-A:b \r\n\r\n{\"e\":1}\r\n",
        )
        .unwrap();
        assert_eq!(h.status, Some(429));
        assert_eq!(pairs(&h), [("Retry-After", "2"), ("X-A", "b")]);
        assert_eq!(h.body, b"{\"e\":1}\r\n");
    }

    #[test]
    fn lf_head_without_body_or_final_empty_line() {
        let h = read_last_head(b"HTTP/2 200\nratelimit: \"a\";r=1;t=2").unwrap();
        assert_eq!(h.status, Some(200));
        assert_eq!(pairs(&h), [("ratelimit", "\"a\";r=1;t=2")]);
        assert_eq!(h.body, b"");
    }

    #[test]
    fn folded_lines_join_with_one_space() {
        let h = read_last_head(
            b"HTTP/1.1 200 OK\nRateLimit: \"a\";r=1;t=2,\n \t\"b\";r=0;t=9 \n\tx\nB:\n  y\n\n",
        )
        .unwrap();
        assert_eq!(
            pairs(&h),
            [("RateLimit", "\"a\";r=1;t=2, \"b\";r=0;t=9 x"), ("B", "y")]
        );
    }

    #[test]
    fn last_of_several_heads_is_used() {
        let input = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: /b\r\nRetry-After: 9\r\n\r\nHTTP/2 429\r\nretry-after: 3\r\n\r\nbody";
        let h = read_last_head(input).unwrap();
        assert_eq!(h.status, Some(429));
        assert_eq!(pairs(&h), [("retry-after", "3")]);
        assert_eq!(h.body, b"body");
    }

    #[test]
    fn body_that_is_not_a_head_is_kept() {
        let h = read_last_head(b"HTTP/1.1 200 OK\n\n\nHTTP/1.1 is text\n").unwrap();
        assert_eq!(h.body, b"\nHTTP/1.1 is text\n");
    }

    #[test]
    fn no_status_line() {
        let h = read_last_head(b"Retry-After: 5\nX-Bin: \xff\xfe\n").unwrap();
        assert_eq!(h.status, None);
        assert_eq!(h.fields.len(), 2);
        assert_eq!(h.fields[1].value.as_ref(), b"\xff\xfe");
    }

    #[test]
    fn status_line_forms() {
        for (line, code) in [
            (&b"HTTP/1.1 429 Too Many Requests"[..], Some(429)),
            (b"HTTP/1.0 200", Some(200)),
            (b"HTTP/2 503 ", Some(503)),
            (b"HTTP/3 200", Some(200)),
            (b"HTTP/2.0 204", Some(204)),
            (b"HTTP/1.1 42", None),
            (b"HTTP/1.1 4290", None),
            (b"HTTP/1.1 abc", None),
            (b"HTTP/ 200", None),
            (b"HTTP/1.1  200", None),
            (b"HTTP/1.1 099", None),
        ] {
            assert_eq!(
                parse_status_line(line),
                code,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(problem(b""), (1, HeadProblem::Empty));
        assert_eq!(
            problem(b"HTTP/1.1 200 OK\nA: b\nno colon here\n"),
            (3, HeadProblem::MissingColon)
        );
        assert_eq!(
            problem(b"HTTP/1.1 2x0\n"),
            (1, HeadProblem::MalformedStatusLine)
        );
        assert_eq!(
            problem(b"HTTP/1.1 200\n folded\n"),
            (2, HeadProblem::ContinuationWithoutField)
        );
        assert_eq!(problem(b"A: 1\nB\xff: 2\n"), (2, HeadProblem::NonAsciiName));
        assert_eq!(
            problem(b"Retry-After : 2\n"),
            (1, HeadProblem::WhitespaceInName)
        );
        assert_eq!(problem(b": 2\n"), (1, HeadProblem::EmptyName));
        assert_eq!(
            problem(b"A\"b: 2\n"),
            (1, HeadProblem::InvalidNameChar(b'"'))
        );
        assert_eq!(
            problem(b"HTTP/1.1 200 OK\nA: 1\nHTTP/1.1 200 OK\n"),
            (3, HeadProblem::MisplacedStatusLine)
        );
        assert_eq!(
            problem(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nbad\r\n"),
            (4, HeadProblem::MissingColon)
        );
    }
}

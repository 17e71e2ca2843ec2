//! Whole-field tests: the rate-limit header examples, the minimum sizes of
//! RFC 9651 section 3 (1024 members, 16384-byte binaries), and one row per
//! failure rule of section 4.2 through the public entry points.

extern crate std;

use super::*;
use std::string::String;
use std::vec::Vec;

fn item(member: Member<'_>) -> Item<'_> {
    member.as_item().unwrap()
}

#[test]
fn every_failure_rule_has_its_kind() {
    use ErrorKind::*;
    #[derive(Clone, Copy, Debug)]
    enum As {
        Item,
        List,
        Dict,
    }
    #[rustfmt::skip]
    let cases: &[(&str, As, &str, ErrorKind, usize)] = &[
        ("item on empty input",                As::Item, "",                          Empty, 0),
        ("non-ascii byte",                     As::List, "\"caf\u{e9}\"",             NonAscii, 4),
        ("input ends inside a parameter",      As::List, "1;a=",                      UnexpectedEnd, 4),
        ("unknown item start",                 As::List, "'a'",                       UnexpectedCharacter, 0),
        ("leftover after item",                As::Item, "1 2",                       TrailingCharacters, 2),
        ("members without comma",              As::List, "1 2",                       ExpectedComma, 2),
        ("whitespace before semicolon",        As::List, "\"default\" ;r=50",         ExpectedComma, 10),
        ("trailing comma",                     As::List, "1, 2, ",                    TrailingComma, 4),
        ("trailing comma in dictionary",       As::Dict, "a=1,",                      TrailingComma, 3),
        ("unterminated inner list",            As::List, "(1 2",                      UnterminatedInnerList, 4),
        ("inner list items need spaces",       As::List, "(1,2)",                     ExpectedInnerListDelimiter, 2),
        ("uppercase parameter key",            As::List, "\"default\";R=50",          InvalidKey, 10),
        ("digit-first dictionary key",         As::Dict, "1a=1",                      InvalidKey, 0),
        ("minus without digits",               As::Item, "-",                         InvalidNumber, 1),
        ("sixteen-digit integer",              As::Item, "1234567890123456",          IntegerTooLong, 15),
        ("thirteen integer digits in decimal", As::Item, "1234567890123.5",           DecimalTooLong, 13),
        ("four fraction digits",               As::Item, "1.2345",                    DecimalFractionTooLong, 5),
        ("decimal trailing dot",               As::Item, "1.",                        DecimalTrailingDot, 2),
        ("control char in string",             As::Item, "\"a\x01\"",                 InvalidStringChar, 2),
        ("bad escape in string",               As::Item, r#""a\b""#,                  InvalidEscape, 3),
        ("unterminated string",                As::Item, "\"abc",                     UnterminatedString, 4),
        ("bad character after token",          As::List, "limit=100, remaining=50",   InvalidToken, 5),
        ("bad base64 character",               As::Item, ":aGV!sbG8=:",               InvalidByteSequence, 4),
        ("unterminated byte sequence",         As::Item, ":aGVsbG8=",                 UnterminatedByteSequence, 9),
        ("bad boolean",                        As::Item, "?2",                        InvalidBoolean, 1),
        ("decimal date",                       As::Item, "@1.5",                      InvalidDate, 0),
        ("uppercase display string escape",    As::Item, "%\"%C3%BC\"",               InvalidDisplayString, 2),
        ("unterminated display string",        As::Item, "%\"abc",                    UnterminatedDisplayString, 5),
    ];
    for &(rule, as_, input, kind, offset) in cases {
        let err = match as_ {
            As::Item => parse_item(input.as_bytes()).map(|_| ()),
            As::List => parse_list(input.as_bytes()).map(|_| ()),
            As::Dict => parse_dictionary(input.as_bytes()).map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(
            (err.kind, err.offset),
            (kind, offset),
            "{rule}: {input:?} as {as_:?}"
        );
    }
}

#[test]
fn ratelimit_policy_with_two_quota_policies() {
    let list = parse_list(br#"RateLimit-Policy: "burst";q=100;w=60,"daily";q=1000;w=86400"#);
    // The header name is not part of the field value.
    assert!(list.is_err());
    let list = parse_list(br#""burst";q=100;w=60,"daily";q=1000;w=86400"#).unwrap();
    assert_eq!(list.len(), 2);
    let rows: Vec<(String, i64, i64)> = list
        .iter()
        .map(|m| {
            let it = item(m);
            let name = it.bare.as_string().unwrap().chars().collect();
            let q = it.params.get("q").unwrap().as_integer().unwrap();
            let w = it.params.get("w").unwrap().as_integer().unwrap();
            (name, q, w)
        })
        .collect();
    assert_eq!(
        rows,
        [("burst".into(), 100, 60), ("daily".into(), 1000, 86400)]
    );
}

#[test]
fn partition_key_byte_sequence() {
    let list =
        parse_list(br#""peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:"#).unwrap();
    let it = item(list.iter().next().unwrap());
    assert!(it.bare.as_string().unwrap().eq_str("peruser"));
    assert_eq!(it.params.get("q"), Some(BareItem::Integer(65535)));
    assert!(
        it.params
            .get("qu")
            .unwrap()
            .as_string()
            .unwrap()
            .eq_str("content-bytes")
    );
    let pk = it.params.get("pk").unwrap().as_byte_sequence().unwrap();
    assert_eq!(pk, "sdfjLJUOUH==");
    let mut buf = [0u8; 8];
    assert_eq!(
        decode_base64(pk, &mut buf),
        Some(&[0xb1, 0xd7, 0xe3, 0x2c, 0x95, 0x0e, 0x50][..])
    );
}

#[test]
fn duplicate_parameter_last_wins() {
    let list = parse_list(br#""default";r=50;r=7;t=30"#).unwrap();
    let it = item(list.iter().next().unwrap());
    assert_eq!(it.params.get("r"), Some(BareItem::Integer(7)));
    assert_eq!(it.params.iter().count(), 3);
}

#[test]
fn integer_items_with_windows() {
    let list = parse_list(b"10;w=1, 50;w=60, 1000;w=3600").unwrap();
    let rows: Vec<(i64, i64)> = list
        .iter()
        .map(|m| {
            let it = item(m);
            (
                it.bare.as_integer().unwrap(),
                it.params.get("w").unwrap().as_integer().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [(10, 1), (50, 60), (1000, 3600)]);
}

#[test]
fn ratelimit_dictionary() {
    let d = parse_dictionary(b"limit=100, remaining=50;foo=1, reset=5, acme-x=?1").unwrap();
    let value = |k| item(d.get(k).unwrap()).bare;
    assert_eq!(value("limit"), BareItem::Integer(100));
    assert_eq!(value("remaining"), BareItem::Integer(50));
    assert_eq!(value("reset"), BareItem::Integer(5));
    assert_eq!(value("acme-x"), BareItem::Boolean(true));
    let remaining = item(d.get("remaining").unwrap());
    assert_eq!(remaining.params.get("foo"), Some(BareItem::Integer(1)));
    let keys: Vec<&str> = d.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["limit", "remaining", "reset", "acme-x"]);
}

#[test]
fn token_and_string_policy_ids() {
    let list = parse_list(br#"burst;q=100;w=60,"daily";q=1000;w=86400"#).unwrap();
    let bares: Vec<BareItem<'_>> = list.iter().map(|m| item(m).bare).collect();
    assert_eq!(bares[0], BareItem::Token("burst"));
    assert!(bares[1].as_string().unwrap().eq_str("daily"));
}

#[test]
fn list_and_dictionary_discriminate_each_other() {
    let dict_text: &[u8] = b"limit=100, remaining=50, reset=5";
    let list_text: &[u8] = br#""default";r=50;t=30"#;
    assert!(parse_dictionary(dict_text).is_ok());
    assert!(parse_list(dict_text).is_err());
    assert!(parse_list(list_text).is_ok());
    assert!(parse_dictionary(list_text).is_err());
}

#[test]
fn spaces_after_semicolons_are_allowed() {
    let list = parse_list(br#""5-in-2hrs"; q=5; w=7200"#).unwrap();
    let it = item(list.iter().next().unwrap());
    assert_eq!(it.params.get("q"), Some(BareItem::Integer(5)));
    assert_eq!(it.params.get("w"), Some(BareItem::Integer(7200)));
}

#[test]
fn uppercase_parameter_key_fails() {
    assert_eq!(
        parse_list(br#""default";R=50"#).unwrap_err().kind,
        ErrorKind::InvalidKey
    );
}

#[test]
fn one_thousand_twenty_four_members() {
    let mut list_text = String::new();
    let mut dict_text = String::new();
    for i in 0..1024 {
        if i > 0 {
            list_text.push_str(", ");
            dict_text.push_str(", ");
        }
        list_text.push_str(&std::format!("{i};w={i}"));
        dict_text.push_str(&std::format!("k{i}={i}"));
    }
    let list = parse_list(list_text.as_bytes()).unwrap();
    assert_eq!(list.len(), 1024);
    for (i, m) in list.iter().enumerate() {
        assert_eq!(item(m).bare, BareItem::Integer(i as i64));
    }
    let dict = parse_dictionary(dict_text.as_bytes()).unwrap();
    assert_eq!(dict.iter().count(), 1024);
    assert_eq!(
        item(dict.get("k1023").unwrap()).bare,
        BareItem::Integer(1023)
    );
}

#[test]
fn sixteen_kilobyte_binary() {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data: Vec<u8> = (0..16384u32).map(|i| (i * 7 + i / 256) as u8).collect();
    let mut text = Vec::from(&b":"[..]);
    for chunk in data.chunks(3) {
        let v = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(ALPHABET[(v >> (18 - 6 * i) & 63) as usize]);
            } else {
                text.push(b'=');
            }
        }
    }
    text.extend_from_slice(b":;x=1");
    let it = parse_item(&text).unwrap();
    let b64 = it.bare.as_byte_sequence().unwrap();
    assert_eq!(b64.len(), 21848);
    assert_eq!(base64_decoded_len(b64), Some(16384));
    let mut out = std::vec![0u8; 16384];
    assert_eq!(decode_base64(b64, &mut out), Some(&data[..]));
    assert_eq!(it.params.get("x"), Some(BareItem::Integer(1)));
}

#[test]
fn inner_lists_in_lists_and_dictionaries() {
    let list = parse_list(br#"("foo" "bar";x);lvl=5, ("baz"), (), 1"#).unwrap();
    assert_eq!(list.len(), 4);
    let members: Vec<Member<'_>> = list.iter().collect();
    let first = members[0].as_inner_list().unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first.params.get("lvl"), Some(BareItem::Integer(5)));
    let names: Vec<String> = first
        .items()
        .map(|i| i.bare.as_string().unwrap().chars().collect())
        .collect();
    assert_eq!(names, ["foo", "bar"]);
    assert_eq!(
        first.items().nth(1).unwrap().params.get("x"),
        Some(BareItem::Boolean(true))
    );
    assert!(members[2].as_inner_list().unwrap().is_empty());
    assert_eq!(members[3].as_item().unwrap().bare, BareItem::Integer(1));

    let dict = parse_dictionary(b"a=(1 2), b=3, c=();p").unwrap();
    assert_eq!(dict.get("a").unwrap().as_inner_list().unwrap().len(), 2);
    let c = dict.get("c").unwrap().as_inner_list().unwrap();
    assert!(c.is_empty());
    assert_eq!(c.params.get("p"), Some(BareItem::Boolean(true)));
}

#[test]
fn string_with_escapes() {
    let it = parse_item(br#""a\"b\\c""#).unwrap();
    let s = it.bare.as_string().unwrap();
    assert_eq!(s.raw(), r#"a\"b\\c"#);
    assert!(s.has_escapes());
    assert_eq!(s.chars().collect::<String>(), r#"a"b\c"#);
    assert!(s.eq_str(r#"a"b\c"#));
}

#[test]
fn tabs_around_commas_and_trailing_spaces() {
    let list = parse_list(b"  1\t,\t2 \t, 3   ").unwrap();
    let values: Vec<i64> = list
        .iter()
        .map(|m| item(m).bare.as_integer().unwrap())
        .collect();
    assert_eq!(values, [1, 2, 3]);
    let dict = parse_dictionary(b"a=1\t, b=2  ").unwrap();
    assert_eq!(dict.iter().count(), 2);
    assert_eq!(parse_item(b"  5  ").unwrap().bare, BareItem::Integer(5));
}

#[test]
fn all_value_types_in_one_dictionary() {
    let d = parse_dictionary(
        br#"i=-7, d=2.5, s="x", t=tok/1, b=:aGk=:, f=?0, at=@1700000000, ds=%"f%c3%bc""#,
    )
    .unwrap();
    let v = |k| item(d.get(k).unwrap()).bare;
    assert_eq!(v("i"), BareItem::Integer(-7));
    assert_eq!(v("d"), BareItem::Decimal(Decimal::from_milli(2500)));
    assert!(v("s").as_string().unwrap().eq_str("x"));
    assert_eq!(v("t"), BareItem::Token("tok/1"));
    assert_eq!(v("b"), BareItem::ByteSequence("aGk="));
    assert_eq!(v("f"), BareItem::Boolean(false));
    assert_eq!(v("at"), BareItem::Date(1_700_000_000));
    assert_eq!(v("ds"), BareItem::DisplayString("f%c3%bc"));
    let mut buf = [0u8; 8];
    assert_eq!(
        decode_display_string(v("ds").as_display_string().unwrap(), &mut buf),
        Some("fü")
    );
}

fn one_mebibyte_list() -> String {
    let mut text = String::with_capacity(1 << 20);
    while text.len() < (1 << 20) {
        text.push_str("\"a\";r=1, ");
    }
    text.push_str("\"a\";r=1");
    text
}

#[test]
fn one_mebibyte_list_validates() {
    let text = one_mebibyte_list();
    let list = parse_list(text.as_bytes()).unwrap();
    let expected = text.matches(',').count() + 1;
    assert_eq!(list.len(), expected);
    assert_eq!(list.iter().count(), expected);
    let last = list.iter().last().unwrap();
    assert_eq!(item(last).params.get("r"), Some(BareItem::Integer(1)));
}

//! Property tests over the whole reader (RFC 9651 section 4.2): arbitrary input
//! never panics and iteration agrees with validation; generated Lists and
//! Dictionaries, serialized with every allowed spacing, read back as generated.

extern crate std;

use super::*;
use proptest::prelude::*;
use std::format;
use std::string::String;
use std::vec::Vec;

/// A bare item we can generate, with the text it serializes to.
#[derive(Clone, Debug)]
enum Value {
    Integer(i64),
    Token(String),
    String(String),
    Boolean(bool),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Integer(v) => format!("{v}"),
            Value::Token(t) => t.clone(),
            Value::String(s) => {
                let escaped: String = s
                    .chars()
                    .flat_map(|c| match c {
                        '"' | '\\' => ['\\', c].into_iter().take(2),
                        _ => [c, c].into_iter().take(1),
                    })
                    .collect();
                format!("\"{escaped}\"")
            }
            Value::Boolean(b) => format!("?{}", u8::from(*b)),
        }
    }

    fn matches(&self, bare: &BareItem<'_>) -> bool {
        match (self, bare) {
            (Value::Integer(a), BareItem::Integer(b)) => a == b,
            (Value::Token(a), BareItem::Token(b)) => a == b,
            (Value::String(a), BareItem::String(b)) => b.eq_str(a),
            (Value::Boolean(a), BareItem::Boolean(b)) => a == b,
            _ => false,
        }
    }
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-999_999_999_999_999i64..=999_999_999_999_999).prop_map(Value::Integer),
        "[a-zA-Z*][a-zA-Z0-9!#$%&'*+.^_`|~:/-]{0,8}".prop_map(Value::Token),
        "[ -~]{0,12}".prop_map(Value::String),
        any::<bool>().prop_map(Value::Boolean),
    ]
}

fn params() -> impl Strategy<Value = Vec<(String, Value)>> {
    // Few distinct keys, so that repeats (last wins) are common; up to 7
    // parameters, past the few whose keys `Parameters` notes.
    prop::collection::vec(("[a-c*][a-c.]{0,1}", value()), 0..8)
}

fn params_text(params: &[(String, Value)], space: bool) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let sp = if space { " " } else { "" };
            format!(";{sp}{k}={}", v.text())
        })
        .collect()
}

fn params_match(expected: &[(String, Value)], got: Parameters<'_>) -> bool {
    let in_order: Vec<_> = got.iter().collect();
    let last_wins = expected.iter().all(|(k, _)| {
        let last = expected
            .iter()
            .rev()
            .find(|(k2, _)| k2 == k)
            .map(|(_, v)| v);
        match (last, got.get(k)) {
            (Some(v), Some(g)) => v.matches(&g),
            _ => false,
        }
    });
    in_order.len() == expected.len()
        && last_wins
        && got.get("zz").is_none()
        && expected
            .iter()
            .zip(&in_order)
            .all(|((k, v), (gk, gv))| k == gk && v.matches(gv))
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics_and_iteration_agrees(
        input in prop::collection::vec(
            prop::sample::select(b" \t,;=()\"\\:?@%*-._/+aAzZ019fF!<{~'\x7f\xc3".to_vec()),
            0..40,
        )
    ) {
        if let Ok(list) = parse_list(&input) {
            prop_assert_eq!(list.iter().count(), list.len());
            for member in list.iter() {
                if let Member::InnerList(inner) = member {
                    prop_assert_eq!(inner.items().count(), inner.len());
                }
                let _ = member.params().iter().count();
            }
        }
        if let Ok(dict) = parse_dictionary(&input) {
            for (key, member) in dict.iter() {
                prop_assert!(dict.get(key).is_some());
                let _ = member.params().get(key);
            }
        }
        if let Ok(item) = parse_item(&input) {
            let _ = item.params.iter().count();
        }
    }

    #[test]
    fn members_read_the_same_whether_noted_or_read_again(
        input in prop::collection::vec(
            prop::sample::select(b" ,;=()\"\\:?@%*-._/aqwzAZ0159".to_vec()),
            1..48,
        )
    ) {
        // Validation notes the first members of a List, and iteration builds them
        // from its notes; after four leading members, the same ones are read
        // again from the text instead. Both must agree, and so must validation.
        let mut padded = b"0, 0, 0, 0, ".to_vec();
        padded.extend_from_slice(&input);
        let starts_with_member = !matches!(input.first(), Some(b' ' | b','));
        match (parse_list(&input), parse_list(&padded)) {
            (Ok(list), Ok(read_again)) => {
                let noted: Vec<_> = list.iter().collect();
                let again: Vec<_> = read_again.iter().skip(4).collect();
                prop_assert_eq!(&noted, &again);
                prop_assert_eq!(noted.len(), list.len());
                for (a, b) in noted.iter().zip(&again) {
                    let (a, b) = (a.params(), b.params());
                    prop_assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
                    for key in ["a", "q", "w", "z", "*", "aq", "qw", "zz"] {
                        prop_assert_eq!(a.get(key), b.get(key), "{}", key);
                    }
                }
            }
            (Err(e), Err(f)) => {
                if starts_with_member {
                    prop_assert_eq!(e.kind, f.kind);
                    prop_assert_eq!(e.offset + 12, f.offset);
                }
            }
            (Ok(_), Err(f)) => prop_assert!(!starts_with_member, "{:?}", f),
            (Err(e), Ok(_)) => prop_assert!(!starts_with_member, "{:?}", e),
        }
    }

    #[test]
    fn generated_lists_read_back(
        members in prop::collection::vec((value(), params()), 0..6),
        separator in prop::sample::select(std::vec![",", ", ", " ,\t", "\t,  "]),
        space_after_semicolon in any::<bool>(),
        padding in prop::sample::select(std::vec!["", " ", "   "]),
    ) {
        let body: Vec<String> = members
            .iter()
            .map(|(v, p)| format!("{}{}", v.text(), params_text(p, space_after_semicolon)))
            .collect();
        let text = format!("{padding}{}{padding}", body.join(separator));
        let list = parse_list(text.as_bytes()).unwrap();
        prop_assert_eq!(list.len(), members.len());
        for ((v, p), member) in members.iter().zip(list.iter()) {
            let item = member.as_item().unwrap();
            prop_assert!(v.matches(&item.bare), "{:?} vs {:?}", v, item.bare);
            prop_assert!(params_match(p, item.params));
        }
    }

    #[test]
    fn generated_dictionaries_read_back(
        members in prop::collection::vec(("[a-z*][a-z0-9_.*-]{0,6}", value(), params()), 1..6),
    ) {
        let text: Vec<String> = members
            .iter()
            .map(|(k, v, p)| format!("{k}={}{}", v.text(), params_text(p, false)))
            .collect();
        let text = text.join(", ");
        let dict = parse_dictionary(text.as_bytes()).unwrap();
        prop_assert_eq!(dict.iter().count(), members.len());
        for ((k, v, p), (key, member)) in members.iter().zip(dict.iter()) {
            prop_assert_eq!(k.as_str(), key);
            let item = member.as_item().unwrap();
            prop_assert!(v.matches(&item.bare));
            prop_assert!(params_match(p, item.params));
        }
        let (last_key, last_value, _) = members.last().unwrap();
        let got = dict.get(last_key).unwrap().as_item().unwrap().bare;
        prop_assert!(last_value.matches(&got));
    }

    #[test]
    fn generated_inner_lists_read_back(
        items in prop::collection::vec((value(), params()), 0..5),
        outer in params(),
    ) {
        let body: Vec<String> = items
            .iter()
            .map(|(v, p)| format!("{}{}", v.text(), params_text(p, false)))
            .collect();
        let text = format!("( {} ){}", body.join("  "), params_text(&outer, false));
        let list = parse_list(text.as_bytes()).unwrap();
        let inner = list.iter().next().unwrap().as_inner_list().unwrap();
        prop_assert_eq!(inner.len(), items.len());
        for ((v, p), item) in items.iter().zip(inner.items()) {
            prop_assert!(v.matches(&item.bare));
            prop_assert!(params_match(p, item.params));
        }
        prop_assert!(params_match(&outer, inner.params));
    }
}

//! The pieces every subcommand's option parser shares: `--name=value` splitting and
//! reading an option's value.

use std::ffi::OsString;

/// `--name=value` as `("--name", Some("value"))`; anything else (a short option, a
/// long one without `=`) as `(text, None)`.
pub fn split(text: &str) -> (&str, Option<&str>) {
    match text.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value)),
        _ => (text, None),
    }
}

/// The option's value: the `inline` part after `=`, else the next argument, which
/// must be UTF-8 text.
pub fn value<I>(name: &str, inline: Option<&str>, rest: &mut I) -> Result<String, String>
where
    I: Iterator<Item = OsString>,
{
    if let Some(v) = inline {
        return Ok(v.to_owned());
    }
    match rest.next() {
        Some(v) => v.into_string().map_err(|v| {
            format!(
                "invalid value '{}' for {name}: not UTF-8 text",
                v.to_string_lossy()
            )
        }),
        None => Err(format!("option {name} needs a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_options_split_at_the_first_equals() {
        assert_eq!(split("--max-wait=2.5"), ("--max-wait", Some("2.5")));
        assert_eq!(split("--urls=a=b"), ("--urls", Some("a=b")));
        assert_eq!(split("--json"), ("--json", None));
        assert_eq!(split("-x=1"), ("-x=1", None));
    }

    #[test]
    fn a_value_is_inline_or_the_next_argument() {
        let mut rest = [OsString::from("7")].into_iter();
        assert_eq!(value("--n", Some("3"), &mut rest), Ok("3".to_owned()));
        assert_eq!(value("--n", None, &mut rest), Ok("7".to_owned()));
        assert_eq!(
            value("--n", None, &mut rest),
            Err("option --n needs a value".to_owned())
        );
    }
}

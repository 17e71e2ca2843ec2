//! [`Failure`]: how a command ends when its input or arguments are unusable: one line
//! on stderr, exit status 2 (`../shared/contract/cli.md`, "Exit status").

use std::io;

/// A failure that ends the program with exit status 2 after one line on stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What was wrong and where (file, line), without the program prefix.
    pub message: String,
    /// True when stdout went away (a closed pipe): nothing more to say.
    pub quiet: bool,
}

impl Failure {
    /// A failure with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            quiet: false,
        }
    }

    /// A failure to write the output; a closed pipe (`| head`) is quiet.
    pub fn output(error: &io::Error) -> Self {
        Failure {
            message: format!("cannot write output: {}", io_reason(error)),
            quiet: error.kind() == io::ErrorKind::BrokenPipe,
        }
    }
}

/// An I/O error's description without the ` (os error N)` suffix, capitalised as the
/// OS says it (`No such file or directory`).
pub fn io_reason(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(cut) if text.ends_with(')') => text.get(..cut).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_suffix_is_removed() {
        let e = io::Error::from_raw_os_error(2);
        assert!(e.to_string().ends_with("(os error 2)"));
        assert_eq!(io_reason(&e), "No such file or directory");
        assert_eq!(io_reason(&io::Error::other("plain")), "plain");
    }
}

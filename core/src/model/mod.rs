//! The normalized model every header family is parsed into: quota [`Window`]s, the
//! server's [`RetryHint`], rate-limit [`Signals`], and [`Warning`]s, gathered in a
//! fixed-capacity [`Limits`] (`../shared/spec/headers.md` sections 0 and 6).

mod bounded;
mod limits;
mod retry_hint;
mod signals;
mod source;
mod text;
mod unit;
mod warning;
mod window;

pub use bounded::Bounded;
pub use limits::Limits;
pub use retry_hint::{HintSource, RetryHint};
pub use signals::{ProblemType, Signals};
pub use source::Source;
pub use text::Text;
pub use unit::Unit;
pub use warning::{Problem, Warning};
pub use window::{PartitionKey, Refill, Window};

//! A freestanding `#![no_std]`, `#![no_main]` binary: it parses one static rate-limited
//! response with `ratelimit_governor` and exits with the number of windows found.
//!
//! It provides its own `#[panic_handler]`, so the build fails with a duplicate
//! `panic_impl` lang item if `ratelimit-governor` or anything it depends on links
//! `std`. The C runtime (libc's `_start`) calls [`main`]; `run.sh` checks the exit code.
#![no_std]
#![no_main]

use core::panic::PanicInfo;
use core::time::Duration;

use ratelimit_governor::{Action, DEFAULT_MAX_WAIT, Response, UnixTime, advise, parse};

// Without `std`, rustc links with `-nodefaultlibs`: ask for libc explicitly (it
// provides `_start`'s `__libc_start_main` and `memcpy`/`memset`/`memcmp`).
#[link(name = "c")]
unsafe extern "C" {}

/// The response under test: a draft-08 `RateLimit` / `RateLimit-Policy` pair with two
/// policies (the first exhausted), a `Retry-After` and a `Date`, as a 429.
static HEADERS: [(&str, &str); 4] = [
    ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("Retry-After", "20"),
    (
        "RateLimit-Policy",
        "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400",
    ),
    ("RateLimit", "\"burst\";r=0;t=20, \"daily\";r=950;t=3600"),
];

/// The number of windows `HEADERS` yields; `run.sh` expects it as the exit code.
pub const EXPECTED_WINDOWS: i32 = 2;

/// Exit code when the advice is not to wait about 20 s.
const WRONG_ADVICE: i32 = 100;

/// The server's `Retry-After`; `advise` may add up to 10% of jitter on top.
const RETRY_AFTER: Duration = Duration::from_secs(20);

/// Entry point called by the C runtime: parses [`HEADERS`] and returns the window
/// count, or [`WRONG_ADVICE`] when [`advise`] does not say to wait [`RETRY_AFTER`]
/// (plus at most 10% of jitter).
#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
    let response = Response::new(&HEADERS[..])
        .status(429)
        .now(UnixTime::from_secs(1_700_000_000));
    let limits = parse(&response);
    let advice = advise(&limits, DEFAULT_MAX_WAIT);
    let most = RETRY_AFTER.saturating_add(RETRY_AFTER / 10);
    if advice.action != Action::Wait || advice.wait < RETRY_AFTER || advice.wait > most {
        return WRONG_ADVICE;
    }
    i32::try_from(limits.window_count()).unwrap_or(i32::MAX)
}

/// The precompiled `libcore` (built with unwinding) still refers to the unwinding
/// personality routine. With `panic = "abort"` nothing ever unwinds, so it is never
/// called; this stub only satisfies the linker (the `eh_personality` lang item itself
/// is unstable).
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

/// Panics abort (`panic = "abort"`); nothing here should panic, so loop forever
/// rather than depend on libc's `abort`.
#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    loop {}
}

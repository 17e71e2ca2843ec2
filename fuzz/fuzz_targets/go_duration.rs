//! Fuzzes `parse_go_duration` (OpenAI's Go-style reset durations). A leading `+` is
//! accepted and means nothing, so adding one must not change the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratelimit_governor::time::parse_go_duration;

fuzz_target!(|data: &[u8]| {
    let d = parse_go_duration(data);
    let trimmed = data.trim_ascii();
    if !trimmed.is_empty() && trimmed.first() != Some(&b'+') && trimmed.first() != Some(&b'-') {
        let mut plus = Vec::with_capacity(trimmed.len() + 1);
        plus.push(b'+');
        plus.extend_from_slice(trimmed);
        if trimmed != b"0" {
            assert_eq!(parse_go_duration(&plus), d, "leading '+' changed the value");
        }
    }
});

//! The governor's decision rules, one test per rule (`../shared/spec/governor.md`
//! sections 2.5-2.7 and the governor issue): most restrictive binding window wins,
//! non-binding windows do not slow a job, reserve for in-flight requests, tightened
//! resets, Retry-After precedence, give-up above max_wait, declared quotas.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use core::time::Duration;

use ratelimit_governor::{
    Action, GovernorConfig, GovernorState, KnownQuota, Mode, MonoTime, Reason, Response, parse,
};

fn ms(v: u64) -> MonoTime {
    MonoTime::from_millis(v)
}

/// Sends at `sent`, receives `headers` with `status` at `received`.
fn exchange(
    state: &mut GovernorState,
    status: u16,
    headers: &[(&str, &str)],
    sent: u64,
    received: u64,
) {
    state.on_send(ms(sent));
    let limits = parse(&Response::new(headers).status(status));
    state.observe(&limits, ms(sent), ms(received));
}

/// Exchanges a 200 carrying one `RateLimit-Policy` value and one `RateLimit` item.
fn exchange_m(state: &mut GovernorState, policy: &str, item: &str, sent: u64, received: u64) {
    exchange(
        state,
        200,
        &[("RateLimit-Policy", policy), ("RateLimit", item)],
        sent,
        received,
    );
}

const CFG: GovernorConfig = GovernorConfig::DEFAULT;

#[test]
fn quota_left_means_full_speed() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=5;t=60"#)], 0, 50);
    let a = s.decide(ms(50), None, &CFG, 0.9);
    assert_eq!(a.action, Action::Proceed);
}

#[test]
fn a_lone_client_waits_exactly_for_the_reset() {
    let mut s: GovernorState = GovernorState::new();
    let policy = r#""m";q=100;w=60"#;
    exchange_m(&mut s, policy, r#""m";r=0;t=30"#, 0, 50);
    for u01 in [0.0, 0.5, 0.999] {
        let a = s.decide(ms(50), Some(10), &CFG, u01);
        assert_eq!(
            (a.reason, a.wait),
            (Reason::WindowExhausted, Duration::from_secs(30))
        );
    }
}

#[test]
fn sharers_wake_at_the_reset_with_positive_jitter() {
    let mut s: GovernorState = GovernorState::new();
    let policy = r#""m";q=100;w=60"#;
    exchange_m(&mut s, policy, r#""m";r=50;t=30"#, 0, 50);
    // Remaining fell by 10 for one own request: others share the key.
    exchange_m(&mut s, policy, r#""m";r=40;t=30"#, 100, 150);
    exchange_m(&mut s, policy, r#""m";r=0;t=30"#, 200, 250);
    assert!(s.shared());
    let low = s.decide(ms(250), Some(10), &CFG, 0.0);
    let high = s.decide(ms(250), Some(10), &CFG, 0.999);
    assert_eq!(low.reason, Reason::WindowExhausted);
    assert_eq!(low.wait, Duration::from_millis(30_050 - 250));
    assert!(
        high.wait > low.wait && high.wait <= low.wait + Duration::from_secs(1),
        "{high:?}"
    );
}

#[test]
fn a_daily_window_does_not_pace_a_small_job() {
    let mut s: GovernorState = GovernorState::new();
    let headers = [
        (
            "RateLimit-Policy",
            r#""minute";q=300;w=60, "day";q=10000;w=86400"#,
        ),
        ("RateLimit", r#""minute";r=299;t=60, "day";r=9999;t=86400"#),
    ];
    exchange(&mut s, 200, &headers, 0, 50);
    let smooth = CFG.mode(Mode::Smooth);
    // 1,000 requests fit in the day's 9,999: only the minute window can bind, and
    // smooth pacing spreads the job over the minute, not over the day.
    let a = s.decide(ms(50), Some(1000), &smooth, 0.5);
    assert!(a.wait < Duration::from_millis(250), "{a:?}");
    // An open-ended workload lets every window bind.
    let open = s.decide(ms(50), None, &smooth, 0.5);
    assert!(open.wait >= Duration::from_secs(8), "{open:?}");
}

#[test]
fn most_restrictive_binding_window_wins() {
    let mut s: GovernorState = GovernorState::new();
    let headers = [("RateLimit", r#""a";r=0;t=5, "b";r=0;t=50, "c";r=10;t=500"#)];
    exchange(&mut s, 200, &headers, 0, 0);
    let a = s.decide(ms(0), Some(3), &CFG.wake_jitter_max(Duration::ZERO), 0.5);
    assert_eq!(a.wait, Duration::from_secs(50));
}

#[test]
fn requests_in_flight_are_reserved() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=2;t=10"#)], 0, 50);
    s.on_send(ms(60));
    s.on_send(ms(70));
    // Two in flight use up the two remaining units.
    let a = s.decide(ms(80), Some(5), &CFG, 0.5);
    assert_eq!(a.reason, Reason::WindowExhausted);
}

#[test]
fn the_earliest_reset_within_a_window_is_kept() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=3;t=10"#)], 0, 300);
    // 10 s at 0.3 s says the window ends by 10.3 s; 8 s (rounded up) at 1.9 s says it
    // ends by 9.9 s: the earlier bound is kept.
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=0;t=8"#)], 1800, 1900);
    let a = s.decide(ms(1900), Some(5), &CFG.wake_jitter_max(Duration::ZERO), 0.5);
    assert_eq!(a.wait, Duration::from_millis(9900 - 1900), "{a:?}");
}

#[test]
fn retry_after_takes_precedence_and_is_a_floor() {
    let mut s: GovernorState = GovernorState::new();
    exchange(
        &mut s,
        429,
        &[("Retry-After", "20"), ("RateLimit", r#""m";r=0;t=40"#)],
        0,
        0,
    );
    let a = s.decide(ms(0), Some(1), &CFG, 0.999);
    assert_eq!(a.reason, Reason::RetryAfter);
    assert!(
        a.wait >= Duration::from_secs(20) && a.wait <= Duration::from_secs(21),
        "{a:?}"
    );
    let later = s.decide(ms(5000), Some(1), &CFG, 0.0);
    assert_eq!(later.wait, Duration::from_secs(15));
}

#[test]
fn required_waits_above_max_wait_give_up_with_the_wait() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 429, &[("Retry-After", "86400")], 0, 0);
    let a = s.decide(ms(0), None, &CFG, 0.5);
    assert_eq!(a.action, Action::GiveUp);
    assert_eq!(a.reason, Reason::WaitExceedsMax);
    assert_eq!(a.wait, Duration::from_secs(86400));
}

#[test]
fn hints_up_to_u64_max_seconds_saturate() {
    let mut s: GovernorState = GovernorState::new();
    exchange(
        &mut s,
        429,
        &[("Retry-After", "18446744073709551615")],
        0,
        0,
    );
    let a = s.decide(ms(0), None, &CFG, 0.5);
    assert_eq!(a.action, Action::GiveUp);
    assert!(a.wait > Duration::from_secs(1 << 60));
}

#[test]
fn bare_429s_back_off_and_success_resets() {
    let mut s: GovernorState = GovernorState::new();
    let mut waits = Vec::new();
    let mut t = 0;
    for _ in 0..6 {
        exchange(&mut s, 429, &[], t, t);
        let a = s.decide(ms(t), Some(1), &CFG, 0.999);
        assert_eq!(a.reason, Reason::Backoff);
        assert!(a.wait > Duration::ZERO && a.wait <= Duration::from_secs(20));
        waits.push(a.wait);
        t += a.wait.as_millis() as u64;
    }
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    assert_eq!(s.consecutive_failures(), 6);
    exchange(&mut s, 200, &[], t, t);
    assert_eq!(s.consecutive_failures(), 0);
    assert_eq!(s.decide(ms(t), Some(1), &CFG, 0.5).action, Action::Proceed);
}

#[test]
fn github_secondary_limit_waits_at_least_a_minute() {
    let mut s: GovernorState = GovernorState::new();
    s.on_send(ms(0));
    let limits = parse(
        &Response::new(
            &[
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", "4000"),
            ][..],
        )
        .status(403)
        .body(br#"{"message":"You have exceeded a secondary rate limit."}"#),
    );
    s.observe(&limits, ms(0), ms(0));
    let a = s.decide(ms(0), None, &CFG, 0.1);
    assert_eq!(a.reason, Reason::SecondaryRateLimit);
    assert!(a.wait >= Duration::from_secs(60));
}

#[test]
fn server_says_do_not_retry() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 503, &[("Stripe-Should-Retry", "false")], 0, 0);
    assert_eq!(
        s.decide(ms(0), None, &CFG, 0.5).reason,
        Reason::ServerSaysNoRetry
    );
}

#[test]
fn cached_ietf_fields_are_ignored() {
    let mut s: GovernorState = GovernorState::new();
    exchange(
        &mut s,
        200,
        &[("Age", "30"), ("RateLimit", r#""m";r=0;t=50"#)],
        0,
        0,
    );
    assert_eq!(s.window_count(), 0);
    assert_eq!(s.decide(ms(0), None, &CFG, 0.5).action, Action::Proceed);
}

#[test]
fn declared_quotas_are_enforced_with_the_servers() {
    let mut s: GovernorState = GovernorState::new();
    s.declare(KnownQuota::PerPeriod {
        limit: 2,
        period: Duration::from_secs(1),
    })
    .unwrap();
    s.declare(KnownQuota::PerPeriod {
        limit: 400,
        period: Duration::from_secs(3600),
    })
    .unwrap();
    exchange(&mut s, 200, &[], 0, 10);
    exchange(&mut s, 200, &[], 10, 20);
    let a = s.decide(ms(20), None, &CFG, 0.5);
    assert_eq!(a.reason, Reason::Pacing);
    // The first send at 0 ms leaves the period at 1000 ms, plus a margin (two RTTs,
    // at least 50 ms): the server opened its window when that request arrived.
    assert_eq!(a.wait, Duration::from_millis(1030));
}

#[test]
fn lifetime_cap_warns_then_gives_up() {
    let mut s: GovernorState = GovernorState::new();
    s.declare(KnownQuota::Lifetime {
        limit: 3,
        warn_at: 2,
    })
    .unwrap();
    exchange(&mut s, 200, &[], 0, 1);
    assert!(!s.decide(ms(1), None, &CFG, 0.5).quota_warning);
    exchange(&mut s, 200, &[], 1, 2);
    let a = s.decide(ms(2), None, &CFG, 0.5);
    assert!(a.quota_warning);
    assert_eq!(a.action, Action::Proceed);
    exchange(&mut s, 200, &[], 2, 3);
    let a = s.decide(ms(3), None, &CFG, 0.5);
    assert_eq!(
        (a.action, a.reason),
        (Action::GiveUp, Reason::QuotaExhausted)
    );
}

#[test]
fn smooth_mode_spreads_the_remaining_quota_until_the_reset() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=10;t=10"#)], 0, 0);
    let a = s.decide(ms(0), Some(100), &CFG.mode(Mode::Smooth), 0.5);
    assert_eq!(a.reason, Reason::Pacing);
    assert_eq!(a.wait, Duration::from_secs(1));
}

#[test]
fn expired_windows_are_fresh() {
    let mut s: GovernorState = GovernorState::new();
    exchange(&mut s, 200, &[("RateLimit", r#""m";r=0;t=2"#)], 0, 0);
    assert_eq!(
        s.decide(ms(2000), Some(5), &CFG, 0.5).action,
        Action::Proceed
    );
}

#[test]
fn a_hint_on_any_failure_is_honoured() {
    for status in [301u16, 400, 413, 429] {
        let mut s: GovernorState = GovernorState::new();
        exchange(&mut s, status, &[("Retry-After", "5")], 0, 0);
        let a = s.decide(ms(0), Some(0), &CFG, 0.0);
        assert_eq!(
            (a.action, a.wait),
            (Action::Wait, Duration::from_secs(5)),
            "{status}"
        );
    }
}

#[test]
fn the_finish_line_is_not_held_back_by_the_reserve() {
    let mut s: GovernorState = GovernorState::new();
    let policy = r#""m";q=100;w=10"#;
    exchange_m(&mut s, policy, r#""m";r=40;t=9"#, 0, 100);
    // Seven others per own request: a reserve of at least one unit.
    exchange_m(&mut s, policy, r#""m";r=2;t=9"#, 100, 200);
    assert!(s.shared());
    // Three more requests to send, two units left: the reserve blocks.
    assert_eq!(
        s.decide(ms(200), Some(3), &CFG, 0.0).reason,
        Reason::WindowExhausted
    );
    // The last two fit in what is left: send them.
    assert_eq!(
        s.decide(ms(200), Some(2), &CFG, 0.0).action,
        Action::Proceed
    );
}

#[test]
fn samples_outside_the_unit_interval_are_clamped() {
    let mut s: GovernorState = GovernorState::new();
    let policy = r#""m";q=100;w=60"#;
    exchange_m(&mut s, policy, r#""m";r=50;t=30"#, 0, 50);
    exchange_m(&mut s, policy, r#""m";r=0;t=30"#, 100, 150);
    assert!(s.shared());
    for u01 in [f64::NAN, f64::INFINITY, -1.0, 7.0] {
        let a = s.decide(ms(150), Some(10), &CFG, u01);
        assert_eq!(a.action, Action::Wait, "{u01}");
        assert!(a.wait <= Duration::from_secs(31), "{u01}: {a:?}");
    }
}

/// Four requests in flight at once in a new cycle; the response of the last one
/// sent arrives first (r=1). Its count may or may not include the three still in
/// flight (another client may have used the window), so the governor does not
/// guess: it waits for their answers (a probe wait), and once they are in, the
/// least remaining seen, less nothing in flight, frees the fifth unit. Late
/// answers with higher counts never raise what the window holds.
#[test]
fn concurrent_own_requests_are_counted_once_their_answers_are_in() {
    let policy = r#""b";q=5;w=2"#;
    let headers = |item: &'static str| [("RateLimit-Policy", policy), ("RateLimit", item)];
    let answer = |s: &mut GovernorState, item: &'static str, sent: u64, received: u64| {
        let h = headers(item);
        s.observe(
            &parse(&Response::new(&h[..]).status(200)),
            ms(sent),
            ms(received),
        );
    };
    let mut s: GovernorState = GovernorState::new();
    // A previous window, spent; its reset passes at 2,000 ms.
    exchange_m(&mut s, policy, r#""b";r=0;t=2"#, 0, 0);
    for sent in [2010, 2011, 2012, 2013] {
        s.on_send(ms(sent));
    }
    answer(&mut s, r#""b";r=1;t=2"#, 2013, 2020);
    assert_eq!(s.in_flight(), 3);
    let a = s.decide(ms(2020), None, &CFG, 0.5);
    assert_eq!((a.action, a.reason), (Action::Wait, Reason::Probe));
    assert!(a.wait <= Duration::from_millis(50), "{a:?}");
    answer(&mut s, r#""b";r=4;t=2"#, 2010, 2021);
    answer(&mut s, r#""b";r=3;t=2"#, 2011, 2021);
    assert_eq!(s.decide(ms(2021), None, &CFG, 0.5).reason, Reason::Probe);
    answer(&mut s, r#""b";r=2;t=2"#, 2012, 2022);
    assert_eq!(s.decide(ms(2022), None, &CFG, 0.5).action, Action::Proceed);
    s.on_send(ms(2022));
    let a = s.decide(ms(2022), None, &CFG, 0.5);
    assert_eq!(
        (a.action, a.reason),
        (Action::Wait, Reason::WindowExhausted)
    );
}

/// A response read before own later requests were sent does not count them: they
/// are subtracted from its `remaining` until their own responses arrive.
#[test]
fn own_requests_sent_after_the_latest_response_are_reserved() {
    let mut s: GovernorState = GovernorState::new();
    exchange_m(&mut s, r#""b";q=5;w=2"#, r#""b";r=2;t=2"#, 0, 10);
    s.on_send(ms(11));
    assert_eq!(s.decide(ms(12), None, &CFG, 0.5).action, Action::Proceed);
    s.on_send(ms(12));
    let a = s.decide(ms(13), None, &CFG, 0.5);
    assert_eq!(
        (a.action, a.reason),
        (Action::Wait, Reason::WindowExhausted)
    );
}

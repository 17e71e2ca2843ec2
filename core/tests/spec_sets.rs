//! Every test header set of `../shared/spec/headers.md` section 7 (T01-T72), one test
//! per case, named after it. Each row gives the response and the expected normalized
//! result: windows (only the fields that are certain), retry hint, advice, warnings.
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used
)]

use core::time::Duration;

use ratelimit_governor::{
    Action, Limits, Problem, Response, Source, UnixTime, Window, advise, parse_with_capacity,
};

const NOW: i64 = 1_700_000_000;

/// An expected window: unset fields are not checked.
#[derive(Clone, Copy, Default)]
struct W {
    policy: Option<&'static str>,
    limit: Option<Option<u64>>,
    remaining: Option<Option<u64>>,
    used: Option<Option<u64>>,
    reset_ms: Option<Option<u64>>,
    window_s: Option<Option<u64>>,
    unit: Option<&'static str>,
    source: Option<Source>,
}

fn w() -> W {
    W::default()
}

impl W {
    fn policy(mut self, p: &'static str) -> Self {
        self.policy = Some(p);
        self
    }
    fn limit(mut self, v: u64) -> Self {
        self.limit = Some(Some(v));
        self
    }
    fn remaining(mut self, v: u64) -> Self {
        self.remaining = Some(Some(v));
        self
    }
    fn no_remaining(mut self) -> Self {
        self.remaining = Some(None);
        self
    }
    fn used(mut self, v: u64) -> Self {
        self.used = Some(Some(v));
        self
    }
    fn reset(mut self, secs: f64) -> Self {
        self.reset_ms = Some(Some((secs * 1000.0).round() as u64));
        self
    }
    fn no_reset(mut self) -> Self {
        self.reset_ms = Some(None);
        self
    }
    fn window(mut self, v: u64) -> Self {
        self.window_s = Some(Some(v));
        self
    }
    fn unit(mut self, u: &'static str) -> Self {
        self.unit = Some(u);
        self
    }
    fn source(mut self, s: Source) -> Self {
        self.source = Some(s);
        self
    }

    fn matches(&self, got: &Window<'_>) -> bool {
        let policy_ok = match (self.policy, got.policy) {
            (None, _) => true,
            (Some(p), Some(g)) => g.eq_str(p),
            (Some(_), None) => false,
        };
        policy_ok
            && self.limit.is_none_or(|v| v == got.limit)
            && self.remaining.is_none_or(|v| v == got.remaining)
            && self.used.is_none_or(|v| v == got.used)
            && self
                .reset_ms
                .is_none_or(|v| v == got.reset.map(|d| d.as_millis() as u64))
            && self
                .window_s
                .is_none_or(|v| v == got.window.map(|d| d.as_secs()))
            && self.unit.is_none_or(|u| u == got.unit.as_str())
            && self.source.is_none_or(|s| s == got.source)
    }
}

/// What the advice must be.
#[derive(Clone, Copy)]
enum Expect {
    Proceed,
    /// Wait within [min, max] seconds.
    Wait(f64, f64),
    GiveUp,
}

struct Case {
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
    windows: &'static [fn() -> W],
    /// Other windows may be reported too.
    extra_ok: bool,
    /// Retry hint in seconds: `Some(None)` = must be absent.
    retry: Option<Option<f64>>,
    advice: Expect,
    max_wait: f64,
    /// A warning whose problem satisfies this must be present.
    warning: Option<fn(&Problem) -> bool>,
}

const BASE: Case = Case {
    status: 200,
    headers: &[],
    body: None,
    windows: &[],
    extra_ok: false,
    retry: None,
    advice: Expect::Proceed,
    max_wait: 600.0,
    warning: None,
};

fn run(case: &Case) -> Limits<'static, 64, 64> {
    let mut response = Response::new(case.headers)
        .status(case.status)
        .now(UnixTime::from_secs(NOW));
    if let Some(body) = case.body {
        response = response.body(body.as_bytes());
    }
    parse_with_capacity(&response)
}

fn check(case: &Case) {
    let limits = run(case);
    let got: Vec<&Window<'_>> = limits.windows().collect();
    let mut used = vec![false; got.len()];
    for (i, make) in case.windows.iter().enumerate() {
        let want = make();
        let hit = got
            .iter()
            .enumerate()
            .find(|(j, g)| !used[*j] && want.matches(g));
        match hit {
            Some((j, _)) => used[j] = true,
            None => panic!("expected window #{i} not found in {got:#?}"),
        }
    }
    if !case.extra_ok {
        assert_eq!(
            got.len(),
            case.windows.len(),
            "unexpected extra windows: {got:#?}"
        );
    }
    if let Some(retry) = case.retry {
        let got_retry = limits.retry_after().map(|d| d.as_secs_f64());
        match (retry, got_retry) {
            (None, None) => {}
            (Some(want), Some(g)) => assert!((want - g).abs() < 0.002, "retry {g} != {want}"),
            (want, g) => panic!("retry {g:?} != {want:?}"),
        }
    }
    let advice = advise(&limits, Duration::from_secs_f64(case.max_wait));
    match case.advice {
        Expect::Proceed => assert_eq!(advice.action, Action::Proceed, "{advice:?}"),
        Expect::Wait(lo, hi) => {
            assert_eq!(advice.action, Action::Wait, "{advice:?}");
            let s = advice.wait.as_secs_f64();
            assert!(
                s >= lo - 1e-9 && s <= hi + 1e-9,
                "wait {s} not in [{lo}, {hi}]"
            );
        }
        Expect::GiveUp => assert_eq!(advice.action, Action::GiveUp, "{advice:?}"),
    }
    if let Some(pred) = case.warning {
        assert!(
            limits.warnings().any(|w| pred(&w.problem)),
            "expected warning missing: {:?}",
            limits.warnings().collect::<Vec<_>>()
        );
    }
}

fn malformed(p: &Problem) -> bool {
    matches!(p, Problem::MalformedStructuredField { .. })
}

fn violation(p: &Problem) -> bool {
    matches!(p, Problem::DraftViolation { .. })
}

macro_rules! cases {
    ($($name:ident => $case:expr;)*) => {
        $(
            #[test]
            fn $name() {
                check(&$case);
            }
        )*
    };
}

cases! {
    t01_draft6 => Case {
        headers: &[("RateLimit-Policy", "5;w=60"), ("RateLimit-Limit", "5"), ("RateLimit-Remaining", "4"), ("RateLimit-Reset", "60")],
        windows: &[|| w().limit(5).remaining(4).reset(60.0).window(60).source(Source::IetfDraft06)],
        ..BASE
    };
    t02_draft7 => Case {
        headers: &[("RateLimit-Policy", "5;w=60"), ("RateLimit", "limit=5, remaining=4, reset=60")],
        windows: &[|| w().limit(5).remaining(4).reset(60.0).window(60).source(Source::IetfDraft07)],
        ..BASE
    };
    t03_draft8_express => Case {
        headers: &[
            ("RateLimit-Policy", r#""5-in-2hrs"; q=5; w=7200; pk=:MmMyNmI0NmI2OGZm:"#),
            ("RateLimit", r#""5-in-2hrs"; r=4; t=7200"#),
        ],
        windows: &[|| w().policy("5-in-2hrs").limit(5).remaining(4).reset(7200.0).window(7200).unit("requests")],
        ..BASE
    };
    t04_draft8_five_limiters => Case {
        headers: &[
            ("RateLimit-Policy", r#""1-in-5sec"; q=1; w=5; pk=:MmMyNmI0NmI2OGZm:, "5-in-1min"; q=5; w=60; pk=:MmMyNmI0NmI2OGZm:, "6-in-1hr"; q=6; w=3600; pk=:MmMyNmI0NmI2OGZm:, "7-in-1day"; q=7; w=86400; pk=:MmMyNmI0NmI2OGZm:, "8-in-2days"; q=8; w=172800; pk=:MmMyNmI0NmI2OGZm:"#),
            ("RateLimit", r#""1-in-5sec"; r=0; t=5, "5-in-1min"; r=4; t=60, "6-in-1hr"; r=5; t=3600, "7-in-1day"; r=6; t=86400, "8-in-2days"; r=7; t=172800"#),
        ],
        windows: &[
            || w().policy("1-in-5sec").limit(1).remaining(0).reset(5.0).window(5),
            || w().policy("5-in-1min").limit(5).remaining(4).reset(60.0).window(60),
            || w().policy("6-in-1hr").limit(6).remaining(5).reset(3600.0).window(3600),
            || w().policy("7-in-1day").limit(7).remaining(6).reset(86400.0).window(86400),
            || w().policy("8-in-2days").limit(8).remaining(7).reset(172800.0).window(172800),
        ],
        advice: Expect::Wait(5.0, 6.0),
        ..BASE
    };
    t05_draft11_multi_window => Case {
        headers: &[("RateLimit-Policy", r#""hour";q=1000;w=3600, "day";q=5000;w=86400"#), ("RateLimit", r#""day";r=100;t=36000"#)],
        windows: &[
            || w().policy("day").limit(5000).remaining(100).reset(36000.0).window(86400),
            || w().policy("hour").limit(1000).window(3600).no_remaining(),
        ],
        ..BASE
    };
    t06_exhausted_on_200 => Case {
        headers: &[("RateLimit", r#""default";r=0;t=50"#)],
        windows: &[|| w().policy("default").remaining(0).reset(50.0)],
        advice: Expect::Wait(50.0, 55.0),
        ..BASE
    };
    t07_retry_after_precedence => Case {
        status: 429,
        headers: &[("Retry-After", "20"), ("RateLimit-Policy", r#""dynamic";q=100;w=60"#), ("RateLimit", r#""dynamic";r=15;t=40"#)],
        windows: &[|| w().policy("dynamic").limit(100).remaining(15).reset(40.0).window(60)],
        retry: Some(Some(20.0)),
        advice: Expect::Wait(20.0, 22.0),
        ..BASE
    };
    t08_retry_after_date_vs_date_header => Case {
        status: 429,
        headers: &[("Date", "Mon, 05 Aug 2019 09:27:00 GMT"), ("Retry-After", "Mon, 05 Aug 2019 09:27:05 GMT"), ("RateLimit", r#""default";r=0;t=5"#)],
        body: Some(r#"{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","violated-policies":["default"]}"#),
        windows: &[|| w().policy("default").remaining(0).reset(5.0)],
        retry: Some(Some(5.0)),
        advice: Expect::Wait(5.0, 6.0),
        ..BASE
    };
    t09_partition_key_and_quota_unit => Case {
        headers: &[("RateLimit-Policy", r#""peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:"#)],
        windows: &[|| w().policy("peruser").limit(65535).unit("content-bytes").window(10)],
        ..BASE
    };
    t10_item_without_t => Case {
        headers: &[("RateLimit", r#""default";r=999;pk=:dHJpYWwxMjEzMjM=:"#)],
        windows: &[|| w().policy("default").remaining(999).no_reset()],
        ..BASE
    };
    t11_list_split_over_lines => Case {
        headers: &[("RateLimit", r#""a";r=1;t=10"#), ("RateLimit", r#""b";r=0;t=60"#)],
        windows: &[|| w().policy("a").remaining(1).reset(10.0), || w().policy("b").remaining(0).reset(60.0)],
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t12_token_ids_lenient => Case {
        headers: &[("RateLimit-Policy", r#"burst;q=100;w=60,"daily";q=1000;w=86400"#)],
        windows: &[|| w().policy("burst").limit(100).window(60), || w().policy("daily").limit(1000).window(86400)],
        ..BASE
    };
    t13a_trailing_comma => Case {
        headers: &[("RateLimit", r#""default";r=50;t=30,"#)],
        warning: Some(malformed),
        ..BASE
    };
    t13b_sixteen_digit_integer => Case {
        headers: &[("RateLimit", r#""default";r=1234567890123456;t=30"#)],
        warning: Some(malformed),
        ..BASE
    };
    t13c_space_before_semicolon => Case {
        headers: &[("RateLimit", r#""default" ;r=50"#)],
        warning: Some(malformed),
        ..BASE
    };
    t13d_uppercase_key => Case {
        headers: &[("RateLimit", r#""default";R=50"#)],
        warning: Some(malformed),
        ..BASE
    };
    t13e_single_quotes => Case {
        headers: &[("RateLimit", "'default';r=50")],
        warning: Some(malformed),
        ..BASE
    };
    t14a_decimal_r => Case {
        headers: &[("RateLimit", r#""default";r=50.5;t=30"#)],
        warning: Some(violation),
        ..BASE
    };
    t14b_negative_r => Case {
        headers: &[("RateLimit", r#""default";r=-5;t=30"#)],
        warning: Some(violation),
        ..BASE
    };
    t14c_zero_w => Case {
        headers: &[("RateLimit-Policy", r#""x";q=10;w=0"#)],
        warning: Some(violation),
        ..BASE
    };
    t15_duplicate_param_last_wins => Case {
        headers: &[("RateLimit", r#""default";r=50;r=7;t=30"#)],
        windows: &[|| w().policy("default").remaining(7).reset(30.0)],
        ..BASE
    };
    t16_policy_id_mismatch => Case {
        headers: &[("Ratelimit", r#""default";r=50;t=30"#), ("Ratelimit-Policy", r#""burst";q=100;w=60"#)],
        windows: &[|| w().policy("default").remaining(50).reset(30.0), || w().policy("burst").limit(100).window(60)],
        ..BASE
    };
    t17_draft7_without_remaining => Case {
        headers: &[("RateLimit", "limit=10, reset=7")],
        windows: &[|| w().limit(10).no_remaining().reset(7.0)],
        ..BASE
    };
    t18_draft7_unknown_key_and_params => Case {
        headers: &[("RateLimit", "limit=100, remaining=50;foo=1, reset=5, acme-x=?1")],
        windows: &[|| w().limit(100).remaining(50).reset(5.0)],
        ..BASE
    };
    t19_draft7_zero_limit => Case {
        headers: &[("RateLimit", "limit=0, remaining=0, reset=20")],
        windows: &[|| w().limit(0).remaining(0).reset(20.0)],
        advice: Expect::Wait(20.0, 22.0),
        ..BASE
    };
    t20_draft6_reset_zero => Case {
        headers: &[("RateLimit-Policy", "5;w=60"), ("RateLimit-Limit", "5"), ("RateLimit-Remaining", "4"), ("RateLimit-Reset", "0")],
        windows: &[|| w().limit(5).remaining(4).reset(0.0).window(60)],
        ..BASE
    };
    t21_draft6_same_quota_twice => Case {
        headers: &[("RateLimit-Policy", "10;w=1, 10;w=60"), ("RateLimit-Limit", "10"), ("RateLimit-Remaining", "3"), ("RateLimit-Reset", "1")],
        windows: &[|| w().limit(10).remaining(3).reset(1.0)],
        warning: Some(|p| *p == Problem::DuplicateQuotaPolicy),
        ..BASE
    };
    t22_draft6_multiple_windows => Case {
        headers: &[("RateLimit-Limit", "5000"), ("RateLimit-Policy", "1000;w=3600, 5000;w=86400"), ("RateLimit-Remaining", "100"), ("RateLimit-Reset", "36000")],
        windows: &[|| w().limit(5000).remaining(100).reset(36000.0).window(86400), || w().limit(1000).window(3600)],
        ..BASE
    };
    t23_draft01_limit_list => Case {
        headers: &[("RateLimit-Limit", "10, 10;w=1, 50;w=60, 1000;w=3600, 5000;w=86400"), ("RateLimit-Remaining", "9"), ("RateLimit-Reset", "1")],
        windows: &[
            || w().limit(10).remaining(9).reset(1.0).window(1),
            || w().limit(50).window(60),
            || w().limit(1000).window(3600),
            || w().limit(5000).window(86400),
        ],
        ..BASE
    };
    t24_draft01_push_back => Case {
        headers: &[("RateLimit-Limit", "0, 15;w=20"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "20")],
        windows: &[|| w().limit(0).remaining(0).reset(20.0)],
        extra_ok: true,
        advice: Expect::Wait(20.0, 22.0),
        ..BASE
    };
    t25_draft_polli_00 => Case {
        headers: &[("RateLimit-Limit", "100, 100;window=60"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "Tue, 14 Nov 2023 22:14:20 GMT")],
        windows: &[|| w().limit(100).remaining(0).reset(60.0).window(60)],
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t26_cached_response => Case {
        headers: &[("Age", "30"), ("RateLimit", r#""default";r=0;t=50"#)],
        warning: Some(|p| *p == Problem::CachedResponseIgnored),
        ..BASE
    };
    t27_remaining_above_limit => Case {
        headers: &[("RateLimit", "limit=10, remaining=50, reset=5")],
        windows: &[|| w().limit(10).remaining(50).reset(5.0)],
        warning: Some(|p| *p == Problem::RemainingAboveLimit),
        ..BASE
    };
    t28_delay_seconds => Case {
        status: 429,
        headers: &[("Retry-After", "120")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        ..BASE
    };
    t29_imf_fixdate => Case {
        status: 429,
        headers: &[("Date", "Tue, 14 Nov 2023 22:13:20 GMT"), ("Retry-After", "Tue, 14 Nov 2023 22:15:20 GMT")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        ..BASE
    };
    t30_rfc850 => Case {
        status: 503,
        headers: &[("Date", "Tue, 14 Nov 2023 22:13:20 GMT"), ("Retry-After", "Tuesday, 14-Nov-23 22:15:20 GMT")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        ..BASE
    };
    t31_asctime_space_padded_day => Case {
        status: 429,
        headers: &[("Date", "Fri, 01 Dec 2023 22:13:20 GMT"), ("Retry-After", "Fri Dec  1 22:15:20 2023")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        ..BASE
    };
    t32_rfc850_year_in_past => Case {
        status: 429,
        headers: &[("Retry-After", "Sunday, 06-Nov-94 08:49:37 GMT")],
        retry: Some(Some(0.0)),
        advice: Expect::Wait(0.0, 1.0),
        ..BASE
    };
    t33_rfc850_year_within_50 => Case {
        status: 429,
        headers: &[("Retry-After", "Thursday, 14-Nov-69 22:13:20 GMT")],
        retry: Some(Some(1_451_692_800.0)),
        advice: Expect::GiveUp,
        ..BASE
    };
    t34_rfc850_year_beyond_50 => Case {
        status: 429,
        headers: &[("Retry-After", "Friday, 14-Nov-75 22:13:20 GMT")],
        retry: Some(Some(0.0)),
        advice: Expect::Wait(0.0, 1.0),
        ..BASE
    };
    t35a_negative => Case {
        headers: &[("Retry-After", "-1")],
        retry: Some(None),
        warning: Some(|p| matches!(p, Problem::InvalidNumber(_))),
        ..BASE
    };
    t35b_decimal_lenient => Case {
        headers: &[("Retry-After", "1.5")],
        retry: Some(Some(1.5)),
        warning: Some(|p| *p == Problem::LenientRetryAfter),
        ..BASE
    };
    t35c_with_unit => Case {
        headers: &[("Retry-After", "120 seconds")],
        retry: Some(None),
        warning: Some(|p| matches!(p, Problem::InvalidNumber(_))),
        ..BASE
    };
    t35d_lowercase_day_is_not_an_http_date => Case {
        headers: &[("Retry-After", "fri, 31 Dec 1999 23:59:59 GMT")],
        retry: Some(None),
        warning: Some(|p| *p == Problem::InvalidDate),
        ..BASE
    };
    t36a_duplicate_equal => Case {
        status: 429,
        headers: &[("Retry-After", "120"), ("Retry-After", "120")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        ..BASE
    };
    t36b_duplicate_conflicting => Case {
        status: 429,
        headers: &[("Retry-After", "30, 120")],
        retry: Some(Some(120.0)),
        advice: Expect::Wait(120.0, 132.0),
        warning: Some(|p| *p == Problem::ConflictingValues),
        ..BASE
    };
    t37_retry_after_ms_precedence => Case {
        status: 429,
        headers: &[("retry-after-ms", "1500"), ("retry-after", "2")],
        retry: Some(Some(1.5)),
        advice: Expect::Wait(1.5, 2.5),
        ..BASE
    };
    t38_github_primary_ok => Case {
        headers: &[("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "4999"), ("x-ratelimit-used", "1"), ("x-ratelimit-reset", "1700003600"), ("x-ratelimit-resource", "core")],
        windows: &[|| w().policy("core").limit(5000).remaining(4999).used(1).reset(3600.0).window(3600).source(Source::GitHub)],
        ..BASE
    };
    t39_github_primary_exhausted_403 => Case {
        status: 403,
        headers: &[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-used", "60"), ("x-ratelimit-reset", "1700000060"), ("x-ratelimit-resource", "core")],
        windows: &[|| w().policy("core").limit(60).remaining(0).used(60).reset(60.0)],
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t40_github_secondary_with_retry_after => Case {
        status: 403,
        headers: &[("retry-after", "60"), ("x-ratelimit-limit", "30"), ("x-ratelimit-remaining", "14"), ("x-ratelimit-used", "16"), ("x-ratelimit-reset", "1700000044"), ("x-ratelimit-resource", "search")],
        body: Some(r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#),
        windows: &[|| w().policy("search").limit(30).remaining(14).reset(44.0).window(60)],
        retry: Some(Some(60.0)),
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t41_github_secondary_without_retry_after => Case {
        status: 403,
        headers: &[("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "4840"), ("x-ratelimit-reset", "1700003000")],
        body: Some(r#"{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation."}"#),
        windows: &[|| w().limit(5000).remaining(4840).reset(3000.0)],
        retry: Some(None),
        advice: Expect::Wait(60.0, 120.0),
        ..BASE
    };
    t42_openai => Case {
        headers: &[("x-ratelimit-limit-requests", "60"), ("x-ratelimit-limit-tokens", "150000"), ("x-ratelimit-remaining-requests", "59"), ("x-ratelimit-remaining-tokens", "149984"), ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6m0s")],
        windows: &[
            || w().policy("requests").limit(60).remaining(59).reset(1.0).unit("requests"),
            || w().policy("tokens").limit(150000).remaining(149984).reset(360.0).unit("tokens"),
        ],
        ..BASE
    };
    t43_openai_durations => Case {
        headers: &[
            ("x-ratelimit-limit-requests", "60"), ("x-ratelimit-remaining-requests", "59"), ("x-ratelimit-reset-requests", "12ms"),
            ("x-ratelimit-limit-tokens", "1000"), ("x-ratelimit-remaining-tokens", "10"), ("x-ratelimit-reset-tokens", "23h47m36.648s"),
            ("x-ratelimit-limit-tokens_usage_based", "1000"), ("x-ratelimit-remaining-tokens_usage_based", "10"), ("x-ratelimit-reset-tokens_usage_based", "9ms"),
        ],
        windows: &[
            || w().policy("requests").reset(0.012),
            || w().policy("tokens").reset(85656.648),
            || w().policy("tokens_usage_based").reset(0.009),
        ],
        ..BASE
    };
    t44_openai_delay_in_message => Case {
        status: 429,
        body: Some(r#"{"error":{"message":"Rate limit reached for gpt-4.1 in organization org-0000 on tokens per min (TPM): Limit 30000, Used 28039, Requested 3906. Please try again in 3.89s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"#),
        retry: Some(Some(3.89)),
        advice: Expect::Wait(3.89, 5.0),
        ..BASE
    };
    t45_azure_sentinels => Case {
        headers: &[("x-ratelimit-limit-tokens", "-1"), ("x-ratelimit-remaining-tokens", "-1"), ("x-ratelimit-reset-tokens", "0")],
        warning: Some(|p| *p == Problem::UnknownSentinel),
        ..BASE
    };
    t46_anthropic => Case {
        headers: &[
            ("anthropic-ratelimit-requests-limit", "1000"), ("anthropic-ratelimit-requests-remaining", "999"), ("anthropic-ratelimit-requests-reset", "2023-11-14T22:13:25Z"),
            ("anthropic-ratelimit-input-tokens-limit", "80000"), ("anthropic-ratelimit-input-tokens-remaining", "80000"), ("anthropic-ratelimit-input-tokens-reset", "2023-11-14T22:13:20Z"),
            ("anthropic-ratelimit-output-tokens-limit", "16000"), ("anthropic-ratelimit-output-tokens-remaining", "16000"), ("anthropic-ratelimit-output-tokens-reset", "2023-11-14T22:13:21Z"),
            ("anthropic-ratelimit-tokens-limit", "96000"), ("anthropic-ratelimit-tokens-remaining", "96000"), ("anthropic-ratelimit-tokens-reset", "2023-11-14T22:13:20Z"),
        ],
        windows: &[
            || w().policy("requests").limit(1000).remaining(999).reset(5.0).unit("requests"),
            || w().policy("input-tokens").limit(80000).remaining(80000).reset(0.0).unit("tokens"),
            || w().policy("output-tokens").limit(16000).remaining(16000).reset(1.0).unit("tokens"),
            || w().policy("tokens").limit(96000).remaining(96000).reset(0.0).unit("tokens"),
        ],
        ..BASE
    };
    t47_anthropic_429 => Case {
        status: 429,
        headers: &[("retry-after", "60"), ("anthropic-ratelimit-requests-remaining", "0"), ("anthropic-ratelimit-requests-reset", "2023-11-14T22:14:20Z")],
        body: Some(r#"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limit exceeded."}}"#),
        windows: &[|| w().policy("requests").remaining(0).reset(60.0)],
        retry: Some(Some(60.0)),
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t48_discord_bucket => Case {
        headers: &[("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1700000001"), ("X-RateLimit-Reset-After", "1"), ("X-RateLimit-Bucket", "abcd1234")],
        windows: &[|| w().policy("abcd1234").limit(5).remaining(0).reset(1.0).source(Source::Discord)],
        advice: Expect::Wait(1.0, 2.0),
        ..BASE
    };
    t49_discord_user_429_float_reset => Case {
        status: 429,
        headers: &[("Retry-After", "65"), ("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1700000064.57"), ("X-RateLimit-Reset-After", "64.57"), ("X-RateLimit-Bucket", "abcd1234"), ("X-RateLimit-Scope", "user")],
        body: Some(r#"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#),
        windows: &[|| w().policy("abcd1234").limit(10).remaining(0).reset(64.57)],
        retry: Some(Some(65.0)),
        advice: Expect::Wait(64.57, 72.0),
        ..BASE
    };
    t50_discord_shared_429 => Case {
        status: 429,
        headers: &[("Retry-After", "1337"), ("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "9"), ("X-RateLimit-Reset-After", "64.57"), ("X-RateLimit-Scope", "shared")],
        body: Some(r#"{"message":"The resource is being rate limited.","retry_after":1336.57,"global":false}"#),
        windows: &[|| w().limit(10).remaining(9).reset(64.57)],
        retry: Some(Some(1337.0)),
        advice: Expect::GiveUp,
        ..BASE
    };
    t51_discord_global_429 => Case {
        status: 429,
        headers: &[("Retry-After", "65"), ("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")],
        body: Some(r#"{"message":"You are being rate limited.","retry_after":64.57,"global":true}"#),
        retry: Some(Some(65.0)),
        advice: Expect::Wait(64.57, 72.0),
        ..BASE
    };
    t52a_shopify_call_limit => Case {
        headers: &[("X-Shopify-Shop-Api-Call-Limit", "32/40")],
        windows: &[|| w().limit(40).used(32).remaining(8)],
        ..BASE
    };
    t52b_shopify_429_float_retry_after => Case {
        status: 429,
        headers: &[("X-Shopify-Shop-Api-Call-Limit", "40/40"), ("Retry-After", "2.0")],
        windows: &[|| w().limit(40).used(40).remaining(0)],
        retry: Some(Some(2.0)),
        advice: Expect::Wait(2.0, 3.0),
        ..BASE
    };
    t53_shopify_graphql_body => Case {
        body: Some(r#"{"extensions":{"cost":{"requestedQueryCost":252,"actualQueryCost":12,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":988.0,"restoreRate":50.0}}}}"#),
        windows: &[|| w().limit(1000).remaining(988).reset(0.24).unit("points")],
        ..BASE
    };
    t54_x_twitter_epoch_reset => Case {
        headers: &[("x-rate-limit-limit", "900"), ("x-rate-limit-remaining", "847"), ("x-rate-limit-reset", "1700000900")],
        windows: &[|| w().limit(900).remaining(847).reset(900.0)],
        ..BASE
    };
    t55_reddit_floats => Case {
        headers: &[("X-Ratelimit-Used", "12"), ("X-Ratelimit-Remaining", "588.0"), ("X-Ratelimit-Reset", "240")],
        windows: &[|| w().limit(600).used(12).remaining(588).reset(240.0).source(Source::Reddit)],
        ..BASE
    };
    t56_gitlab_epoch_reset => Case {
        status: 429,
        headers: &[("RateLimit-Limit", "60"), ("RateLimit-Name", "throttle_authenticated_web"), ("RateLimit-Observed", "67"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "1700000030"), ("RateLimit-ResetTime", "Tue, 14 Nov 2023 22:13:50 GMT"), ("Retry-After", "30")],
        windows: &[|| w().policy("throttle_authenticated_web").limit(60).remaining(0).used(67).reset(30.0).source(Source::GitLab)],
        retry: Some(Some(30.0)),
        advice: Expect::Wait(30.0, 33.0),
        ..BASE
    };
    t57_okta => Case {
        headers: &[("X-Rate-Limit-Limit", "1200"), ("X-Rate-Limit-Remaining", "1199"), ("X-Rate-Limit-Reset", "1700000060")],
        windows: &[|| w().limit(1200).remaining(1199).reset(60.0)],
        ..BASE
    };
    t58_zendesk_ticket_list => Case {
        headers: &[("x-rate-limit", "700"), ("ratelimit-limit", "700"), ("x-rate-limit-remaining", "699"), ("ratelimit-remaining", "699"), ("ratelimit-reset", "41"), ("zendesk-ratelimit-tickets-index", "total=100; remaining=99; resets=41")],
        windows: &[
            || w().limit(700).remaining(699).source(Source::Zendesk),
            || w().policy("tickets-index").limit(100).remaining(99).reset(41.0),
        ],
        extra_ok: true,
        ..BASE
    };
    t59_hubspot_429 => Case {
        status: 429,
        headers: &[("X-HubSpot-RateLimit-Daily", "250000"), ("X-HubSpot-RateLimit-Daily-Remaining", "249000"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Max", "100"), ("X-HubSpot-RateLimit-Remaining", "0")],
        windows: &[|| w().limit(100).remaining(0).window(10), || w().limit(250000).remaining(249000).window(86400)],
        advice: Expect::Wait(10.0, 10.0),
        ..BASE
    };
    t60_salesforce => Case {
        headers: &[("Sforce-Limit-Info", "api-usage=10018/100000; api-bursts=1/750")],
        windows: &[|| w().policy("api-usage").limit(100000).used(10018).remaining(89982), || w().policy("api-bursts").limit(750).used(1).remaining(749)],
        ..BASE
    };
    t61_salesforce_mc_429 => Case {
        status: 429,
        headers: &[("Retry-After", "5")],
        body: Some(r#"{"message":"Rate limit exceeded","errorcode":50100,"retryAfter":5}"#),
        retry: Some(Some(5.0)),
        advice: Expect::Wait(5.0, 6.0),
        ..BASE
    };
    t62a_kong_minute_hour => Case {
        headers: &[("X-RateLimit-Limit-Minute", "10"), ("X-RateLimit-Remaining-Minute", "9"), ("X-RateLimit-Limit-Hour", "100"), ("X-RateLimit-Remaining-Hour", "99"), ("RateLimit-Limit", "10"), ("RateLimit-Remaining", "9"), ("RateLimit-Reset", "47")],
        windows: &[|| w().policy("minute").limit(10).remaining(9).window(60).reset(47.0), || w().policy("hour").limit(100).remaining(99).window(3600)],
        ..BASE
    };
    t62b_kong_429_second => Case {
        status: 429,
        headers: &[("X-RateLimit-Limit-Second", "5"), ("X-RateLimit-Remaining-Second", "0"), ("RateLimit-Limit", "5"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "1"), ("Retry-After", "1")],
        windows: &[|| w().policy("second").limit(5).remaining(0).reset(1.0).window(1)],
        retry: Some(Some(1.0)),
        advice: Expect::Wait(1.0, 2.0),
        ..BASE
    };
    t63_envoy_draft03_list => Case {
        headers: &[("x-ratelimit-limit", r#"10, 10;w=1;name="per-ip", 1000;w=3600"#), ("x-ratelimit-remaining", "5"), ("x-ratelimit-reset", "1")],
        windows: &[|| w().policy("per-ip").limit(10).remaining(5).reset(1.0).window(1), || w().limit(1000).window(3600)],
        ..BASE
    };
    t64a_stripe_429_should_retry => Case {
        status: 429,
        headers: &[("Stripe-Should-Retry", "true"), ("Stripe-Rate-Limited-Reason", "global-rate")],
        advice: Expect::Wait(0.001, 60.0),
        ..BASE
    };
    t64b_stripe_503_should_not_retry => Case {
        status: 503,
        headers: &[("Stripe-Should-Retry", "false")],
        advice: Expect::GiveUp,
        ..BASE
    };
    t65_cloudflare_429 => Case {
        status: 429,
        headers: &[("retry-after", "300"), ("Ratelimit", r#""default";r=0;t=300"#), ("Ratelimit-Policy", r#""default";q=1200;w=300"#)],
        windows: &[|| w().policy("default").limit(1200).remaining(0).reset(300.0).window(300)],
        retry: Some(Some(300.0)),
        advice: Expect::Wait(300.0, 330.0),
        ..BASE
    };
    t66_atlassian_minute_precision_reset => Case {
        status: 429,
        headers: &[("Retry-After", "40"), ("X-RateLimit-Reset", "2023-11-14T22:14Z"), ("RateLimit-Reason", "jira-burst-based")],
        retry: Some(Some(40.0)),
        advice: Expect::Wait(40.0, 44.0),
        ..BASE
    };
    t67_clerk => Case {
        status: 429,
        headers: &[("Retry-After", "10")],
        retry: Some(Some(10.0)),
        advice: Expect::Wait(10.0, 11.0),
        ..BASE
    };
    t68_apple_combined_lines => Case {
        headers: &[("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3598;"), ("X-Rate-Limit", "user-minute-lim:150;user-minute-rem:149;")],
        windows: &[|| w().policy("user-hour").limit(3600).remaining(3598).window(3600), || w().policy("user-minute").limit(150).remaining(149).window(60)],
        ..BASE
    };
    t69_prisjakt_ms_without_vendor_rule => Case {
        status: 429,
        headers: &[("X-Rate-Limit-Limit", "10000"), ("X-Rate-Limit-Remaining", "0"), ("X-Rate-Limit-Reset", "600000")],
        windows: &[|| w().limit(10000).remaining(0).reset(600000.0)],
        advice: Expect::GiveUp,
        ..BASE
    };
    t70_lemlist_js_date_reset => Case {
        headers: &[("Retry-After", "2"), ("X-RateLimit-Limit", "20"), ("X-RateLimit-Remaining", "7"), ("X-RateLimit-Reset", "Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)")],
        windows: &[|| w().limit(20).remaining(7).reset(0.0)],
        retry: Some(Some(2.0)),
        ..BASE
    };
    t71_express_legacy_429 => Case {
        status: 429,
        headers: &[("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"), ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"), ("X-RateLimit-Reset", "1700000060"), ("Retry-After", "60")],
        windows: &[|| w().limit(5).remaining(0).reset(60.0)],
        retry: Some(Some(60.0)),
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
    t72_retry_after_fallback_is_delta => Case {
        status: 429,
        headers: &[("x-ratelimit-limit", "10"), ("x-ratelimit-remaining", "0"), ("retry-after", "60")],
        windows: &[|| w().limit(10).remaining(0).no_reset()],
        retry: Some(Some(60.0)),
        advice: Expect::Wait(60.0, 66.0),
        ..BASE
    };
}

//! Anthropic's `anthropic-ratelimit-<bucket>-{limit,remaining,reset}` for the
//! `requests`, `tokens`, `input-tokens` and `output-tokens` buckets
//! (`../shared/spec/headers.md` section 5, T46, T47): counts, and RFC 3339 resets
//! measured from the reference time.

use super::bucketed::{bucket_count, bucket_reset, bucket_text, buckets, contains_ci};
use super::ctx::Ctx;
use super::fields::{BucketFamily, Metric};
use super::reset::ResetKind;
use crate::model::{Source, Unit, Window};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let family = BucketFamily::Anthropic;
    for &bucket in buckets(ctx, family).iter() {
        let mut w = Window::new(Source::Anthropic);
        w.policy = bucket_text(ctx, family, bucket);
        w.unit = if contains_ci(bucket, b"token") {
            Unit::Tokens
        } else {
            Unit::Requests
        };
        w.limit = bucket_count(ctx, family, bucket, Metric::Limit);
        w.remaining = bucket_count(ctx, family, bucket, Metric::Remaining);
        w.reset = bucket_reset(ctx, family, bucket, ResetKind::Auto);
        let name = ctx
            .fields
            .buckets()
            .find(|b| b.family == family && b.bucket.eq_ignore_ascii_case(bucket))
            .map_or(&b""[..], |b| b.name);
        if w.has_quota() || w.reset.is_some() {
            ctx.push(w, name);
        }
    }
}

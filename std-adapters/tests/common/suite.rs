//! [`real_server_suite!`]: the real-server tests, one per job of [`super::jobs`], for
//! one adapter. Every adapter's test file expands it, so the three run the same jobs
//! by construction.

/// Defines one `#[test]` per job of `common::jobs`, each run through `$adapter` (an
/// [`Adapter`](super::adapter::Adapter)) and checked by `common::check`.
macro_rules! real_server_suite {
    ($adapter:expr) => {
        #[test]
        fn bare_one_worker() {
            common::check(&common::jobs::BARE_ONE_WORKER, &$adapter);
        }

        #[test]
        fn silent_one_worker() {
            common::check(&common::jobs::SILENT_ONE_WORKER, &$adapter);
        }

        #[test]
        fn draft6_one_worker() {
            common::check(&common::jobs::DRAFT6_ONE_WORKER, &$adapter);
        }

        #[test]
        fn draft6_four_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT6_FOUR_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn draft6_sixteen_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT6_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn draft7_one_worker() {
            common::check(&common::jobs::DRAFT7_ONE_WORKER, &$adapter);
        }

        #[test]
        fn draft7_four_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT7_FOUR_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn draft7_sixteen_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT7_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn draft8_one_worker() {
            common::check(&common::jobs::DRAFT8_ONE_WORKER, &$adapter);
        }

        #[test]
        fn draft8_four_workers() {
            common::check(&common::jobs::DRAFT8_FOUR_WORKERS, &$adapter);
        }

        #[test]
        fn draft8_four_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT8_FOUR_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn draft8_sixteen_workers_after_another_job() {
            common::check(
                &common::jobs::DRAFT8_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB,
                &$adapter,
            );
        }

        #[test]
        fn legacy_one_worker() {
            common::check(&common::jobs::LEGACY_ONE_WORKER, &$adapter);
        }

        #[test]
        fn flask_seconds_one_worker() {
            common::check(&common::jobs::FLASK_SECONDS_ONE_WORKER, &$adapter);
        }

        #[test]
        fn flask_seconds_four_workers() {
            common::check(&common::jobs::FLASK_SECONDS_FOUR_WORKERS, &$adapter);
        }

        #[test]
        fn flask_http_date_one_worker() {
            common::check(&common::jobs::FLASK_HTTP_DATE_ONE_WORKER, &$adapter);
        }

        #[test]
        fn flask_declared_one_worker() {
            common::check(&common::jobs::FLASK_DECLARED_ONE_WORKER, &$adapter);
        }
    };
}

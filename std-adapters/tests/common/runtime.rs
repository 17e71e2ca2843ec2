//! The tokio runtime the async adapters' jobs run on: two worker threads, as many as
//! the machine's cores, with timers and I/O.

/// A fresh multi-thread runtime with two workers, timers and I/O.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

//! `ratelimit-governor`: placeholder until the CLI lands.
fn main() {}

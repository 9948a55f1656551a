//! Fills the sandbox API's failure limiter with 1,000,000 distinct client addresses and
//! reports the memory it holds and the time one request's check and count take then.
//! Run by `bench/rate-limiter` (release build).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::ssr::counters::{memory, Counters};
use server::brand_api::rate_limit::RateLimit;
use std::time::Instant;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn address(i: u32) -> String {
    format!(
        "{} TS00000000000000000000000000000000",
        std::net::Ipv4Addr::from(0x0a00_0000 + i)
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let limiter = RateLimit::counting_in(Counters::in_memory(), 30);
    let before = rss_kib();
    let started = Instant::now();
    let total = 1_000_000;
    for i in 0..total {
        let key = address(i);
        let _ = limiter.check(&key).await;
        limiter.record(&key).await;
    }
    let fill = started.elapsed();
    let held = limiter.held_in_memory().unwrap_or(0);
    let grown = rss_kib().saturating_sub(before);
    let probes = 200_000;
    let started = Instant::now();
    for i in 0..probes {
        let key = address(total + i);
        let _ = limiter.check(&key).await;
        limiter.record(&key).await;
    }
    let per_request = started.elapsed() / probes;
    println!("distinct addresses     {total}");
    println!(
        "keys held afterwards   {held} (a table of at most {})",
        memory::CAPACITY
    );
    println!("memory grown           {:.1} MiB", grown as f64 / 1024.0);
    println!(
        "fill time              {:.2} s ({:.2} us per request)",
        fill.as_secs_f64(),
        fill.as_secs_f64() * 1e6 / f64::from(total)
    );
    println!(
        "check+count when full  {:.2} us per request (mean of {probes})",
        per_request.as_secs_f64() * 1e6
    );
}

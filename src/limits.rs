//! Per-client rate limits (GCRA, from the `governor` crate), kept in this instance's memory:
//! public writes (registrations, the pages' forms, `/r/` links), expensive reads (PDFs, badge
//! images, exports) and failed token look-ups. A
//! client is its IP address, or, with `TRUST_FORWARDED_FOR`, the address the reverse proxy
//! in front appended to `X-Forwarded-For`. Front ends ask here and answer `429` with
//! `Retry-After` themselves; `RATE_LIMITS=off` turns every limit off.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::LimitsConfig;

/// The limits of one instance.
pub struct ClientLimits {
    on: bool,
    trust_forwarded_for: bool,
    writes: DefaultKeyedRateLimiter<IpAddr>,
    heavy_reads: DefaultKeyedRateLimiter<IpAddr>,
    bad_tokens: DefaultKeyedRateLimiter<IpAddr>,
    /// Clients that used up their failed look-ups, and until when they wait.
    blocked: Mutex<HashMap<IpAddr, std::time::Instant>>,
    clock: DefaultClock,
}

/// How long a refused client must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one (the `Retry-After` header's value).
    pub fn seconds(self) -> u64 {
        self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)
    }
}

fn per_minute(n: u32, burst: u32) -> Quota {
    let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n).allow_burst(burst)
}

impl ClientLimits {
    pub fn new(config: &LimitsConfig) -> Self {
        ClientLimits {
            on: config.rate_limits,
            trust_forwarded_for: config.trust_forwarded_for,
            writes: RateLimiter::keyed(per_minute(config.writes_per_minute, config.writes_burst)),
            heavy_reads: RateLimiter::keyed(per_minute(
                config.heavy_reads_per_minute,
                config.heavy_reads_burst,
            )),
            bad_tokens: RateLimiter::keyed(per_minute(
                config.bad_tokens_per_minute,
                config.bad_tokens_per_minute,
            )),
            blocked: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
        }
    }

    /// Whether any limit applies.
    pub fn on(&self) -> bool {
        self.on
    }

    /// The client a request comes from: its peer address, or with `TRUST_FORWARDED_FOR` the
    /// last address of `X-Forwarded-For` (the one the proxy saw).
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> IpAddr {
        let forwarded = self
            .trust_forwarded_for
            .then(|| {
                forwarded_for?
                    .rsplit(',')
                    .next()?
                    .trim()
                    .parse::<IpAddr>()
                    .ok()
            })
            .flatten();
        forwarded
            .or(peer)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    /// Counts one public write of `client`; refused when it made too many.
    pub fn write(&self, client: IpAddr) -> Result<(), RetryAfter> {
        self.count(&self.writes, client)
    }

    /// Counts one expensive read of `client`; refused when it made too many.
    pub fn heavy_read(&self, client: IpAddr) -> Result<(), RetryAfter> {
        self.count(&self.heavy_reads, client)
    }

    /// Counts one request of `client` against `limiter`.
    fn count(
        &self,
        limiter: &DefaultKeyedRateLimiter<IpAddr>,
        client: IpAddr,
    ) -> Result<(), RetryAfter> {
        if !self.on {
            return Ok(());
        }
        limiter
            .check_key(&client)
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(self.clock.now())))
    }

    /// Whether `client` must wait after too many failed token look-ups.
    pub fn blocked(&self, client: IpAddr) -> Result<(), RetryAfter> {
        if !self.on {
            return Ok(());
        }
        let blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        match blocked.get(&client) {
            Some(until) => {
                let now = std::time::Instant::now();
                if *until > now {
                    Err(RetryAfter(*until - now))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    /// Counts a failed token look-up of `client`; past the limit it waits.
    pub fn failed_lookup(&self, client: IpAddr) {
        if !self.on {
            return;
        }
        if let Err(not_until) = self.bad_tokens.check_key(&client) {
            let wait = not_until.wait_time_from(self.clock.now());
            let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
            let now = std::time::Instant::now();
            // Forget clients whose wait is over, so the table stays small.
            if blocked.len() > 10_000 {
                blocked.retain(|_, until| *until > now);
            }
            blocked.insert(client, now + wait);
        }
    }

    /// Forgets clients that have not been limited lately (call now and then).
    pub fn forget_idle(&self) {
        self.writes.retain_recent();
        self.heavy_reads.retain_recent();
        self.bad_tokens.retain_recent();
        let now = std::time::Instant::now();
        self.blocked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, until| *until > now);
    }
}

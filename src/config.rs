//! Settings from command-line flags and the environment. Secrets are never logged:
//! the database URL is shown with its password masked.

use std::path::PathBuf;

/// How the service is configured.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; when absent, a SQLite file under `data_dir`.
    pub database_url: Option<String>,
    /// Where the embedded SQLite database (and later, signing keys) live.
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub bind: String,
    /// The public base URL, used in links (badges, calendars, `Location` headers).
    pub public_url: String,
    /// The host name that makes calendar UIDs globally unique.
    pub uid_host: String,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Database pool size.
    pub max_connections: u32,
    /// The longest wait for a database connection (while the database is down, requests are
    /// answered 503 after it).
    pub db_acquire_timeout: std::time::Duration,
    /// SQLite `synchronous=FULL` (default) rather than `NORMAL`.
    pub sqlite_full_sync: bool,
    /// How e-mail is sent.
    pub mail: MailConfig,
    /// Limits that keep one client or a slow one from exhausting the service.
    pub limits: LimitsConfig,
    /// How long records kept for retries and audits live.
    pub retention: RetentionConfig,
    /// Where operators read the metrics.
    pub metrics: MetricsConfig,
    /// Where the secrets come from.
    pub secrets: SecretsConfig,
}

/// Where the secrets come from. Kept in the database (the default), the token secret and
/// the signing keys are sealed with the master key: `master_key` (hex), else the file
/// `master_key_file`, else `DATA_DIR/master.key` (created on first start). Or they come from
/// outside the database altogether: `token_secret` / `token_secret_file` (hex, 32 bytes or
/// more) and `signing_keys_file` (`<kid> <hex seed>` per line).
#[derive(Debug, Clone, Default)]
pub struct SecretsConfig {
    pub master_key: Option<String>,
    pub master_key_file: Option<PathBuf>,
    pub token_secret: Option<String>,
    pub token_secret_file: Option<PathBuf>,
    pub signing_keys_file: Option<PathBuf>,
}

/// Where `GET /metrics` is served: on the service's port to holders of `token`, and on its
/// own address `bind` to anyone who reaches it. Neither: not served.
#[derive(Debug, Clone, Default)]
pub struct MetricsConfig {
    pub token: Option<String>,
    pub bind: Option<String>,
}

/// Limits per client and per connection.
#[derive(Debug, Clone)]
pub struct LimitsConfig {
    /// Per-client rate limits on public writes and failed token look-ups (`RATE_LIMITS=off`
    /// turns them off).
    pub rate_limits: bool,
    /// Public writes (registrations, forms, `/r/` links) a client may make per minute.
    pub writes_per_minute: u32,
    /// Of which at once (the burst).
    pub writes_burst: u32,
    /// Requests with an unknown token a client may make per minute.
    pub bad_tokens_per_minute: u32,
    /// Expensive reads (PDFs, badge images, exports) a client may make per minute; callers
    /// with a verified organizer or check-in token are not counted.
    pub heavy_reads_per_minute: u32,
    /// Of which at once (the burst).
    pub heavy_reads_burst: u32,
    /// Whether the client is the last address of `X-Forwarded-For` (behind a reverse proxy
    /// that appends it) rather than the peer address.
    pub trust_forwarded_for: bool,
    /// Most connections at once from one client address (0: no limit).
    pub max_connections_per_client: usize,
    /// The time a client has to send a request's headers.
    pub header_timeout: std::time::Duration,
    /// The time a request may take, body and answer included.
    pub request_timeout: std::time::Duration,
    /// Most connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Expensive drawings (PDFs, badge images) made at once, on blocking threads
    /// off the request workers (`crate::work_pool`).
    pub drawing_pool: usize,
    /// Requests that may wait for the drawing pool; more are answered `503` at once.
    pub drawing_queue: usize,
    /// On SIGTERM, how long requests already taken may still take before the server exits.
    pub shutdown_grace: std::time::Duration,
    /// On SIGTERM, how long the server still accepts connections (while `/readyz` answers
    /// 503), so requests already queued in the kernel or sent on idle connections are served.
    pub drain_delay: std::time::Duration,
}

/// The cores this process may use (the drawing pool's default size).
fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

impl LimitsConfig {
    /// The defaults of a service on the internet.
    pub fn standard() -> Self {
        LimitsConfig {
            rate_limits: true,
            writes_per_minute: 60,
            writes_burst: 30,
            bad_tokens_per_minute: 30,
            heavy_reads_per_minute: 120,
            heavy_reads_burst: 60,
            trust_forwarded_for: false,
            max_connections_per_client: 256,
            header_timeout: std::time::Duration::from_secs(10),
            request_timeout: std::time::Duration::from_secs(30),
            max_connections: 2048,
            drawing_pool: cores(),
            drawing_queue: 16,
            shutdown_grace: std::time::Duration::from_secs(30),
            drain_delay: std::time::Duration::from_secs(1),
        }
    }
}

/// How long kept records live; purged by a background job of every instance.
#[derive(Debug, Clone)]
pub struct RetentionConfig {
    /// Idempotency records: a retry after this is a new request.
    pub idempotency: chrono::Duration,
    /// The scan audit log; `None` keeps it for ever.
    pub scans: Option<chrono::Duration>,
    /// How often the purge runs.
    pub every: std::time::Duration,
}

impl RetentionConfig {
    pub fn standard() -> Self {
        RetentionConfig {
            idempotency: chrono::Duration::hours(24),
            scans: Some(chrono::Duration::days(400)),
            every: std::time::Duration::from_secs(3600),
        }
    }
}

/// How e-mail is sent: through `smtp_url`, else as `.eml` files in `files_dir`, else (tests)
/// not at all (messages wait in the outbox).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://user:pass@host:587` (STARTTLS required), `smtps://user:pass@host:465`
    /// (TLS from the start) or `smtp://host:25?tls=none` (a local relay, no TLS).
    pub smtp_url: Option<String>,
    /// Where messages are written as `.eml` files when there is no `smtp_url`.
    pub files_dir: Option<PathBuf>,
    /// The sender, e.g. `Dialogue <dialogue@example.org>`.
    pub from: String,
    /// A PEM file of extra root certificates to trust (a relay with its own CA).
    pub ca_file: Option<PathBuf>,
    /// The first retry waits this long; each next one twice as long (with jitter)...
    pub retry_base: std::time::Duration,
    /// ...up to this long.
    pub retry_cap: std::time::Duration,
    /// After this many attempts a message that still fails is marked failed.
    pub max_attempts: i32,
    /// How long a claimed message is this instance's before another may take it.
    pub lease: std::time::Duration,
    /// How often the sender looks for due messages when nothing wakes it.
    pub poll: std::time::Duration,
    /// Sent messages are purged after this long.
    pub keep_sent: std::time::Duration,
    /// Whether this instance sends the outbox (every instance writes it). Instances that
    /// should only serve requests set `MAIL_SENDER=false`; at least one must send.
    pub sender: bool,
}

impl MailConfig {
    /// No transport: messages wait in the outbox.
    pub fn off() -> Self {
        MailConfig {
            smtp_url: None,
            files_dir: None,
            from: "Dialogue <dialogue@localhost>".into(),
            ca_file: None,
            retry_base: std::time::Duration::from_secs(30),
            retry_cap: std::time::Duration::from_secs(3600),
            max_attempts: 20,
            lease: std::time::Duration::from_secs(300),
            poll: std::time::Duration::from_secs(5),
            keep_sent: std::time::Duration::from_secs(30 * 24 * 3600),
            sender: true,
        }
    }

    /// Whether messages are sent at all.
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some() || self.files_dir.is_some()
    }
}

impl Config {
    /// Whether the service is reached over https (`PUBLIC_URL`): HSTS and `__Host-`/`Secure`
    /// cookies then.
    pub fn behind_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The database to use: `database_url` or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("dialogue.db").display()
            ),
        }
    }

    /// Defaults suited to tests: an explicit database, nothing else.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Config {
            database_url: Some(database_url.into()),
            data_dir: PathBuf::from("data"),
            bind: "127.0.0.1:0".into(),
            public_url: "http://localhost:8080".into(),
            uid_host: "dialogue.localhost".into(),
            max_body_bytes: 256 * 1024,
            max_connections: 8,
            // Many test databases share one PostgreSQL: waits are longer than in service.
            db_acquire_timeout: std::time::Duration::from_secs(30),
            sqlite_full_sync: true,
            mail: MailConfig::off(),
            // Tests make many requests from one address; rate-limit tests turn them on.
            limits: LimitsConfig {
                rate_limits: false,
                ..LimitsConfig::standard()
            },
            retention: RetentionConfig::standard(),
            metrics: MetricsConfig::default(),
            // A fixed master key: instances of one test share their database's secrets.
            secrets: SecretsConfig {
                master_key: Some("7e".repeat(32)),
                ..SecretsConfig::default()
            },
        }
    }
}

/// The settings as flags and environment variables (`dialogue --help`).
#[derive(clap::Args, Clone, Debug)]
pub struct Settings {
    /// `postgres://…` or `sqlite://…`; default: a SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the embedded SQLite database lives.
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// Public base URL used in links.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Host name that makes calendar UIDs globally unique.
    #[arg(
        long,
        env = "UID_HOST",
        default_value = "dialogue.local",
        global = true
    )]
    pub uid_host: String,
    /// Database pool size.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 16, global = true)]
    pub db_max_connections: u32,
    /// Seconds a request waits for a database connection before it is answered 503.
    #[arg(
        long,
        env = "DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 3,
        global = true
    )]
    pub db_acquire_timeout_secs: u64,
    /// SQLite's `synchronous`: `full` (an acknowledged commit survives a power cut) or
    /// `normal` (faster; only for storage that cannot lose power).
    #[arg(
        long,
        env = "SQLITE_SYNCHRONOUS",
        default_value = "full",
        global = true
    )]
    pub sqlite_synchronous: String,
    /// `smtp://user:pass@host:587` (STARTTLS), `smtps://user:pass@host:465` or
    /// `smtp://host:25?tls=none`; without it, e-mails are written to `DATA_DIR/mail/`.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of e-mails.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Dialogue <dialogue@localhost>",
        global = true
    )]
    pub mail_from: String,
    /// A PEM file of extra root certificates for the SMTP server.
    #[arg(long, env = "SMTP_CA_FILE", global = true)]
    pub smtp_ca_file: Option<PathBuf>,
    /// Days sent e-mails stay in the outbox before they are purged.
    #[arg(long, env = "MAIL_KEEP_SENT_DAYS", default_value_t = 30, global = true)]
    pub mail_keep_sent_days: u64,
    /// Whether this instance sends e-mails from the outbox (`false`: it only writes them).
    #[arg(
        long,
        env = "MAIL_SENDER",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub mail_sender: bool,
    /// `off` turns the per-client rate limits off (load tests, benchmarks, a trusted
    /// network); any other value or none leaves them on.
    #[arg(long, env = "RATE_LIMITS", default_value = "on", global = true)]
    pub rate_limits: String,
    /// Public writes (registrations, forms, `/r/` links) one client may make per minute.
    #[arg(
        long,
        env = "RATE_LIMIT_WRITES_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub rate_limit_writes_per_minute: u32,
    /// Expensive reads (PDFs, badge images, exports) one client may make per minute.
    #[arg(
        long,
        env = "RATE_LIMIT_HEAVY_READS_PER_MINUTE",
        default_value_t = 120,
        global = true
    )]
    pub rate_limit_heavy_reads_per_minute: u32,
    /// Take the client's address from the last entry of `X-Forwarded-For` (set it only
    /// behind a reverse proxy that appends the address it saw).
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub trust_forwarded_for: bool,
    /// Most connections at once from one client address (0: no limit).
    #[arg(
        long,
        env = "MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 256,
        global = true
    )]
    pub max_connections_per_client: usize,
    /// Expensive drawings (PDFs, badge images) made at once; 0: one per core.
    #[arg(long, env = "DRAWING_POOL", default_value_t = 0, global = true)]
    pub drawing_pool: usize,
    /// Requests that may wait for a drawing; more are answered 503 with Retry-After.
    #[arg(long, env = "DRAWING_QUEUE", default_value_t = 16, global = true)]
    pub drawing_queue: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "HEADER_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub header_timeout_secs: u64,
    /// Seconds a request may take in all.
    #[arg(
        long,
        env = "REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// Seconds requests already taken may still take after SIGTERM before the server exits.
    #[arg(long, env = "SHUTDOWN_GRACE_SECS", default_value_t = 30, global = true)]
    pub shutdown_grace_secs: u64,
    /// Milliseconds the server keeps accepting after SIGTERM (with `/readyz` answering 503)
    /// before it stops taking connections.
    #[arg(long, env = "DRAIN_DELAY_MS", default_value_t = 1000, global = true)]
    pub drain_delay_ms: u64,
    /// Most HTTP connections served at once.
    #[arg(
        long,
        env = "MAX_HTTP_CONNECTIONS",
        default_value_t = 2048,
        global = true
    )]
    pub max_http_connections: usize,
    /// Hours an `Idempotency-Key`'s first answer is kept.
    #[arg(
        long,
        env = "IDEMPOTENCY_KEEP_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub idempotency_keep_hours: u32,
    /// A token that reads `GET /metrics` on the service's port (as a bearer token).
    #[arg(long, env = "METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// A separate address serving `GET /metrics` without a token (e.g. 127.0.0.1:9090).
    #[arg(long, env = "METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,
    /// The master key that seals secrets kept in the database (64 hex characters).
    #[arg(long, env = "MASTER_KEY", global = true, hide_env_values = true)]
    pub master_key: Option<String>,
    /// A file holding the master key; default `DATA_DIR/master.key` (created on first start).
    #[arg(long, env = "MASTER_KEY_FILE", global = true)]
    pub master_key_file: Option<PathBuf>,
    /// The secret delegates' tokens are derived from (hex, 32+ bytes), instead of the
    /// database's.
    #[arg(long, env = "TOKEN_SECRET", global = true, hide_env_values = true)]
    pub token_secret: Option<String>,
    /// A file holding that secret.
    #[arg(long, env = "TOKEN_SECRET_FILE", global = true)]
    pub token_secret_file: Option<PathBuf>,
    /// A file of badge-signing keys (`<kid> <64 hex>` per line; the highest kid signs),
    /// instead of the database's.
    #[arg(long, env = "SIGNING_KEYS_FILE", global = true)]
    pub signing_keys_file: Option<PathBuf>,
    /// Days the scan audit log is kept (0: for ever).
    #[arg(long, env = "SCANS_KEEP_DAYS", default_value_t = 400, global = true)]
    pub scans_keep_days: u32,
}

impl Settings {
    /// The configuration these settings describe.
    pub fn config(&self) -> Config {
        let public_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind));
        Config {
            database_url: self.database_url.clone(),
            data_dir: self.data_dir.clone(),
            bind: self.bind.clone(),
            public_url,
            uid_host: self.uid_host.clone(),
            max_body_bytes: 256 * 1024,
            max_connections: self.db_max_connections,
            db_acquire_timeout: std::time::Duration::from_secs(self.db_acquire_timeout_secs.max(1)),
            sqlite_full_sync: !self
                .sqlite_synchronous
                .trim()
                .eq_ignore_ascii_case("normal"),
            mail: MailConfig {
                smtp_url: self.smtp_url.clone().filter(|url| !url.trim().is_empty()),
                files_dir: Some(self.data_dir.join("mail")),
                from: self.mail_from.clone(),
                ca_file: self.smtp_ca_file.clone(),
                keep_sent: std::time::Duration::from_secs(self.mail_keep_sent_days * 24 * 3600),
                sender: self.mail_sender,
                ..MailConfig::off()
            },
            limits: LimitsConfig {
                rate_limits: rate_limits_on(&self.rate_limits),
                writes_per_minute: self.rate_limit_writes_per_minute.max(1),
                writes_burst: (self.rate_limit_writes_per_minute / 2).max(1),
                heavy_reads_per_minute: self.rate_limit_heavy_reads_per_minute.max(1),
                heavy_reads_burst: (self.rate_limit_heavy_reads_per_minute / 2).max(1),
                trust_forwarded_for: self.trust_forwarded_for,
                max_connections_per_client: self.max_connections_per_client,
                header_timeout: std::time::Duration::from_secs(self.header_timeout_secs.max(1)),
                request_timeout: std::time::Duration::from_secs(self.request_timeout_secs.max(1)),
                max_connections: self.max_http_connections.max(1),
                shutdown_grace: std::time::Duration::from_secs(self.shutdown_grace_secs),
                drain_delay: std::time::Duration::from_millis(self.drain_delay_ms),
                drawing_pool: match self.drawing_pool {
                    0 => cores(),
                    size => size,
                },
                drawing_queue: self.drawing_queue,
                ..LimitsConfig::standard()
            },
            retention: RetentionConfig {
                idempotency: chrono::Duration::hours(i64::from(self.idempotency_keep_hours.max(1))),
                scans: (self.scans_keep_days > 0)
                    .then(|| chrono::Duration::days(i64::from(self.scans_keep_days))),
                ..RetentionConfig::standard()
            },
            metrics: MetricsConfig {
                token: self.metrics_token.clone().filter(|t| !t.trim().is_empty()),
                bind: self.metrics_bind.clone().filter(|b| !b.trim().is_empty()),
            },
            secrets: SecretsConfig {
                master_key: self.master_key.clone().filter(|k| !k.trim().is_empty()),
                master_key_file: self.master_key_file.clone(),
                token_secret: self.token_secret.clone().filter(|k| !k.trim().is_empty()),
                token_secret_file: self.token_secret_file.clone(),
                signing_keys_file: self.signing_keys_file.clone(),
            },
        }
    }
}

/// Whether a `RATE_LIMITS` value leaves the limits on: only `off` turns them off.
pub fn rate_limits_on(value: &str) -> bool {
    !value.trim().eq_ignore_ascii_case("off")
}

/// A database URL safe to log: any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    // The host follows the last `@`: a password may contain `@` itself.
    match rest.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            super::redact_url("postgres://app:s3cret@db:5432/dialogue"),
            "postgres://app:***@db:5432/dialogue"
        );
        assert_eq!(
            super::redact_url("postgres://app:p@ss@w0rd@db:5432/dialogue"),
            "postgres://app:***@db:5432/dialogue"
        );
        assert_eq!(
            super::redact_url("sqlite://data/dialogue.db"),
            "sqlite://data/dialogue.db"
        );
    }
}

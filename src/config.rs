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
}

impl Config {
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
        }
    }
}

/// A database URL safe to log: any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
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
    }
}

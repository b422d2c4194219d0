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

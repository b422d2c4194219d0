//! The `dialogue` command: `serve` (default), `migrate`, `token create|list|revoke`, `keys
//! rotate`, `openapi`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dialogue::config::redact_url;
use dialogue::domain::enums::TokenRole;
use dialogue::domain::token;
use dialogue::domain::validation::ValidationErrors;
use dialogue::error::AppError;
use dialogue::{AppState, Config, bootstrap, build_app, store};
use poem::Server;
use poem::listener::TcpListener;

/// mimalloc: allocation is a visible share of a request's time with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "dialogue", version, about = "Event and conference management")]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Clone)]
struct Settings {
    /// `postgres://…` or `sqlite://…`; default: a SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Where the embedded SQLite database lives.
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    bind: String,
    /// Public base URL used in links.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// Host name that makes calendar UIDs globally unique.
    #[arg(
        long,
        env = "UID_HOST",
        default_value = "dialogue.local",
        global = true
    )]
    uid_host: String,
    /// Database pool size.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 16, global = true)]
    db_max_connections: u32,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve {
        /// Load the demo programme (once; later starts keep it).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Manage the keys that sign badge codes.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new signing key and sign new badges with it; older badges stay valid.
    Rotate,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token and print it (shown this once; only its hash is stored).
    Create {
        #[arg(long, value_enum)]
        role: Role,
        /// The event a check-in token is bound to (slug or id).
        #[arg(long)]
        event: Option<String>,
        /// Who or what the token is for.
        #[arg(long)]
        label: String,
    },
    /// List tokens: id, role, event, label, created, revoked (never the token itself).
    List,
    /// Revoke a token by its id (from `token list`); it stops working at once.
    Revoke {
        /// The token's id.
        id: uuid::Uuid,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Role {
    Organizer,
    Checkin,
}

impl Settings {
    fn config(&self) -> Config {
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

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The service logs to stdout; the other commands keep stdout for what they print
    // (a token, a token list, the OpenAPI document), so `$(dialogue token create …)` works.
    let serving = matches!(cli.command, None | Some(Command::Serve { .. }));
    let (writer, _guard, ansi) = if serving {
        let (writer, guard) = tracing_appender::non_blocking(std::io::stdout());
        (
            writer,
            guard,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
        )
    } else {
        let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
        (
            writer,
            guard,
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
        )
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_ansi(ansi)
        .with_writer(writer)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dialogue: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.settings.config();
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if let Command::Openapi = command {
        let db = store::connect("sqlite::memory:", 1)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "{}",
            dialogue::app::openapi_json(&AppState::new(db, config))
        );
        return Ok(());
    }
    let url = config.effective_database_url();
    tracing::info!(database = %redact_url(&url), "connecting");
    let state = AppState::connect(config)
        .await
        .map_err(|e| format!("database {}: {e}", redact_url(&url)))?;
    match command {
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { role, event, label },
        } => create_token(&state, role, event, &label).await,
        Command::Token {
            command: TokenCommand::List,
        } => list_tokens(&state).await,
        Command::Token {
            command: TokenCommand::Revoke { id },
        } => revoke_token(&state, id).await,
        Command::Serve { demo } => serve(state, demo).await,
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let keys = store::keys::rotate(&state.writer)
                .await
                .map_err(|e| e.to_string())?;
            println!("badge codes are now signed with key {}", keys.active_kid);
            Ok(())
        }
        Command::Openapi => Ok(()),
    }
}

async fn create_token(
    state: &AppState,
    role: Role,
    event: Option<String>,
    label: &str,
) -> Result<(), String> {
    let (role, event_id) = match (role, event) {
        (Role::Organizer, None) => (TokenRole::Organizer, None),
        (Role::Organizer, Some(_)) => {
            return Err("organizer tokens are not bound to an event".into());
        }
        (Role::Checkin, None) => return Err("a check-in token needs --event".into()),
        (Role::Checkin, Some(reference)) => {
            let event = store::events::find(&state.db, &reference)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no event {reference:?}"))?;
            (TokenRole::Checkin, Some(event.id))
        }
    };
    let mut errors = ValidationErrors::new();
    errors.required_line("label", label, token::LABEL_MAX);
    errors.into_result(()).map_err(|e| e.to_string())?;
    let issued = store::tokens::create(&state.writer, role, event_id, label.trim())
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", issued.token);
    eprintln!("(shown once: only its hash is stored)");
    Ok(())
}

/// Revokes a token; the store keeps the last live organizer token.
async fn revoke_token(state: &AppState, id: uuid::Uuid) -> Result<(), String> {
    let revoked = store::tokens::revoke(&state.writer, store::tokens::TokenScope::All, id)
        .await
        .map_err(|e| match e {
            AppError::Conflict { detail, .. } => {
                format!("token {id}: {detail} (dialogue token create --role organizer --label …)")
            }
            other => other.to_string(),
        })?
        .ok_or_else(|| format!("no token {id}"))?;
    println!("token {id} ({}) is revoked", one_line(&revoked.label));
    Ok(())
}

/// A label as one tab-free line (labels made before they were checked may hold any text).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

async fn list_tokens(state: &AppState) -> Result<(), String> {
    let tokens = store::tokens::list(&state.db, store::tokens::TokenScope::All)
        .await
        .map_err(|e| e.to_string())?;
    println!("id\trole\tevent\tlabel\tcreated\trevoked");
    for token in tokens {
        let event = token.event_id.map(|e| e.to_string()).unwrap_or_default();
        let revoked = token.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default();
        println!(
            "{}\t{}\t{event}\t{}\t{}\t{revoked}",
            token.id,
            token.role,
            one_line(&token.label),
            token.created_at.to_rfc3339()
        );
    }
    Ok(())
}

async fn serve(state: AppState, demo: bool) -> Result<(), String> {
    let seed = std::env::var("DIALOGUE_ORGANIZER_TOKEN").ok();
    if let Some(token) = bootstrap::ensure_organizer_token(&state, seed.as_deref())
        .await
        .map_err(|e| e.to_string())?
    {
        println!();
        println!("  First start: an organizer token was created. It is shown only this once:");
        println!();
        println!("    {token}");
        println!();
    }
    if demo {
        let today = chrono::Utc::now().date_naive();
        let loaded = bootstrap::load_demo(&state, today)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(
            loaded,
            "demo programme ready at /api/v1/events/{}/agenda",
            bootstrap::DEMO_DIALOGUE
        );
    }
    // Another instance or `dialogue keys rotate` may add a signing key: pick it up.
    let keys_state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(err) = keys_state.reload_keys().await {
                tracing::warn!(error = %err, "reloading signing keys failed");
            }
        }
    });
    let bind = state.config.bind.clone();
    let public_url = state.config.public_url.clone();
    let app = build_app(state);
    tracing::info!(%bind, "listening; API docs at {public_url}/docs");
    Server::new(TcpListener::bind(bind))
        .run_with_graceful_shutdown(app, shutdown_signal(), Some(Duration::from_secs(10)))
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}

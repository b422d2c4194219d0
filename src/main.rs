//! The `dialogue` command: `serve` (default), `migrate`, `token create|list|revoke`, `keys
//! rotate|retire`, `backup`, `mail test`, `openapi`. It parses the command line, builds the [`Application`] and calls the
//! use cases; what it prints is its only business.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dialogue::app::tokens::{self, NewToken};
use dialogue::config::{Settings, redact_url};
use dialogue::domain::enums::TokenRole;
use dialogue::error::AppError;
use dialogue::store::tokens::TokenScope;
use dialogue::{AppState, Application, app, bootstrap, store};

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
    /// E-mail.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Copy the SQLite database, consistent and while the service runs, to a new file
    /// (PostgreSQL: use pg_dump, see docs/operations.md).
    Backup {
        /// The file to write (must not exist).
        path: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send one test message through the configured transport (SMTP_URL, else DATA_DIR/mail).
    Test {
        /// The address to send it to.
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new signing key and sign new badges with it; older badges stay valid.
    Rotate,
    /// Stop accepting badges signed with an old key (its delegates need new badges).
    Retire {
        /// The key id (the `kid` of the offline kit; `keys rotate` prints the new one).
        kid: u8,
    },
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

fn main() -> ExitCode {
    // Before the runtime starts its threads: the allocator's options are set once, alone.
    dialogue::allocator::return_freed_memory_at_once();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(start()),
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
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
            dialogue::api::endpoint::openapi_json(&AppState::new(db, config))
        );
        return Ok(());
    }
    // Only a serving instance sends the outbox; other commands leave it to the servers.
    let mail = config.mail.clone();
    let mut config = config;
    if !matches!(command, Command::Serve { .. }) {
        config.mail.smtp_url = None;
        config.mail.files_dir = None;
    }
    let url = config.effective_database_url();
    tracing::info!(database = %redact_url(&url), "connecting");
    let application = Application::build(config)
        .await
        .map_err(|e| format!("database {}: {e}", redact_url(&url)))?;
    let state = &application.state;
    match command {
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { role, event, label },
        } => create_token(state, role, event.as_deref(), &label).await,
        Command::Token {
            command: TokenCommand::List,
        } => list_tokens(state).await,
        Command::Token {
            command: TokenCommand::Revoke { id },
        } => revoke_token(state, id).await,
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let kid = app::keys::rotate(state).await.map_err(say)?;
            println!("badge codes are now signed with key {kid}");
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Retire { kid },
        } => {
            app::keys::retire(state, kid)
                .await
                .map_err(|err| match err {
                    AppError::NotFound(_) => format!("no signing key {kid}"),
                    other => say(other),
                })?;
            println!("badges signed with key {kid} are no longer accepted");
            Ok(())
        }
        Command::Backup { path } => {
            let bytes = app::backup::backup(state, &path).await.map_err(say)?;
            println!("backup written to {} ({bytes} bytes)", path.display());
            Ok(())
        }
        Command::Mail {
            command: MailCommand::Test { to },
        } => {
            let transport = dialogue::mail::transport::Transport::from_config(&mail)
                .map_err(|e| e.to_string())?
                .ok_or("e-mail is off: set SMTP_URL or DATA_DIR")?;
            dialogue::mail::sender::send_test(state, &transport, &to).await?;
            match &mail.smtp_url {
                Some(url) => println!("test message sent to {to} through {}", redact_url(url)),
                None => println!(
                    "test message for {to} written to {}",
                    mail.files_dir
                        .as_ref()
                        .map(|d| d.display().to_string())
                        .unwrap_or_default()
                ),
            }
            Ok(())
        }
        Command::Serve { demo } => serve(application, demo).await,
        Command::Openapi => Ok(()),
    }
}

/// An error as the command line says it: validation failures name the flag (or the
/// environment variable).
fn say(err: AppError) -> String {
    match err {
        AppError::Invalid(errors) => errors
            .errors
            .iter()
            .map(|e| {
                // Settings read from the environment are named as they are set.
                let environment = e.field.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
                let dashes = if environment { "" } else { "--" };
                format!("{dashes}{}: {}", e.field, e.message)
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

async fn create_token(
    state: &AppState,
    role: Role,
    event: Option<&str>,
    label: &str,
) -> Result<(), String> {
    let role = match role {
        Role::Organizer => TokenRole::Organizer,
        Role::Checkin => TokenRole::Checkin,
    };
    let created = tokens::create(state, NewToken { role, event, label })
        .await
        .map_err(|err| match err {
            AppError::NotFound(_) => format!("no event {:?}", event.unwrap_or_default()),
            other => say(other),
        })?;
    println!("{}", created.issued.token);
    eprintln!("(shown once: only its hash is stored)");
    Ok(())
}

/// Revokes a token; the last live organizer token is kept.
async fn revoke_token(state: &AppState, id: uuid::Uuid) -> Result<(), String> {
    let revoked = tokens::revoke(state, TokenScope::All, id)
        .await
        .map_err(|e| match e {
            AppError::Refused(refusal) => {
                let detail = refusal.detail;
                format!("token {id}: {detail} (dialogue token create --role organizer --label …)")
            }
            AppError::NotFound(_) => format!("no token {id}"),
            other => say(other),
        })?;
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
    let tokens = tokens::list(state, TokenScope::All).await.map_err(say)?;
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

async fn serve(application: Application, demo: bool) -> Result<(), String> {
    let state = &application.state;
    let seed = std::env::var("DIALOGUE_ORGANIZER_TOKEN").ok();
    if let Some(token) = tokens::ensure_organizer_token(state, seed.as_deref())
        .await
        .map_err(say)?
    {
        // Into a file only its owner reads: journald and `docker logs` keep every line of
        // stderr, so only the file's path is said there.
        let path = keep_first_token(&state.config.data_dir, &token)?;
        tracing::info!(
            path = %path.display(),
            "first start: an organizer token was created and written to this file \
             (readable by this user only); keep it elsewhere and delete the file"
        );
        eprintln!(
            "First start: an organizer token was written to {} (mode 0600).",
            path.display()
        );
    }
    if demo {
        let today = chrono::Utc::now().date_naive();
        let loaded = bootstrap::load_demo(state, today).await.map_err(say)?;
        tracing::info!(
            loaded,
            "demo programme ready at /api/v1/events/{}/agenda",
            bootstrap::DEMO_DIALOGUE
        );
    }
    application
        .serve(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Writes the first organizer token to `DATA_DIR/first-organizer-token`, readable and
/// writable by its owner only; returns the file's path.
fn keep_first_token(data_dir: &std::path::Path, token: &str) -> Result<std::path::PathBuf, String> {
    use std::io::Write;
    let path = data_dir.join("first-organizer-token");
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // A file left from before keeps its old mode when opened: narrow it as well.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    writeln!(file, "{token}").map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
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

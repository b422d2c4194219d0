//! The PostgreSQL the tests run on when nobody named one: `TEST_POSTGRES_URL` wins; else a
//! server already answering on 127.0.0.1:5432 (CI's, a developer's own) is used; else the
//! harness starts a throwaway cluster of its own from the installed binaries (`initdb` and
//! `pg_ctl` on `PATH` or under `/usr/lib/postgresql/*/bin`), on a free port with its socket
//! under `target/`, and a watchdog stops and removes it when the test process ends. Where
//! PostgreSQL is not installed at all, the PostgreSQL halves are skipped with one line naming
//! the package to install, never under `CI=true`. `DIALOGUE_TEST_OWN_POSTGRES=1` always starts
//! a cluster of its own (to try the fresh-machine path where a server runs).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// Where the tests' PostgreSQL is, or why there is none.
#[derive(Debug, Clone)]
pub enum Server {
    At(String),
    Missing(String),
}

/// The server, decided once per test process.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("TEST_POSTGRES_URL") {
            return Server::At(url);
        }
        let own = std::env::var("DIALOGUE_TEST_OWN_POSTGRES").is_ok_and(|v| v == "1");
        let usual: SocketAddr = ([127, 0, 0, 1], 5432).into();
        if !own && TcpStream::connect_timeout(&usual, Duration::from_millis(300)).is_ok() {
            return Server::At("postgres://postgres@127.0.0.1:5432/postgres".into());
        }
        match start() {
            Ok(url) => Server::At(url),
            Err(why) => {
                eprintln!("note: skipping the PostgreSQL tests: {why}");
                Server::Missing(why)
            }
        }
    })
}

/// The directory holding PostgreSQL's server programs.
fn binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    let mut installed: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    installed.sort();
    installed.pop().map(|(_, bin)| bin)
}

/// Whether this process runs as root (PostgreSQL refuses to; its programs then run as the
/// `postgres` user the Debian package creates).
fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A command running `program` of `bin`, as `postgres` when this process is root.
fn program(bin: &Path, program: &str, root: bool) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

/// Starts a throwaway cluster; answers its admin URL.
fn start() -> Result<String, String> {
    let bin = binaries().ok_or(
        "PostgreSQL is not installed (Debian: apt-get install postgresql; or set \
         TEST_POSTGRES_URL)",
    )?;
    let root = as_root();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-postgres")
        .join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if root {
        let owned = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !owned.success() {
            return Err(
                "no postgres user to run PostgreSQL as (apt-get install postgresql)".into(),
            );
        }
    }
    let data = dir.join("data");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("a free port: {e}"))?
        .port();
    let quiet = |mut command: Command, what: &str| -> Result<(), String> {
        let out = command
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let mut initdb = program(&bin, "initdb", root);
    initdb
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    quiet(initdb, "initdb")?;
    let mut pg_ctl = program(&bin, "pg_ctl", root);
    pg_ctl
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("server.log"))
        .arg("-o")
        .arg(format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c max_connections=300",
            dir.display()
        ))
        .args(["-w", "start"]);
    quiet(pg_ctl, "pg_ctl start")?;
    watch(&bin, &dir, &data, root);
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

/// Stops and removes the cluster once this process has ended (a test binary exits without
/// running destructors, so a separate watchdog does it).
fn watch(bin: &Path, dir: &Path, data: &Path, root: bool) {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if root {
        format!(
            "runuser -u postgres -- '{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    } else {
        format!(
            "'{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

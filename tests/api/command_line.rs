//! The `dialogue token` commands, run as the real binary against the test database: the
//! created token is all that `create` prints on stdout, `list` never shows a token, and a
//! token revoked from the command line is refused by a running instance at once, and the
//! last live organizer token is kept, even against two revocations at the same moment.
//! `keys rotate` run twice at the same moment adds two keys and leaves exactly one active.

use std::process::{Command, Output, Stdio};

use serde_json::json;

use crate::helpers::{Backend, TestDb, run};

/// `dialogue <args>` on the test database, not started yet.
fn command(db: &TestDb, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dialogue"));
    command
        .args(args)
        .env("DATABASE_URL", &db.url)
        // The master key the test instances seal the database's secrets with.
        .env("MASTER_KEY", "7e".repeat(32))
        .env_remove("DIALOGUE_ORGANIZER_TOKEN");
    command
}

/// What a finished command said: (success, stdout, stderr).
fn said(output: Output) -> (bool, String, String) {
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `dialogue <args>` on the test database; returns (success, stdout, stderr).
fn dialogue(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    said(command(db, args).output().expect("run the dialogue binary"))
}

/// The ids of the live organizer tokens, from `token list`.
fn live_organizers(db: &TestDb) -> Vec<String> {
    let (_, listing, _) = dialogue(db, &["token", "list"]);
    listing
        .lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|fields| fields.get(1) == Some(&"organizer") && fields.get(5) == Some(&""))
        .map(|fields| fields[0].to_owned())
        .collect()
}

/// Two organizer tokens revoked at the same moment by two processes: one revocation goes
/// through, the other is refused, and one organizer token stays live. Several rounds.
fn simultaneous_revocations_keep_an_organizer(db: &TestDb) {
    for round in 0..4 {
        let label = format!("Round {round}");
        let (ok, _, log) = dialogue(
            db,
            &["token", "create", "--role", "organizer", "--label", &label],
        );
        assert!(ok, "{log}");
        let live = live_organizers(db);
        assert_eq!(live.len(), 2, "{live:?}");
        let children: Vec<_> = live
            .iter()
            .map(|id| {
                command(db, &["token", "revoke", id])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start the dialogue binary")
            })
            .collect();
        let outcomes: Vec<_> = children
            .into_iter()
            .map(|child| said(child.wait_with_output().expect("dialogue finished")))
            .collect();
        let revoked = outcomes.iter().filter(|(ok, _, _)| *ok).count();
        assert_eq!(revoked, 1, "{outcomes:?}");
        assert!(
            outcomes
                .iter()
                .any(|(ok, _, err)| !ok && err.contains("last organizer token")),
            "{outcomes:?}"
        );
        assert_eq!(live_organizers(db).len(), 1);
    }
}

async fn tokens_are_created_listed_and_revoked_from_the_command_line(db: TestDb) {
    let app = db.app().await;
    let event = app.published_event(json!({})).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let (ok, token, log) = dialogue(
        &db,
        &[
            "token", "create", "--role", "checkin", "--event", &event, "--label", "Door 7",
        ],
    );
    assert!(ok, "{log}");
    let token = token.trim().to_owned();
    assert!(
        token.starts_with("dlg_chk_") && !token.contains(char::is_whitespace),
        "stdout holds the token alone: {token:?}"
    );
    let scan = |token: String| {
        let app = &app;
        let path = format!("/api/v1/events/{event}/checkins");
        async move {
            app.call(
                poem::http::Method::POST,
                &path,
                Some(&token),
                Some(&json!({"code": "garbage", "device": "d"})),
            )
            .await
        }
    };
    scan(token.clone()).await.expect(404);

    let (ok, listing, log) = dialogue(&db, &["token", "list"]);
    assert!(ok, "{log}");
    let hash = dialogue::domain::token::hash(&token);
    assert!(
        !listing.contains(&token) && !listing.contains(&hash),
        "{listing}"
    );
    let id = listing
        .lines()
        .find(|line| line.contains("Door 7"))
        .and_then(|line| line.split('\t').next())
        .expect("the new token is listed")
        .to_owned();

    let (ok, said, log) = dialogue(&db, &["token", "revoke", &id]);
    assert!(ok, "{log}");
    assert!(said.contains("revoked"), "{said}");
    scan(token).await.expect_problem(401);
    let (_, listing, _) = dialogue(&db, &["token", "list"]);
    let row = listing
        .lines()
        .find(|line| line.contains("Door 7"))
        .unwrap();
    assert!(
        row.rsplit('\t').next().is_some_and(|at| !at.is_empty()),
        "{row}"
    );

    let (ok, _, said) = dialogue(&db, &["token", "revoke", &uuid::Uuid::now_v7().to_string()]);
    assert!(!ok && said.contains("no token"), "{said}");

    // A label is one line; a bad one creates nothing.
    let (ok, printed, said) = dialogue(
        &db,
        &["token", "create", "--role", "organizer", "--label", "a\nb"],
    );
    assert!(
        !ok && printed.is_empty() && said.contains("label"),
        "{said}"
    );

    // The last live organizer token cannot be revoked; once there is another, it can.
    let (_, listing, _) = dialogue(&db, &["token", "list"]);
    let organizers: Vec<&str> = listing
        .lines()
        .filter(|line| line.contains("\torganizer\t"))
        .collect();
    assert_eq!(organizers.len(), 1, "{listing}");
    let first = organizers[0]
        .split('\t')
        .next()
        .unwrap_or_default()
        .to_owned();
    let (ok, _, said) = dialogue(&db, &["token", "revoke", &first]);
    assert!(!ok && said.contains("last organizer token"), "{said}");
    let organizers_only = format!("/api/v1/events/{event}/checkin-tokens");
    app.get_as(&organizers_only, &app.organizer)
        .await
        .expect(200);
    let (ok, _, log) = dialogue(
        &db,
        &[
            "token",
            "create",
            "--role",
            "organizer",
            "--label",
            "Programme team",
        ],
    );
    assert!(ok, "{log}");
    let (ok, _, log) = dialogue(&db, &["token", "revoke", &first]);
    assert!(ok, "{log}");
    app.get_as(&organizers_only, &app.organizer)
        .await
        .expect_problem(401);

    simultaneous_revocations_keep_an_organizer(&db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_the_command_line_sqlite() {
    run(
        Backend::Sqlite,
        tokens_are_created_listed_and_revoked_from_the_command_line,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_the_command_line_postgres() {
    run(
        Backend::Postgres,
        tokens_are_created_listed_and_revoked_from_the_command_line,
    )
    .await;
}

/// How many PostgreSQL backends of the test database wait for a lock.
async fn waiting_on_locks(app: &crate::helpers::TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        ))
        .await
        .expect("pg_stat_activity")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("count")
}

/// Two `keys rotate` processes at the same moment, several rounds: both succeed, each adds
/// a key, and exactly one key (the newest) is active afterwards. A transaction on another
/// connection holds the key rows' lock (SQLite: the write lock) while both processes start,
/// so both are inside `rotate` before either can write.
async fn simultaneous_rotations_leave_one_active_key(db: TestDb) {
    use entities::signing_keys::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::{EntityTrait, TransactionTrait};
    let app = db.app().await;
    let other = app.other_connection().await;
    for round in 0..3 {
        let keys = Entity::find().all(&app.state.db).await.unwrap();
        let newest = keys.iter().map(|k| k.kid).max().expect("a key");
        let held = other.begin().await.unwrap();
        Entity::update_many()
            .col_expr(Column::Active, Expr::col(Column::Active))
            .exec(&held)
            .await
            .unwrap();
        let children: Vec<_> = (0..2)
            .map(|_| {
                command(&db, &["keys", "rotate"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start the dialogue binary")
            })
            .collect();
        if db.backend == Backend::Postgres {
            // Both processes wait for the held lock (up to 20 s, then go on regardless).
            for _ in 0..200 {
                if waiting_on_locks(&app).await >= 2 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        } else {
            // SQLite shows no waiters: give both processes time to start and reach `rotate`.
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
        held.commit().await.unwrap();
        let outcomes: Vec<_> = children
            .into_iter()
            .map(|child| said(child.wait_with_output().expect("dialogue finished")))
            .collect();
        assert!(
            outcomes.iter().all(|(ok, _, _)| *ok),
            "round {round}: {outcomes:?}"
        );
        let keys = Entity::find().all(&app.state.db).await.unwrap();
        let mut kids: Vec<i32> = keys.iter().map(|k| k.kid).collect();
        kids.sort_unstable();
        assert_eq!(kids.last(), Some(&(newest + 2)), "two keys added: {kids:?}");
        let active: Vec<i32> = keys.iter().filter(|k| k.active).map(|k| k.kid).collect();
        assert_eq!(active, vec![newest + 2], "{keys:?}");
        let keyring = app
            .state
            .reload_keys()
            .await
            .expect("a running instance still finds an active key");
        assert_eq!(i32::from(keyring.active_kid), newest + 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_key_rotations_sqlite() {
    run(Backend::Sqlite, simultaneous_rotations_leave_one_active_key).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_key_rotations_postgres() {
    run(
        Backend::Postgres,
        simultaneous_rotations_leave_one_active_key,
    )
    .await;
}

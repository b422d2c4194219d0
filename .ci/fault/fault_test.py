"""Fault test of Dialogue: what the service acknowledged survives its process and its database
failing under load, and it fails fast and recovers by itself.

1. sqlite   A mixed load from several threads (new registrations, each with its own
            Idempotency-Key; scans of pre-registered delegates' badges, who arrive at the venue
            spread over the run) while the server is killed with SIGKILL at random moments and
            restarted on the same data directory and port. A request that got no answer (a
            connection error, a 503) is retried as it was sent (same key, same nonce). Then the
            SQLite file is read directly: every registration answered 201 is stored, once, with
            its e-mail; no e-mail is stored twice among live registrations; every badge answered
            `ok` has its presence row; no badge has two admissions in one scope, neither in the
            answers nor in the audit log (`scans`). Any answer other than the specified ones is
            a violation too.
2. postgres The same on a fresh PostgreSQL database with SIGKILLs; then PostgreSQL itself is
            stopped for OUTAGE_SECONDS (longer than the 10 s a request may take, so waiting for
            the database shows as a hang) while the service runs under load: every request gets
            a fast answer (a 503 application/problem+json; a connection error, another 5xx or no
            answer within 10 s is a violation), and once PostgreSQL is back the running service
            answers normally again within 30 s. The same checks, with psql. PostgreSQL is
            always running again when the scenario ends.
3. sigterm  SIGTERM under load (registrations and agenda reads, a new connection each), in
            SIGTERM_ROUNDS rounds: every request fully sent before the signal gets a complete
            answer, the process exits with status 0 within 30 s, and every registration answered
            201 is stored.

Usage: fault_test.py [--only sqlite|postgres|sigterm] [--seconds N] [--seed N]
Environment: DIALOGUE_BIN, the server binary (default target/debug/dialogue). Prints progress
and a summary with figures; exits 1 on any violation.
"""

import argparse
import collections
import dataclasses
import datetime
import http.client
import json
import math
import os
import random
import secrets
import signal
import sqlite3
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zoneinfo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEZONE = "Asia/Ashgabat"
THREADS = 8
DELEGATES = 50
SQLITE_KILLS = 4
POSTGRES_KILLS = 3
HTTP_TIMEOUT = 10.0  # a request still unanswered after this long hangs
MAX_TRIES = 40  # tries of one request across a restart
RETRY_PAUSE = 0.25
START_LIMIT = 30.0  # seconds for the server to answer /healthz
OUTAGE_SECONDS = 12.0
PROBES = 4  # threads sending requests through the database outage
RECOVERY_LIMIT = 30.0
STEADY_SECONDS = 3.0  # only successes for this long after the last failure: recovered
SIGTERM_LOAD_SECONDS = 3.0
SIGTERM_ROUNDS = 5
EXIT_LIMIT = 30.0
LIVE_STATUSES = ("confirmed", "waitlisted", "pending")
SHOWN_VIOLATIONS = 10

T0 = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - T0:6.1f}s] {text}", flush=True)


class Broken(Exception):
    """The scenario cannot go on (the server does not start, the set-up is refused, ...)."""


@dataclasses.dataclass
class Result:
    """A scenario's figures and violations, for the summary."""

    name: str
    figures: dict = dataclasses.field(default_factory=dict)
    violations: list = dataclasses.field(default_factory=list)
    server_log: str = ""


# --- HTTP ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Attempt:
    """One HTTP exchange: when it started, was fully sent and ended; its answer or error."""

    kind: str
    started: float
    sent: float | None = None
    ended: float | None = None
    status: int | None = None
    content_type: str = ""
    replayed: bool = False
    body: bytes = b""
    error: str | None = None
    stage: str | None = None  # where the error happened: connecting, sending or receiving
    timed_out: bool = False
    allowed: bool = False  # an answer the specification allows (set by the reader)
    email: str | None = None

    @property
    def seconds(self):
        return self.ended - self.started

    def json(self):
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def describe(self):
        if self.status is None:
            return f"no answer ({self.error}, while {self.stage})"
        answer = self.json()
        detail = answer.get("detail") or answer.get("result") or self.body[:120].decode(errors="replace")
        return f"{self.status} {detail}"


class Client:
    """The HTTP/1.1 client of one thread: one keep-alive connection, reopened after any error,
    or a new connection for every request when `fresh`."""

    def __init__(self, port, fresh=False):
        self.port = port
        self.fresh = fresh
        self.conn = None

    def call(self, kind, method, path, body=None, headers=None):
        attempt = Attempt(kind, time.monotonic())
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"} if data is not None else {}
        all_headers.update(headers or {})
        stage = "connecting"
        try:
            if self.conn.sock is None:
                self.conn.connect()
            stage = "sending"
            self.conn.request(method, path, body=data, headers=all_headers)
            attempt.sent = time.monotonic()
            stage = "receiving"
            response = self.conn.getresponse()
            attempt.body = response.read()
            attempt.status = response.status
            attempt.content_type = response.getheader("Content-Type", "")
            attempt.replayed = response.getheader("Idempotent-Replayed") == "true"
        except (OSError, http.client.HTTPException) as err:
            attempt.error = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
            attempt.stage = stage
            attempt.timed_out = isinstance(err, TimeoutError)
            self.close()
        attempt.ended = time.monotonic()
        if self.fresh:
            self.close()
        return attempt

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the server process -------------------------------------------------------------------


class Server:
    """The service process, started, killed and restarted on the same database and port."""

    def __init__(self, binary, workdir, database_url=None):
        self.binary = binary
        self.port = free_port()
        self.token = "dlg_org_" + secrets.token_hex(20)
        self.data_dir = os.path.join(workdir, "data")
        os.makedirs(self.data_dir)
        self.log_path = os.path.join(workdir, "server.log")
        self.env = dict(os.environ)
        self.env.pop("DATABASE_URL", None)
        self.env.update(
            DATA_DIR=self.data_dir,
            BIND=f"127.0.0.1:{self.port}",
            RATE_LIMITS="off",
            DIALOGUE_ORGANIZER_TOKEN=self.token,
            RUST_LOG="warn",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process = None
        self.starts = 0

    @property
    def sqlite_path(self):
        return os.path.join(self.data_dir, "dialogue.db")

    def start(self):
        """Starts the process and waits for /healthz; answers the seconds it took."""
        began = time.monotonic()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [self.binary, "serve"], env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        self.starts += 1
        while time.monotonic() < began + START_LIMIT:
            if self.process.poll() is not None:
                raise Broken(f"the server exited with status {self.process.returncode} on start {self.starts}")
            if self.healthy():
                return time.monotonic() - began
            time.sleep(0.05)
        raise Broken(f"the server did not answer /healthz within {START_LIMIT:.0f} s of start {self.starts}")

    def healthy(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def expect_running(self, when):
        if not self.running():
            raise Broken(f"the server exited by itself with status {self.process.returncode} {when}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self):
        self.process.send_signal(signal.SIGTERM)

    def stop(self):
        """Ends the process if it runs: SIGTERM, SIGKILL after 15 s."""
        if not self.running():
            return
        self.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            say("the server did not exit within 15 s of SIGTERM: SIGKILL")
            self.kill()

    def log_tail(self, lines=15):
        if not os.path.exists(self.log_path):
            return "the server was not started"
        with open(self.log_path, errors="replace") as log:
            tail = log.readlines()[-lines:]
        return "server log tail:\n    " + "    ".join(tail) if tail else "the server log is empty"


# --- the service's API --------------------------------------------------------------------


@dataclasses.dataclass
class Fixture:
    """A published event, a check-in token of it and its pre-registered delegates' badges."""

    event_id: str
    checkin_token: str
    badges: list  # (registration id, badge code)

    @property
    def registrations_path(self):
        return f"/api/v1/events/{self.event_id}/registrations"

    @property
    def checkins_path(self):
        return f"/api/v1/events/{self.event_id}/checkins"

    @property
    def agenda_path(self):
        return f"/api/v1/events/{self.event_id}/agenda"

    @property
    def scanner(self):
        return {"Authorization": f"Bearer {self.checkin_token}"}


def registration_body(email):
    return {
        "full_name": "Fault Test",
        "email": email,
        "organization": "Dialogue fault test",
        "country": "Turkmenistan",
        "category": "delegate",
        "session_ids": [],
        "locale": "en",
        "consent": True,
    }


def expect(attempt, status):
    if attempt.status != status:
        raise Broken(f"set-up, {attempt.kind}: expected {status}, got {attempt.describe()}")
    return attempt.json()


def set_up_event(server, delegates):
    """An event from today to tomorrow in its zone, published, with a check-in token and
    `delegates` confirmed registrations whose badge codes are known."""
    client = Client(server.port)
    organizer = {"Authorization": f"Bearer {server.token}"}
    today = datetime.datetime.now(zoneinfo.ZoneInfo(TIMEZONE)).date()
    event = {
        "slug": f"fault-{secrets.token_hex(4)}",
        "title": "Fault test",
        "timezone": TIMEZONE,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=1)).isoformat(),
        "capacity": None,
    }
    event_id = expect(client.call("create event", "POST", "/api/v1/events", event, organizer), 201)["id"]
    expect(client.call("publish", "POST", f"/api/v1/events/{event_id}/publish", None, organizer), 200)
    token = expect(
        client.call("check-in token", "POST", f"/api/v1/events/{event_id}/checkin-tokens",
                    {"label": "fault test"}, organizer),
        201,
    )["token"]
    fixture = Fixture(event_id, token, [])
    for number in range(delegates):
        created = expect(
            client.call(
                "pre-registration", "POST", fixture.registrations_path,
                registration_body(f"delegate-{number}@example.org"), {"Idempotency-Key": str(uuid.uuid4())},
            ),
            201,
        )
        delegate = {"Authorization": f"Bearer {created['manage_token']}"}
        me = expect(client.call("badge code", "GET", "/api/v1/registrations/me", None, delegate), 200)
        fixture.badges.append((created["id"], me["badge_code"]))
    client.close()
    return fixture


def scope_of(answer):
    """The presence scope of a venue scan's answer: its local day (`checked_in_at` is in the
    event's zone)."""
    return "day:" + answer["checked_in_at"][:10]


# --- what the service acknowledged --------------------------------------------------------


class Ledger:
    """What the service acknowledged during a load, recorded from several threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.acknowledged = 0  # 2xx answers
        self.resent = 0  # requests sent again after no answer or a 503
        self.replayed = 0  # 201s replayed to a resent registration
        self.unacknowledged = 0  # requests given up without an answer
        self.registrations = {}  # registration id -> e-mail, of every 201
        self.admissions = collections.defaultdict(set)  # (registration id, scope) -> nonces answered ok
        self.unexpected = []

    def count(self, attempt, resent=False):
        with self.lock:
            self.sent += 1
            self.resent += resent
            if attempt.status is not None and 200 <= attempt.status < 300:
                self.acknowledged += 1

    def read_registration(self, attempt):
        """Records a 201; answers whether the answer is the specified one."""
        if attempt.status != 201:
            return False
        with self.lock:
            self.registrations[attempt.json()["id"]] = attempt.email
            self.replayed += attempt.replayed
        return True

    def read_scan(self, attempt, registration_id, nonce):
        """Records an admission; answers whether the answer is `ok` or `already_checked_in`
        for this badge."""
        answer = attempt.json()
        if (answer.get("registration") or {}).get("id") != registration_id:
            return False
        if attempt.status == 200 and answer.get("result") == "ok":
            with self.lock:
                self.admissions[(registration_id, scope_of(answer))].add(nonce)
            return True
        return attempt.status == 409 and answer.get("result") == "already_checked_in"

    def note_unexpected(self, text):
        with self.lock:
            self.unexpected.append(text)

    def give_up(self):
        with self.lock:
            self.unacknowledged += 1


def send_until_answered(client, ledger, kind, method, path, body, headers):
    """Sends one request until the service answers it, resending it as it was (same key, same
    nonce) after a connection error or a 503. Answers (the answering attempt, whether it was a
    retry), or None when the request got no answer (a timeout, or too many tries)."""
    for tries in range(MAX_TRIES):
        attempt = client.call(kind, method, path, body, headers)
        ledger.count(attempt, resent=tries > 0)
        if attempt.timed_out:
            break
        if attempt.status is not None and attempt.status != 503:
            return attempt, tries > 0
        time.sleep(RETRY_PAUSE)
    ledger.give_up()
    return None


def register(client, fixture, ledger, email):
    sent = send_until_answered(
        client, ledger, "registration", "POST", fixture.registrations_path,
        registration_body(email), {"Idempotency-Key": str(uuid.uuid4())},
    )
    if sent is None:
        return
    attempt, retried = sent
    attempt.email = email
    if not ledger.read_registration(attempt):
        again = " (resent with its Idempotency-Key)" if retried else ""
        ledger.note_unexpected(f"registration of {email}{again} answered {attempt.describe()}")


def scan(client, fixture, ledger, device, badge):
    registration_id, code = badge
    nonce = uuid.uuid4().hex
    body = {"code": code, "device": device, "nonce": nonce}
    sent = send_until_answered(client, ledger, "scan", "POST", fixture.checkins_path, body, fixture.scanner)
    if sent is None:
        return
    attempt, retried = sent
    if not ledger.read_scan(attempt, registration_id, nonce):
        again = " (resent with its nonce)" if retried else ""
        ledger.note_unexpected(f"scan of badge {registration_id}{again} answered {attempt.describe()}")


# --- load with SIGKILLs -------------------------------------------------------------------


def load_worker(index, rng, port, fixture, ledger, began, seconds, stop):
    """Registrations and scans, half each. Delegates arrive spread over the run: at a moment
    the badges of the first delegates in proportion to the time passed are at the venue, so
    first admissions happen throughout the run, kills included."""
    client = Client(port)
    number = 0
    while not stop.is_set():
        if rng.random() < 0.5:
            register(client, fixture, ledger, f"load-{index}-{number}@example.org")
        else:
            share = (time.monotonic() - began) / seconds
            arrived = max(1, min(len(fixture.badges), math.ceil(len(fixture.badges) * share)))
            scan(client, fixture, ledger, f"door-{index}", rng.choice(fixture.badges[:arrived]))
        number += 1
    client.close()


def start_threads(count, rng, target, *args):
    """Starts `count` threads running target(index, a random generator of its own, *args)."""
    threads = [
        threading.Thread(target=target, args=(index, random.Random(rng.random()), *args)) for index in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads


def stop_threads(stop, threads):
    stop.set()
    for thread in threads:
        thread.join()


def sleep_until(moment):
    time.sleep(max(0.0, moment - time.monotonic()))


def load_with_kills(server, fixture, ledger, kills, seconds, rng, result):
    """Runs the load for `seconds`; SIGKILLs the server at a random moment of each of `kills`
    equal slots and restarts it after a random gap."""
    stop = threading.Event()
    began = time.monotonic()
    workers = start_threads(THREADS, rng, load_worker, server.port, fixture, ledger, began, seconds, stop)
    result.figures.update(kills=0, restarts=0)
    try:
        slot = seconds / kills
        for number in range(kills):
            sleep_until(began + slot * (number + rng.uniform(0.15, 0.75)))
            server.expect_running("under load")
            server.kill()
            result.figures["kills"] += 1
            say(f"kill -9 #{number + 1} after {ledger.sent} requests ({ledger.acknowledged} acknowledged)")
            time.sleep(rng.uniform(0.1, 1.0))
            took = server.start()
            result.figures["restarts"] += 1
            say(f"restarted in {took:.2f} s")
        sleep_until(began + seconds)
        server.expect_running("under load")
    finally:
        stop_threads(stop, workers)
    say(f"load done: {ledger.sent} requests, {ledger.acknowledged} acknowledged, "
        f"{len(ledger.registrations)} registrations, {len(ledger.admissions)} admissions")


def load_figures(ledger, result):
    result.figures = {
        "requests sent": ledger.sent,
        "2xx acknowledged": ledger.acknowledged,
        **result.figures,
        "resent": ledger.resent,
        "201 replayed to a resent registration": ledger.replayed,
        "never answered": ledger.unacknowledged,
    }
    result.violations += [f"unexpected answer: {text}" for text in ledger.unexpected]


# --- the database, read directly ----------------------------------------------------------


class SqliteStore:
    def __init__(self, path):
        self.path = path

    def rows(self, sql):
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()


class PostgresStore:
    def __init__(self, database):
        self.database = database

    def rows(self, sql):
        output = psql(self.database, sql)
        return [tuple(line.split("\t")) for line in output.splitlines()]


def as_uuid(value):
    """A uuid column's value as text: SQLite keeps 16 bytes, psql prints text."""
    return str(uuid.UUID(bytes=value) if isinstance(value, bytes) else uuid.UUID(value))


def check_store(store, fixture, ledger, result):
    """Every acknowledged registration stored once with its e-mail, no e-mail twice, every
    admission with its presence row, at most one admission per badge and scope."""
    event = fixture.event_id
    registrations = [
        (as_uuid(id_), email, status)
        for id_, event_id, email, status in store.rows(
            "SELECT id, event_id, email_normalized, status FROM registrations")
        if as_uuid(event_id) == event
    ]
    ids = collections.Counter(id_ for id_, _, _ in registrations)
    email_of = {id_: email for id_, email, _ in registrations}
    live_emails = collections.Counter(email for _, email, status in registrations if status in LIVE_STATUSES)
    presence = {
        (as_uuid(reg), scope)
        for reg, scope, event_id in store.rows("SELECT registration_id, scope, event_id FROM presence")
        if as_uuid(event_id) == event
    }
    admission_scans = collections.Counter(
        (as_uuid(reg), scope)
        for reg, scope, event_id in store.rows("SELECT registration_id, scope, event_id FROM scans WHERE admission")
        if as_uuid(event_id) == event
    )
    lost = [f"registration {id_} ({email}) was answered 201 but is not stored"
            for id_, email in ledger.registrations.items() if id_ not in ids]
    lost += [f"badge {reg} was answered ok in {scope} but has no presence row"
             for reg, scope in ledger.admissions if (reg, scope) not in presence]
    duplicated = [f"registration {id_} is stored {n} times" for id_, n in ids.items() if n > 1]
    duplicated += [f"e-mail {email} is stored {n} times among live registrations"
                   for email, n in live_emails.items() if n > 1]
    duplicated += [f"badge {reg} has {n} admission scans in {scope}"
                   for (reg, scope), n in admission_scans.items() if n > 1]
    duplicated += [f"badge {reg} was answered ok {len(nonces)} times in {scope} (scans with different nonces)"
                   for (reg, scope), nonces in ledger.admissions.items() if len(nonces) > 1]
    mismatched = [f"registration {id_} is stored with e-mail {email_of[id_]}, answered for {email}"
                  for id_, email in ledger.registrations.items() if id_ in ids and email_of[id_] != email.lower()]
    result.figures.update({
        "registrations checked": len(ledger.registrations),
        "admissions checked": len(ledger.admissions),
        "registrations stored": len(registrations),
        "lost": len(lost),
        "duplicated": len(duplicated),
    })
    result.violations += lost + duplicated + mismatched
    say(f"database checked: {len(ledger.registrations)} registrations, {len(ledger.admissions)} admissions, "
        f"lost {len(lost)}, duplicated {len(duplicated)}")


# --- PostgreSQL ---------------------------------------------------------------------------


def psql(database, sql):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout


def cluster(action):
    """pg_ctlcluster ACTION on the newest installed PostgreSQL's main cluster."""
    version = max(os.listdir("/etc/postgresql"),
                  key=lambda name: [int(part) for part in name.split(".") if part.isdigit()])
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True, capture_output=True, text=True, timeout=120,
    )


def postgres_ready():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def ensure_postgres_running():
    if postgres_ready():
        return
    say("PostgreSQL is down: starting it")
    cluster("start")
    deadline = time.monotonic() + 30
    while not postgres_ready() and time.monotonic() < deadline:
        time.sleep(0.5)


def probe_worker(index, rng, port, fixture, ledger, attempts, lock, stop):
    """Single tries through the outage: registrations and scans (which need the database)."""
    client = Client(port)
    number = 0
    while not stop.is_set():
        if rng.random() < 0.5:
            email = f"outage-{index}-{number}@example.org"
            attempt = client.call("registration", "POST", fixture.registrations_path,
                                  registration_body(email), {"Idempotency-Key": str(uuid.uuid4())})
            attempt.email = email
            attempt.allowed = ledger.read_registration(attempt)
        else:
            registration_id, code = rng.choice(fixture.badges)
            nonce = uuid.uuid4().hex
            attempt = client.call("scan", "POST", fixture.checkins_path,
                                  {"code": code, "device": f"probe-{index}", "nonce": nonce}, fixture.scanner)
            attempt.allowed = ledger.read_scan(attempt, registration_id, nonce)
        ledger.count(attempt)
        with lock:
            attempts.append(attempt)
        number += 1
        time.sleep(0.05)
    client.close()


def recovery_moment(attempts, lock, up):
    """Waits until requests sent after PostgreSQL is back at `up` (registrations and scans)
    have only succeeded for STEADY_SECONDS; answers the end of the first of those successes,
    or None when failures go on past RECOVERY_LIMIT."""
    while True:
        now = time.monotonic()
        with lock:
            since = [a for a in attempts if a.started >= up]
        last_failure = max((a.ended for a in since if not a.allowed), default=up)
        after = [a for a in since if a.allowed and a.started >= last_failure]
        if {a.kind for a in after} == {"registration", "scan"} and now - last_failure >= STEADY_SECONDS:
            return min(a.ended for a in after)
        if last_failure - up > RECOVERY_LIMIT or now - up > RECOVERY_LIMIT + STEADY_SECONDS:
            return None
        time.sleep(0.2)


def outage_violation(attempt):
    """What is wrong with an answer given during the outage, or None."""
    if attempt.timed_out:
        return f"{attempt.kind}: no answer within {HTTP_TIMEOUT:.0f} s"
    if attempt.status is None:
        return f"{attempt.kind}: connection error to the service: {attempt.error}"
    if attempt.status == 503 and not attempt.content_type.startswith("application/problem+json"):
        return f"{attempt.kind}: 503 with Content-Type {attempt.content_type!r}, not application/problem+json"
    if attempt.status != 503 and not attempt.allowed:
        return f"{attempt.kind}: {attempt.describe()}"
    return None


def slowest(attempts):
    """The longest wait for an answer."""
    if any(a.timed_out for a in attempts):
        return f"> {HTTP_TIMEOUT:.0f} s (no answer)"
    answered = [a for a in attempts if a.status is not None]
    if not answered:
        return "none answered"
    longest = max(answered, key=lambda a: a.seconds)
    return f"{longest.seconds:.3f} s ({longest.kind}, {longest.status})"


def tally(attempts):
    """How many attempts got each status (or timed out, or failed to connect), e.g. `503×12 timeout×2`."""
    counts = collections.Counter(
        str(a.status) if a.status is not None else "timeout" if a.timed_out else "connection error" for a in attempts
    )
    return " ".join(f"{outcome}×{n}" for outcome, n in sorted(counts.items())) or "none"


def database_outage(server, fixture, ledger, rng, result):
    """Stops PostgreSQL for OUTAGE_SECONDS under probes, starts it again and waits for the
    running service to recover; judges every answer."""
    attempts, lock, stop = [], threading.Lock(), threading.Event()
    probes = start_threads(PROBES, rng, probe_worker, server.port, fixture, ledger, attempts, lock, stop)
    try:
        time.sleep(1.0)
        stopping = time.monotonic()
        cluster("stop")
        down = time.monotonic()
        say(f"PostgreSQL stopped ({down - stopping:.1f} s); down for {OUTAGE_SECONDS:.0f} s")
        time.sleep(OUTAGE_SECONDS)
        cluster("start")
        up = time.monotonic()
        say(f"PostgreSQL started again ({up - down - OUTAGE_SECONDS:.1f} s); waiting for the service to recover")
        recovered = recovery_moment(attempts, lock, up)
        server.expect_running("during the database outage")
    finally:
        stop_threads(stop, probes)
    window_end = recovered if recovered is not None else time.monotonic()
    during = [a for a in attempts if a.ended >= stopping and a.started < window_end]
    after = [a for a in attempts if a.started >= window_end]
    unavailable = [a for a in during if a.status == 503]
    result.figures.update({
        "outage requests": len(during),
        "outage answers": tally(during),
        "503 answers": len(unavailable),
        "slowest outage answer": slowest(during),
        "recovered after": f"{recovered - up:.2f} s" if recovered is not None else "never",
    })
    result.violations += [f"during the outage: {text}" for text in filter(None, map(outage_violation, during))]
    result.violations += [f"after recovery: {a.kind}: {a.describe()}" for a in after if not a.allowed]
    if not unavailable:
        result.violations.append("no request was answered 503 while PostgreSQL was down")
    if recovered is None:
        result.violations.append(f"the service did not recover within {RECOVERY_LIMIT:.0f} s of PostgreSQL's return")
    say(f"outage: {len(during)} requests ({result.figures['outage answers']}), "
        f"slowest answer {result.figures['slowest outage answer']}, "
        f"recovered after {result.figures['recovered after']}")


# --- the scenarios ------------------------------------------------------------------------


def scenario_sqlite(binary, seconds, rng):
    result = Result("sqlite")
    with tempfile.TemporaryDirectory(prefix="dialogue-fault-") as workdir:
        server = Server(binary, workdir)
        try:
            server.start()
            fixture = set_up_event(server, DELEGATES)
            say(f"SQLite: event {fixture.event_id}; load {seconds:.0f} s, {SQLITE_KILLS} kills")
            ledger = Ledger()
            try:
                load_with_kills(server, fixture, ledger, SQLITE_KILLS, seconds, rng, result)
            except Broken as err:
                result.violations.append(str(err))
            load_figures(ledger, result)
            server.stop()
            check_store(SqliteStore(server.sqlite_path), fixture, ledger, result)
        except Broken as err:
            result.violations.append(str(err))
        finally:
            server.stop()
            result.server_log = server.log_tail()
    return result


def scenario_postgres(binary, seconds, rng):
    result = Result("postgres")
    database = f"dialogue_fault_{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="dialogue-fault-") as workdir:
        server = Server(binary, workdir, f"postgres://postgres@127.0.0.1:5432/{database}")
        try:
            psql("postgres", f"CREATE DATABASE {database}")
            server.start()
            fixture = set_up_event(server, DELEGATES)
            say(f"PostgreSQL {database}: event {fixture.event_id}; load {seconds:.0f} s, "
                f"{POSTGRES_KILLS} kills, then an outage")
            ledger = Ledger()
            try:
                load_with_kills(server, fixture, ledger, POSTGRES_KILLS, seconds, rng, result)
                database_outage(server, fixture, ledger, rng, result)
            except Broken as err:
                result.violations.append(str(err))
            finally:
                ensure_postgres_running()
            load_figures(ledger, result)
            server.stop()
            check_store(PostgresStore(database), fixture, ledger, result)
        except Broken as err:
            result.violations.append(str(err))
        except subprocess.CalledProcessError as err:
            result.violations.append(f"{' '.join(err.cmd)} failed: {err.stderr.strip()}")
        finally:
            server.stop()
            result.server_log = server.log_tail()
            ensure_postgres_running()
            psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return result


def drain_worker(index, rng, port, fixture, attempts, lock, stop):
    """Registrations and agenda reads, a new connection for each, until told to stop."""
    client = Client(port, fresh=True)
    number = 0
    while not stop.is_set():
        if rng.random() < 0.5:
            email = f"drain-{index}-{number}@example.org"
            attempt = client.call("registration", "POST", fixture.registrations_path,
                                  registration_body(email), {"Idempotency-Key": str(uuid.uuid4())})
            attempt.email = email
        else:
            attempt = client.call("agenda", "GET", fixture.agenda_path)
        with lock:
            attempts.append(attempt)
        if attempt.stage == "connecting":
            time.sleep(0.02)
        number += 1


def sigterm_under_load(server, fixture, load_seconds, rng):
    """SIGTERM after `load_seconds` while THREADS threads send requests, which go on until the
    process has exited. Answers the attempts, when the signal was sent, the exit status (None:
    still running after EXIT_LIMIT, then killed) and the seconds to exit."""
    attempts, lock, stop = [], threading.Lock(), threading.Event()
    workers = start_threads(THREADS, rng, drain_worker, server.port, fixture, attempts, lock, stop)
    try:
        time.sleep(load_seconds)
        signalled = time.monotonic()
        server.terminate()
        try:
            code = server.process.wait(EXIT_LIMIT)
        except subprocess.TimeoutExpired:
            code = None
            server.kill()
        took = time.monotonic() - signalled
        time.sleep(0.5)
    finally:
        stop_threads(stop, workers)
    return attempts, signalled, code, took


def judge_drain(attempts, signalled, result):
    """Adds a round's figures to the scenario's; every request fully sent before SIGTERM must
    have got a complete answer."""
    before = [a for a in attempts if a.sent is not None and a.sent < signalled]
    in_flight = [a for a in before if a.ended > signalled]
    counts = {
        "requests sent": len(attempts),
        "in flight at SIGTERM": len(in_flight),
        "in flight answered": sum(a.status is not None for a in in_flight),
        "answered": sum(a.status is not None for a in attempts),
        "refused at connect": sum(a.stage == "connecting" for a in attempts),
        "no answer, sent after SIGTERM": sum(
            a.status is None and a.stage != "connecting" and (a.sent is None or a.sent >= signalled) for a in attempts
        ),
    }
    for name, count in counts.items():
        result.figures[name] = result.figures.get(name, 0) + count
    result.violations += [
        f"{a.kind} sent {(signalled - a.sent) * 1000:.0f} ms before SIGTERM got no complete answer: "
        f"{a.error} (while {a.stage})"
        for a in before
        if a.status is None
    ]
    return counts


def scenario_sigterm(binary, seconds, rng):
    """SIGTERM_ROUNDS rounds on one data directory (a lost request is a race of milliseconds,
    so one round may miss it)."""
    result = Result("sigterm")
    exits, created = [], {}
    with tempfile.TemporaryDirectory(prefix="dialogue-fault-") as workdir:
        server = Server(binary, workdir)
        try:
            server.start()
            fixture = set_up_event(server, 0)
            for round_ in range(1, SIGTERM_ROUNDS + 1):
                if round_ > 1:
                    server.start()
                load_seconds = min(SIGTERM_LOAD_SECONDS, seconds)
                attempts, signalled, code, took = sigterm_under_load(server, fixture, load_seconds, rng)
                counts = judge_drain(attempts, signalled, result)
                exits.append(f"{code} in {took:.2f} s" if code is not None else f"none in {EXIT_LIMIT:.0f} s")
                if code is None:
                    result.violations.append(f"round {round_}: the process did not exit within {EXIT_LIMIT:.0f} s")
                elif code != 0:
                    result.violations.append(f"round {round_}: the process exited with status {code} after SIGTERM")
                created.update({a.json()["id"]: a.email for a in attempts if a.status == 201})
                say(f"round {round_}: SIGTERM with {counts['in flight at SIGTERM']} requests in flight "
                    f"({counts['in flight answered']} answered), {counts['refused at connect']} refused at connect; "
                    f"exit {exits[-1]}")
            stored = {as_uuid(id_) for (id_,) in SqliteStore(server.sqlite_path).rows("SELECT id FROM registrations")}
            missing = [f"registration {id_} ({email}) was answered 201 but is not stored"
                       for id_, email in created.items() if id_ not in stored]
            result.figures.update({"exit codes": ", ".join(exits), "registrations checked": len(created),
                                   "lost": len(missing)})
            result.violations += missing
        except Broken as err:
            result.violations.append(str(err))
        finally:
            server.stop()
            result.server_log = server.log_tail()
    return result


SCENARIOS = {"sqlite": scenario_sqlite, "postgres": scenario_postgres, "sigterm": scenario_sigterm}


def print_summary(results):
    print("\n=== fault test summary", flush=True)
    for result in results:
        verdict = "FAIL" if result.violations else "PASS"
        figures = " · ".join(f"{name} {value}" for name, value in result.figures.items())
        print(f"{result.name:9} {verdict}  {figures}")
        for violation in result.violations[:SHOWN_VIOLATIONS]:
            print(f"    - {violation}")
        if len(result.violations) > SHOWN_VIOLATIONS:
            print(f"    … and {len(result.violations) - SHOWN_VIOLATIONS} more violations")
        if result.violations:
            print(f"    {result.server_log}")
    failed = [r.name for r in results if r.violations]
    print(f"=== {'FAILED: ' + ', '.join(failed) if failed else 'all scenarios passed'}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SCENARIOS), help="run one scenario")
    parser.add_argument("--seconds", type=float, default=40.0, help="load duration of the kill scenarios (default 40)")
    parser.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    args = parser.parse_args()
    binary = os.path.join(ROOT, os.environ.get("DIALOGUE_BIN", "target/debug/dialogue"))
    if not os.access(binary, os.X_OK):
        sys.exit(f"no executable server binary at {binary} (set DIALOGUE_BIN)")
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    say(f"binary {binary}; seed {seed}; load {args.seconds:.0f} s")
    rng = random.Random(seed)
    results = []
    for name in [args.only] if args.only else list(SCENARIOS):
        say(f"--- scenario {name}")
        results.append(SCENARIOS[name](binary, args.seconds, random.Random(rng.random())))
    print_summary(results)
    sys.exit(1 if any(r.violations for r in results) else 0)


if __name__ == "__main__":
    main()

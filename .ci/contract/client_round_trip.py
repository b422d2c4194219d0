"""Drives the client that openapi-python-client generated from the served document through one
organizer's and one delegate's day: create an event, add a session, publish, register, check in,
read the agenda with its model. Every answer is parsed by the generated models; a field the
document declares wrongly fails here.

Usage: client_round_trip.py CLIENT_DIR BASE_URL ORGANIZER_TOKEN
"""

import datetime
import sys
import uuid

client_dir, base_url, organizer_token = sys.argv[1:4]
sys.path.insert(0, client_dir)

from dialogue_client import AuthenticatedClient, Client  # noqa: E402
from dialogue_client.api.agenda import get_agenda  # noqa: E402
from dialogue_client.api.checkins import check_in  # noqa: E402
from dialogue_client.api.events import create_event, get_event, publish_event  # noqa: E402
from dialogue_client.api.registrations import get_registration, register  # noqa: E402
from dialogue_client.api.sessions import create_session  # noqa: E402
from dialogue_client.models import (  # noqa: E402
    Agenda,
    CheckinRequest,
    CheckinResult,
    Event,
    NewEvent,
    NewRegistration,
    NewSession,
    Registration,
    RegistrationCreated,
    Session,
    SessionStatus,
)


def expect(response, status, model):
    if response.status_code != status or not isinstance(response.parsed, model):
        raise SystemExit(
            f"expected {status} {model.__name__}, got {response.status_code}: "
            f"{response.content[:500]!r}"
        )
    return response.parsed


organizer = AuthenticatedClient(base_url=base_url, token=organizer_token, raise_on_unexpected_status=True)
public = Client(base_url=base_url, raise_on_unexpected_status=True)

slug = f"contract-{uuid.uuid4().hex[:12]}"
today = datetime.date.today()
starts = today + datetime.timedelta(days=30)
event = expect(
    create_event.sync_detailed(
        client=organizer,
        body=NewEvent(
            slug=slug,
            title="Contract check seminar",
            starts_on=starts.isoformat(),
            ends_on=starts.isoformat(),
            capacity=10,
        ),
    ),
    201,
    Event,
)

tz = datetime.timezone(datetime.timedelta(hours=5))
session = expect(
    create_session.sync_detailed(
        slug,
        client=organizer,
        body=NewSession(
            title="Digital public services",
            starts_at=datetime.datetime.combine(starts, datetime.time(10, 0), tz),
            ends_at=datetime.datetime.combine(starts, datetime.time(11, 0), tz),
            status=SessionStatus.PUBLISHED,
            capacity=5,
        ),
    ),
    201,
    Session,
)

expect(publish_event.sync_detailed(slug, client=organizer), 200, Event)
expect(get_event.sync_detailed(slug, client=public), 200, Event)

created = expect(
    register.sync_detailed(
        slug,
        client=public,
        body=NewRegistration(
            full_name="Aýna Contract",
            email=f"{uuid.uuid4().hex[:8]}@example.org",
            consent=True,
            session_ids=[session.id],
        ),
    ),
    201,
    RegistrationCreated,
)
if str(created.status) != "confirmed":
    raise SystemExit(f"registration is {created.status}, expected confirmed")

registration = expect(
    get_registration.sync_detailed(slug, str(created.id), client=organizer), 200, Registration
)
if not isinstance(registration.badge_code, str):
    raise SystemExit("a confirmed registration has no badge code")

def scan_badge(status):
    """Scans the delegate's badge at the venue door; the answer is parsed by its model."""
    return expect(
        check_in.sync_detailed(
            slug,
            client=organizer,
            body=CheckinRequest(code=registration.badge_code, device="contract-door"),
        ),
        status,
        CheckinResult,
    )


for status, result in [(200, "ok"), (409, "already_checked_in")]:
    scan = scan_badge(status)
    if str(scan.result) != result:
        raise SystemExit(f"scan answered {scan.result}, expected {result}")

agenda = expect(get_agenda.sync_detailed(slug, client=public), 200, Agenda)
titles = [s.title for day in agenda.days for s in day.sessions]
if titles != ["Digital public services"] or agenda.event.slug != slug:
    raise SystemExit(f"agenda shows {titles} for {agenda.event.slug}")

print(f"client round trip: event {event.id}, session {session.id}, registration {created.id}: ok")

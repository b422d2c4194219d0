site-name = Dialogue
skip-to-content = Skip to content
nav-events = Events
language-switch = Language
lang-tk = Türkmençe
lang-ru = Русский
lang-en = English
times-in-zone = Times are shown in the event's time zone: { $zone }.

index-title = Events
index-lead = Seminars, training courses and the interregional Dialogue on digital cooperation.
index-upcoming = Upcoming
index-past = Past
index-empty = No events have been published yet.

event-dates = Dates
event-venue = Venue
event-languages = Languages
event-capacity = Places
event-capacity-unlimited = Not limited
event-status-cancelled = This event is cancelled.
event-register = Register
event-registration = Registration
registration-open = Registration is open.
registration-approval = Registration is open; the organizers confirm each registration.
registration-closed = Registration is closed.
registration-not-yet = Registration opens on { $date }.
registration-ended = Registration closed on { $date }.
event-agenda = Agenda
event-agenda-link = See the agenda
subscribe-title = Add the agenda to your calendar
subscribe-webcal = Subscribe in your calendar app
subscribe-google = Add to Google Calendar
subscribe-copy = Calendar address to copy

agenda-title = Agenda
agenda-filters = Filter the agenda
filter-day = Day
filter-track = Track
filter-room = Room
filter-language = Language of the session
filter-any = Any
filter-apply = Show
filter-reset = Show everything
agenda-empty = No sessions match these filters.
agenda-session-count = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
session-time = Time
session-room = Room
session-track = Track
session-speakers = Speakers
session-language = Language
session-cancelled = Cancelled

not-found-title = Page not found
not-found-text = There is no such page, or it is not public yet.
back-to-events = Back to the events

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-long = { $weekday }, { $day } { $month } { $year }
date-short = { $day } { $month } { $year }

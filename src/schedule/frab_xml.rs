//! `schedule.xml` in the frab/pentabarf format, valid against the c3voc `schedule.xml.xsd`
//! (`vendor/voc-schedule/`): `<conference>`, then one `<day>` per local day holding every room
//! in the same order, each with its `<event>`s.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{GENERATOR, Person, Schedule, TIMESLOT, Talk};

type Xml = Writer<Vec<u8>>;
type Written = Result<(), quick_xml::Error>;

/// The document, UTF-8.
pub fn render(schedule: &Schedule) -> Result<Vec<u8>, quick_xml::Error> {
    let mut w = Writer::new_with_indent(Vec::with_capacity(64 * 1024), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("schedule")
        .write_inner_content(|w| -> Written {
            w.create_element("generator")
                .with_attribute(("name", GENERATOR))
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_empty()?;
            text(w, "url", &schedule.url)?;
            text(w, "version", &schedule.version)?;
            conference(w, schedule)?;
            for day in &schedule.days {
                w.create_element("day")
                    .with_attribute(("index", day.index.to_string().as_str()))
                    .with_attribute(("date", day.date.to_string().as_str()))
                    .with_attribute(("start", day.start.to_rfc3339().as_str()))
                    .with_attribute(("end", day.end.to_rfc3339().as_str()))
                    .write_inner_content(|w| -> Written {
                        for (room, talks) in schedule.rooms.iter().zip(&day.rooms) {
                            w.create_element("room")
                                .with_attribute(("name", clean(&room.name).as_ref()))
                                .with_attribute(("guid", room.guid.to_string().as_str()))
                                .write_inner_content(|w| -> Written {
                                    for talk in talks {
                                        event(w, talk)?;
                                    }
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn conference(w: &mut Xml, schedule: &Schedule) -> Written {
    let c = &schedule.conference;
    w.create_element("conference")
        .write_inner_content(|w| -> Written {
            text(w, "acronym", &c.acronym)?;
            text(w, "title", &c.title)?;
            text(w, "start", &c.start.to_string())?;
            text(w, "end", &c.end.to_string())?;
            text(w, "days", &schedule.days.len().to_string())?;
            text(w, "timeslot_duration", TIMESLOT)?;
            text(w, "base_url", &schedule.base_url)?;
            text(w, "url", &c.url)?;
            text(w, "time_zone_name", &c.time_zone)?;
            for track in &schedule.tracks {
                let element = w
                    .create_element("track")
                    .with_attribute(("name", clean(&track.name).as_ref()));
                match &track.color {
                    Some(color) => element.with_attribute(("color", color.as_str())),
                    None => element,
                }
                .write_text_content(BytesText::new(&clean(&track.name)))?;
            }
            Ok(())
        })?;
    Ok(())
}

fn event(w: &mut Xml, talk: &Talk) -> Written {
    w.create_element("event")
        .with_attribute(("id", talk.id.to_string().as_str()))
        .with_attribute(("guid", talk.guid.to_string().as_str()))
        .write_inner_content(|w| -> Written {
            text(w, "date", &talk.start.to_rfc3339())?;
            text(w, "start", &talk.start_hhmm())?;
            text(w, "duration", &talk.duration())?;
            text(w, "room", &talk.room)?;
            text(w, "slug", &talk.slug)?;
            text(w, "url", &talk.url)?;
            text(w, "title", &talk.title)?;
            text(w, "subtitle", "")?;
            text(w, "track", talk.track.as_deref().unwrap_or(""))?;
            text(w, "type", &talk.kind)?;
            text(w, "language", &talk.language)?;
            text(w, "abstract", &talk.abstract_text)?;
            text(w, "description", "")?;
            w.create_element("persons")
                .write_inner_content(|w| -> Written {
                    for person in &talk.persons {
                        self::person(w, person)?;
                    }
                    Ok(())
                })?;
            w.create_element("links").write_empty()?;
            Ok(())
        })?;
    Ok(())
}

fn person(w: &mut Xml, person: &Person) -> Written {
    w.create_element("person")
        .with_attribute(("id", person.id.to_string().as_str()))
        .with_attribute(("guid", person.guid.to_string().as_str()))
        .write_text_content(BytesText::new(&clean(&person.name)))?;
    Ok(())
}

fn text(w: &mut Xml, name: &str, value: &str) -> Written {
    w.create_element(name)
        .write_text_content(BytesText::new(&clean(value)))?;
    Ok(())
}

/// Text without the characters XML 1.0 cannot carry (control characters other than tab and
/// line breaks); quick-xml escapes the markup characters.
fn clean(value: &str) -> Cow<'_, str> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if value.chars().all(allowed) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.chars().filter(|c| allowed(*c)).collect())
    }
}

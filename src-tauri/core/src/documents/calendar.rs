//! Calendar files (RFC 5545), written with the `icalendar` crate.
//!
//! Times are written in Europe/Copenhagen with its VTIMEZONE (see
//! [`super::zone`]); follow-up dates are whole days. The files are meant
//! to be synced to Outlook or Exchange, so they hold no sealed text:
//! titles come from the kind and the names alone.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

use super::zone;
use crate::{Error, Result};

/// When an entry is: a dialogue at a moment, or a follow-up on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    At { start: DateTime<Utc>, minutes: i64 },
    Day(NaiveDate),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Stable across exports, so a re-import updates the entry.
    pub uid: String,
    /// From the kind and names only, never from sealed content.
    pub title: String,
    pub when: When,
}

/// One calendar with these entries; `stamp` is DTSTAMP (when it was made).
pub fn write(entries: &[Entry], stamp: DateTime<Utc>) -> Result<String> {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Tillid//Tillid//DA"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .timezone(zone::TZID);
    for entry in entries {
        let mut event = Event::with_uid(&entry.uid);
        event.summary(&entry.title).timestamp(stamp);
        match &entry.when {
            When::At { start, minutes } => {
                let end = *start + Duration::minutes(*minutes);
                event
                    .starts(CalendarDateTime::WithTimezone {
                        date_time: zone::local(*start),
                        tzid: zone::TZID.to_string(),
                    })
                    .ends(CalendarDateTime::WithTimezone {
                        date_time: zone::local(end),
                        tzid: zone::TZID.to_string(),
                    });
            }
            When::Day(day) => {
                let next = day.succ_opt().ok_or(Error::InvalidDate {
                    field: "follow_up_on",
                })?;
                event.all_day(*day).ends(next);
                // A follow-up date is a reminder, not a meeting: free time.
                event.append_property(("TRANSP", "TRANSPARENT"));
            }
        }
        calendar.push(event.done());
    }
    // The crate writes a component it does not know (VTIMEZONE) with a
    // random UID and the wall clock's DTSTAMP, which RFC 5545 does not
    // allow there and which would make every export differ: the zone's
    // definition goes in as text, before the first event.
    let text = calendar.done().to_string();
    let at = text
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| text.find("END:VCALENDAR"))
        .ok_or(Error::InvalidInput { field: "calendar" })?;
    Ok(format!("{}{}{}", &text[..at], zone::VTIMEZONE, &text[at..]))
}

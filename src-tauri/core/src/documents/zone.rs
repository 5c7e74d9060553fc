//! Europe/Copenhagen, the zone calendar entries are written in.
//!
//! Denmark follows the EU rule since 1996: summer time (UTC+2) from the
//! last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
//! otherwise UTC+1. The rule is small enough to keep here, with the
//! matching VTIMEZONE, instead of a whole time-zone database.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

pub const TZID: &str = "Europe/Copenhagen";

/// The VTIMEZONE that goes with [`TZID`] in every calendar file.
pub const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Copenhagen\r\n\
X-LIC-LOCATION:Europe/Copenhagen\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    Some(day)
}

/// Whether summer time is in force in Copenhagen at this moment.
fn summer(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let switch = |month| {
        last_sunday(year, month)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    match (switch(3), switch(10)) {
        (Some(on), Some(off)) => at >= on && at < off,
        _ => false,
    }
}

/// The wall-clock time in Copenhagen at a moment.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    let hours = if summer(at) { 2 } else { 1 };
    (at + Duration::hours(hours)).naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn winter_is_one_hour_and_summer_two_ahead_switching_at_one_utc() {
        assert_eq!(
            local(at("2026-11-30T09:00:00Z")).to_string(),
            "2026-11-30 10:00:00"
        );
        assert_eq!(
            local(at("2026-06-01T08:00:00Z")).to_string(),
            "2026-06-01 10:00:00"
        );
        // 2026: summer time 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            local(at("2026-03-29T00:59:00Z")).to_string(),
            "2026-03-29 01:59:00"
        );
        assert_eq!(
            local(at("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 03:00:00"
        );
        assert_eq!(
            local(at("2026-10-25T00:59:00Z")).to_string(),
            "2026-10-25 02:59:00"
        );
        assert_eq!(
            local(at("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 02:00:00"
        );
    }
}

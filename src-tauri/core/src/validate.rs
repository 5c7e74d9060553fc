//! Checks on what people type, before anything touches the database.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{Error, Result};

pub const NAME_MAX: usize = 100;
pub const SHORT_TEXT_MAX: usize = 2_000;
pub const NOTE_MAX: usize = 20_000;
pub const PASSPHRASE_MIN: usize = 8;
pub const PASSPHRASE_MAX: usize = 1_024;
/// A search is a few words; longer input is refused before any work.
pub const SEARCH_MAX: usize = 200;
/// Setup and recovery codes are 10 or 20 letters; typed with some spaces.
pub const CODE_MAX: usize = 64;

/// A typed passphrase too long to be one is refused before Argon2 runs.
pub fn passphrase_length(pass: &str) -> Result<()> {
    if pass.chars().count() > PASSPHRASE_MAX {
        return Err(Error::TextTooLong {
            field: "passphrase",
            max: PASSPHRASE_MAX,
        });
    }
    Ok(())
}

/// Likewise for a typed setup or recovery code.
pub fn code_length(code: &str) -> Result<()> {
    if code.chars().count() > CODE_MAX {
        return Err(Error::TextTooLong {
            field: "code",
            max: CODE_MAX,
        });
    }
    Ok(())
}

/// Dates outside this range are typing mistakes, not plans.
const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2200;

/// Trims the text and checks it is present and within `max` characters.
pub fn required_text(field: &'static str, text: &str, max: usize) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::EmptyText { field });
    }
    if trimmed.chars().count() > max {
        return Err(Error::TextTooLong { field, max });
    }
    Ok(trimmed.to_owned())
}

/// Like [`required_text`], but empty text means "none".
pub fn optional_text(
    field: &'static str,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => required_text(field, t, max).map(Some),
    }
}

pub fn passphrase(pass: &str) -> Result<()> {
    let n = pass.chars().count();
    if n < PASSPHRASE_MIN {
        return Err(Error::WeakPassphrase {
            min: PASSPHRASE_MIN,
        });
    }
    if n > PASSPHRASE_MAX {
        return Err(Error::TextTooLong {
            field: "passphrase",
            max: PASSPHRASE_MAX,
        });
    }
    Ok(())
}

/// A calendar date as `YYYY-MM-DD`.
pub fn date(field: &'static str, text: &str) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::InvalidDate { field })?;
    in_range(field, d)
}

pub fn optional_date(field: &'static str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => date(field, t).map(Some),
    }
}

/// A moment as RFC 3339 with an offset; stored in UTC.
pub fn moment(field: &'static str, text: &str) -> Result<DateTime<Utc>> {
    let m = DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| Error::InvalidDate { field })?
        .with_timezone(&Utc);
    in_range(field, m.date_naive())?;
    Ok(m)
}

fn in_range(field: &'static str, d: NaiveDate) -> Result<NaiveDate> {
    use chrono::Datelike;
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(Error::InvalidDate { field })
    }
}

/// The one text form of moments in the database: sortable as text.
pub fn format_moment(m: DateTime<Utc>) -> String {
    m.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(required_text("text", "  hej ", 10).unwrap(), "hej");
        assert!(matches!(
            required_text("text", " \n ", 10),
            Err(Error::EmptyText { field: "text" })
        ));
        assert!(matches!(
            required_text("text", &"æ".repeat(11), 10),
            Err(Error::TextTooLong { max: 10, .. })
        ));
        // Limits count characters, not bytes: Danish letters are two bytes.
        assert!(required_text("text", &"ø".repeat(10), 10).is_ok());
    }

    #[test]
    fn nonsense_dates_are_refused() {
        assert!(date("d", "2026-02-30").is_err());
        assert!(date("d", "30-01-2026").is_err());
        assert!(date("d", "0026-01-01").is_err());
        assert!(date("d", "2026-12-01").is_ok());
        assert!(moment("m", "2026-12-01T09:00").is_err());
        assert_eq!(
            format_moment(moment("m", "2026-12-01T10:00:00+01:00").unwrap()),
            "2026-12-01T09:00:00Z"
        );
    }
}

//! Documents that leave Tillid as files: a dialogue's summary as one
//! standalone HTML page, and calendar entries as iCalendar (RFC 5545).
//!
//! Their words live here, in Danish and English, rather than in the UI's
//! catalogs: the file is built whole by the core (the page never writes
//! files), and the core's tests can then check every label in both
//! languages and the escaping of every text without a browser.

pub mod calendar;
pub mod html;
pub mod words;
pub mod zone;

pub use words::Lang;

//! The one seam every piece of content text passes through on its way to
//! and from the database. Today it stores text as it is, tagged with a
//! format byte; encryption replaces the codec, not the queries.

use crate::{Error, Result};

/// Where a sealed value lives. An encrypting codec binds its ciphertext to
/// all of this, so a value moved to another row, column or space fails to
/// open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldRef {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
    pub space: Space,
}

/// Who may read a value: its author alone, the two people of a
/// manager–employee relationship, or a group and its leader. Content keeps
/// its space when an open agenda point carries over to the next dialogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    Private { owner: i64 },
    Pair { manager: i64, employee: i64 },
    Group { team: i64 },
}

pub trait FieldCodec: Send {
    fn seal(&self, field: &FieldRef, plain: &str) -> Result<Vec<u8>>;
    fn open(&self, field: &FieldRef, sealed: &[u8]) -> Result<String>;
}

/// Format byte of plain, unencrypted text.
pub const FORMAT_PLAIN: u8 = 0;

/// Stores text as UTF-8 behind the plain format byte.
#[derive(Default)]
pub struct PlainCodec;

impl FieldCodec for PlainCodec {
    fn seal(&self, _field: &FieldRef, plain: &str) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(plain.len() + 1);
        out.push(FORMAT_PLAIN);
        out.extend_from_slice(plain.as_bytes());
        Ok(out)
    }

    fn open(&self, _field: &FieldRef, sealed: &[u8]) -> Result<String> {
        match sealed.split_first() {
            Some((&FORMAT_PLAIN, text)) => {
                String::from_utf8(text.to_vec()).map_err(|_| Error::Integrity)
            }
            _ => Err(Error::Integrity),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: FieldRef = FieldRef {
        table: "note",
        column: "body",
        row: 1,
        space: Space::Private { owner: 1 },
    };

    #[test]
    fn plain_round_trips_and_refuses_unknown_formats() {
        let c = PlainCodec;
        let sealed = c.seal(&F, "Æble og ø").unwrap();
        assert_eq!(c.open(&F, &sealed).unwrap(), "Æble og ø");
        assert!(matches!(c.open(&F, &[9, b'x']), Err(Error::Integrity)));
        assert!(matches!(c.open(&F, &[]), Err(Error::Integrity)));
        assert!(matches!(
            c.open(&F, &[0, 0xff, 0xfe]),
            Err(Error::Integrity)
        ));
    }
}

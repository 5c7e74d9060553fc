//! How a stored value names its place. Every piece of content text passes
//! through one seam, the vault (`service::vault`), which seals it bound to
//! its [`FieldRef`]; queries only ever see opaque bytes.

/// Where a sealed value lives. Its ciphertext is bound to all of this, so a value moved to another row, column or space fails to
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
    Private {
        owner: i64,
    },
    Pair {
        manager: i64,
        employee: i64,
    },
    /// A group's content of one key era (0: written before eras).
    Group {
        team: i64,
        era: i64,
    },
    /// The whole workplace: every person the verified roster lists holds
    /// its key (rule reports, shared cases). A value sealed here proves it
    /// was written by someone of the workplace, not by whom.
    Workplace,
}

/// Format byte of plain, unencrypted text, as the first version wrote it.
/// Such values are still read, and sealed at their reader's next unlock.
pub const FORMAT_PLAIN: u8 = 0;

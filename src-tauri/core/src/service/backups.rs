//! Backups from the window. Only an administrator of the verified roster
//! makes one, lists them or restores one; the copy itself is the store's
//! (`store::backup`), and a restore is the shell's, which closes this
//! connection first.

use std::path::{Path, PathBuf};

use super::{Actor, Tillid};
use crate::store::backup::{self, BackupEntry, Progress};
use crate::Result;

impl Tillid {
    /// Writes a backup to the data folder's `backups/`, reporting progress;
    /// `keep_going` returning false cancels and leaves no file.
    pub fn back_up_now(
        &self,
        actor: &Actor,
        dir: &Path,
        keep_going: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<PathBuf> {
        self.admin_roster(actor)?;
        backup::manual_backup(&self.conn, dir, self.now(), keep_going)
    }

    /// The backups in the data folder, for an administrator.
    pub fn list_backups(&self, actor: &Actor, dir: &Path) -> Result<Vec<BackupEntry>> {
        self.admin_roster(actor)?;
        backup::list(dir)
    }

    /// Whether `actor` may replace the workplace's data with a backup.
    pub fn may_restore(&self, actor: &Actor) -> Result<()> {
        self.admin_roster(actor).map(drop)
    }
}

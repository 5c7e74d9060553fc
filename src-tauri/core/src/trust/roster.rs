//! The roster: who is here, with which keys, who administers, who manages
//! whom, and who is in which group. Administrators sign it; everyone
//! verifies it before a right is granted or a key is wrapped.
//!
//! Storage: one body per person (`roster_person`) and per group
//! (`roster_group`), and a chain of heads (`roster_head`). Each head names
//! its version, the hash of the previous head, a hash over every entry as
//! it stands, and the administrators (with their signing keys) who may sign
//! the next head. A head is signed by an administrator of the head before
//! it; the first by an administrator it names itself. A reader starts from
//! the head they pinned at their last unlock, so a rewritten or rolled-back
//! roster fails, and checks the entries against the newest head.

use std::collections::{BTreeMap, HashMap};

use ed25519_dalek::SigningKey;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{decode_key, encode_key, Pin};
use crate::crypto::{put_prefixed, sign};
use crate::{Error, Result};

const HEAD_DOMAIN: &str = "tillid/roster-head/v1";
const CLAIM_DOMAIN: &str = "tillid/key-claim/v1";
const CLAIM_FROM_DOMAIN: &str = "tillid/key-claim-from/v1";

/// Upper bound on entries a roster may hold, so a planted file cannot make
/// an unlock hash without end.
const MAX_ENTRIES: usize = 100_000;

/// One person as the administrators state them. Keys are hex; none for a
/// person who has never had keys (a legacy person who has not signed in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonEntry {
    pub id: i64,
    pub name: String,
    pub admin: bool,
    pub manager: Option<i64>,
    pub x25519: Option<String>,
    pub ed25519: Option<String>,
    /// Signing keys an administrator's reset retired: what the person
    /// signed before still verifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub past_ed25519: Vec<String>,
    /// Has left the workplace: no sign-in, no planning, no new keys; their
    /// history stays with the others. Absent in entries from before, so
    /// their hashes do not change.
    #[serde(default, skip_serializing_if = "is_false")]
    pub left: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One group: its leader, members (sorted) and key era. The era moves on
/// when the leader or a member changes, and with it the group's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEntry {
    pub id: i64,
    pub name: String,
    pub leader: i64,
    pub members: Vec<i64>,
    pub era: i64,
}

impl GroupEntry {
    pub fn includes(&self, person: i64) -> bool {
        self.leader == person || self.members.contains(&person)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct HeadBody {
    version: i64,
    /// Hex SHA-256 of the previous head's body; empty for the first.
    prev: String,
    /// Hex SHA-256 over every entry (see [`entries_hash`]).
    entries: String,
    /// Who may sign the next head: (person, hex Ed25519 public key). An
    /// empty key: an administrator from before signatures, whose first
    /// head names their key (trusted on first use, like a claim).
    admins: Vec<(i64, String)>,
    /// The key this head is signed with.
    signer_key: String,
    /// Per content table, the highest row id written before rows were
    /// signed; fixed by the first head and carried unchanged by every one.
    #[serde(default)]
    legacy: BTreeMap<String, i64>,
    at: String,
    /// The workplace's settings, as the administrator who signed this head
    /// left them; carried unchanged by heads that do not change them.
    /// Absent in heads from before, so their hashes do not change.
    #[serde(default, skip_serializing_if = "WorkplaceSettings::is_default")]
    settings: WorkplaceSettings,
}

/// Workplace settings an administrator decides, signed with the roster so
/// an edit of the file cannot change them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkplaceSettings {
    /// Delete dialogues held more than this many years ago; `None`: keep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_years: Option<u32>,
    /// Delete private notes once a newer dialogue of the same kind in the
    /// same relationship is confirmed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub private_notes_after_newer: bool,
}

impl WorkplaceSettings {
    fn is_default(&self) -> bool {
        *self == WorkplaceSettings::default()
    }
}

/// The content tables whose rows are signed.
pub const SIGNED_TABLES: &[&str] = &[
    "agenda_item",
    "note",
    "agreement",
    "agreement_update",
    "confirmation",
    "dialogue",
];

/// New keys a person made for themselves. `from` is the signing key the
/// roster held for them when they made it (none for a person the roster
/// knew no signing key of).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct ClaimBody {
    person: i64,
    from: Option<String>,
    x25519: String,
    ed25519: String,
}

/// A person's public keys as this reader trusts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keys {
    pub x25519: [u8; 32],
    /// None for a legacy person who has not signed in since signatures
    /// came in; they can be wrapped to but not sign.
    pub ed25519: Option<[u8; 32]>,
}

impl Keys {
    /// A short stable fingerprint, pinned by readers to notice a change.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.x25519);
        h.update(self.ed25519.unwrap_or([0; 32]));
        hex::encode(&h.finalize()[..16])
    }
}

/// The roster after verification. Nothing in it came from a row on trust.
#[derive(Clone, Debug)]
pub struct Roster {
    pub version: i64,
    pub head_hash: String,
    pub people: HashMap<i64, PersonEntry>,
    pub groups: HashMap<i64, GroupEntry>,
    /// Effective keys: the entry's, or a valid claim's.
    pub keys: HashMap<i64, Keys>,
    /// People whose valid claim an administrator has yet to fold in.
    pub unfolded: Vec<i64>,
    /// Per table, the highest row id that may be unsigned (written before
    /// rows were signed).
    pub legacy: BTreeMap<String, i64>,
    pub settings: WorkplaceSettings,
}

impl Roster {
    pub fn is_admin(&self, person: i64) -> bool {
        self.people.get(&person).is_some_and(|p| p.admin)
    }

    pub fn manager_of(&self, person: i64) -> Option<i64> {
        self.people.get(&person).and_then(|p| p.manager)
    }

    pub fn keys_of(&self, person: i64) -> Option<Keys> {
        self.keys.get(&person).copied()
    }

    /// Every signing key a row by `person` may carry: their current one and
    /// those retired by a reset.
    pub fn signing_keys_of(&self, person: i64) -> Vec<[u8; 32]> {
        let mut out: Vec<[u8; 32]> = self
            .keys_of(person)
            .and_then(|k| k.ed25519)
            .into_iter()
            .collect();
        if let Some(p) = self.people.get(&person) {
            out.extend(p.past_ed25519.iter().filter_map(|k| decode_key(k).ok()));
        }
        out
    }

    /// Whether a row of `table` with this id may lack a signature.
    pub fn unsigned_allowed(&self, table: &str, id: i64) -> bool {
        self.legacy.get(table).is_some_and(|&max| id <= max)
    }

    pub fn pin(&self) -> Pin {
        Pin {
            version: self.version,
            head: self.head_hash.clone(),
        }
    }

    pub fn manages_anyone(&self, person: i64) -> bool {
        self.people
            .values()
            .any(|p| p.manager == Some(person) && !p.left)
            || self.groups.values().any(|g| g.leader == person)
    }
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether any head exists: a file from before signatures has none.
pub fn exists(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS (SELECT 1 FROM roster_head)", [], |r| {
            r.get(0)
        })?,
    )
}

pub fn latest_version(conn: &Connection) -> Result<i64> {
    // Asked before every view (is the verified roster still the latest?):
    // a cached statement, not one parsed anew each time.
    Ok(conn
        .prepare_cached("SELECT coalesce(max(version), 0) FROM roster_head")?
        .query_row([], |r| r.get(0))?)
}

/// Hash over every entry, in a fixed order, each length-prefixed so no two
/// different rosters hash alike.
fn entries_hash(people: &Bodies, groups: &Bodies) -> String {
    let mut buf = Vec::new();
    for (tag, list) in [(b'p', people), (b'g', groups)] {
        for (id, body) in list {
            buf.push(tag);
            buf.extend_from_slice(&id.to_be_bytes());
            put_prefixed(&mut buf, body);
        }
    }
    sha_hex(&buf)
}

/// Stored entries as (id, body), in id order.
type Bodies = Vec<(i64, Vec<u8>)>;

fn load_entries(conn: &Connection) -> Result<(Bodies, Bodies)> {
    let load = |sql: &str| -> Result<Vec<(i64, Vec<u8>)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let out: Vec<_> = rows.collect::<rusqlite::Result<_>>()?;
        if out.len() > MAX_ENTRIES {
            return Err(Error::Integrity);
        }
        Ok(out)
    };
    Ok((
        load("SELECT person_id, body FROM roster_person ORDER BY person_id")?,
        load("SELECT team_id, body FROM roster_group ORDER BY team_id")?,
    ))
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|_| Error::Integrity)
}

fn to_body<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Storage(e.to_string()))
}

/// Verifies the roster from `pin` (or, trusting on first use, from its
/// first head) to the newest head, and the entries against that head.
pub fn verify(conn: &Connection, pin: Option<&Pin>) -> Result<Roster> {
    let from = pin.map_or(1, |p| p.version.max(1));
    let mut stmt = conn.prepare_cached(
        "SELECT version, body, signer_id, signature FROM roster_head WHERE version >= ?1 ORDER BY version",
    )?;
    let heads = stmt
        .query_map([from], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(first) = heads.first() else {
        return Err(Error::Integrity);
    };
    if first.0 != from {
        return Err(Error::Integrity);
    }
    let mut prev: Option<(HeadBody, String)> = None;
    for (version, body, signer, signature) in &heads {
        let head: HeadBody = parse(body)?;
        let hash = sha_hex(body);
        if head.version != *version {
            return Err(Error::Integrity);
        }
        match (&prev, pin) {
            // The pinned head is trusted as it was: same bytes, same hash.
            (None, Some(p)) if p.version >= 1 => {
                if hash != p.head {
                    return Err(Error::Integrity);
                }
            }
            // First use: the first head is taken as it is (it was made
            // from the rows of a file that had no roster yet), but must
            // still be whole and signed by the key it names.
            (None, _) => {
                if head.version != 1 || !head.prev.is_empty() {
                    return Err(Error::Integrity);
                }
                sign::verify(&decode_key(&head.signer_key)?, HEAD_DOMAIN, body, signature)?;
            }
            (Some((before, before_hash)), _) => {
                if head.version != before.version + 1
                    || head.prev != *before_hash
                    || head.legacy != before.legacy
                {
                    return Err(Error::Integrity);
                }
                check_signed_by(&before.admins, *signer, &head, body, signature)?;
            }
        }
        prev = Some((head, hash));
    }
    let Some((head, head_hash)) = prev else {
        return Err(Error::Integrity);
    };

    let (people_rows, group_rows) = load_entries(conn)?;
    if entries_hash(&people_rows, &group_rows) != head.entries {
        return Err(Error::Integrity);
    }
    let mut people = HashMap::with_capacity(people_rows.len());
    for (id, body) in &people_rows {
        let entry: PersonEntry = parse(body)?;
        if entry.id != *id {
            return Err(Error::Integrity);
        }
        people.insert(*id, entry);
    }
    let mut groups = HashMap::with_capacity(group_rows.len());
    for (id, body) in &group_rows {
        let entry: GroupEntry = parse(body)?;
        if entry.id != *id {
            return Err(Error::Integrity);
        }
        groups.insert(*id, entry);
    }
    // The head's administrators are exactly the roster's, with their keys.
    let mut admins: Vec<(i64, String)> = people
        .values()
        .filter(|p| p.admin)
        .map(|p| (p.id, p.ed25519.clone().unwrap_or_default()))
        .collect();
    admins.sort();
    let mut named = head.admins.clone();
    named.sort();
    if admins != named {
        return Err(Error::Integrity);
    }

    let claims = load_claims(conn)?;
    let mut keys = HashMap::with_capacity(people.len());
    let mut unfolded = Vec::new();
    for entry in people.values() {
        let claimed = claims
            .get(&entry.id)
            .and_then(|(body, sig)| valid_claim(entry, body, sig));
        if let Some(k) = claimed {
            keys.insert(entry.id, k);
            unfolded.push(entry.id);
        } else if let Some(k) = entry_keys(entry)? {
            keys.insert(entry.id, k);
        }
    }
    unfolded.sort_unstable();
    Ok(Roster {
        version: head.version,
        head_hash,
        people,
        groups,
        keys,
        unfolded,
        legacy: head.legacy,
        settings: head.settings,
    })
}

/// A head must be signed by an administrator of the head before it, with
/// the key that head names; an administrator it names without a key signs
/// with the key this head names for them.
fn check_signed_by(
    admins: &[(i64, String)],
    signer: i64,
    head: &HeadBody,
    body: &[u8],
    signature: &[u8],
) -> Result<()> {
    let (_, key) = admins
        .iter()
        .find(|(id, _)| *id == signer)
        .ok_or(Error::Integrity)?;
    let adopted = key.is_empty()
        && head
            .admins
            .iter()
            .any(|(id, k)| *id == signer && *k == head.signer_key);
    if *key != head.signer_key && !adopted {
        return Err(Error::Integrity);
    }
    sign::verify(&decode_key(&head.signer_key)?, HEAD_DOMAIN, body, signature)
}

fn entry_keys(entry: &PersonEntry) -> Result<Option<Keys>> {
    let Some(x) = &entry.x25519 else {
        return Ok(None);
    };
    Ok(Some(Keys {
        x25519: decode_key(x)?,
        ed25519: entry.ed25519.as_deref().map(decode_key).transpose()?,
    }))
}

/// Claims by person: (body, signatures).
type Claims = HashMap<i64, (Vec<u8>, Vec<u8>)>;

fn load_claims(conn: &Connection) -> Result<Claims> {
    let mut stmt = conn.prepare_cached("SELECT person_id, body, signature FROM key_claim")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A claim counts if its new signing key signed it and either the roster
/// knew no signing key for the person (first keys, or a legacy person
/// adding one to the same X25519 key), or the known one signed it too.
fn valid_claim(entry: &PersonEntry, body: &[u8], signature: &[u8]) -> Option<Keys> {
    let claim: ClaimBody = parse(body).ok()?;
    if claim.person != entry.id || claim.from != entry.ed25519 {
        return None;
    }
    let new_ed = decode_key(&claim.ed25519).ok()?;
    let (by_new, by_old) = signature.split_at_checked(sign::SIGNATURE_LEN)?;
    sign::verify(&new_ed, CLAIM_DOMAIN, body, by_new).ok()?;
    match &entry.ed25519 {
        Some(old) => {
            sign::verify(&decode_key(old).ok()?, CLAIM_FROM_DOMAIN, body, by_old).ok()?;
        }
        None => {
            if !by_old.is_empty() {
                return None;
            }
            // A legacy person adds a signing key to the X25519 key the
            // roster already binds; they cannot swap that key this way.
            if let Some(x) = &entry.x25519 {
                if *x != claim.x25519 {
                    return None;
                }
            }
        }
    }
    Some(Keys {
        x25519: decode_key(&claim.x25519).ok()?,
        ed25519: Some(new_ed),
    })
}

/// Records new keys for `person`, signed with them and with the signing key
/// the roster holds for them (`previous`), if any.
pub fn write_claim(
    conn: &Connection,
    person: i64,
    previous: Option<(&SigningKey, [u8; 32])>,
    new_x25519: [u8; 32],
    new_signing: &SigningKey,
) -> Result<()> {
    let body = to_body(&ClaimBody {
        person,
        from: previous.map(|(_, public)| encode_key(&public)),
        x25519: encode_key(&new_x25519),
        ed25519: encode_key(&new_signing.verifying_key().to_bytes()),
    })?;
    let mut signature = sign::sign(new_signing, CLAIM_DOMAIN, &body);
    if let Some((old, _)) = previous {
        signature.extend(sign::sign(old, CLAIM_FROM_DOMAIN, &body));
    }
    conn.execute(
        "INSERT INTO key_claim (person_id, body, signature) VALUES (?1, ?2, ?3)
         ON CONFLICT (person_id) DO UPDATE SET body = excluded.body, signature = excluded.signature",
        params![person, body, signature],
    )?;
    Ok(())
}

pub fn write_person(conn: &Connection, entry: &PersonEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO roster_person (person_id, body) VALUES (?1, ?2)
         ON CONFLICT (person_id) DO UPDATE SET body = excluded.body",
        params![entry.id, to_body(entry)?],
    )?;
    Ok(())
}

pub fn write_group(conn: &Connection, entry: &GroupEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO roster_group (team_id, body) VALUES (?1, ?2)
         ON CONFLICT (team_id) DO UPDATE SET body = excluded.body",
        params![entry.id, to_body(entry)?],
    )?;
    Ok(())
}

/// Appends a head over the entries as they now stand, signed by `signer`,
/// an administrator of the newest head (or of this one, for the first).
/// Valid claims are folded into their entries first, so the next head
/// carries the keys people made for themselves.
pub fn append_head(
    conn: &Connection,
    signer: i64,
    key: &SigningKey,
    at: &str,
) -> Result<(i64, String)> {
    append_head_with(conn, signer, key, at, None)
}

/// Like [`append_head`], with new workplace settings (`None`: as before).
pub fn append_head_with(
    conn: &Connection,
    signer: i64,
    key: &SigningKey,
    at: &str,
    settings: Option<WorkplaceSettings>,
) -> Result<(i64, String)> {
    fold_claims(conn)?;
    let (people_rows, group_rows) = load_entries(conn)?;
    let mut admins = Vec::new();
    for (_, body) in &people_rows {
        let p: PersonEntry = parse(body)?;
        if p.admin {
            admins.push((p.id, p.ed25519.unwrap_or_default()));
        }
    }
    admins.sort();
    let last: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT version, body FROM roster_head ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (version, prev, legacy, before) = match last {
        Some((v, body)) => {
            let head = parse::<HeadBody>(&body)?;
            (v + 1, sha_hex(&body), head.legacy, head.settings)
        }
        None => (
            1,
            String::new(),
            legacy_marks(conn)?,
            WorkplaceSettings::default(),
        ),
    };
    let body = to_body(&HeadBody {
        version,
        prev,
        entries: entries_hash(&people_rows, &group_rows),
        admins,
        signer_key: encode_key(&key.verifying_key().to_bytes()),
        legacy,
        at: at.to_owned(),
        settings: settings.unwrap_or(before),
    })?;
    let signature = sign::sign(key, HEAD_DOMAIN, &body);
    conn.execute(
        "INSERT INTO roster_head (version, body, signer_id, signature) VALUES (?1, ?2, ?3, ?4)",
        params![version, body, signer, signature],
    )?;
    Ok((version, sha_hex(&body)))
}

/// At the first head: the rows written so far are the unsigned ones.
fn legacy_marks(conn: &Connection) -> Result<BTreeMap<String, i64>> {
    SIGNED_TABLES
        .iter()
        .map(|&table| {
            let max: i64 = conn.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?;
            Ok((table.to_owned(), max))
        })
        .collect()
}

/// Moves valid claims into their entries; invalid ones are left where they
/// are (they change nothing and `tillid check` lists them).
fn fold_claims(conn: &Connection) -> Result<()> {
    let claims = load_claims(conn)?;
    for (person, (body, signature)) in claims {
        let entry: Option<Vec<u8>> = conn
            .query_row(
                "SELECT body FROM roster_person WHERE person_id = ?1",
                [person],
                |r| r.get(0),
            )
            .optional()?;
        let Some(entry) = entry else { continue };
        let mut entry: PersonEntry = parse(&entry)?;
        if let Some(keys) = valid_claim(&entry, &body, &signature) {
            entry.x25519 = Some(encode_key(&keys.x25519));
            entry.ed25519 = keys.ed25519.as_ref().map(encode_key);
            write_person(conn, &entry)?;
            conn.execute("DELETE FROM key_claim WHERE person_id = ?1", [person])?;
        }
    }
    Ok(())
}

/// Who is pinned with which fingerprint, for comparing at the next unlock.
pub fn fingerprints(roster: &Roster) -> BTreeMap<i64, String> {
    roster
        .keys
        .iter()
        .map(|(id, k)| (*id, k.fingerprint()))
        .collect()
}

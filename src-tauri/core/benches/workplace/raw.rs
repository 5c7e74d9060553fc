//! The limit each view is measured against: the SQL that fetches exactly
//! the rows the view shows, written by hand, and the decryption of exactly
//! the values it shows, with keys held in memory as the views hold them.
//! No rules, no signature checks, no shaping: what no view can beat.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{params, Connection};
use tillid_core::codec::{FieldRef, Space};
use tillid_core::crypto::{seal, Key};
use tillid_core::{Actor, Tillid};

/// Keys unwrapped once and kept, as the vault keeps them.
#[derive(Default)]
pub struct Keys(RefCell<HashMap<(i64, Space), Key>>);

impl Keys {
    /// The field's value, opened: the field's parts as the view names them.
    #[allow(clippy::too_many_arguments)]
    fn open(
        &self,
        t: &Tillid,
        actor: &Actor,
        table: &'static str,
        column: &'static str,
        row: i64,
        space: Space,
        sealed: &[u8],
    ) -> String {
        let mut keys = self.0.borrow_mut();
        let key = keys
            .entry((actor.id(), space))
            .or_insert_with(|| t.space_key_of(actor, space).expect("key"));
        let field = FieldRef {
            table,
            column,
            row,
            space,
        };
        let plain = seal::open(key, &seal::field_aad(&field), sealed).expect("open");
        String::from_utf8(plain.to_vec()).expect("utf-8")
    }
}

/// Runs a twin's statements in one read transaction, as the views run
/// theirs (`Tillid::snapshot`): one WAL read lock for the whole twin, not
/// one per statement. `TILLID_BENCH_RAW_SNAPSHOT=0` runs them one by one,
/// as the twins did before the views took snapshots.
pub fn snapshot<T>(t: &Tillid, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var("TILLID_BENCH_RAW_SNAPSHOT").map_or(true, |v| v != "0")) {
        return f();
    }
    t.connection().execute_batch("BEGIN").expect("begin");
    let value = f();
    t.connection().execute_batch("COMMIT").expect("commit");
    value
}

fn space(manager: i64, employee: Option<i64>, team: Option<i64>, era: i64) -> Space {
    match (employee, team) {
        (_, Some(team)) => Space::Group { team, era },
        (Some(employee), None) => Space::Pair { manager, employee },
        (None, None) => Space::Private { owner: manager },
    }
}

/// A dialogue as a list shows it.
#[allow(dead_code)]
pub struct Brief {
    id: i64,
    kind: String,
    state: String,
    scheduled_at: String,
    manager: (i64, String),
    employee: Option<(i64, String)>,
    group: Option<(i64, String)>,
    needs_my_confirmation: bool,
}

fn brief(r: &rusqlite::Row<'_>) -> rusqlite::Result<Brief> {
    let pair = |i: usize| -> rusqlite::Result<Option<(i64, String)>> {
        Ok(
            match (
                r.get::<_, Option<i64>>(i)?,
                r.get::<_, Option<String>>(i + 1)?,
            ) {
                (Some(id), Some(name)) => Some((id, name)),
                _ => None,
            },
        )
    };
    Ok(Brief {
        id: r.get(0)?,
        kind: r.get(1)?,
        state: r.get(2)?,
        scheduled_at: r.get(3)?,
        manager: (r.get(4)?, r.get(5)?),
        employee: pair(6)?,
        group: pair(8)?,
        needs_my_confirmation: r.get(10)?,
    })
}

/// An agreement as a list shows it, decrypted.
#[allow(dead_code)]
pub struct Item {
    id: i64,
    dialogue_id: i64,
    text: String,
    owner: Option<(i64, String)>,
    follow_up_on: Option<String>,
    scheduled_at: String,
}

#[allow(dead_code)]
pub struct Home {
    upcoming: Vec<Brief>,
    not_marked_held: Vec<Brief>,
    to_confirm: Vec<Brief>,
    mine: Vec<i64>,
    owed: Vec<i64>,
    overdue: Vec<i64>,
    due_soon: Vec<i64>,
    items: Vec<Item>,
    requests: i64,
    manager: Option<i64>,
}

/// A person's home: their planned and unconfirmed dialogues, the open
/// agreements of their dialogues sorted into the four lists, their
/// requests, and whether they have a manager to ask.
pub fn home(t: &Tillid, keys: &Keys, me: &Actor, now: &str, today: &str, soon: &str) -> Home {
    let conn = t.connection();
    let id = me.id();
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.id, d.kind, d.state, d.scheduled_at, m.id, m.name, e.id, e.name, t.id, t.name,
                d.state = 'held' AND NOT EXISTS (SELECT 1 FROM confirmation c
                    WHERE c.dialogue_id = d.id AND c.person_id = ?1 AND c.version = d.summary_version)
             FROM participant p CROSS JOIN dialogue d INDEXED BY dialogue_open ON d.id = p.dialogue_id
             JOIN person m ON m.id = d.manager_id
             LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id
             WHERE p.person_id = ?1 AND d.state IN ('planned', 'held')
             ORDER BY d.scheduled_at, d.id",
        )
        .expect("prepare");
    let (mut upcoming, mut not_marked_held, mut to_confirm) = (vec![], vec![], vec![]);
    for b in stmt.query_map([id], brief).expect("query") {
        let b = b.expect("row");
        if b.state == "planned" && *b.scheduled_at < *now {
            not_marked_held.push(b);
        } else if b.state == "planned" {
            upcoming.push(b);
        } else if b.needs_my_confirmation {
            to_confirm.push(b);
        }
    }
    to_confirm.reverse();
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.dialogue_id, a.body, a.owner_person_id, o.name, a.follow_up_on,
                d.scheduled_at, d.manager_id, d.employee_id, d.team_id, d.era, me.role
             FROM participant me CROSS JOIN agreement a INDEXED BY agreement_open ON a.dialogue_id = me.dialogue_id
             CROSS JOIN dialogue d ON d.id = a.dialogue_id LEFT JOIN person o ON o.id = a.owner_person_id
             WHERE me.person_id = ?1 AND a.state = 'open'
             ORDER BY coalesce(a.follow_up_on, '9999-12-31'), d.scheduled_at, a.id",
        )
        .expect("prepare");
    let (mut mine, mut owed, mut overdue, mut due_soon, mut items) =
        (vec![], vec![], vec![], vec![], vec![]);
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, i64>(10)?,
                r.get::<_, String>(11)?,
            ))
        })
        .expect("query");
    for row in rows {
        let (a, dialogue, body, owner, owner_name, follow, at, manager, employee, team, era, role) =
            row.expect("row");
        let is_mine = owner == Some(id) || (owner.is_none() && role == "member");
        let is_owed = owner != Some(id)
            && ((role != "manager" && owner == Some(manager))
                || (role == "manager" && team.is_some()));
        let is_overdue = follow.as_deref().is_some_and(|f| f < today);
        let is_soon = follow.as_deref().is_some_and(|f| f >= today && f <= soon);
        if !(is_mine || is_owed || is_overdue || is_soon) {
            continue;
        }
        for (yes, list) in [
            (is_mine, &mut mine),
            (is_owed, &mut owed),
            (is_overdue, &mut overdue),
            (is_soon, &mut due_soon),
        ] {
            if yes {
                list.push(items.len() as i64);
            }
        }
        let s = space(manager, employee, team, era);
        items.push(Item {
            id: a,
            dialogue_id: dialogue,
            text: keys.open(t, me, "agreement", "body", a, s, &body),
            owner: owner.zip(owner_name),
            follow_up_on: follow,
            scheduled_at: at,
        });
    }
    let requests: i64 = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM dialogue_request WHERE manager_id = ?1 AND closed_at IS NULL)
                  + (SELECT count(*) FROM (SELECT 1 FROM dialogue_request WHERE employee_id = ?1 LIMIT 20))",
        )
        .expect("prepare")
        .query_row([id], |r| r.get(0))
        .expect("requests");
    let manager: Option<i64> = conn
        .prepare_cached("SELECT manager_id FROM person WHERE id = ?1")
        .expect("prepare")
        .query_row([id], |r| r.get(0))
        .expect("manager");
    Home {
        upcoming,
        not_marked_held,
        to_confirm,
        mine,
        owed,
        overdue,
        due_soon,
        items,
        requests,
        manager,
    }
}

/// All dialogues and agreements between two people, newest first.
pub fn history(t: &Tillid, keys: &Keys, me: &Actor, other: i64) -> (Vec<Brief>, Vec<Item>) {
    let conn = t.connection();
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.id, d.kind, d.state, d.scheduled_at, m.id, m.name, e.id, e.name, t.id, t.name,
                d.state = 'held' AND NOT EXISTS (SELECT 1 FROM confirmation c
                    WHERE c.dialogue_id = d.id AND c.person_id = ?1 AND c.version = d.summary_version)
             FROM dialogue d JOIN person m ON m.id = d.manager_id
             LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id
             WHERE d.team_id IS NULL AND ((d.manager_id = ?1 AND d.employee_id = ?2)
                                       OR (d.manager_id = ?2 AND d.employee_id = ?1))
             ORDER BY d.scheduled_at DESC, d.id DESC",
        )
        .expect("prepare");
    let briefs = stmt
        .query_map(params![me.id(), other], brief)
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.dialogue_id, a.body, a.owner_person_id, o.name, a.follow_up_on,
                d.scheduled_at, d.manager_id, d.employee_id
             FROM dialogue d JOIN agreement a ON a.dialogue_id = d.id
             LEFT JOIN person o ON o.id = a.owner_person_id
             WHERE d.team_id IS NULL AND ((d.manager_id = ?1 AND d.employee_id = ?2)
                                       OR (d.manager_id = ?2 AND d.employee_id = ?1))
             ORDER BY a.id",
        )
        .expect("prepare");
    let items = stmt
        .query_map(params![me.id(), other], |r| {
            let (a, body, manager, employee): (i64, Vec<u8>, i64, i64) =
                (r.get(0)?, r.get(2)?, r.get(7)?, r.get(8)?);
            let owner = match (r.get::<_, Option<i64>>(3)?, r.get::<_, Option<String>>(4)?) {
                (Some(id), Some(name)) => Some((id, name)),
                _ => None,
            };
            let s = Space::Pair { manager, employee };
            Ok(Item {
                id: a,
                dialogue_id: r.get(1)?,
                text: keys.open(t, me, "agreement", "body", a, s, &body),
                owner,
                follow_up_on: r.get(5)?,
                scheduled_at: r.get(6)?,
            })
        })
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    (briefs, items)
}

/// One dialogue as its page shows it: its head and the reader's seat,
/// participants, agenda, notes (shared, and the reader's own private
/// ones), agreements with their plans and updates, the confirmations and
/// the reader's last confirmed summary, and the open agreements of earlier
/// dialogues of the same relationship that the reader took part in.
pub fn dialogue(t: &Tillid, keys: &Keys, me: &Actor, id: i64) -> usize {
    let conn: &Connection = t.connection();
    let mut texts = 0usize;
    let (manager, employee, team, era, at, role): (
        i64,
        Option<i64>,
        Option<i64>,
        i64,
        String,
        Option<String>,
    ) = conn
        .prepare_cached(
            "SELECT d.manager_id, d.employee_id, d.team_id, d.era, d.scheduled_at, p.role,
                    d.kind, d.state, d.held_at, d.summary_version, m.name, e.name, t.name,
                    d.cancelled_at, d.held_sig
             FROM dialogue d JOIN person m ON m.id = d.manager_id
             LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id
             LEFT JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?2
             WHERE d.id = ?1",
        )
        .expect("prepare")
        .query_row(params![id, me.id()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("head");
    assert!(role.is_some(), "a participant");
    let s = space(manager, employee, team, era);
    let count = |sql: &str| -> usize {
        let mut stmt = conn.prepare_cached(sql).expect("prepare");
        let mut rows = stmt.query([id]).expect("query");
        let mut n = 0;
        while let Some(r) = rows.next().expect("row") {
            let _: (i64, String) = (r.get(0).expect("id"), r.get(1).expect("name"));
            n += 1;
        }
        n
    };
    texts += count(
        "SELECT p.id, p.name, pa.role FROM participant pa JOIN person p ON p.id = pa.person_id
         WHERE pa.dialogue_id = ?1",
    );
    {
        let mut stmt = conn
            .prepare_cached(
                "SELECT a.id, p.name, a.body, a.status FROM agenda_item a
                 JOIN person p ON p.id = a.author_id WHERE a.dialogue_id = ?1",
            )
            .expect("prepare");
        let mut rows = stmt.query([id]).expect("query");
        while let Some(r) = rows.next().expect("row") {
            let (a, body): (i64, Vec<u8>) = (r.get(0).expect("id"), r.get(2).expect("body"));
            texts += keys.open(t, me, "agenda_item", "body", a, s, &body).len();
        }
    }
    {
        let mut stmt = conn
            .prepare_cached(
                "SELECT n.id, n.author_id, n.private, n.body, p.name FROM note n
                 JOIN person p ON p.id = n.author_id
                 WHERE n.dialogue_id = ?1 AND (n.private = 0 OR n.author_id = ?2)",
            )
            .expect("prepare");
        let mut rows = stmt.query(params![id, me.id()]).expect("query");
        while let Some(r) = rows.next().expect("row") {
            let (n, author, private, body): (i64, i64, bool, Vec<u8>) = (
                r.get(0).expect("id"),
                r.get(1).expect("author"),
                r.get(2).expect("private"),
                r.get(3).expect("body"),
            );
            let space = if private {
                Space::Private { owner: author }
            } else {
                s
            };
            texts += keys.open(t, me, "note", "body", n, space, &body).len();
        }
    }
    // This dialogue's agreements, and the open ones of earlier dialogues
    // of the relationship that the reader took part in, with updates.
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.body, a.if_then, d.manager_id, d.employee_id, d.team_id, d.era,
                    o.name, c.name, u.id, u.comment, b.name
             FROM dialogue d JOIN agreement a ON a.dialogue_id = d.id
             LEFT JOIN person o ON o.id = a.owner_person_id JOIN person c ON c.id = a.created_by
             LEFT JOIN agreement_update u ON u.agreement_id = a.id
             LEFT JOIN person b ON b.id = u.by_id
             WHERE d.id = ?1
                OR (d.manager_id = ?2 AND d.employee_id IS ?3 AND d.team_id IS ?4
                    AND (d.scheduled_at < ?5 OR (d.scheduled_at = ?5 AND d.id < ?1))
                    AND a.state = 'open'
                    AND EXISTS (SELECT 1 FROM participant x WHERE x.dialogue_id = d.id AND x.person_id = ?6))
             ORDER BY d.scheduled_at, a.id, u.id",
        )
        .expect("prepare");
    let mut rows = stmt
        .query(params![id, manager, employee, team, at, me.id()])
        .expect("query");
    let mut last = 0;
    while let Some(r) = rows.next().expect("row") {
        let a: i64 = r.get(0).expect("id");
        let s = space(
            r.get(3).expect("m"),
            r.get(4).expect("e"),
            r.get(5).expect("t"),
            r.get(6).expect("era"),
        );
        if a != last {
            last = a;
            let body: Vec<u8> = r.get(1).expect("body");
            texts += keys.open(t, me, "agreement", "body", a, s, &body).len();
            if let Some(plan) = r.get::<_, Option<Vec<u8>>>(2).expect("if_then") {
                texts += keys.open(t, me, "agreement", "if_then", a, s, &plan).len();
            }
        }
        if let (Some(u), Some(comment)) = (
            r.get::<_, Option<i64>>(9).expect("update"),
            r.get::<_, Option<Vec<u8>>>(10).expect("comment"),
        ) {
            texts += keys
                .open(t, me, "agreement_update", "comment", u, s, &comment)
                .len();
        }
    }
    drop(rows);
    // The confirmations, and the reader's latest confirmed summary.
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, person_id, version, snapshot, at FROM confirmation
             WHERE dialogue_id = ?1 ORDER BY version, id",
        )
        .expect("prepare");
    let mut rows = stmt.query([id]).expect("query");
    let mut mine: Option<(i64, Vec<u8>)> = None;
    while let Some(r) = rows.next().expect("row") {
        if r.get::<_, i64>(1).expect("person") == me.id() {
            mine = Some((r.get(0).expect("id"), r.get(3).expect("snapshot")));
        }
    }
    if let Some((c, snapshot)) = mine {
        texts += keys
            .open(t, me, "confirmation", "snapshot", c, s, &snapshot)
            .len();
    }
    texts
}

/// The manager's overview: their employees and groups, every dialogue
/// they hold (for last held, next planned, not marked held, last MUS or
/// GRUS), the open agreements of those dialogues with names, decrypted,
/// and the open requests asked of them, decrypted. Counts what it shows.
pub fn overview(t: &Tillid, keys: &Keys, me: &Actor) -> usize {
    let conn = t.connection();
    let id = me.id();
    let mut shown = 0usize;
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, name, NULL FROM person WHERE manager_id = ?1 AND left_at IS NULL
             UNION ALL SELECT NULL, name, id FROM team WHERE leader_id = ?1",
        )
        .expect("prepare");
    let mut rows = stmt.query([id]).expect("query");
    while let Some(r) = rows.next().expect("row") {
        let _: (Option<i64>, String) = (r.get(0).expect("id"), r.get(1).expect("name"));
        shown += 1;
    }
    drop(rows);
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, kind, state, scheduled_at, employee_id, team_id FROM dialogue
             WHERE manager_id = ?1 ORDER BY scheduled_at, id",
        )
        .expect("prepare");
    let mut rows = stmt.query([id]).expect("query");
    let mut facts: HashMap<(Option<i64>, Option<i64>), usize> = HashMap::new();
    while let Some(r) = rows.next().expect("row") {
        let (_, _, _, _): (i64, String, String, String) = (
            r.get(0).expect("id"),
            r.get(1).expect("kind"),
            r.get(2).expect("state"),
            r.get(3).expect("at"),
        );
        *facts
            .entry((r.get(4).expect("e"), r.get(5).expect("t")))
            .or_default() += 1;
    }
    drop(rows);
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.body, a.owner_person_id, o.name, a.follow_up_on, d.scheduled_at,
                    d.manager_id, d.employee_id, d.team_id, d.era, e.name, t.name
             FROM participant me CROSS JOIN agreement a INDEXED BY agreement_open ON a.dialogue_id = me.dialogue_id
             CROSS JOIN dialogue d ON d.id = a.dialogue_id LEFT JOIN person o ON o.id = a.owner_person_id
             LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id
             WHERE me.person_id = ?1 AND me.role = 'manager' AND a.state = 'open'
             ORDER BY coalesce(a.follow_up_on, '9999-12-31'), d.scheduled_at, a.id",
        )
        .expect("prepare");
    let mut rows = stmt.query([id]).expect("query");
    while let Some(r) = rows.next().expect("row") {
        let a: i64 = r.get(0).expect("id");
        let body: Vec<u8> = r.get(1).expect("body");
        let s = space(
            r.get(6).expect("m"),
            r.get(7).expect("e"),
            r.get(8).expect("t"),
            r.get(9).expect("era"),
        );
        let text = keys.open(t, me, "agreement", "body", a, s, &body);
        let _: (Option<String>, Option<String>, String) = (
            r.get(3).expect("owner"),
            r.get(4).expect("follow"),
            r.get(5).expect("at"),
        );
        shown += usize::from(!text.is_empty());
    }
    drop(rows);
    let mut stmt = conn
        .prepare_cached(
            "SELECT r.id, r.employee_id, e.name, r.kind, r.reason, r.created_at
             FROM dialogue_request r JOIN person e ON e.id = r.employee_id
             WHERE r.manager_id = ?1 AND r.closed_at IS NULL ORDER BY r.created_at, r.id",
        )
        .expect("prepare");
    let mut rows = stmt.query([id]).expect("query");
    while let Some(r) = rows.next().expect("row") {
        let (rid, employee): (i64, i64) = (r.get(0).expect("id"), r.get(1).expect("employee"));
        if let Some(reason) = r.get::<_, Option<Vec<u8>>>(4).expect("reason") {
            let s = Space::Pair {
                manager: id,
                employee,
            };
            shown += keys
                .open(t, me, "dialogue_request", "reason", rid, s, &reason)
                .len();
        }
    }
    shown + facts.len()
}

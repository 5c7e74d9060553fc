-- The follow-up cycle. A dialogue may now be a well-being talk, and may be
-- cancelled (when, by whom, with an optional reason kept in its history).
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt
-- as its documentation describes; every row is copied with its id, so
-- everything that points at a dialogue still does. The migration runs with
-- foreign keys off and checks them before it commits.

CREATE TABLE dialogue_new (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('follow_up', 'mus', 'grus', 'wellbeing', 'ad_hoc')),
    manager_id       INTEGER NOT NULL REFERENCES person(id),
    employee_id      INTEGER REFERENCES person(id),
    team_id          INTEGER REFERENCES team(id),
    scheduled_at     TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'confirmed', 'cancelled')),
    held_at          TEXT,
    summary_version  INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    held_sig         BLOB,
    era              INTEGER NOT NULL DEFAULT 0,
    -- Cancelling: the reason is sealed in the dialogue's space; the
    -- signature (by whoever cancelled) covers the dialogue, who and when.
    cancelled_at     TEXT,
    cancelled_by     INTEGER REFERENCES person(id),
    cancel_reason    BLOB,
    cancel_sig       BLOB,
    CHECK ((employee_id IS NULL) <> (team_id IS NULL))
);

INSERT INTO dialogue_new (id, kind, manager_id, employee_id, team_id, scheduled_at, state,
                          held_at, summary_version, created_at, held_sig, era)
SELECT id, kind, manager_id, employee_id, team_id, scheduled_at, state,
       held_at, summary_version, created_at, held_sig, era
FROM dialogue;

DROP TABLE dialogue;
ALTER TABLE dialogue_new RENAME TO dialogue;

CREATE INDEX dialogue_pair ON dialogue(manager_id, employee_id, scheduled_at);
-- Partial, so that "team_id IS NULL" (every one-to-one) never picks it.
CREATE INDEX dialogue_team ON dialogue(team_id, scheduled_at) WHERE team_id IS NOT NULL;
-- An employee's dialogues with any manager, for the development plan that
-- follows them and the overview.
CREATE INDEX dialogue_employee ON dialogue(employee_id, scheduled_at) WHERE employee_id IS NOT NULL;

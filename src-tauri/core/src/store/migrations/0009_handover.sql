-- A new manager and the history before them. When an employee's manager
-- changes, the employee decides once per earlier manager whether the new
-- manager may read the earlier dialogues and take over the open
-- agreements the earlier manager owned. The decision is a statement the
-- employee signs (`sig`, over every column), so an edit of the file can
-- neither invent a consent nor turn a "no" into a "yes". Sharing also
-- wraps the earlier pair space's key to the new manager (`space_key`).

CREATE TABLE handover (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES person(id),
    old_manager_id INTEGER NOT NULL REFERENCES person(id),
    new_manager_id INTEGER NOT NULL REFERENCES person(id),
    decision TEXT NOT NULL CHECK (decision IN ('share', 'decline')),
    decided_at TEXT NOT NULL,
    sig BLOB NOT NULL,
    UNIQUE (employee_id, old_manager_id, new_manager_id)
);
CREATE INDEX handover_new_manager ON handover(new_manager_id);

-- A person deleted at an administrator's request (after they left): their
-- keys and their own content are gone; the row stays so that other
-- people's records that mention them still name them.
ALTER TABLE person ADD COLUMN deleted_at TEXT;

-- What someone was typing when the idle lock came, sealed in their private
-- space (nothing in clear: where and what are both in `body`), offered back
-- once at their next sign-in and then deleted.
CREATE TABLE draft (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id),
    body       BLOB NOT NULL,
    saved_at   TEXT NOT NULL
);
CREATE INDEX draft_person ON draft(person_id);

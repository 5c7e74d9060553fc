-- The workplace-wide space, rule reports and good cases. The space table
-- takes a third kind, 'workplace' (one row, a = 1, b = 0), whose key every
-- person of the verified roster holds. SQLite cannot widen a CHECK in
-- place, so `space` is rebuilt with its ids kept (space_key points at
-- them); the migration runs with foreign keys off and checks them before
-- it commits.

CREATE TABLE space_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('pair', 'group', 'workplace')),
    -- pair: the manager and the employee; group: the team and its key era;
    -- workplace: 1 and 0.
    a           INTEGER NOT NULL,
    b           INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, a, b)
);
INSERT INTO space_new (id, kind, a, b, created_at)
SELECT id, kind, a, b, created_at FROM space;
DROP TABLE space;
ALTER TABLE space_new RENAME TO space;

-- A rule, routine or form someone finds gets in the way of good work
-- (MeningsSamlingen). The text is sealed in the workplace space. A named
-- report has its author and is signed by them; an anonymous one has no
-- author, no signature, no audit line and only the date it was made, and
-- its text is sealed under another column name, so a named report cannot
-- be turned into an anonymous one (or back) without it failing to open.
CREATE TABLE rule_report (
    id              INTEGER PRIMARY KEY,
    author_id       INTEGER REFERENCES person(id),   -- NULL: anonymous
    body            BLOB NOT NULL,
    reported_on     TEXT NOT NULL,                   -- the date only
    sig             BLOB,                            -- by the author; NULL when anonymous
    -- The status is set by a manager or administrator and signed by them.
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'taken_up', 'removed', 'kept')),
    status_reason   BLOB,                            -- sealed in the workplace space
    status_by       INTEGER REFERENCES person(id),
    status_at       TEXT,
    -- Taken up onto the agenda of a planned GRUS: that dialogue and point.
    dialogue_id     INTEGER REFERENCES dialogue(id) ON DELETE SET NULL,
    agenda_item_id  INTEGER REFERENCES agenda_item(id) ON DELETE SET NULL,
    status_sig      BLOB
);
CREATE INDEX rule_report_status ON rule_report(status);

-- A good example (a case), private to its author or shared with the
-- workplace; sealed in the author's private space or the workplace space.
-- "case" is an SQL keyword, so the table is good_case.
CREATE TABLE good_case (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES person(id),
    dialogue_id  INTEGER REFERENCES dialogue(id) ON DELETE SET NULL,
    shared       INTEGER NOT NULL CHECK (shared IN (0, 1)),
    title        BLOB NOT NULL,
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    sig          BLOB
);
CREATE INDEX good_case_author ON good_case(author_id);
CREATE INDEX good_case_shared ON good_case(shared) WHERE shared = 1;

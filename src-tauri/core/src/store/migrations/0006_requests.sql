-- An employee asks their manager for a dialogue. The kind and who asked
-- whom are metadata in clear; the reason and the manager's answer are
-- sealed in the pair's space. The employee signs the request; the manager
-- signs how it was closed: by planning a dialogue from it, or an answer.
-- A closure whose signature fails counts as no closure: the request stays
-- open, so no one can make it disappear by editing the file.

CREATE TABLE dialogue_request (
    id           INTEGER PRIMARY KEY,
    employee_id  INTEGER NOT NULL REFERENCES person(id),
    manager_id   INTEGER NOT NULL REFERENCES person(id),
    kind         TEXT NOT NULL CHECK (kind IN ('follow_up', 'mus', 'grus', 'wellbeing', 'ad_hoc')),
    reason       BLOB,
    created_at   TEXT NOT NULL,
    sig          BLOB NOT NULL,
    closed_at    TEXT,
    closed_by    INTEGER REFERENCES person(id),
    dialogue_id  INTEGER REFERENCES dialogue(id),
    answer       BLOB,
    closed_sig   BLOB
);

CREATE INDEX dialogue_request_manager ON dialogue_request(manager_id, closed_at);
CREATE INDEX dialogue_request_employee ON dialogue_request(employee_id, created_at);

-- People who have left the workplace. That someone has left is a signed
-- fact in the roster (`left` in their entry): it is what refuses their
-- sign-in and keeps them out of planning. This column only lets the
-- sign-in list, shown before anyone has unlocked a key, leave them out.

ALTER TABLE person ADD COLUMN left_at TEXT;

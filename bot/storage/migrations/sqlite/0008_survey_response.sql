-- 8: survey answers without a user id (Appendix 3, §18). The i-stats branch defines this table too:
-- at merge its migration is kept and this one dropped.
CREATE TABLE survey_response (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    office_id TEXT NOT NULL,
    department_id TEXT,
    visited_on TEXT NOT NULL,
    quality INTEGER CHECK (quality IS NULL OR quality BETWEEN 1 AND 5),
    information INTEGER CHECK (information IS NULL OR information BETWEEN 1 AND 5),
    courtesy INTEGER CHECK (courtesy IS NULL OR courtesy BETWEEN 1 AND 5),
    on_time INTEGER CHECK (on_time IS NULL OR on_time IN (0, 1)),
    channel TEXT NOT NULL CHECK (channel IN ('bot', 'paper')),
    idempotency_key TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_response_office ON survey_response (office_id, visited_on);

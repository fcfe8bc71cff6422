-- 8: the survey answers of Appendix 3 (bot and paper), kept apart from who gave them (no user id),
-- and the citizens each office served per month (4.1), entered by staff (bot.storage.surveys).
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
CREATE INDEX survey_response_department ON survey_response (department_id, visited_on);
CREATE INDEX survey_response_visited ON survey_response (visited_on);
CREATE TABLE served_count (
    office_id TEXT NOT NULL,
    month TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (office_id, month)
);

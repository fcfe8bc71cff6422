-- 9: "I handed in my documents" (§14): one record per user of the office and the day on the Appendix 2
-- talon, the §7.1 due day and the reminder day, and what of the reminder and the survey was sent.
-- survey_answers holds the user's survey progress (JSON) only until the survey is done; the answers
-- are then stored apart from who gave them (survey_response) and this column is emptied.
CREATE TABLE visit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL UNIQUE,
    locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru')),
    office_id TEXT NOT NULL,
    department_id TEXT,
    accepted_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    remind_on TEXT NOT NULL,
    reminded INTEGER NOT NULL DEFAULT 0 CHECK (reminded IN (0, 1)),
    next_ask_on TEXT,
    survey_sent TEXT NOT NULL DEFAULT '[]',
    survey_answers TEXT,
    survey_done INTEGER NOT NULL DEFAULT 0 CHECK (survey_done IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX visit_remind ON visit (reminded, remind_on);
CREATE INDEX visit_ask ON visit (next_ask_on);

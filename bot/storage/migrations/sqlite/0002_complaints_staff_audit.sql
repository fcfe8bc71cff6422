-- 2: complaints (§20–§25) with their talons, staff and their scopes, and the audit log.
-- Times are UTC ('YYYY-MM-DDTHH:MM:SS.ffffffZ', so text order is time order); dates are Almaty days.
CREATE TABLE talon_sequence (
    name TEXT PRIMARY KEY,
    last_value INTEGER NOT NULL CHECK (last_value >= 0)
);
INSERT INTO talon_sequence (name, last_value) VALUES ('complaint', 0);
CREATE TABLE complaint (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    talon TEXT NOT NULL UNIQUE,
    sequence INTEGER NOT NULL UNIQUE,
    idempotency_key TEXT UNIQUE,
    citizen_user_id INTEGER,
    locale TEXT CHECK (locale IS NULL OR locale IN ('kk', 'ru')),
    kind TEXT NOT NULL CHECK (kind IN ('individual', 'legal_entity')),
    surname TEXT,
    name TEXT,
    patronymic TEXT,
    postal_address TEXT NOT NULL,
    entity_name TEXT,
    outgoing_number TEXT,
    outgoing_date TEXT,
    office_id TEXT NOT NULL,
    department_id TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('post', 'email', 'hand', 'bot')),
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered', 'in_review', 'answered', 'closed', 'forwarded')),
    registered_at TEXT NOT NULL,
    due_date TEXT NOT NULL,
    accepted_by TEXT,
    assignee_user_id INTEGER,
    answer_text TEXT,
    answered_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX complaint_office_status ON complaint (office_id, status, registered_at);
CREATE INDEX complaint_department_status ON complaint (department_id, status, registered_at);
CREATE INDEX complaint_status_registered ON complaint (status, registered_at);
CREATE INDEX complaint_citizen ON complaint (citizen_user_id, registered_at);
CREATE INDEX complaint_registered_at ON complaint (registered_at);
CREATE TABLE staff_member (
    user_id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
CREATE TABLE staff_grant (
    user_id INTEGER NOT NULL REFERENCES staff_member (user_id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('office_staff', 'department_supervisor', 'admin')),
    scope TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    PRIMARY KEY (user_id, role, scope),
    CHECK ((role = 'admin') = (scope = ''))
);
CREATE INDEX staff_grant_scope ON staff_grant (role, scope);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    complaint_id INTEGER REFERENCES complaint (id) ON DELETE CASCADE,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_complaint ON audit_log (complaint_id, id);
CREATE INDEX audit_log_at ON audit_log (at);


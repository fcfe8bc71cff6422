-- 5: a revision counter on each complaint, raised by every change: a staff action carries the
-- revision the official saw and is applied only to that revision (compare-and-set on the whole row).
ALTER TABLE complaint ADD COLUMN version INTEGER NOT NULL DEFAULT 0;


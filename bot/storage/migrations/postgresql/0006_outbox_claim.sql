-- 6: an outbox row is claimed by one worker until a moment (now + lease) before it is sent, so two
-- replicas never send one notice twice and a dead replica's claims are taken over after the lease.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

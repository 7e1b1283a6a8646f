-- The audit trail: metadata about consultations, never content.
-- One hash chain per issuer (the partner platform that vouches for the host).

CREATE TABLE audit_events (
  issuer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  -- Epoch milliseconds.
  at INTEGER NOT NULL,
  consultation TEXT NOT NULL,
  type TEXT NOT NULL,
  participant_id TEXT,
  participant_role TEXT,
  participant_verified TEXT,
  -- Personal fields: erasable. The chain covers only their keyed digests.
  participant_name TEXT,
  participant_sub TEXT,
  name_digest TEXT,
  sub_digest TEXT,
  by_id TEXT,
  reason TEXT,
  hash TEXT NOT NULL,
  -- Two writers that read the same chain head cannot both append: the
  -- second insert fails here and that writer reads the new head and retries.
  PRIMARY KEY (issuer, seq)
);

CREATE INDEX audit_events_by_consultation ON audit_events (issuer, consultation);
CREATE INDEX audit_events_by_subject ON audit_events (issuer, participant_sub);

-- Each issuer's chain: its newest event (so a deleted last row is noticed)
-- and the last event the retention purge removed (where the chain now starts).
CREATE TABLE audit_chains (
  issuer TEXT PRIMARY KEY,
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  anchor_seq INTEGER NOT NULL,
  anchor_hash TEXT NOT NULL
);

-- loyalty-engine, PostgreSQL schema version 1.
-- Every row is keyed by tenant_id first, then by the customer: a distributed deployment
-- (CockroachDB, YugabyteDB) shards on (tenant_id, customer_id), so that one unit of work (one
-- customer's accounts, ledger, schedule) stays on one range. Portable SQL only: no advisory
-- locks, no LISTEN/NOTIFY, no triggers or PL/pgSQL, and the ledger's order is the per-account
-- seq (the account version), never a SERIAL.

CREATE TABLE IF NOT EXISTS loyalty_customers (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  profile jsonb NOT NULL,
  programs jsonb NOT NULL,
  CONSTRAINT loyalty_customers_pkey PRIMARY KEY (tenant_id, customer_id)
);

-- The account state is a cache of the fold of its transactions; version = transactions folded in.
CREATE TABLE IF NOT EXISTS loyalty_accounts (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  program_id text NOT NULL,
  version bigint NOT NULL,
  state jsonb NOT NULL,
  CONSTRAINT loyalty_accounts_pkey PRIMARY KEY (tenant_id, customer_id, program_id)
);

-- One row per ledger transaction; seq is the account version the transaction produced (1, 2, ...).
CREATE TABLE IF NOT EXISTS loyalty_transactions (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  program_id text NOT NULL,
  seq bigint NOT NULL,
  transaction_id text NOT NULL,
  program_version integer NOT NULL,
  at timestamptz NOT NULL,
  cause_kind text NOT NULL,
  cause_id text,
  cause jsonb NOT NULL,
  entries jsonb NOT NULL,
  CONSTRAINT loyalty_transactions_pkey PRIMARY KEY (tenant_id, customer_id, program_id, seq),
  CONSTRAINT loyalty_transactions_id_key UNIQUE (tenant_id, customer_id, program_id, transaction_id)
);

-- One row per posting (one side of a movement): the sum of amount per unit is zero for every
-- transaction, and the sum per account is the balance.
CREATE TABLE IF NOT EXISTS loyalty_postings (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  program_id text NOT NULL,
  seq bigint NOT NULL,
  entry_index integer NOT NULL,
  posting_index integer NOT NULL,
  transaction_id text NOT NULL,
  kind text NOT NULL,
  unit text NOT NULL,
  account text NOT NULL,
  amount numeric NOT NULL,
  order_id text,
  at timestamptz NOT NULL,
  CONSTRAINT loyalty_postings_pkey PRIMARY KEY (tenant_id, customer_id, program_id, seq, entry_index, posting_index)
);

CREATE INDEX IF NOT EXISTS loyalty_postings_by_program ON loyalty_postings (tenant_id, program_id, unit, account);

-- Which transactions touch which order (a refund finds its order's history here).
CREATE TABLE IF NOT EXISTS loyalty_transaction_orders (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  program_id text NOT NULL,
  order_id text NOT NULL,
  seq bigint NOT NULL,
  CONSTRAINT loyalty_transaction_orders_pkey PRIMARY KEY (tenant_id, customer_id, program_id, order_id, seq)
);

-- Idempotency: one record per event id (or request id), with the payload hash compared on replay.
CREATE TABLE IF NOT EXISTS loyalty_processed (
  tenant_id text NOT NULL,
  event_key text NOT NULL,
  customer_id text NOT NULL,
  fingerprint text NOT NULL,
  outcomes jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT loyalty_processed_pkey PRIMARY KEY (tenant_id, event_key)
);

CREATE INDEX IF NOT EXISTS loyalty_processed_by_customer ON loyalty_processed (tenant_id, customer_id);

CREATE TABLE IF NOT EXISTS loyalty_schedules (
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  program_id text NOT NULL,
  due_at timestamptz,
  ticked_at timestamptz,
  CONSTRAINT loyalty_schedules_pkey PRIMARY KEY (tenant_id, customer_id, program_id)
);

CREATE INDEX IF NOT EXISTS loyalty_schedules_due ON loyalty_schedules (tenant_id, due_at) WHERE due_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS loyalty_counters (
  tenant_id text NOT NULL,
  name text NOT NULL,
  value bigint NOT NULL,
  CONSTRAINT loyalty_counters_pkey PRIMARY KEY (tenant_id, name)
);

CREATE TABLE IF NOT EXISTS loyalty_sequences (
  tenant_id text NOT NULL,
  name text NOT NULL,
  value bigint NOT NULL,
  CONSTRAINT loyalty_sequences_pkey PRIMARY KEY (tenant_id, name)
);

-- Outbox seqs come from a sequence: unique, roughly in commit order (not strictly: a row with a
-- lower seq may commit after one with a higher seq), with no hot row that every writer updates.
CREATE SEQUENCE IF NOT EXISTS loyalty_outbox_seq;

CREATE TABLE IF NOT EXISTS loyalty_outbox (
  tenant_id text NOT NULL,
  seq bigint NOT NULL DEFAULT nextval('loyalty_outbox_seq'),
  customer_id text NOT NULL,
  notification jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  CONSTRAINT loyalty_outbox_pkey PRIMARY KEY (tenant_id, seq)
);

CREATE INDEX IF NOT EXISTS loyalty_outbox_unacknowledged ON loyalty_outbox (tenant_id, seq) WHERE acknowledged_at IS NULL;

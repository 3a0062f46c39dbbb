// An event in two statements: one read of every key the service is about to read (the event's
// record, the customer, its accounts and schedules, the order claims) and one write of everything
// it then writes (a data-modifying CTE over JSON arrays). Each call of the session would otherwise
// be a round trip, and round trips, not the library's work, set the pace of a unit of work.
import { encodeLedgerJson } from '../../ledger/codec';
import { orderIdsOf } from '../../ledger/orders';
import type { AccountState } from '../../ledger/types';
import type { AppendBatch, PrefetchKeys, ProcessedRecord, Schedule, StoredCustomer } from '../../store/types';
import type { Customer } from '../../schema/customer';
import type { SqlQueryable } from './driver';
import { outcomesDocument, referencedTransactions, resolveOutcomes } from './records';
import { causeIdOf, dateOf, dateOrNull, fromJson, numberOf, postingRows, stateOf } from './rows';

/** The key of an account (or its schedule) in the prefetched maps. */
export const accountKey = (programId: string, customerId: string): string => JSON.stringify([programId, customerId]);

/**
 * What one prefetch found: each key asked for is in its map, `undefined` when absent (a counter
 * never written reads 0). A map hit answers the session's read without a round trip.
 */
export interface Prefetched {
  readonly processed: Map<string, ProcessedRecord | undefined>;
  readonly customers: Map<string, StoredCustomer | undefined>;
  readonly accounts: Map<string, AccountState | undefined>;
  readonly schedules: Map<string, Schedule | undefined>;
  readonly counters: Map<string, number>;
}

/** An empty cache. */
export const noPrefetch = (): Prefetched => ({ processed: new Map(), customers: new Map(), accounts: new Map(), schedules: new Map(), counters: new Map() });

/** How the batch statements name tables and whether they lock. */
export interface BatchContext {
  readonly tx: SqlQueryable;
  readonly tenantId: string;
  readonly table: (name: string) => string;
  readonly lockAccounts: boolean;
}

/**
 * The elements of a JSON array parameter, with their count in the SQL (`LIMIT n`). A set-returning
 * function is planned at 100 rows; a prepared statement's generic plan, made while the tables are
 * small and not yet analyzed, then scans every row of the tenant instead of probing each key, at a
 * cost per event that grows with the table. Told the true count (1 or 2 here), the planner probes.
 * The count comes from the same array, so no element is cut off.
 */
const elements = (param: string, count: number): string => `SELECT jsonb_array_elements_text(${param}::jsonb) LIMIT ${count}`;

/**
 * The distinct elements of a JSON array parameter, in order, as `keys(k)`: each is then looked up
 * by a `LATERAL (… = keys.k OFFSET 0)` subquery, which the planner cannot flatten into a join and
 * so runs as a probe of the key per element (locks, if any, taken in the keys' order).
 */
const distinctKeys = (param: string): string => `(SELECT DISTINCT k FROM jsonb_array_elements_text(${param}::jsonb) AS e(k) ORDER BY k) AS keys`;

/**
 * The read: every row in one statement, one row per found key, tagged by `kind`. The customer,
 * accounts, schedules and counters are locked (`FOR UPDATE`, customer first as `getCustomer`
 * then `getAccount` do): a locked row is read as last committed, after any wait, so the schedule
 * and a claim read here are as fresh as if read after the account lock.
 */
function prefetchSql(t: (name: string) => string, lock: boolean, keys: PrefetchKeys): string {
  const forUpdate = lock ? ' FOR UPDATE' : '';
  const inPrograms = `program_id IN (${elements('$3', keys.programIds.length)})`;
  return `WITH cust AS (SELECT profile, programs FROM ${t('loyalty_customers')} WHERE tenant_id = $1 AND customer_id = $2${forUpdate}),
  acc AS (SELECT program_id, version, state FROM ${t('loyalty_accounts')} WHERE tenant_id = $1 AND customer_id = $2 AND ${inPrograms} ORDER BY program_id${forUpdate}),
  sch AS (SELECT program_id, due_at, ticked_at FROM ${t('loyalty_schedules')} WHERE tenant_id = $1 AND customer_id = $2 AND ${inPrograms} ORDER BY program_id${forUpdate}),
  cnt AS (SELECT c.name, c.value FROM ${distinctKeys('$4')} CROSS JOIN LATERAL (SELECT name, value FROM ${t('loyalty_counters')} WHERE tenant_id = $1 AND name = keys.k OFFSET 0${forUpdate}) c),
  proc AS (SELECT p.* FROM ${distinctKeys('$5')} CROSS JOIN LATERAL (SELECT * FROM ${t('loyalty_processed')} WHERE tenant_id = $1 AND event_key = keys.k OFFSET 0) p)
SELECT 'customer' AS kind, NULL::text AS key, profile AS doc, programs AS doc2, NULL::bigint AS num, NULL::text AS txt, NULL::text AS txt2, NULL::timestamptz AS t1, NULL::timestamptz AS t2 FROM cust
UNION ALL SELECT 'account', program_id, state, NULL, version, NULL, NULL, NULL, NULL FROM acc
UNION ALL SELECT 'schedule', program_id, NULL, NULL, NULL, NULL, NULL, due_at, ticked_at FROM sch
UNION ALL SELECT 'counter', name, NULL, NULL, value, NULL, NULL, NULL, NULL FROM cnt
UNION ALL SELECT 'processed', event_key, outcomes, NULL, NULL, customer_id, fingerprint, recorded_at, NULL FROM proc
UNION ALL SELECT 'referenced', p.event_key, ref_t.cause, ref_t.entries, ref_t.program_version::bigint, ref_t.transaction_id, ref_t.program_id, ref_t.at, NULL
  FROM proc p ${referencedTransactions(t, 'p')}`;
}

interface PrefetchRow {
  readonly kind: string;
  readonly key: string | null;
  readonly doc: unknown;
  readonly doc2: unknown;
  readonly num: unknown;
  readonly txt: string | null;
  readonly txt2: string | null;
  readonly t1: unknown;
  readonly t2: unknown;
}

/** Reads `keys` in one statement into a fresh cache. */
export async function prefetchRows(ctx: BatchContext, keys: PrefetchKeys): Promise<Prefetched> {
  const { customerId } = keys;
  const params = [ctx.tenantId, customerId, JSON.stringify(keys.programIds), JSON.stringify(keys.counters), JSON.stringify(keys.processed)];
  const { rows } = await ctx.tx.query<PrefetchRow>(prefetchSql(ctx.table, ctx.lockAccounts, keys), params);
  const found = noPrefetch();
  found.customers.set(customerId, undefined);
  for (const id of keys.programIds) {
    found.accounts.set(accountKey(id, customerId), undefined);
    found.schedules.set(accountKey(id, customerId), undefined);
  }
  for (const name of keys.counters) found.counters.set(name, 0);
  for (const key of keys.processed) found.processed.set(key, undefined);
  for (const row of rows) take(found, row, customerId);
  // A record's outcomes may reference stored transactions: read with it, as 'referenced' rows.
  for (const row of rows) {
    if (row.kind !== 'processed') continue;
    const customer = String(row.txt);
    const referenced = rows
      .filter((r) => r.kind === 'referenced' && r.key === row.key)
      .map((r) => ({ program_id: r.txt2, customer_id: customer, transaction_id: r.txt, program_version: r.num, at: r.t1, cause: r.doc, entries: r.doc2 }));
    const outcomes = resolveOutcomes(row.doc, customer, referenced);
    found.processed.set(row.key ?? '', { eventId: row.key ?? '', customerId: customer, fingerprint: String(row.txt2), outcomes, recordedAt: dateOf(row.t1) });
  }
  return found;
}

function take(found: Prefetched, row: PrefetchRow, customerId: string): void {
  const key = row.key ?? '';
  if (row.kind === 'customer') found.customers.set(customerId, { profile: fromJson(row.doc) as Customer, programs: fromJson(row.doc2) as string[] });
  else if (row.kind === 'account') found.accounts.set(accountKey(key, customerId), stateOf({ program_id: key, customer_id: customerId, state: row.doc, version: row.num }));
  else if (row.kind === 'schedule') found.schedules.set(accountKey(key, customerId), { dueAt: dateOrNull(row.t1), tickedAt: dateOrNull(row.t2) });
  else if (row.kind === 'counter') found.counters.set(key, numberOf(row.num));
}

/**
 * The write: the same statements `setSchedule`, `addToCounter` and `append` send, as the parts of
 * one data-modifying CTE. Each part reads the statement's snapshot, so the checks stay as they
 * were: an account moves only from its expected version (or is created at version 0 when absent),
 * a transaction is inserted only when its id is new to the account (its postings and order rows
 * only with it), a counter moves only from the value read. The answer names what each part did;
 * the caller throws, and the unit rolls back, when a check refused a row. A racing writer still
 * meets the unique keys (23505) and, above READ COMMITTED, serialization failures (40001).
 * `OFFSET 0` keeps each NOT EXISTS a probe of the full key per row: turned into an anti-join, it
 * was planned (tables not yet analyzed) as a read of every key of the tenant.
 */
function batchSql(t: (name: string) => string, batch: AppendBatch): string {
  const rs = (n: number, columns: string): string => `jsonb_to_recordset($${n}::jsonb) AS x(${columns})`;
  // The rows the statement probes tables with, counted in the SQL (see `elements`).
  const counted = (n: number, columns: string, count: number): string => `(SELECT * FROM ${rs(n, columns)} LIMIT ${count}) AS x`;
  const sameAccount = (alias: string): string => `${alias}.tenant_id = $1 AND ${alias}.customer_id = x.customer_id AND ${alias}.program_id = x.program_id`;
  return `WITH
sch AS (INSERT INTO ${t('loyalty_schedules')} (tenant_id, customer_id, program_id, due_at, ticked_at)
  SELECT $1, x.customer_id, x.program_id, x.due_at, x.ticked_at FROM ${rs(2, 'customer_id text, program_id text, due_at timestamptz, ticked_at timestamptz')}
  ON CONFLICT (tenant_id, customer_id, program_id) DO UPDATE SET due_at = excluded.due_at, ticked_at = excluded.ticked_at),
cnt_in AS (SELECT * FROM ${counted(3, 'name text, add_by bigint, expected bigint', batch.counters.length)}),
cnt_moved AS (UPDATE ${t('loyalty_counters')} c SET value = c.value + x.add_by FROM cnt_in x WHERE c.tenant_id = $1 AND c.name = x.name AND c.value = x.expected RETURNING c.name),
cnt_created AS (INSERT INTO ${t('loyalty_counters')} (tenant_id, name, value)
  SELECT $1, x.name, x.add_by FROM cnt_in x WHERE x.expected = 0 AND NOT EXISTS (SELECT 1 FROM ${t('loyalty_counters')} c WHERE c.tenant_id = $1 AND c.name = x.name OFFSET 0)
  ON CONFLICT DO NOTHING RETURNING name),
cnt_added AS (INSERT INTO ${t('loyalty_counters')} AS c (tenant_id, name, value) SELECT $1, x.name, x.add_by FROM cnt_in x WHERE x.expected IS NULL
  ON CONFLICT (tenant_id, name) DO UPDATE SET value = c.value + excluded.value RETURNING name),
acc_in AS (SELECT * FROM ${counted(4, 'customer_id text, program_id text, expected bigint, version bigint, state jsonb', batch.writes.length)}),
acc_moved AS (UPDATE ${t('loyalty_accounts')} a SET version = x.version, state = x.state FROM acc_in x WHERE ${sameAccount('a')} AND a.version = x.expected RETURNING a.customer_id, a.program_id),
acc_created AS (INSERT INTO ${t('loyalty_accounts')} (tenant_id, customer_id, program_id, version, state)
  SELECT $1, x.customer_id, x.program_id, x.version, x.state FROM acc_in x WHERE x.expected = 0 AND NOT EXISTS (SELECT 1 FROM ${t('loyalty_accounts')} a WHERE ${sameAccount('a')} OFFSET 0)
  ON CONFLICT DO NOTHING RETURNING customer_id, program_id),
txn AS (INSERT INTO ${t('loyalty_transactions')} (tenant_id, customer_id, program_id, seq, transaction_id, program_version, at, cause_kind, cause_id, cause, entries)
  SELECT $1, x.customer_id, x.program_id, x.seq, x.transaction_id, x.program_version, x.at, x.cause_kind, x.cause_id, x.cause, x.entries
  FROM ${counted(5, 'customer_id text, program_id text, seq bigint, transaction_id text, program_version integer, at timestamptz, cause_kind text, cause_id text, cause jsonb, entries jsonb', batch.writes.length)}
  WHERE NOT EXISTS (SELECT 1 FROM ${t('loyalty_transactions')} d WHERE ${sameAccount('d')} AND d.transaction_id = x.transaction_id OFFSET 0)
  RETURNING customer_id, program_id, seq, transaction_id),
post AS (INSERT INTO ${t('loyalty_postings')} (tenant_id, customer_id, program_id, seq, entry_index, posting_index, transaction_id, kind, unit, account, amount, order_id, at)
  SELECT $1, x.customer_id, x.program_id, x.seq, x.entry_index, x.posting_index, x.transaction_id, x.kind, x.unit, x.account, x.amount, x.order_id, x.at
  FROM ${rs(6, 'customer_id text, program_id text, seq bigint, entry_index integer, posting_index integer, transaction_id text, kind text, unit text, account text, amount numeric, order_id text, at timestamptz')}
  JOIN txn ON txn.customer_id = x.customer_id AND txn.program_id = x.program_id AND txn.seq = x.seq),
ord AS (INSERT INTO ${t('loyalty_transaction_orders')} (tenant_id, customer_id, program_id, order_id, seq)
  SELECT $1, x.customer_id, x.program_id, x.order_id, x.seq FROM ${rs(7, 'customer_id text, program_id text, order_id text, seq bigint')}
  JOIN txn ON txn.customer_id = x.customer_id AND txn.program_id = x.program_id AND txn.seq = x.seq),
proc AS (INSERT INTO ${t('loyalty_processed')} (tenant_id, event_key, customer_id, fingerprint, outcomes, recorded_at)
  SELECT $1, x.event_key, x.customer_id, x.fingerprint, x.outcomes, x.recorded_at FROM ${rs(8, 'event_key text, customer_id text, fingerprint text, outcomes jsonb, recorded_at timestamptz')}),
outbox AS (INSERT INTO ${t('loyalty_outbox')} (tenant_id, customer_id, notification)
  SELECT $1, x.customer_id, x.notification FROM ${rs(9, 'n integer, customer_id text, notification jsonb')} ORDER BY x.n)
SELECT (SELECT coalesce(jsonb_agg(name), '[]'::jsonb) FROM (SELECT name FROM cnt_moved UNION ALL SELECT name FROM cnt_created UNION ALL SELECT name FROM cnt_added) c) AS counters,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(program_id, customer_id)), '[]'::jsonb) FROM (SELECT program_id, customer_id FROM acc_moved UNION ALL SELECT program_id, customer_id FROM acc_created) a) AS accounts,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(program_id, customer_id, transaction_id)), '[]'::jsonb) FROM txn) AS transactions`;
}

/** The answer of the write: what each checked part did. */
export interface BatchAnswer {
  /** Counter names that moved. */
  readonly counters: ReadonlySet<string>;
  /** Accounts (by {@link accountKey}) that moved or were created. */
  readonly accounts: ReadonlySet<string>;
  /** Transactions inserted, as `accountKey` + id. */
  readonly transactions: ReadonlySet<string>;
}

/** The key of a transaction in {@link BatchAnswer.transactions}. */
export const transactionKey = (programId: string, customerId: string, id: string): string => JSON.stringify([programId, customerId, id]);

/**
 * Sends the write of `batch` as one statement. `expected` gives, per counter, the value the unit
 * read (a counter not read is added to blindly, as `addToCounter` does).
 */
export async function writeBatch(ctx: BatchContext, batch: AppendBatch, expected: ReadonlyMap<string, number>): Promise<BatchAnswer> {
  const json = (rows: readonly unknown[]): string => JSON.stringify(rows);
  const params = [
    ctx.tenantId,
    json(batch.schedules.map((s) => ({ customer_id: s.customerId, program_id: s.programId, due_at: s.schedule.dueAt, ticked_at: s.schedule.tickedAt }))),
    json(batch.counters.map((c) => ({ name: c.name, add_by: c.by, expected: expected.get(c.name) ?? null }))),
    json(batch.writes.map((w) => ({ customer_id: w.customerId, program_id: w.programId, expected: w.expectedVersion, version: w.state.version, state: stateDocument(w.state) }))),
    json(batch.writes.map((w) => transactionDocument(w.customerId, w.programId, w.state.version, w.transaction))),
    json(batch.writes.flatMap((w) => postingRows(w.transaction).map((p) => postingDocument(w.customerId, w.programId, w.state.version, p)))),
    json(batch.writes.flatMap((w) => [...orderIdsOf(w.transaction)].map((o) => ({ customer_id: w.customerId, program_id: w.programId, order_id: o, seq: w.state.version })))),
    json(batch.processed ? [processedDocument(batch.processed, batch.writes)] : []),
    // `n`: the outbox seqs follow the notifications' order.
    json(batch.outbox.map((n, i) => ({ n: i, customer_id: n.customerId, notification: encodeLedgerJson(n) }))),
  ];
  const { rows } = await ctx.tx.query<{ counters: unknown; accounts: unknown; transactions: unknown }>(batchSql(ctx.table, batch), params);
  const answer = rows[0];
  const list = (value: unknown): unknown[] => (typeof value === 'string' ? (JSON.parse(value) as unknown[]) : (value as unknown[] | undefined) ?? []);
  return {
    counters: new Set(list(answer?.counters).map(String)),
    accounts: new Set(list(answer?.accounts).map((a) => JSON.stringify(a))),
    transactions: new Set(list(answer?.transactions).map((a) => JSON.stringify(a))),
  };
}

/** The state document `stateText` writes, as a value inside the batch's JSON. */
function stateDocument(state: AccountState): unknown {
  const { programId: _p, customerId: _c, ...rest } = state;
  return encodeLedgerJson(rest);
}

function transactionDocument(customerId: string, programId: string, seq: number, txn: AppendBatch['writes'][number]['transaction']): unknown {
  return {
    customer_id: customerId,
    program_id: programId,
    seq,
    transaction_id: txn.id,
    program_version: txn.programVersion,
    at: txn.at.toISOString(),
    cause_kind: txn.cause.kind,
    cause_id: causeIdOf(txn.cause),
    cause: encodeLedgerJson(txn.cause),
    entries: encodeLedgerJson(txn.entries),
  };
}

function postingDocument(customerId: string, programId: string, seq: number, p: ReturnType<typeof postingRows>[number]): unknown {
  const [entryIndex, postingIndex, transactionId, kind, unit, account, amount, orderId, at] = p;
  return { customer_id: customerId, program_id: programId, seq, entry_index: entryIndex, posting_index: postingIndex, transaction_id: transactionId, kind, unit, account, amount, order_id: orderId, at };
}

function processedDocument(r: ProcessedRecord, writes: AppendBatch['writes']): unknown {
  return { event_key: r.eventId, customer_id: r.customerId, fingerprint: r.fingerprint, outcomes: outcomesDocument(r, writes), recorded_at: r.recordedAt.toISOString() };
}

/**
 * True when the batch can be one statement: a statement cannot change one row twice, so a batch
 * that writes one account, schedule or counter twice goes call by call instead.
 */
export function batchable(batch: AppendBatch): boolean {
  const distinct = (keys: string[]): boolean => new Set(keys).size === keys.length;
  return (
    distinct(batch.schedules.map((s) => accountKey(s.programId, s.customerId))) &&
    distinct(batch.counters.map((c) => c.name)) &&
    distinct(batch.writes.map((w) => accountKey(w.programId, w.customerId)))
  );
}

// The PostgreSQL store on PGlite (real Postgres compiled to WASM, one connection): the SQL, the
// schema, atomicity and the retry loop. Locking between connections is proved on a real server
// (postgres-server.test.ts). One PGlite for the file (a cold start takes seconds); each case
// works in a tenant or schema of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { LoyaltyError } from '../../src';
import { emptyAccountState, parseEvent } from '../../src/core';
import { migrate, migrationSql, postgresStore, retryReason, type RetryInfo, type SqlDriver } from '../../src/adapters/postgres';
import { audit, freshTenant, purchase, refund, scenario, service } from './postgres-fixtures';
import { rejection } from '../rejection';
import { eventFingerprint } from '../../src/service/canonical';
import { runStoreConformance } from '../../src/testing';
import { sharedPGlite } from './pglite-shared';

let driver: SqlDriver;

sharedPGlite((opened) => (driver = opened));

test('loyalty-engine/postgres exports the store, the migrations and the drivers, and nothing else', async () => {
  const mod = await import('../../src/adapters/postgres');
  expect(Object.keys(mod).sort()).toEqual(['CommitOutcomeUnknownError', 'fromPGlite', 'fromPgPool', 'isConnectionError', 'migrate', 'migrationSql', 'postgresStore', 'retryReason']);
});

describe('migrations', () => {
  test('migrationSql() is exactly the shipped .sql files', () => {
    const dir = join(import.meta.dirname, '../../src/adapters/postgres/migrations');
    const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(migrationSql().map((m) => m.file)).toEqual(files);
    for (const m of migrationSql()) expect(m.sql).toBe(readFileSync(join(dir, m.file), 'utf8'));
  });

  test('migrate records the versions it applied and is idempotent', async () => {
    expect(await migrate(driver)).toEqual({ applied: [], version: 1 });
    const { rows } = await driver.query<{ version: number }>('SELECT version FROM loyalty_schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1]);
  });

  test('migrate into a schema of its own; the store there sees nothing of the default schema', async () => {
    expect(await migrate(driver, { schema: 'loyalty_b' })).toEqual({ applied: [1], version: 1 });
    expect(await migrate(driver, { schema: 'loyalty_b' })).toEqual({ applied: [], version: 1 });
    const s = service({ driver, schema: 'loyalty_b' });
    await scenario(s);
    expect((await audit(driver, s, 'loyalty_b')).transactions).toBeGreaterThan(10);
    const elsewhere = await driver.query('SELECT 1 FROM loyalty_transactions WHERE tenant_id = $1', [s.tenantId]);
    expect(elsewhere.rows).toEqual([]);
  });

  test('a schema name that is not a plain identifier is refused before any SQL runs', async () => {
    const error = await rejection(migrate(driver, { schema: 'x"; DROP TABLE loyalty_accounts; --' }));
    expect(error.issues[0].path).toEqual(['schema']);
    expect(() => postgresStore({ driver, schema: 'Bad Name' })).toThrow(LoyaltyError);
  });
});

describe('the ledger as rows', () => {
  test('a scenario over every write path: verify is clean, SQL sums equal the balances, postings sum to zero', async () => {
    const s = service({ driver });
    await scenario(s);
    const figures = await audit(driver, s);
    expect(figures.accounts).toBe(2);
    expect(figures.postings).toBeGreaterThan(figures.transactions);
    // The SQL a user would write: a balance by SUM.
    const { rows } = await driver.query<{ balance: string }>(
      "SELECT sum(amount)::text AS balance FROM loyalty_postings WHERE tenant_id = $1 AND program_id = 'rewards' AND customer_id = 'c1' AND unit = 'points' AND account = 'available'",
      [s.tenantId],
    );
    const view = await s.loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(rows[0]?.balance).toBe(view.balance.available.toString());
    expect(view.balance.available.gt(0)).toBe(true);
  });

  test('amounts are NUMERIC and exact: 0.1 + 0.2 credit sums to 0.3', async () => {
    const { rows } = await driver.query<{ t: string }>("SELECT (sum(amount))::text AS t FROM (VALUES ('0.1'::numeric), ('0.2'::numeric)) AS v(amount)");
    expect(rows[0]?.t).toBe('0.3');
    const { rows: types } = await driver.query<{ data_type: string }>("SELECT data_type FROM information_schema.columns WHERE table_name = 'loyalty_postings' AND column_name = 'amount'");
    expect(types[0]?.data_type).toBe('numeric');
  });

  test('history pages newest first, and next pages on to the oldest', async () => {
    const s = service({ driver });
    await scenario(s);
    const all = await s.loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
    const seen = [];
    let before: number | undefined;
    for (;;) {
      const page = await s.loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 3, ...(before === undefined ? {} : { before }) });
      seen.push(...page.transactions);
      if (page.next === undefined) break;
      before = page.next;
    }
    expect(seen.map((t) => t.id)).toEqual(all.transactions.map((t) => t.id));
    expect(all.transactions.length).toBeGreaterThan(10);
  });

  test('a replay returns the first outcome, and a changed payload is an idempotency_conflict that writes nothing', async () => {
    const s = service({ driver });
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const first = await s.loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
    const again = await s.loyalty.process(purchase('e1', 'c1', '80.00', '2027-03-01T11:00:00Z'));
    expect(again.replayed).toBe(true);
    expect(again.outcomes).toEqual(first.outcomes);
    const before = await driver.query('SELECT count(*)::int AS n FROM loyalty_transactions WHERE tenant_id = $1', [s.tenantId]);
    expect((await rejection(s.loyalty.process(purchase('e1', 'c1', '81', '2027-03-01T11:00:00Z')))).code).toBe('idempotency_conflict');
    expect((await driver.query('SELECT count(*)::int AS n FROM loyalty_transactions WHERE tenant_id = $1', [s.tenantId])).rows).toEqual(before.rows);
    const record = await driver.query<{ fingerprint: string }>('SELECT fingerprint FROM loyalty_processed WHERE tenant_id = $1', [s.tenantId]);
    // The stored fingerprint hashes the canonical text, in which "80" and "80.00" are one amount.
    expect(record.rows[0]?.fingerprint).toBe(eventFingerprint(parseEvent(purchase('e1', 'c1', '80.00', '2027-03-01T11:00:00Z'))));
  });

  test('a refund finds its order through the order index', async () => {
    const s = service({ driver });
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await s.loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
    const r = await s.loyalty.process(refund('e2', 'c1', 'o-e1', '2027-03-01T11:10:00Z'));
    expect(r.outcomes[0]?.ok).toBe(true);
    const { rows } = await driver.query('SELECT seq FROM loyalty_transaction_orders WHERE tenant_id = $1 AND order_id = $2 AND program_id = $3 ORDER BY seq', [s.tenantId, 'o-e1', 'rewards']);
    expect(rows).toHaveLength(2);
    expect((await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.pending.toString()).toBe('0');
  });
});

describe('tenants (RELIABILITY 18)', () => {
  test('two tenants with the same customer and event ids never see each other', async () => {
    const a = service({ driver });
    const b = service({ driver });
    await scenario(a);
    await b.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const inB = await b.loyalty.process(purchase('c1-p1', 'c1', '999', '2027-03-01T11:30:00Z'));
    expect(inB.replayed).toBe(false);
    expect((await b.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.pending.toString()).toBe('999');
    expect((await b.loyalty.history({ customerId: 'c1', programId: 'rewards' })).transactions).toHaveLength(1);
    expect(await b.loyalty.outbox()).toHaveLength((await driver.query("SELECT 1 FROM loyalty_outbox WHERE tenant_id = $1", [b.tenantId])).rows.length);
    await audit(driver, a);
  });
});

describe('atomicity (RELIABILITY 11)', () => {
  test('a unit that throws after its writes leaves nothing behind', async () => {
    const tenantId = freshTenant('atomic');
    const store = postgresStore({ driver, tenantId });
    const state = emptyAccountState('rewards', 'c1');
    await expect(
      store.unit(async (session) => {
        await session.putAccountIfAbsent(state);
        await session.putCustomer({ profile: { id: 'c1', enrolledAt: new Date('2027-01-01T00:00:00Z') } as never, programs: ['rewards'] });
        await session.addToCounter('k', 5);
        throw new Error('injected');
      }),
    ).rejects.toThrow('injected');
    for (const name of ['loyalty_accounts', 'loyalty_customers', 'loyalty_counters']) {
      expect((await driver.query(`SELECT 1 FROM ${name} WHERE tenant_id = $1`, [tenantId])).rows, name).toEqual([]);
    }
  });

  test('append refuses a stale version (version_conflict) and a transaction id the account has (duplicate_transaction)', async () => {
    const s = service({ driver });
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await s.loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
    const store = postgresStore({ driver, tenantId: s.tenantId, retries: 0 });
    const [tx] = (await s.loyalty.history({ customerId: 'c1', programId: 'rewards' })).transactions;
    const state = (await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).state;
    if (!tx) throw new Error('no transaction');
    const stale = await rejection(store.unit((session) => session.append([{ programId: 'rewards', customerId: 'c1', expectedVersion: 0, state, transaction: tx }], undefined, [])));
    expect(stale.code).toBe('version_conflict');
    const dup = await rejection(store.unit((session) => session.append([{ programId: 'rewards', customerId: 'c1', expectedVersion: state.version, state: { ...state, version: state.version + 1 }, transaction: tx }], undefined, [])));
    expect(dup.code).toBe('duplicate_transaction');
  });
});

describe('retries', () => {
  test('a unit that loses a race is run again from the start, with jittered backoff from the injected random source', async () => {
    const retries: RetryInfo[] = [];
    const waits: number[] = [];
    const store = postgresStore({ driver, tenantId: freshTenant('retry'), random: () => 0.5, sleep: async (ms) => void waits.push(ms), onRetry: (i) => void retries.push(i) });
    let runs = 0;
    const result = await store.unit(async (session) => {
      runs += 1;
      await session.addToCounter('n', 1);
      if (runs < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return session.counter('n');
    });
    expect(runs).toBe(3);
    expect(result).toBe(1); // the failed runs rolled back their add
    expect(retries.map((r) => r.reason)).toEqual(['serialization_failure', 'serialization_failure']);
    expect(waits).toEqual([1, 2]);
  });

  test('retries are bounded, and an error that is not a race is thrown at once', async () => {
    let runs = 0;
    const store = postgresStore({ driver, tenantId: freshTenant('bounded'), retries: 4, sleep: async () => undefined });
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(store.unit(async () => { runs += 1; throw deadlock; })).rejects.toBe(deadlock);
    expect(runs).toBe(5);
    runs = 0;
    await expect(store.unit(async () => { runs += 1; throw new Error('bug'); })).rejects.toThrow('bug');
    expect(runs).toBe(1);
  });

  test('isolation: each unit starts with SET TRANSACTION at the level asked for', async () => {
    const sent: string[] = [];
    const recording: SqlDriver = {
      query: (sql, params) => driver.query(sql, params),
      transaction: (fn) => driver.transaction((tx) => fn({ query: (sql, params) => (sent.push(sql), tx.query(sql, params)) })),
    };
    const store = postgresStore({ driver: recording, tenantId: freshTenant('iso'), isolation: 'serializable' });
    await store.unit((session) => session.counter('n'));
    expect(sent[0]).toBe('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    sent.length = 0;
    await postgresStore({ driver: recording, tenantId: freshTenant('iso') }).unit((session) => session.counter('n'));
    expect(sent[0]).toMatch(/^SELECT value FROM/);
  });

  test('retryReason: the racing keys only, version conflicts, lost connections', () => {
    expect(retryReason(Object.assign(new Error('dup'), { code: '23505', constraint: 'loyalty_processed_pkey' }))).toBe('duplicate_key');
    expect(retryReason(Object.assign(new Error('dup'), { code: '23505', constraint: 'some_user_index' }))).toBeUndefined();
    expect(retryReason(new LoyaltyError([{ code: 'version_conflict', path: [], message: 'moved' }]))).toBe('version_conflict');
    expect(retryReason(new LoyaltyError([{ code: 'duplicate_transaction', path: [], message: 'dup' }]))).toBeUndefined();
    expect(retryReason(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('connection_lost');
  });
});

describe('outbox and sequences', () => {
  test('rows are read in seq order, acknowledged once, and never returned again', async () => {
    const s = service({ driver });
    await scenario(s);
    const rows = await s.loyalty.outbox({ limit: 1000 });
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    await s.loyalty.acknowledge({ seqs: rows.slice(0, 2).map((r) => r.seq) });
    const left = await s.loyalty.outbox({ limit: 1000 });
    expect(left.map((r) => r.seq)).toEqual(rows.slice(2).map((r) => r.seq));
  });

  test('forgetCustomer moves the ledger, records and notifications under the pseudonym', async () => {
    const s = service({ driver });
    await scenario(s);
    const { pseudonym } = await s.loyalty.forgetCustomer({ customerId: 'c1' });
    expect(pseudonym).toBe('forgotten-00000001');
    for (const name of ['loyalty_accounts', 'loyalty_transactions', 'loyalty_postings', 'loyalty_processed', 'loyalty_outbox', 'loyalty_schedules']) {
      expect((await driver.query(`SELECT 1 FROM ${name} WHERE tenant_id = $1 AND customer_id = 'c1'`, [s.tenantId])).rows, name).toEqual([]);
    }
    expect((await s.loyalty.outbox({ limit: 1000 })).every((r) => r.notification.customerId === pseudonym)).toBe(true);
    expect(await s.loyalty.verify({ customerId: pseudonym, programId: 'rewards' })).toEqual([]);
    const again = await s.loyalty.forgetCustomer({ customerId: 'c2-never' }).catch((e: unknown) => e);
    expect((again as LoyaltyError).code).toBe('unknown_customer');
  });
});

describe('PGlite concurrency', () => {
  test('50 concurrent redemptions of 30 on a balance of 1,000: PGlite runs them one at a time, 33 succeed', async () => {
    const s = service({ driver });
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await s.loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'seed', points: 1000, actor: 'test', reason: 'seed' });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.loyalty.redeem({ customerId: 'c1', programId: 'rewards', requestId: `r${i}`, points: 30 })));
    expect(results.filter((r) => r.outcome.ok).length).toBe(33);
    expect((await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('10');
    await audit(driver, s);
  });
});

// The conformance kit every store passes (loyalty-engine/testing): each store it asks for is a
// fresh tenant; its tenant check gets tenant ids of its own per check (same id, same data).
let check = 0;
beforeEach(() => {
  check += 1;
});
runStoreConformance('postgres store on PGlite', () => postgresStore({ driver, tenantId: freshTenant('kit') }), {
  tenants: (tenantId) => postgresStore({ driver, tenantId: `kit-${process.pid}-${check}-${tenantId}` }),
});

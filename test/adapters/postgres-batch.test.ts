// The two-statement write path of the PostgreSQL store (src/adapters/postgres/batch.ts): an event
// costs BEGIN, one read (`prefetch`), one write (`appendBatch`) and COMMIT, writes exactly the rows
// the call-by-call path writes, and refuses what `append` refuses. On PGlite; the races of the
// same path run in the conformance suite on a real server (postgres-server.test.ts).
import { expect, test } from 'vitest';
import { createLoyalty, fixedClock, type Store, type StoreSession } from '../../src';
import { postgresStore, type SqlDriver, type SqlQueryable } from '../../src/adapters/postgres';
import type { AccountWrite } from '../../src/core';
import { coffee, freshTenant, purchase, rewards, scenario, START, type Service } from './postgres-fixtures';
import { rejection } from '../rejection';
import { sharedPGlite } from './pglite-shared';

let driver: SqlDriver;

sharedPGlite((opened) => (driver = opened));

/** The driver, counting the statements sent inside transactions (BEGIN and COMMIT counted apart). */
function counting(base: SqlDriver): { driver: SqlDriver; statements: string[] } {
  const statements: string[] = [];
  const count = (q: SqlQueryable): SqlQueryable => ({
    query: (sql, params) => {
      statements.push(sql);
      return q.query(sql, params);
    },
  });
  return { driver: { query: base.query, transaction: (fn) => base.transaction((tx) => fn(count(tx))) }, statements };
}

/** The store with its sessions' batch methods hidden: the service then reads and writes call by call. */
function callByCall(store: Store): Store {
  const plain = (s: StoreSession): StoreSession => {
    const { prefetch: _prefetch, appendBatch: _appendBatch, ...calls } = s;
    return calls;
  };
  return { unit: (work) => store.unit((s) => work(plain(s))) };
}

function serviceOver(store: Store, tenantId: string): Service {
  const clock = fixedClock(START);
  return { loyalty: createLoyalty({ programs: [rewards, coffee], store, clock }), clock, tenantId };
}

test('a purchase reaching two programs is one read and one write inside its transaction', async () => {
  const { driver: counted, statements } = counting(driver);
  const tenantId = freshTenant('batch');
  const { loyalty } = serviceOver(postgresStore({ driver: counted, tenantId }), tenantId);
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  statements.length = 0;
  const r = await loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
  expect(r.outcomes.map((o) => o.ok && o.transaction !== null)).toEqual([true, true]);
  expect(statements).toHaveLength(2);
  // The replay is the read alone.
  statements.length = 0;
  expect((await loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'))).replayed).toBe(true);
  expect(statements).toHaveLength(1);
});

/** Every row a tenant has, without the tenant id and the columns a database fills (outbox seq and time). */
async function rowsOf(tenantId: string): Promise<Record<string, readonly unknown[]>> {
  const tables: Record<string, string> = {
    accounts: 'customer_id, program_id, version, state FROM loyalty_accounts ORDER BY 1, 2',
    transactions: 'customer_id, program_id, seq, transaction_id, program_version, at, cause_kind, cause_id, cause, entries FROM loyalty_transactions ORDER BY 1, 2, 3',
    postings: 'customer_id, program_id, seq, entry_index, posting_index, transaction_id, kind, unit, account, amount::text, order_id, at FROM loyalty_postings ORDER BY 1, 2, 3, 4, 5',
    orders: 'customer_id, program_id, order_id, seq FROM loyalty_transaction_orders ORDER BY 1, 2, 3, 4',
    processed: 'event_key, customer_id, fingerprint, outcomes, recorded_at FROM loyalty_processed ORDER BY 1',
    schedules: 'customer_id, program_id, due_at, ticked_at FROM loyalty_schedules ORDER BY 1, 2',
    counters: 'name, value FROM loyalty_counters ORDER BY 1',
    outbox: 'customer_id, notification, acknowledged_at IS NULL AS open FROM loyalty_outbox ORDER BY seq',
  };
  const out: Record<string, readonly unknown[]> = {};
  for (const [name, select] of Object.entries(tables)) {
    const [columns, rest] = select.split(' FROM ') as [string, string];
    const [table, order] = rest.split(' ORDER BY ') as [string, string];
    out[name] = (await driver.query(`SELECT ${columns} FROM ${table} WHERE tenant_id = $1 ORDER BY ${order}`, [tenantId])).rows;
  }
  return out;
}

test('the two-statement path writes exactly the rows of the call-by-call path (a scenario over every write path)', async () => {
  const batched = freshTenant('batched');
  const plain = freshTenant('plain');
  await scenario(serviceOver(postgresStore({ driver, tenantId: batched }), batched));
  await scenario(serviceOver(callByCall(postgresStore({ driver, tenantId: plain })), plain));
  const a = await rowsOf(batched);
  const b = await rowsOf(plain);
  expect(a.transactions?.length).toBeGreaterThan(10);
  expect(a.counters?.length).toBeGreaterThan(0);
  expect(a.outbox?.length).toBeGreaterThan(0);
  expect(a).toEqual(b);
});

/** An account of a fresh tenant with a few transactions, and a write made from it. */
async function seeded(): Promise<{ store: Store; write: AccountWrite; existingId: string }> {
  const tenantId = freshTenant('checks');
  const store = postgresStore({ driver, tenantId, retries: 0 });
  const { loyalty } = serviceOver(store, tenantId);
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  await loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
  await loyalty.process(purchase('e2', 'c1', '20', '2027-03-01T11:10:00Z'));
  let existingId = '';
  const write = await store.unit(async (s) => {
    const state = await s.getAccount('rewards', 'c1');
    const [first] = await s.transactions('rewards', 'c1');
    if (!state || !first) throw new Error('seeding failed');
    existingId = first.id;
    return { programId: 'rewards', customerId: 'c1', expectedVersion: state.version, state: { ...state, version: state.version + 1 }, transaction: { ...first, id: 'new-id' } };
  });
  return { store, write, existingId };
}

const batchOf = (writes: readonly AccountWrite[]) => ({ schedules: [], counters: [], writes, processed: undefined, outbox: [] });

test.each([
  ['a stale expected version', (w: AccountWrite, _id: string): AccountWrite => ({ ...w, expectedVersion: w.expectedVersion - 1, state: { ...w.state, version: w.state.version + 5 } }), 'version_conflict'],
  ['a transaction id the account has', (w: AccountWrite, id: string): AccountWrite => ({ ...w, transaction: { ...w.transaction, id } }), 'duplicate_transaction'],
])('appendBatch refuses %s as append does, and the unit leaves nothing', async (_, change, code) => {
  const { store, write, existingId } = await seeded();
  const wrong = change(write, existingId);
  for (const via of ['append', 'appendBatch'] as const) {
    const error = await rejection(
      store.unit(async (s) => {
        if (via === 'append') return s.append([wrong], undefined, []);
        if (!s.appendBatch) throw new Error('no appendBatch');
        return s.appendBatch(batchOf([wrong]));
      }),
    );
    expect(error.issues[0]?.code, via).toBe(code);
    expect((await store.unit(async (s) => s.getAccount('rewards', 'c1')))?.version, via).toBe(write.expectedVersion);
  }
  // The unchanged write goes through the batch.
  await store.unit(async (s) => s.appendBatch?.(batchOf([write])));
  expect((await store.unit(async (s) => s.getAccount('rewards', 'c1')))?.version).toBe(write.expectedVersion + 1);
});

test('a batch that moves one account twice goes call by call, with the same result', async () => {
  const { store, write } = await seeded();
  const second: AccountWrite = { ...write, expectedVersion: write.state.version, state: { ...write.state, version: write.state.version + 1 }, transaction: { ...write.transaction, id: 'newer-id' } };
  await store.unit(async (s) => s.appendBatch?.(batchOf([write, second])));
  const ids = (await store.unit(async (s) => s.transactions('rewards', 'c1'))).map((t) => t.id);
  expect(ids.slice(-2)).toEqual(['new-id', 'newer-id']);
  expect((await store.unit(async (s) => s.getAccount('rewards', 'c1')))?.version).toBe(write.expectedVersion + 2);
});

test('after a prefetch, reads see the unit’s own writes', async () => {
  const { store } = await seeded();
  await store.unit(async (s) => {
    await s.prefetch?.({ processed: ['k'], customerId: 'c1', programIds: ['rewards'], counters: ['n'] });
    expect(await s.getSchedule('rewards', 'c1')).toBeDefined();
    const schedule = { dueAt: new Date('2030-01-01T00:00:00Z'), tickedAt: null };
    await s.setSchedule('rewards', 'c1', schedule);
    expect(await s.getSchedule('rewards', 'c1')).toEqual(schedule);
    expect(await s.counter('n')).toBe(0);
    await s.addToCounter('n', 3);
    expect(await s.counter('n')).toBe(3);
    const stored = await s.getCustomer('c1');
    if (!stored) throw new Error('no customer');
    await s.putCustomer({ ...stored, programs: ['rewards'] });
    expect((await s.getCustomer('c1'))?.programs).toEqual(['rewards']);
  });
});

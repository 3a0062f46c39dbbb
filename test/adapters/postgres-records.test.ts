// Idempotency records over PostgreSQL (src/adapters/postgres/records.ts): a record references the
// transactions its unit stored instead of repeating them, and a replay reads the same answer,
// byte for byte, as from a record that holds them whole (as every record did before).
import { expect, test } from 'vitest';
import { createLoyalty, fixedClock, type Store, type StoreSession } from '../../src';
import { encodeLedgerJson } from '../../src/ledger/codec';
import { postgresStore, type SqlDriver } from '../../src/adapters/postgres';
import { coffee, freshTenant, purchase, refund, rewards, START } from './postgres-fixtures';
import { sharedPGlite } from './pglite-shared';

let driver: SqlDriver;

sharedPGlite((opened) => (driver = opened));

function callByCall(store: Store): Store {
  const plain = (s: StoreSession): StoreSession => {
    const { prefetch: _prefetch, appendBatch: _appendBatch, ...calls } = s;
    return calls;
  };
  return { unit: (work) => store.unit((s) => work(plain(s))) };
}

interface StoredRecord {
  readonly event_key: string;
  readonly outcomes: unknown;
}

test.each([
  ['the two-statement path', false],
  ['the call-by-call path', true],
])('%s: records reference their transactions, and a replay is byte-identical to one from a whole record', async (_name, calls) => {
  const tenantId = freshTenant('records');
  const store = postgresStore({ driver, tenantId });
  const loyalty = createLoyalty({ programs: [rewards, coffee], store: calls ? callByCall(store) : store, clock: fixedClock(START) });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const events = [purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'), purchase('e2', 'c1', '35.5', '2027-03-01T11:05:00Z'), refund('e3', 'c1', 'o-e1', '2027-03-01T11:10:00Z')];
  const first = [];
  for (const e of events) first.push(await loyalty.process(e));
  expect(first.every((r) => r.outcomes.some((o) => o.ok && o.transaction))).toBe(true);

  const records = await driver.query<StoredRecord>('SELECT event_key, outcomes FROM loyalty_processed WHERE tenant_id = $1 ORDER BY event_key', [tenantId]);
  expect(records.rows).toHaveLength(3);
  for (const r of records.rows) {
    const text = JSON.stringify(r.outcomes);
    expect(text).toContain('"$tx"');
    expect(text).not.toContain('"entries"');
  }
  const replayed = [];
  for (const e of events) replayed.push(await loyalty.process(e));
  // The store's own answers, as the session reads them (key order included).
  const read = async (): Promise<string[]> => {
    const texts: string[] = [];
    for (const { event_key: key } of records.rows) {
      await store.unit(async (s) => {
        texts.push(JSON.stringify(await s.getProcessed(key)));
        await s.prefetch?.({ customerId: 'c1', programIds: [], counters: [], processed: [key] });
        texts.push(JSON.stringify(await s.getProcessed(key)));
      });
    }
    return texts;
  };
  const readRefs = await read();

  // The records as they were written before: the outcomes whole, in the ledger codec.
  for (const r of first) {
    const whole = JSON.stringify(encodeLedgerJson(r.outcomes));
    const key = JSON.stringify(['event', r.eventId]);
    const updated = await driver.query('UPDATE loyalty_processed SET outcomes = $3::jsonb WHERE tenant_id = $1 AND event_key = $2', [tenantId, key, whole]);
    expect(updated.rowCount).toBe(1);
  }
  const fromWhole = [];
  for (const e of events) fromWhole.push(await loyalty.process(e));
  expect(readRefs).toEqual(await read());
  expect(readRefs).toHaveLength(6);
  expect(readRefs.every((t) => t.includes('"entries"'))).toBe(true);

  expect(replayed.every((r) => r.replayed)).toBe(true);
  expect(replayed.map((r) => JSON.stringify(r))).toEqual(fromWhole.map((r) => JSON.stringify(r)));
  expect(replayed.map((r) => r.outcomes)).toEqual(first.map((r) => r.outcomes));
});

test('a record keeps a transaction whole when its unit did not store it', async () => {
  const { outcomesDocument } = await import('../../src/adapters/postgres/records');
  const tenantId = freshTenant('records-whole');
  const loyalty = createLoyalty({ programs: [rewards, coffee], store: postgresStore({ driver, tenantId }), clock: fixedClock(START) });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const r = await loyalty.process(purchase('e1', 'c1', '80', '2027-03-01T11:00:00Z'));
  const record = { eventId: r.eventId, customerId: 'c1', fingerprint: 'f', outcomes: r.outcomes, recordedAt: new Date(START) };
  expect(outcomesDocument(record, [])).toEqual(encodeLedgerJson(r.outcomes));
});

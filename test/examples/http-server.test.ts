// examples/http-server.ts, driven through Fastify's `inject` (no port) over the PostgreSQL store on
// PGlite: every route, each class of status, idempotent replays, the outbox dispatcher and the
// tick schedule. One PGlite for the file (its cold start is seconds); each test is its own tenant.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildApp, openStore, statusOf, type Backend } from '../../examples/http-server';
import { serverProblem, serverUrl } from '../adapters/postgres-server';
import { fixedClock } from '../../src';
import type { FixedClock, OutboxRow } from '../../src/core';
import { fromPGlite, migrate, postgresStore } from '../../src/adapters/postgres';
import type { SqlDriver } from '../../src/adapters/postgres';

const START = '2027-03-01T15:00:00Z';
const lines = [
  { lineId: '1', sku: 'shoes', quantity: 1, unitPrice: '60.00' },
  { lineId: '2', sku: 'jacket', quantity: 1, unitPrice: '190.00' },
];
const purchase = (id: string, orderId: string, at = START) => ({ id, customerId: 'ana', type: 'purchase', orderId, currency: 'USD', occurredAt: at, lines });

let db: PGlite;
let driver: SqlDriver;
let tenants = 0;
beforeAll(async () => {
  db = new PGlite();
  driver = fromPGlite(db);
  await migrate(driver);
});
afterAll(async () => {
  await db.close();
});

let opened: Backend[] = [];
afterEach(async () => {
  for (const backend of opened) await backend.app.close();
  opened = [];
  vi.useRealTimers();
});

/** A backend over a fresh store, with its clock, what it delivered, and Ana enrolled. */
async function backend(deliver?: (row: OutboxRow) => Promise<void>): Promise<{ b: Backend; clock: FixedClock; delivered: OutboxRow[] }> {
  const clock = fixedClock(START);
  const delivered: OutboxRow[] = [];
  const b = buildApp({ store: postgresStore({ driver, tenantId: `test-${++tenants}` }), clock, deliver: deliver ?? (async (row) => void delivered.push(row)) });
  opened.push(b);
  const put = await b.app.inject({ method: 'PUT', url: '/customers/ana', payload: { enrolledAt: '2027-01-01T00:00:00Z', timeZone: 'America/New_York' } });
  expect(put.statusCode).toBe(200);
  return { b, clock, delivered };
}

const available = async (b: Backend): Promise<string> => {
  const response = await b.app.inject({ method: 'GET', url: '/customers/ana/accounts/rewards' });
  expect(response.statusCode).toBe(200);
  return response.json<{ available: string }>().available;
};

describe('routes and statuses', () => {
  test('PUT /customers/:id upserts the profile under the path id (200) and refuses a bad one with its issues (400)', async () => {
    const { b } = await backend();
    const ok = await b.app.inject({ method: 'PUT', url: '/customers/bo', payload: { enrolledAt: '2027-01-01T00:00:00Z', tags: ['vip'] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: 'bo', tags: ['vip'] });
    const bad = await b.app.inject({ method: 'PUT', url: '/customers/bo', payload: { enrolledAt: '2027-01-01T00:00:00Z', timeZone: 'Mars/Olympus' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_time_zone', issues: [{ code: 'invalid_time_zone', path: ['customer', 'timeZone'] }] });
    const unknownProgram = await b.app.inject({ method: 'PUT', url: '/customers/bo', payload: { enrolledAt: '2027-01-01T00:00:00Z', programs: ['nope'] } });
    expect(unknownProgram.statusCode).toBe(404);
  });

  test('POST /events earns (201); the same event again returns the same body, flagged as a replay', async () => {
    const { b } = await backend();
    const first = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    expect(first.json()).toMatchObject({ eventId: 'e1', outcomes: [{ programId: 'rewards', ok: true, transactionId: 'event:e1', notifications: [{ type: 'points.earned', points: '250' }] }] });
    const again = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await available(b)).toBe('250');
  });

  test('conflicts are 409: an event id with another body, an order bought by another event', async () => {
    const { b } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const sameId = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-2') });
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json()).toMatchObject({ code: 'idempotency_conflict', issues: [{ path: ['id'] }] });
    const sameOrder = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e2', 'A-1') });
    expect(sameOrder.statusCode).toBe(409);
    expect(sameOrder.json()).toMatchObject({ code: 'order_conflict' });
    expect(await available(b)).toBe('250');
  });

  test('an event every program refuses is 422 with the issues, and replays as 422 (the refusal is recorded)', async () => {
    const { b } = await backend();
    const selfReferral = { id: 'ref1', customerId: 'ana', type: 'referral', referredCustomerId: 'ana', stage: 'signed_up', occurredAt: START };
    const refused = await b.app.inject({ method: 'POST', url: '/events', payload: selfReferral });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ outcomes: [{ programId: 'rewards', ok: false, issues: [{ code: 'self_referral' }] }] });
    const again = await b.app.inject({ method: 'POST', url: '/events', payload: selfReferral });
    expect([again.statusCode, again.body]).toEqual([422, refused.body]);
  });

  test('bad input is 400 with every issue and its path; a body that is not a JSON object is 400 too', async () => {
    const { b } = await backend();
    const missing = await b.app.inject({ method: 'POST', url: '/events', payload: { id: 'e1', customerId: 'ana', type: 'purchase' } });
    expect(missing.statusCode).toBe(400);
    const paths = missing.json<{ issues: { code: string; path: string[] }[] }>().issues.map((i) => `${i.code}@${i.path.join('.')}`);
    expect(paths).toEqual(expect.arrayContaining(['required@occurredAt', 'required@orderId', 'required@currency', 'required@lines']));
    const notJson = await b.app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload: '{"id":' });
    expect(notJson.statusCode).toBe(400);
    const list = await b.app.inject({ method: 'POST', url: '/redemptions', payload: [1, 2] });
    expect(list.statusCode).toBe(400);
    expect(list.json()).toMatchObject({ code: 'invalid_type' });
    const lateRequest = await b.app.inject({ method: 'POST', url: '/redemptions', payload: { customerId: 'ana', programId: 'rewards', requestId: 'r1', points: 100, at: '2027-01-01T00:00:00Z' } });
    expect(lateRequest.statusCode).toBe(400);
    expect(lateRequest.json()).toMatchObject({ code: 'request_too_late' });
  });

  test('unknown customers, programs and orders are 404', async () => {
    const { b } = await backend();
    const event = await b.app.inject({ method: 'POST', url: '/events', payload: { ...purchase('e1', 'A-1'), customerId: 'nobody' } });
    expect(event.statusCode).toBe(404);
    expect(event.json()).toMatchObject({ code: 'unknown_customer' });
    expect((await b.app.inject({ method: 'GET', url: '/customers/nobody/accounts/rewards' })).statusCode).toBe(404);
    const program = await b.app.inject({ method: 'GET', url: '/customers/ana/accounts/nope' });
    expect(program.statusCode).toBe(404);
    expect(program.json()).toMatchObject({ code: 'unknown_program' });
    const refund = await b.app.inject({ method: 'POST', url: '/refunds', payload: { id: 'rf1', customerId: 'ana', orderId: 'never', occurredAt: START, lines: [{ lineId: '1', quantity: 1 }] } });
    expect(refund.statusCode).toBe(404);
    expect(refund.json()).toMatchObject({ code: 'unknown_order' });
    expect((await b.app.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);
  });

  test('GET /customers/:id/accounts/:program reads the balance now, or at ?at=', async () => {
    const { b } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const later = await b.app.inject({ method: 'GET', url: '/customers/ana/accounts/rewards?at=2028-03-02T00:00:00Z' });
    expect(later.json()).toMatchObject({ customerId: 'ana', programId: 'rewards', available: '0', pending: '0', held: '0' });
    const bad = await b.app.inject({ method: 'GET', url: '/customers/ana/accounts/rewards?at=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_instant' });
  });

  test('POST /quote prices points on an order (200)', async () => {
    const { b } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const order = { currency: 'USD', lines: [{ lineId: '1', sku: 'hat', quantity: 1, unitPrice: '3.00' }] };
    const quote = await b.app.inject({ method: 'POST', url: '/quote', payload: { customerId: 'ana', programId: 'rewards', order, points: 'max' } });
    expect(quote.statusCode).toBe(200);
    // At most half of $3.00: 150 of the 250 points, for $1.50.
    expect(quote.json()).toMatchObject({ points: '150', discount: '1.5', available: '250', clamps: [{ reason: 'max_share' }] });
  });

  test('POST /redemptions burns (201), refuses an overdraft with 422, and both replay as they were', async () => {
    const { b } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const redeem = { customerId: 'ana', programId: 'rewards', requestId: 'r1', points: 100 };
    const ok = await b.app.inject({ method: 'POST', url: '/redemptions', payload: redeem });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ requestId: 'r1', transactionId: expect.any(String), outcome: { ok: true } });
    const again = await b.app.inject({ method: 'POST', url: '/redemptions', payload: redeem });
    expect([again.statusCode, again.body, again.headers['idempotent-replayed']]).toEqual([201, ok.body, 'true']);
    const refused = await b.app.inject({ method: 'POST', url: '/redemptions', payload: { ...redeem, requestId: 'r2', points: 5000 } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ transactionId: null, outcome: { ok: false, issues: [{ code: 'insufficient_points' }] } });
    expect((await b.app.inject({ method: 'POST', url: '/redemptions', payload: { ...redeem, requestId: 'r2', points: 5000 } })).statusCode).toBe(422);
    expect((await b.app.inject({ method: 'POST', url: '/redemptions', payload: { ...redeem, points: 200 } })).statusCode).toBe(409);
    expect(await available(b)).toBe('150');
  });

  test('POST /refunds claws back what the refunded line earned (201)', async () => {
    const { b } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const refund = await b.app.inject({ method: 'POST', url: '/refunds', payload: { id: 'rf1', customerId: 'ana', orderId: 'A-1', occurredAt: START, lines: [{ lineId: '1', quantity: 1 }] } });
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({ eventId: 'rf1', outcomes: [{ ok: true, transactionId: 'event:rf1' }] });
    expect(await available(b)).toBe('190');
  });

  test('statusOf maps every thrown conflict code to 409 and input codes to 400', () => {
    for (const code of ['idempotency_conflict', 'order_conflict', 'version_conflict', 'duplicate_transaction']) expect(statusOf(code)).toBe(409);
    for (const code of ['required', 'invalid_instant', 'event_too_late', 'currency_mismatch']) expect(statusOf(code)).toBe(400);
    expect(statusOf('ledger_inconsistent')).toBe(500);
  });
});

describe('background loops', () => {
  test('the dispatcher hands outbox rows to deliver in order and acknowledges them: the next run finds none', async () => {
    const { b, delivered } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e2', 'A-2') });
    expect(await b.dispatcher.runOnce()).toBe(2);
    expect(delivered.map((r) => r.notification.id)).toEqual(['event:e1:points.earned', 'event:e2:points.earned']);
    expect(await b.loyalty.outbox()).toEqual([]);
    expect(await b.dispatcher.runOnce()).toBe(0);
  });

  test('a failed delivery leaves its row (and those after it) for the next run; those before are acknowledged', async () => {
    let failing = true;
    const delivered: string[] = [];
    const { b } = await backend(async (row) => {
      if (failing && row.notification.id === 'event:e2:points.earned') throw new Error('mail server down');
      delivered.push(row.notification.id);
    });
    for (const [id, order] of [['e1', 'A-1'], ['e2', 'A-2'], ['e3', 'A-3']] as const) await b.app.inject({ method: 'POST', url: '/events', payload: purchase(id, order) });
    await expect(b.dispatcher.runOnce()).rejects.toThrow('mail server down');
    expect((await b.loyalty.outbox()).map((r) => r.notification.id)).toEqual(['event:e2:points.earned', 'event:e3:points.earned']);
    failing = false;
    expect(await b.dispatcher.runOnce()).toBe(2);
    expect(delivered).toEqual(['event:e1:points.earned', 'event:e2:points.earned', 'event:e3:points.earned']);
  });

  test('the tick schedule expires points a year on, and the dispatcher delivers points.expired', async () => {
    const { b, clock, delivered } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    clock.set('2028-03-01T15:00:00Z');   // 365 days on: the lot's rolling expiry
    const ticked = await b.ticks.runOnce();
    expect(ticked.changed).toBe(1);
    expect(await available(b)).toBe('0');
    await b.dispatcher.runOnce();
    expect(delivered.map((r) => r.notification.type)).toContain('points.expired');
  });

  test('start runs the loops on their timers; stop (or closing the app) ends them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { b, delivered } = await backend();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    b.dispatcher.start();
    expect(delivered).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(delivered).toHaveLength(1);
    await b.dispatcher.stop();
    await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e2', 'A-2') });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(delivered).toHaveLength(1);
    b.ticks.start();
    await b.app.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

// What `DATABASE_URL` selects: a pg Pool on a real server (LOYALTY_PG_URL, see
// test/adapters/postgres-server.ts), in a schema of this test's own, dropped at the end.
test.skipIf(serverProblem !== undefined)('with a DATABASE_URL the app runs on a PostgreSQL server through a pg Pool', async () => {
  const schema = `loyalty_http_example_${process.pid}_${Date.now().toString(36)}`;
  const { store, close } = await openStore(serverUrl, schema);
  const b = buildApp({ store, clock: fixedClock(START) });
  try {
    expect((await b.app.inject({ method: 'PUT', url: '/customers/ana', payload: { enrolledAt: '2027-01-01T00:00:00Z' } })).statusCode).toBe(200);
    const first = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    const again = await b.app.inject({ method: 'POST', url: '/events', payload: purchase('e1', 'A-1') });
    expect([first.statusCode, again.statusCode, again.body]).toEqual([201, 201, first.body]);
    expect(await available(b)).toBe('250');
  } finally {
    await b.app.close();
    await close();
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
});

// The PostgreSQL store against a real server (LOYALTY_PG_URL), over separate pool connections,
// under the server's default isolation (READ COMMITTED) and under SERIALIZABLE: the locking and
// retry behaviour PGlite (one connection) cannot show. RELIABILITY 4, 5, 10, 18, and the
// conformance kit. Run it against your own server: LOYALTY_PG_URL=postgres://… npm run test:postgres
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fromPgPool, postgresStore, retryReason, type RetryInfo, type SqlDriver } from '../../src/adapters/postgres';
import { runStoreConformance } from '../../src/testing';
import { audit, freshTenant, purchase, scenario, service, type Service } from './postgres-fixtures';
import { LEVELS, poolAt, serverAvailable, testSchema } from './postgres-server';

const available = serverAvailable();

describe.skipIf(!available).each(LEVELS)('on a real server, transactions %s', (level) => {
  let schema: Awaited<ReturnType<typeof testSchema>>;
  let pool: pg.Pool;
  let driver: SqlDriver;
  const retries: RetryInfo[] = [];
  const make = (tenantId?: string): Service =>
    service({ driver, schema: schema.schema, onRetry: (i) => void retries.push(i), ...(tenantId === undefined ? {} : { tenantId }) });

  beforeAll(async () => {
    schema = await testSchema(level === 'serializable' ? 'ser' : 'rc');
    pool = poolAt(level, 60);
    driver = fromPgPool(pool);
  });
  afterAll(async () => {
    await pool.end();
    await schema.drop();
  });

  test('the pool connections run at the isolation level under test', async () => {
    const { rows } = await driver.transaction((tx) => tx.query<{ transaction_isolation: string }>('SHOW transaction_isolation'));
    expect(rows[0]?.transaction_isolation).toBe(level);
  });

  test('a scenario over every write path: verify is clean, SQL sums equal the balances, postings sum to zero', async () => {
    const s = make();
    await Promise.all(['c1', 'c2', 'c3'].map((c) => scenario(s, c)));
    const figures = await audit(driver, s, schema.schema);
    expect(figures.accounts).toBe(6);
  });

  test('with prepared statements (fromPgPool(pool, { prepare: true })): the scenario, and racing purchases of one customer, audit clean', async () => {
    const prepared = fromPgPool(pool, { prepare: true });
    const s = service({ driver: prepared, schema: schema.schema });
    await Promise.all(['c1', 'c2'].map((c) => scenario(s, c)));
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.loyalty.process(purchase(`race-${i}`, 'c1', '10', s.clock.now().toISOString()))));
    const figures = await audit(prepared, s, schema.schema);
    expect(figures.accounts).toBe(4);
    // The store's statements were prepared on the server, under the names the driver gave them.
    const { rows } = await prepared.transaction((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'loyalty\\_%'"));
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  test('without prepared statements (fromPgPool(pool, { prepare: false }), as behind PgBouncer in transaction mode): the scenario, and racing purchases of one customer, audit clean', async () => {
    const unprepared = fromPgPool(pool, { prepare: false });
    const s = service({ driver: unprepared, schema: schema.schema });
    await Promise.all(['c1', 'c2'].map((c) => scenario(s, c)));
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.loyalty.process(purchase(`race-${i}`, 'c1', '10', s.clock.now().toISOString()))));
    const figures = await audit(unprepared, s, schema.schema);
    expect(figures.accounts).toBe(4);
  });

  test.each([
    ['row locks and version checks (the default)', true],
    ['version checks alone (lockAccounts: false)', false],
  ])('RELIABILITY 5: balance 1,000, 50 concurrent redemptions of 30 on separate connections: exactly 33 succeed, balance 10; %s', async (_, lockAccounts) => {
    const s = service({ driver, schema: schema.schema, lockAccounts, onRetry: (i) => void retries.push(i) });
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await s.loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'seed', points: 1000, actor: 'test', reason: 'seed' });
    const before = retries.length;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.loyalty.redeem({ customerId: 'c1', programId: 'rewards', requestId: `r${i}`, points: 30 })));
    const ok = results.filter((r) => r.outcome.ok);
    expect(ok.length).toBe(33);
    for (const r of results) if (!r.outcome.ok) expect(r.outcome.issues[0]?.code).toBe('insufficient_points');
    expect((await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('10');
    // Without locks the race is real: units fail their version check (or serialization) and run again.
    if (!lockAccounts) expect(retries.length - before).toBeGreaterThan(0);
    await audit(driver, s, schema.schema);
  });

  test('RELIABILITY 4: one event delivered by 10 connections at once: one transaction, every caller gets the same answer', async () => {
    const s = make();
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const event = purchase('dup', 'c1', '250', '2027-03-01T11:00:00Z');
    const results = await Promise.all(Array.from({ length: 10 }, () => s.loyalty.process(event)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of results) expect(r.outcomes).toEqual(results[0]?.outcomes);
    const { rows } = await driver.query(`SELECT program_id FROM "${schema.schema}".loyalty_transactions WHERE tenant_id = $1 AND cause_id = 'dup' ORDER BY 1`, [s.tenantId]);
    expect(rows.map((r) => r.program_id)).toEqual(['coffee', 'rewards']); // one transaction per program the customer is enrolled in
    await audit(driver, s, schema.schema);
  });

  test('RELIABILITY 10: one transaction reversed by 8 requests at once is reversed once', async () => {
    const s = make();
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const credit = await s.loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'credit', points: 300, actor: 'a', reason: 'r' });
    const transactionId = credit.transactionId ?? '';
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.loyalty.reverse({ customerId: 'c1', programId: 'rewards', requestId: `rev${i}`, transactionId, actor: 'a', reason: 'r' })));
    expect(results.filter((r) => r.outcome.ok && r.transactionId !== null)).toHaveLength(1);
    expect((await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('0');
    await audit(driver, s, schema.schema);
  });

  test('one order bought by two different events at once earns once (the order claim is a checked counter)', async () => {
    const s = make();
    await s.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const settled = await Promise.allSettled([s.loyalty.process(purchase('a', 'c1', '100', '2027-03-01T11:00:00Z', 'same-order')), s.loyalty.process(purchase('b', 'c1', '100', '2027-03-01T11:00:00Z', 'same-order'))]);
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = settled.find((r) => r.status === 'rejected');
    expect((failure?.reason as { code?: string } | undefined)?.code).toBe('order_conflict');
    expect((await s.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.pending.toString()).toBe('100');
  });

  test('enrolments of one customer in two programs at once keep both (new and existing customer)', async () => {
    const s = make();
    const customer = { id: 'c-new', enrolledAt: new Date('2027-01-01T00:00:00Z') };
    await Promise.all([s.loyalty.upsertCustomer({ customer, programs: ['rewards'] }), s.loyalty.upsertCustomer({ customer, programs: ['coffee'] })]);
    const programsOf = async (id: string): Promise<string[]> => {
      const { rows } = await driver.query<{ programs: string[] }>(`SELECT programs FROM "${schema.schema}".loyalty_customers WHERE tenant_id = $1 AND customer_id = $2`, [s.tenantId, id]);
      return [...(rows[0]?.programs ?? [])].sort();
    };
    expect(await programsOf('c-new')).toEqual(['coffee', 'rewards']);
    const existing = { id: 'c-old', enrolledAt: new Date('2027-01-01T00:00:00Z') };
    await s.loyalty.upsertCustomer({ customer: existing, programs: [] });
    for (let round = 0; round < 3; round++) {
      await Promise.all([s.loyalty.upsertCustomer({ customer: existing, programs: ['rewards'] }), s.loyalty.upsertCustomer({ customer: existing, programs: ['coffee'] })]);
    }
    expect(await programsOf('c-old')).toEqual(['coffee', 'rewards']);
  });

  test('two outbox workers at once take disjoint rows (FOR UPDATE SKIP LOCKED), and acknowledged rows are gone', async () => {
    const s = make();
    await Promise.all(['c1', 'c2'].map((c) => scenario(s, c)));
    const store = postgresStore({ driver, schema: schema.schema, tenantId: s.tenantId });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = (hold: boolean): Promise<number[]> =>
      store.unit(async (session) => {
        const rows = await session.outbox(5);
        if (hold) await gate; // keep the rows locked while the other worker reads
        await session.acknowledge(rows.map((r) => r.seq));
        return rows.map((r) => r.seq);
      });
    const first = worker(true);
    await new Promise((r) => setTimeout(r, 200));
    const second = await worker(false);
    release();
    const firstSeqs = await first;
    expect(firstSeqs).toHaveLength(5);
    expect(second).toHaveLength(5);
    expect(second.filter((seq) => firstSeqs.includes(seq))).toEqual([]);
    const left = await s.loyalty.outbox({ limit: 1000 });
    expect(left.some((r) => firstSeqs.includes(r.seq) || second.includes(r.seq))).toBe(false);
  });

  test('tenants share the database and see nothing of each other (RELIABILITY 18)', async () => {
    const a = make();
    const b = make();
    await Promise.all([scenario(a), scenario(b)]);
    const hist = await a.loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
    const histB = await b.loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
    expect(hist.transactions.length).toBe(histB.transactions.length);
    await audit(driver, a, schema.schema);
    await audit(driver, b, schema.schema);
  });

  let check = 0;
  beforeEach(() => {
    check += 1;
  });
  runStoreConformance(
    `postgres store, ${level}`,
    () => postgresStore({ driver, schema: schema.schema, tenantId: freshTenant('kit') }),
    {
      tenants: (tenantId) => postgresStore({ driver, schema: schema.schema, tenantId: `kit-${level}-${check}-${tenantId}` }),
      concurrency: 16,
      isRetryable: (error) => retryReason(error) !== undefined,
    },
  );
});

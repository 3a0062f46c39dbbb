// Stress against a real PostgreSQL server (LOYALTY_PG_URL; CI=true without a server fails):
// clients on separate pool connections run thousands of mixed operations (earn, redeem, refund,
// duplicates, holds, ticks) on a few hot accounts while another connection kills backends in the
// middle of their transactions (pg_terminate_backend). A client that gets an error retries the
// operation with the same id, as a host would. Then the full audit: the fold of every account's
// entries equals its state, SQL sums equal balances, every unit's postings sum to zero across the
// database, and nothing acknowledged is lost or doubled. The seed is FC_SEED (printed).
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isLoyaltyError, type Loyalty, type RequestResult } from '../../src';
import { fromPgPool, retryReason, type RetryInfo, type SqlDriver } from '../../src/adapters/postgres';
import { audit, purchase, refund, service, type Service } from './postgres-fixtures';
import { poolAt, serverAvailable, serverUrl, testSchema } from './postgres-server';
import { FC_SEED } from '../properties/seed';

const available = serverAvailable();
const CLIENTS = 10;
const OPERATIONS = 2400;
const CUSTOMERS = ['hot-1', 'hot-2', 'hot-3', 'hot-4'];
// Operations stop being launched after this long, so the test stays under a minute on a slow
// machine; on a quiet one all OPERATIONS run well before it.
const DEADLINE_MS = 35_000;
const APP = `loyalty-stress-${process.pid}`;

/** mulberry32: a small seeded generator, so a run replays from its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Acknowledged {
  readonly id: string;
  readonly customerId: string;
  readonly transactionIds: readonly string[];
}

let schema: Awaited<ReturnType<typeof testSchema>>;
let pool: pg.Pool;
let driver: SqlDriver;

beforeAll(async () => {
  if (!available) return;
  schema = await testSchema('stress');
  // A query that gets no answer in 15 s fails (and its session, idle in a transaction, is ended
  // by the server after 10 s), so a lost socket cannot hang a client forever.
  pool = new pg.Pool({ connectionString: serverUrl, max: CLIENTS, application_name: APP, query_timeout: 15_000, options: '-c idle_in_transaction_session_timeout=10000' });
  pool.on('error', () => undefined);
  driver = fromPgPool(pool);
});
afterAll(async () => {
  if (!available) return;
  await pool.end();
  await schema.drop();
});

/**
 * Kills one of the pool's backends that is in a transaction every 150–450 ms, until stopped:
 * often enough to hit hundreds of transactions in flight, rarely enough that work gets done
 * (killing every few milliseconds on a loaded machine starves every unit).
 */
function killer(random: () => number): { stop: () => Promise<number> } {
  const admin = poolAt('read committed', 1);
  let kills = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 150 + random() * 300));
      const { rows } = await admin.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')
         ORDER BY random() LIMIT 1`,
        [APP],
      );
      if (rows[0]?.killed) kills += 1;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await admin.end();
      return kills;
    },
  };
}

test.skipIf(!available)('stress: mixed operations on hot accounts with backends killed mid-transaction; nothing lost or doubled', async () => {
  const random = generator(FC_SEED);
  const retries: RetryInfo[] = [];
  const s: Service = service({ driver, schema: schema.schema, onRetry: (i) => void retries.push(i), random });
  const { loyalty, clock } = s;
  for (const id of CUSTOMERS) {
    await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.adjust({ customerId: id, programId: 'rewards', requestId: `seed-${id}`, points: 3000, actor: 'stress', reason: 'seed' });
  }
  const acknowledged: Acknowledged[] = [];
  const purchases: { id: string; customerId: string; orderId: string }[] = [];
  let clientRetries = 0;
  const clientErrors = new Map<string, number>();
  let operations = 0;
  const started = Date.now();

  /** Runs an operation until it answers; errors (a killed connection, a conflict) are retried with the same id. */
  async function settle<T>(work: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        return await work();
      } catch (error) {
        // A business refusal thrown (an order claimed twice, a refund of an unknown order) is an answer.
        if (isLoyaltyError(error) && retryReason(error) === undefined) return undefined;
        clientRetries += 1;
        const key = error instanceof Error ? `${error.name}: ${error.message.slice(0, 60)}` : String(error);
        clientErrors.set(key, (clientErrors.get(key) ?? 0) + 1);
      }
    }
    throw new Error('an operation failed 50 times');
  }
  const record = (id: string, customerId: string, txIds: readonly (string | null | undefined)[]): void => {
    acknowledged.push({ id, customerId, transactionIds: txIds.filter((t): t is string => typeof t === 'string') });
  };
  const requestDone = (id: string, customerId: string, r: RequestResult | undefined): RequestResult | undefined => {
    if (r) record(id, customerId, [r.transactionId]);
    return r;
  };

  async function operation(client: number, n: number, api: Loyalty): Promise<void> {
    const customerId = CUSTOMERS[Math.floor(random() * CUSTOMERS.length)] ?? 'hot-1';
    const id = `k${client}-${n}`;
    const roll = random();
    const now = clock.now().toISOString();
    if (roll < 0.3) {
      const event = purchase(id, customerId, String(5 + Math.floor(random() * 200)), now);
      const r = await settle(() => api.process(event));
      if (r) {
        record(id, customerId, r.outcomes.map((o) => (o.ok && o.programId === 'rewards' ? o.transaction?.id : undefined)));
        purchases.push({ id, customerId, orderId: `o-${id}` });
      }
    } else if (roll < 0.4) {
      // A duplicate: an earlier purchase delivered again must replay, never earn again.
      const earlier = purchases[Math.floor(random() * purchases.length)];
      if (!earlier) return;
      const r = await settle(() => api.process(purchase(earlier.id, earlier.customerId, '1', now)).catch((e: unknown) => {
        if (isLoyaltyError(e) && e.code === 'idempotency_conflict') return undefined;
        throw e;
      }));
      expect(r === undefined || r.replayed).toBe(true);
    } else if (roll < 0.65) {
      requestDone(id, customerId, await settle(() => api.redeem({ customerId, programId: 'rewards', requestId: id, points: 1 + Math.floor(random() * 60) })));
    } else if (roll < 0.75) {
      const earlier = purchases[Math.floor(random() * purchases.length)];
      if (!earlier) return;
      const event = refund(`${id}-refund`, earlier.customerId, earlier.orderId, now);
      const r = await settle(() => api.process(event));
      if (r) record(`${id}-refund`, earlier.customerId, r.outcomes.map((o) => (o.ok && o.programId === 'rewards' ? o.transaction?.id : undefined)));
    } else if (roll < 0.9) {
      const held = requestDone(id, customerId, await settle(() => api.hold({ customerId, programId: 'rewards', requestId: id, points: 1 + Math.floor(random() * 40), timeoutMinutes: 30 })));
      const holdId = held?.holdId;
      if (holdId === undefined) return;
      const close = random() < 0.5 ? api.capture.bind(api) : api.release.bind(api);
      requestDone(`${id}-close`, customerId, await settle(() => close({ customerId, programId: 'rewards', requestId: `${id}-close`, holdId })));
    } else {
      // Time moves on (lapsed holds, released purchases) and the scheduler ticks.
      if (random() < 0.3) clock.advance(20 * 60_000);
      await settle(() => api.tickDue());
    }
  }

  const kill = killer(generator(FC_SEED + 1));
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (next < OPERATIONS && Date.now() - started < DEADLINE_MS) {
        const n = (next += 1);
        await operation(client, n, loyalty);
        operations += 1;
      }
    }),
  );
  const killed = await kill.stop();

  // The audit, with the books brought up to the clock.
  clock.advance(3 * 86_400_000);
  await loyalty.tickDue({ limit: 10_000 });
  const figures = await audit(driver, s, schema.schema);
  const t = `"${schema.schema}".loyalty_transactions`;
  // A transaction id is unique per account; an operation's id may name one in each program.
  const { rows } = await driver.query<{ customer_id: string; transaction_id: string; n: string }>(
    `SELECT customer_id, transaction_id, count(*)::text AS n FROM ${t} WHERE tenant_id = $1 AND program_id = 'rewards' GROUP BY customer_id, transaction_id`,
    [s.tenantId],
  );
  const stored = new Map(rows.map((r) => [`${r.customer_id}/${r.transaction_id}`, Number(r.n)]));
  const lost = acknowledged.flatMap((a) => a.transactionIds.filter((tx) => !stored.has(`${a.customerId}/${tx}`)));
  const doubled = [...stored.values()].filter((n) => n > 1).length;
  // Every event or request with a transaction has exactly one processed record, and no cause wrote twice.
  const causes = await driver.query<{ cause_id: string; n: string }>(
    `SELECT cause_id, count(*)::text AS n FROM ${t} WHERE tenant_id = $1 AND cause_kind <> 'tick' GROUP BY customer_id, program_id, cause_id HAVING count(*) > 1`,
    [s.tenantId],
  );
  const orphans = await driver.query(
    `SELECT tx.transaction_id FROM ${t} tx WHERE tx.tenant_id = $1 AND tx.cause_kind <> 'tick' AND NOT EXISTS (
       SELECT 1 FROM "${schema.schema}".loyalty_processed p WHERE p.tenant_id = tx.tenant_id AND p.event_key IN (
         '["event",' || to_jsonb(tx.cause_id)::text || ']', '["request",' || to_jsonb(tx.program_id)::text || ',' || to_jsonb(tx.cause_id)::text || ']'))`,
    [s.tenantId],
  );
  const reasons = new Map<string, number>();
  for (const r of retries) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  console.log(
    `[postgres stress] seed ${FC_SEED}: ${CLIENTS} clients, ${operations} operations in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `${acknowledged.length} acknowledged, ${figures.transactions} transactions, ${figures.postings} postings over ${figures.accounts} accounts; ` +
      `store retries ${retries.length} (${[...reasons].map(([k, v]) => `${k} ${v}`).join(', ')}), client retries ${clientRetries}, ` +
      `conflicts ${reasons.get('version_conflict') ?? 0}, killed connections ${killed}, lost=${lost.length}, doubled=${doubled + causes.rows.length}, orphans=${orphans.rows.length}`,
  );
  console.log(`[postgres stress] errors the clients retried: ${JSON.stringify([...clientErrors])}`);
  // A floor that still means a real run, even on a machine shared with other busy processes.
  expect(operations).toBeGreaterThanOrEqual(200);
  expect(killed).toBeGreaterThan(0);
  expect(lost).toEqual([]);
  expect(doubled).toBe(0);
  expect(causes.rows.slice(0, 5)).toEqual([]);
  expect(orphans.rows).toEqual([]);
}, 120_000);

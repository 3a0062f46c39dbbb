/*
 * PERFORMANCE.md target 6: the service over PostgreSQL, 8 concurrent clients, against pgbench's
 * TPS for a one-row-update transaction on the same throwaway server in the same run (the physical
 * limit of a durable write here): events/s ÷ TPS ≥ 0.5, with zero lost or doubled entries.
 *
 * - The server: bench/lib/pg-server.ts (initdb into a temporary folder, a free port, stopped in
 *   `finally`, on exit and on SIGINT). Skipped, not failed, when no PostgreSQL binaries exist.
 * - The baseline: pgbench, 8 clients, `-T` seconds, a custom script of one
 *   `UPDATE bench_counter SET n = n + 1 WHERE id = <the client's own row>` per transaction
 *   (autocommit: one statement, one durable commit). One row per client, not one row for all:
 *   on a shared row every update waits for the lock of the one before it, so the baseline would
 *   measure lock hand-over rather than the commit path, and the service's clients (who write
 *   distinct customers) never contend like that. Prepared statements (-M prepared): the
 *   cheapest client side, so the bar is the strictest.
 * - The service: `createLoyalty` over `postgresStore({ driver: fromPgPool(pool) })` after
 *   `migrate`, a pool of 8 connections, 8 clients each processing 5-line purchases (the 20-rule
 *   program of targets 2 and 7) for customers of its own, round robin, for the same duration.
 *   A failed call is retried with the same event id, as a host would.
 * - Rounds alternate pgbench and the service (A B B A in a full run), so drift hits both alike;
 *   the ratio is of the medians.
 * - Then the audit: every acknowledged transaction is stored exactly once, no transaction was
 *   stored that no call acknowledged, one idempotency record per acknowledged event, each
 *   account's postings sum to the balance `account()` reports, and every unit sums to zero.
 *
 * Run alone: `npx tsx bench/postgres.ts [--quick]`. Environment: BENCH_PG_SECONDS (per round,
 * default 10; 2 with --quick), BENCH_PG_BIN (a folder of PostgreSQL binaries).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createLoyalty, fixedClock, isLoyaltyError, type Loyalty, type LoyaltyEventInput, type Store, type StoreSession } from '../src';
import { fromPgPool, migrate, postgresStore, retryReason, type SqlDriver, type SqlQueryable } from '../src/adapters/postgres';
import { Decimal } from '../src/money/decimal';
import { twentyRuleProgram } from './lib/programs';
import { findPgBin, startThrowawayServer, type ThrowawayServer } from './lib/pg-server';
import { describe, fmt, median, skippedFigure, type BenchOptions, type TargetFigure } from './lib/report';

const CLIENTS = 8;
const TENANT = 'bench';
const PROGRAM_ID = 'bench';
const NOW = '2027-04-01T00:00:00Z';
const GOAL_RATIO = 0.5;
const NAME = 'service over PostgreSQL, 8 clients, 5-line purchases';

export interface Settings {
  readonly seconds: number;
  /** Each round runs pgbench once and the service once; the order alternates (A B, B A, ...). */
  readonly rounds: number;
  readonly customersPerClient: number;
  /** Also time one client alone (context: how far 8 clients scale). */
  readonly oneClient: boolean;
}

export function settings(quick: boolean): Settings {
  return { seconds: Number(process.env.BENCH_PG_SECONDS ?? (quick ? 2 : 10)), rounds: quick ? 1 : 2, customersPerClient: quick ? 20 : 100, oneClient: !quick };
}

// ---- pgbench: the durable one-row update ----------------------------------------------------

async function preparePgbench(server: ThrowawayServer): Promise<string> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint NOT NULL)');
  await client.query('INSERT INTO bench_counter SELECT g, 0 FROM generate_series(1, $1::integer) AS g', [CLIENTS]);
  await client.end();
  const script = join(server.dir, 'one-row-update.sql');
  // :client_id is pgbench's own variable, 0 to clients - 1: each client updates its own row.
  writeFileSync(script, '\\set id :client_id + 1\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\n');
  return script;
}

/**
 * A context baseline: a transaction of as many statements as one event costs the service
 * (BEGIN, one-row SELECTs, the UPDATE, END), so the ratio against it shows what is left once
 * the round trips are paid for.
 */
function sameRoundTripsScript(server: ThrowawayServer, statements: number): string {
  const selects = Math.max(0, Math.round(statements) - 3);
  const script = join(server.dir, `round-trips-${selects + 3}.sql`);
  const body = Array.from({ length: selects }, () => 'SELECT n FROM bench_counter WHERE id = :id;');
  writeFileSync(script, ['\\set id :client_id + 1', 'BEGIN;', ...body, 'UPDATE bench_counter SET n = n + 1 WHERE id = :id;', 'END;', ''].join('\n'));
  return script;
}

/** pgbench's TPS (without initial connection time) over `seconds`. */
function pgbench(server: ThrowawayServer, script: string, seconds: number): number {
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-n', '-M', 'prepared', '-c', String(CLIENTS), '-j', '2', '-T', String(seconds), '-f', script, 'postgres'];
  const r = spawnSync(join(server.bin, 'pgbench'), args, { encoding: 'utf8' });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || tps === undefined) throw new Error(`pgbench failed (${String(r.status)}): ${r.stderr}${r.stdout}`);
  const failed = /number of failed transactions: (\d+)/.exec(r.stdout)?.[1];
  if (failed !== undefined && failed !== '0') throw new Error(`pgbench: ${failed} failed transactions`);
  return Number(tps);
}

// ---- the service --------------------------------------------------------------------------------

const CATEGORIES = [['electronics'], ['apparel'], ['grocery'], ['home'], ['toys']];

/** A 5-line purchase, the same shape as target 7's (also `bench/pg-profile.ts`'s). */
export function purchase(id: string, customerId: string, i: number): LoyaltyEventInput {
  return {
    id,
    customerId,
    type: 'purchase',
    orderId: `o-${id}`,
    currency: 'USD',
    occurredAt: new Date(Date.UTC(2027, 2, 10 + (i % 20), 12)),
    lines: Array.from({ length: 5 }, (_, j) => ({ lineId: `l${j}`, sku: `sku${(i * 7 + j) % 1000}`, categories: CATEGORIES[(i + j) % CATEGORIES.length] ?? [], quantity: 1 + (j % 3), unitPrice: `${((i + j * 13) % 200) + 0.25}` })),
  };
}

/** What a client was told: the event, its customer, and the transaction ids of its outcomes. */
interface Acknowledged {
  readonly eventId: string;
  readonly customerId: string;
  readonly transactionIds: readonly string[];
}

export interface Bench {
  readonly tenant: string;
  readonly loyalty: Loyalty;
  readonly driver: SqlDriver;
  readonly pool: pg.Pool;
  readonly customers: readonly (readonly string[])[];
  readonly trips: RoundTrips;
  readonly acknowledged: Acknowledged[];
  retries: number;
  next: number;
}

/** Statements sent to the server: each query, and BEGIN and COMMIT of each transaction. */
interface RoundTrips {
  statements: number;
}

/** The driver the service uses, counting its statements (the round trips an event costs). */
function counting(base: SqlDriver, trips: RoundTrips): SqlDriver {
  const count = (q: SqlQueryable): SqlQueryable => ({
    query: (sql, params) => {
      trips.statements += 1;
      return q.query(sql, params);
    },
  });
  return {
    ...count(base),
    transaction: (fn) => {
      trips.statements += 2;
      return base.transaction((tx) => fn(count(tx)));
    },
  };
}

/**
 * The store with its sessions' batch methods (`prefetch`, `appendBatch`) hidden: the service then
 * reads and writes call by call, as before they existed (the "before" of the same run).
 */
function callByCall(store: Store): Store {
  const plain = (session: StoreSession): StoreSession => {
    const { prefetch: _prefetch, appendBatch: _appendBatch, ...calls } = session;
    return calls;
  };
  return { unit: (work) => store.unit((session) => work(plain(session))) };
}

export async function prepareService(server: ThrowawayServer, s: Settings, tenant = TENANT, calls = false, prepare = true): Promise<Bench> {
  const pool = new pg.Pool({ connectionString: server.url, max: CLIENTS });
  pool.on('error', () => undefined);
  const trips: RoundTrips = { statements: 0 };
  const driver = counting(fromPgPool(pool, { prepare }), trips);
  await migrate(driver);
  const store = postgresStore({ driver, tenantId: tenant });
  const loyalty = createLoyalty({ programs: [twentyRuleProgram()], store: calls ? callByCall(store) : store, clock: fixedClock(NOW) });
  const customers = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: s.customersPerClient }, (_, k) => `c${c}-${k}`));
  await Promise.all(customers.map(async (mine) => {
    for (const id of mine) await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2026-01-01T00:00:00Z', tags: id.endsWith('0') ? ['vip'] : [] } });
  }));
  return { tenant, loyalty, driver, pool, customers, trips, acknowledged: [], retries: 0, next: 0 };
}

/** Processes one event until it answers: an error (a dropped connection, a conflict) is retried with the same id. */
async function processOnce(b: Bench, client: number): Promise<void> {
  const mine = b.customers[client] ?? [];
  const n = (b.next += 1);
  const customerId = mine[n % mine.length] ?? 'c0-0';
  const event = purchase(`e${n}`, customerId, n);
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await b.loyalty.process(event);
      const transactionIds = r.outcomes.flatMap((o) => (o.ok && o.transaction ? [o.transaction.id] : []));
      b.acknowledged.push({ eventId: event.id, customerId, transactionIds });
      return;
    } catch (error) {
      // A refusal is an answer the bench does not expect: it fails the run rather than retrying.
      if ((isLoyaltyError(error) && retryReason(error) === undefined) || attempt >= 20) throw error;
      b.retries += 1;
    }
  }
}

/** Events/s of a service round, and this process's CPU time per event (is Node the bottleneck?). */
export interface Round {
  readonly eventsPerSecond: number;
  readonly cpuMsPerEvent: number;
  /** The kernel's share of that CPU time (socket reads and writes). */
  readonly systemShare: number;
  /** Statements per event, BEGIN and COMMIT included. */
  readonly roundTrips: number;
}

/** `clients` clients, each processing its customers' purchases one after another until `seconds` pass. */
export async function serviceRound(b: Bench, seconds: number, clients = CLIENTS): Promise<Round> {
  const before = b.acknowledged.length;
  const statements = b.trips.statements;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    while (performance.now() < deadline) await processOnce(b, client);
  }));
  // Calls in flight at the deadline finish and count: the time includes them.
  const events = b.acknowledged.length - before;
  const used = process.cpuUsage(cpu);
  return { eventsPerSecond: events / ((performance.now() - started) / 1000), cpuMsPerEvent: (used.user + used.system) / 1000 / events, systemShare: used.system / (used.user + used.system), roundTrips: (b.trips.statements - statements) / events };
}

// ---- the audit ------------------------------------------------------------------------------------

interface Audit {
  readonly acknowledgedEvents: number;
  readonly acknowledgedTransactions: number;
  readonly storedTransactions: number;
  readonly lost: number;
  readonly doubled: number;
  readonly unacknowledged: number;
  readonly processedRecords: number;
  readonly balanceMismatches: number;
  readonly unbalancedUnits: number;
}

async function audit(b: Bench): Promise<Audit> {
  const { rows } = await b.driver.query<{ customer_id: string; transaction_id: string; n: string }>(
    'SELECT customer_id, transaction_id, count(*)::text AS n FROM loyalty_transactions WHERE tenant_id = $1 GROUP BY customer_id, transaction_id',
    [b.tenant],
  );
  const stored = new Map(rows.map((r) => [`${r.customer_id}/${r.transaction_id}`, Number(r.n)]));
  const told = new Set(b.acknowledged.flatMap((a) => a.transactionIds.map((t) => `${a.customerId}/${t}`)));
  const processed = await b.driver.query<{ n: string }>('SELECT count(*)::text AS n FROM loyalty_processed WHERE tenant_id = $1', [b.tenant]);
  const units = await b.driver.query<{ unit: string; total: string }>('SELECT unit, sum(amount)::text AS total FROM loyalty_postings WHERE tenant_id = $1 GROUP BY unit', [b.tenant]);
  return {
    acknowledgedEvents: b.acknowledged.length,
    acknowledgedTransactions: told.size,
    storedTransactions: [...stored.values()].reduce((a, n) => a + n, 0),
    lost: [...told].filter((key) => !stored.has(key)).length,
    doubled: [...stored.values()].filter((n) => n > 1).length,
    unacknowledged: [...stored.keys()].filter((key) => !told.has(key)).length,
    processedRecords: Number(processed.rows[0]?.n ?? Number.NaN),
    balanceMismatches: await balanceMismatches(b),
    unbalancedUnits: units.rows.filter((r) => !new Decimal(r.total).isZero()).length,
  };
}

/** Accounts whose SQL sum of postings differs from the balance `account()` reports. */
async function balanceMismatches(b: Bench): Promise<number> {
  const sums = await b.driver.query<{ customer_id: string; account: string; total: string }>(
    "SELECT customer_id, account, sum(amount)::text AS total FROM loyalty_postings WHERE tenant_id = $1 AND program_id = $2 AND unit = 'points' GROUP BY customer_id, account",
    [b.tenant, PROGRAM_ID],
  );
  const sql = new Map(sums.rows.map((r) => [`${r.customer_id}/${r.account}`, new Decimal(r.total)]));
  let mismatches = 0;
  for (const customerId of b.customers.flat()) {
    const { balance } = await b.loyalty.account({ customerId, programId: PROGRAM_ID });
    const book = (account: string): Decimal => sql.get(`${customerId}/${account}`) ?? new Decimal(0);
    if (!book('available').eq(balance.available) || !book('pending').eq(balance.pending) || !book('held').eq(balance.held)) mismatches += 1;
  }
  return mismatches;
}

// ---- the run --------------------------------------------------------------------------------------

/** Lost, doubled and unacknowledged transactions, balance and conservation mismatches, missing or extra records. */
const wrongOf = (a: Audit): number => a.lost + a.doubled + a.unacknowledged + a.balanceMismatches + a.unbalancedUnits + Math.abs(a.processedRecords - a.acknowledgedEvents);

function figures(eventsPerSecond: number, tps: number, a: Audit, s: Settings, note: string): TargetFigure[] {
  const wrong = wrongOf(a);
  const ratio = eventsPerSecond / tps;
  return [
    {
      target: 6,
      name: NAME,
      value: eventsPerSecond,
      unit: 'events/s',
      baseline: { name: 'pgbench one-row update, 8 clients', value: tps, unit: 'TPS' },
      ratio,
      goal: `≥ ${GOAL_RATIO}× pgbench TPS`,
      holds: ratio >= GOAL_RATIO,
      note,
    },
    {
      target: 6,
      name: 'lost, doubled or unacknowledged transactions; balance and conservation mismatches',
      value: wrong,
      unit: 'errors',
      goal: '0',
      holds: wrong === 0,
      note: `${fmt(a.acknowledgedEvents)} events and ${fmt(a.acknowledgedTransactions)} transactions acknowledged, ${fmt(a.storedTransactions)} transactions stored, ${fmt(a.processedRecords)} idempotency records; lost ${a.lost}, doubled ${a.doubled}, unacknowledged ${a.unacknowledged}, balance mismatches ${a.balanceMismatches} over ${fmt(s.customersPerClient * CLIENTS)} accounts, units not summing to zero ${a.unbalancedUnits}`,
    },
  ];
}

function roundTripsFigure(eventsPerSecond: number, tps: number, statements: number): TargetFigure {
  return {
    target: 6,
    name: `service vs pgbench with the same ${fmt(statements, 0)} statements per transaction`,
    value: eventsPerSecond,
    unit: 'events/s',
    baseline: { name: `pgbench, ${fmt(statements, 0)}-statement transaction`, value: tps, unit: 'TPS' },
    ratio: eventsPerSecond / tps,
    goal: `≥ ${GOAL_RATIO}×`,
    holds: eventsPerSecond / tps >= GOAL_RATIO,
    context: true,
    note: 'what the service makes of its round trips: near 1× means the statements per event, not the library, set the pace',
  };
}

/** The same service with the call-by-call session (the "before"), against the two-statement one, same run. */
function beforeFigure(eventsPerSecond: number, before: number, trips: number, tripsBefore: number, a: Audit): TargetFigure {
  const wrong = wrongOf(a);
  return {
    target: 6,
    name: 'two statements per event (prefetch + appendBatch) vs call by call, same run',
    value: eventsPerSecond,
    unit: 'events/s',
    baseline: { name: 'the service with the session read and written call by call', value: before, unit: 'events/s' },
    ratio: eventsPerSecond / before,
    goal: '> 1×, 0 errors in either',
    holds: eventsPerSecond > before && wrong === 0,
    context: true,
    note: `${fmt(trips, 1)} statements per event against ${fmt(tripsBefore, 1)} (BEGIN and COMMIT included); call-by-call audit: ${wrong} errors over ${fmt(a.acknowledgedEvents)} events`,
  };
}

/** The service over `fromPgPool(pool, { prepare: false })` (as behind PgBouncer in transaction mode), against pgbench and the default driver. */
function unpreparedFigure(eventsPerSecond: number, tps: number, prepared: number, a: Audit): TargetFigure {
  const wrong = wrongOf(a);
  return {
    target: 6,
    name: 'the same, the driver not preparing its statements (fromPgPool(pool, { prepare: false }))',
    value: eventsPerSecond,
    unit: 'events/s',
    baseline: { name: 'pgbench one-row update, 8 clients', value: tps, unit: 'TPS' },
    ratio: eventsPerSecond / tps,
    goal: `≥ ${GOAL_RATIO}× pgbench TPS, 0 errors`,
    holds: eventsPerSecond / tps >= GOAL_RATIO && wrong === 0,
    context: true,
    note: `${fmt(eventsPerSecond / prepared, 2)}× the default (prepared) driver in the same run; audit: ${wrong} errors over ${fmt(a.acknowledgedEvents)} events`,
  };
}

async function measure(server: ThrowawayServer, s: Settings): Promise<TargetFigure[]> {
  const script = await preparePgbench(server);
  const b = await prepareService(server, s);
  const calls = await prepareService(server, s, `${TENANT}-calls`, true);
  const unprepared = await prepareService(server, s, `${TENANT}-unprepared`, false, false);
  try {
    // Warm-up of both: JIT, connections, the accounts' first rows.
    pgbench(server, script, 1);
    await serviceRound(b, Math.min(2, s.seconds));
    await serviceRound(calls, Math.min(2, s.seconds));
    await serviceRound(unprepared, Math.min(2, s.seconds));
    const tps: number[] = [];
    const eps: number[] = [];
    const trips: number[] = [];
    const before: Round[] = [];
    const withoutPrepare: Round[] = [];
    for (let round = 0; round < s.rounds; round++) {
      const order = round % 2 === 0 ? ['pgbench', 'service', 'calls', 'unprepared'] : ['unprepared', 'calls', 'service', 'pgbench'];
      for (const which of order) {
        if (which === 'pgbench') {
          tps.push(pgbench(server, script, s.seconds));
          console.log(`  round ${round + 1} pgbench  ${fmt(tps.at(-1) ?? 0).padStart(8)} TPS`);
        } else if (which === 'unprepared') {
          const r = await serviceRound(unprepared, s.seconds);
          withoutPrepare.push(r);
          console.log(`  round ${round + 1} unprepared ${fmt(r.eventsPerSecond).padStart(8)} events/s  (${fmt(r.roundTrips, 1)} statements and ${fmt(r.cpuMsPerEvent, 2)} ms of this process's CPU per event)`);
        } else if (which === 'calls') {
          const r = await serviceRound(calls, s.seconds);
          before.push(r);
          console.log(`  round ${round + 1} call by call ${fmt(r.eventsPerSecond).padStart(8)} events/s  (${fmt(r.roundTrips, 1)} statements and ${fmt(r.cpuMsPerEvent, 2)} ms of this process's CPU per event)`);
        } else {
          const r = await serviceRound(b, s.seconds);
          eps.push(r.eventsPerSecond);
          trips.push(r.roundTrips);
          console.log(`  round ${round + 1} service  ${fmt(r.eventsPerSecond).padStart(8)} events/s  (${fmt(r.roundTrips, 1)} statements and ${fmt(r.cpuMsPerEvent, 2)} ms of this process's CPU per event, ${fmt(r.systemShare * 100)} % of it in the kernel)`);
        }
      }
    }
    if (s.oneClient) {
      const one = await serviceRound(b, s.seconds, 1);
      console.log(`  context: one client alone ${fmt(one.eventsPerSecond, 1)} events/s (${fmt(1000 / one.eventsPerSecond, 1)} ms per event, ${fmt(one.cpuMsPerEvent, 2)} ms CPU)`);
    }
    const sameTrips = pgbench(server, sameRoundTripsScript(server, median(trips)), s.seconds);
    console.log(`  context: pgbench, a transaction of ${fmt(median(trips), 0)} statements (as one event): ${fmt(sameTrips)} TPS`);
    const a = await audit(b);
    const note = `PostgreSQL ${server.version}, ${s.rounds} × (pgbench, service, call-by-call service) of ${s.seconds} s alternated (medians); ${b.retries} retried calls; pgbench: one row per client, -M prepared`;
    const beforeEps = median(before.map((r) => r.eventsPerSecond));
    const beforeTrips = median(before.map((r) => r.roundTrips));
    return [
      ...figures(median(eps), median(tps), a, s, note),
      roundTripsFigure(median(eps), sameTrips, median(trips)),
      beforeFigure(median(eps), beforeEps, median(trips), beforeTrips, await audit(calls)),
      unpreparedFigure(median(withoutPrepare.map((r) => r.eventsPerSecond)), median(tps), median(eps), await audit(unprepared)),
    ];
  } finally {
    await b.pool.end();
    await calls.pool.end();
    await unprepared.pool.end();
  }
}

/**
 * Runs target 6 over a throwaway PostgreSQL server: pgbench's TPS, the service's events/s with 8
 * clients, their ratio, and the audit of the ledger afterwards.
 *
 * @example
 * ```ts
 * const figures = await run({ quick: true }); // npx tsx bench/postgres.ts --quick
 * ```
 */
export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const bin = findPgBin();
  if (bin === undefined) {
    console.log('  skipped: no postgresql binaries (looked under /usr/lib/postgresql/*/bin and BENCH_PG_BIN)');
    return [skippedFigure(6, NAME, `≥ ${GOAL_RATIO}× pgbench TPS`, 'no postgresql binaries')];
  }
  const s = settings(options.quick);
  console.log(`target 6: ${NAME}; ${s.rounds} × (pgbench, service) of ${s.seconds} s, ${s.customersPerClient} customers per client, binaries ${bin}`);
  const server = await startThrowawayServer(bin);
  try {
    console.log(`  throwaway server on 127.0.0.1:${server.port} (${server.dir})`);
    const all = await measure(server, s);
    for (const f of all) console.log(describe(f));
    return all;
  } finally {
    server.stop();
  }
}

if (process.argv[1]?.endsWith('bench/postgres.ts')) await run({ quick: process.argv.includes('--quick') });

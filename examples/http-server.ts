// A small loyalty backend: Fastify 5 over the service and a store, with the outbox dispatcher and
// the tick schedule. `buildApp` makes it without listening (test/examples/http-server.test.ts
// drives it with `inject`).
// Run: npx tsx examples/http-server.ts           (serves a few demo requests against itself, exits)
//      PORT=3000 npx tsx examples/http-server.ts  (listens until SIGINT / SIGTERM)
//      DATABASE_URL=postgres://… npx tsx examples/http-server.ts   (PostgreSQL; else PGlite in memory)
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { fastify, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { PGlite } from '@electric-sql/pglite';
import { createLoyalty, defineProgram, isLoyaltyError, type Clock, type CustomerInput, type InstantInput, type Issue, type Loyalty, type LoyaltyEventInput, type ProcessResult, type RequestResult, type Store } from '../src';
import type { OutboxRow, ProgramOutcome, QuoteInput, UpsertCustomerInput } from '../src/core';
import { fromPGlite, fromPgPool, migrate, postgresStore } from '../src/adapters/postgres';

export const program = defineProgram({
  kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York',
  redemption: { pointsPerUnit: 100, maxShare: '0.5' },          // 100 points = $1.00, at most half an order
  expiry: { kind: 'rolling', days: 365 },
  rules: [{ id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

// ---- Errors → HTTP status -------------------------------------------------------------------

/** Thrown codes that name something that does not exist. */
const NOT_FOUND = new Set(['unknown_customer', 'unknown_program', 'unknown_account', 'not_enrolled', 'unknown_transaction', 'unknown_hold', 'unknown_reward', 'unknown_order']);
/** Thrown codes where the call clashes with what is stored: retrying the same call will not help (version_conflict: retry later). */
const CONFLICT = new Set(['idempotency_conflict', 'order_conflict', 'version_conflict', 'duplicate_transaction', 'pseudonym_taken']);

/**
 * The HTTP status of a thrown `LoyaltyError`: 404 unknown ids, 409 conflicts, 500 a ledger that
 * cannot be read, 400 everything else (bad input, a clock-window refusal: fix the call, retry).
 */
export function statusOf(code: string): number {
  if (NOT_FOUND.has(code)) return 404;
  if (CONFLICT.has(code)) return 409;
  if (code === 'ledger_inconsistent') return 500;
  return 400;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, issues: readonly Issue[]): FastifyReply {
  return reply.code(status).send({ code, message, issues });
}

// ---- Response bodies ------------------------------------------------------------------------

/**
 * JSON with object keys sorted: a replay's body is byte for byte the first one even when the
 * store hands back stored JSON with its keys in another order (PostgreSQL's jsonb does).
 */
export const stableJson = (payload: unknown): string =>
  JSON.stringify(payload, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );

/** One program's outcome as the API shows it; Decimals serialise as strings, Dates as ISO. */
function outcomeView(outcome: ProgramOutcome): Record<string, unknown> {
  if (!outcome.ok) return { programId: outcome.programId, ok: false, issues: outcome.issues };
  return { programId: outcome.programId, ok: true, transactionId: outcome.transaction?.id ?? null, notifications: outcome.notifications };
}

/** 201 when recorded, 422 when every program refused (a business refusal, recorded and sticky). */
const statusOfOutcomes = (outcomes: readonly ProgramOutcome[]): number => (outcomes.length > 0 && outcomes.every((o) => !o.ok) ? 422 : 201);

function requestView(result: RequestResult): Record<string, unknown> {
  return { requestId: result.requestId, transactionId: result.transactionId, ...(result.holdId !== undefined ? { holdId: result.holdId } : {}), outcome: outcomeView(result.outcome) };
}

/**
 * HTTP bodies are `unknown`; the service validates every field at runtime (zod) and throws a
 * `LoyaltyError` naming each bad one, so an object body is handed over as the service's input
 * type `T`. A body that is not a JSON object is refused here.
 */
function bodyAs<T extends object>(body: unknown): T {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as T;
  throw Object.assign(new Error('the body must be a JSON object'), { statusCode: 400, code: 'invalid_type' });
}

// ---- Background loops -----------------------------------------------------------------------

/** A job run now (`runOnce`, what tests call) or every `intervalMs` (`start` / `stop`); runs never overlap. */
export interface Loop<T> {
  runOnce(): Promise<T>;
  start(): void;
  stop(): Promise<void>;
}

function loop<T>(intervalMs: number, job: () => Promise<T>, onError: (error: unknown) => void): Loop<T> {
  let last: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const runOnce = (): Promise<T> => {
    const run = last.then(job);
    last = run.catch(() => undefined);
    return run;
  };
  const schedule = (): void => {
    // The next run is armed when this one ends, and only if the loop was not stopped (or
    // stopped and restarted, which armed its own timer) in the meantime.
    const handle = setTimeout(() => void runOnce().catch(onError).finally(() => timer === handle && schedule()), intervalMs);
    timer = handle;
  };
  return {
    runOnce,
    start() {
      if (timer === undefined) schedule();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await last;
    },
  };
}

/**
 * Reads the outbox, hands each row to `deliver` in order, and acknowledges the rows delivered.
 * A row whose delivery throws stays in the outbox (with the rows after it) and is retried on the
 * next run: delivery is at least once, so `deliver` should be idempotent by `row.seq`.
 */
export function outboxDispatcher(loyalty: Loyalty, deliver: (row: OutboxRow) => Promise<void>, batch = 100): () => Promise<number> {
  return async () => {
    const delivered: number[] = [];
    try {
      for (const row of await loyalty.outbox({ limit: batch })) {
        await deliver(row);
        delivered.push(row.seq);
      }
    } finally {
      if (delivered.length > 0) await loyalty.acknowledge({ seqs: delivered });
    }
    return delivered.length;
  };
}

// ---- The app --------------------------------------------------------------------------------

/** What `buildApp` needs: a store; the rest has defaults. */
export interface AppOptions {
  readonly store: Store;
  readonly clock?: Clock;
  /** Where outbox notifications go (an email service, a queue…); default: dropped. */
  readonly deliver?: (row: OutboxRow) => Promise<void>;
  readonly dispatchEveryMs?: number;
  readonly tickEveryMs?: number;
  readonly logger?: boolean;
}

/** The app, its service, and its two background loops (stopped when the app closes). */
export interface Backend {
  readonly app: FastifyInstance;
  readonly loyalty: Loyalty;
  readonly dispatcher: Loop<number>;
  readonly ticks: Loop<Awaited<ReturnType<Loyalty['tickDue']>>>;
}

/**
 * The app over `options.store`, not listening: `app.listen(...)` serves it, `app.inject(...)`
 * tests it. The loops do not run until `start()`; `app.close()` stops them.
 */
export function buildApp(options: AppOptions): Backend {
  const loyalty = createLoyalty({ programs: [program], store: options.store, clock: options.clock });
  const app = fastify({ logger: options.logger ?? false });
  const logError = (error: unknown): void => app.log.error(error);
  const dispatcher = loop(options.dispatchEveryMs ?? 1_000, outboxDispatcher(loyalty, options.deliver ?? (async () => {})), logError);
  const ticks = loop(options.tickEveryMs ?? 60_000, async () => {
    const result = await loyalty.tickDue();
    // An account whose tick failed is retried by tickDue an hour later; tell someone meanwhile.
    for (const failure of result.failed) app.log.warn({ failure }, 'tick failed');
    return result;
  }, logError);
  app.addHook('onClose', async () => {
    await dispatcher.stop();
    await ticks.stop();
  });

  app.setReplySerializer(stableJson);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (isLoyaltyError(error)) return sendError(reply, statusOf(error.code), error.code, error.message, error.issues);
    // Fastify's own refusals (a body that is not JSON, too large…) and bodyAs's carry a 4xx status.
    const status = error.statusCode ?? 500;
    if (status >= 500) app.log.error(error);
    return sendError(reply, status, status >= 500 ? 'internal' : (error.code ?? 'bad_request'), status >= 500 ? 'internal error' : error.message, []);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url}`, []));

  routes(app, loyalty);
  return { app, loyalty, dispatcher, ticks };
}

/** PUT /customers/:id: the profile without its id (the path has it), and the programs to enrol in. */
type CustomerBody = Omit<CustomerInput, 'id'> & Pick<UpsertCustomerInput, 'programs'>;
/** POST /refunds: a refund event without its `type`. */
type RefundBody = DistributiveOmit<Extract<LoyaltyEventInput, { type: 'refund' }>, 'type'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function routes(app: FastifyInstance, loyalty: Loyalty): void {
  // The event id is the idempotency key: a replay returns the first answer, flagged in a header.
  const sendProcessed = (reply: FastifyReply, result: ProcessResult): FastifyReply =>
    reply
      .code(statusOfOutcomes(result.outcomes))
      .header('idempotent-replayed', String(result.replayed))
      .send({ eventId: result.eventId, customerId: result.customerId, outcomes: result.outcomes.map(outcomeView) });
  app.post('/events', async (request, reply) => sendProcessed(reply, await loyalty.process(bodyAs<LoyaltyEventInput>(request.body))));
  // A refund is an event of type `refund`: the same processing and answers as POST /events.
  app.post('/refunds', async (request, reply) => sendProcessed(reply, await loyalty.process({ ...bodyAs<RefundBody>(request.body), type: 'refund' })));
  app.put<{ Params: { id: string } }>('/customers/:id', async (request) => {
    const { programs, ...profile } = bodyAs<CustomerBody>(request.body);
    return loyalty.upsertCustomer({ customer: { ...profile, id: request.params.id }, programs });
  });
  app.get<{ Params: { id: string; program: string }; Querystring: { at?: InstantInput } }>('/customers/:id/accounts/:program', async (request) => {
    const { at } = request.query;
    const view = await loyalty.account({ customerId: request.params.id, programId: request.params.program, ...(at !== undefined ? { at } : {}) });
    return { customerId: view.customerId, programId: view.programId, at: view.at, ...view.balance, nextDueAt: view.nextDueAt };
  });
  app.post('/quote', async (request) => loyalty.quote(bodyAs<QuoteInput>(request.body)));
  // The request id is the idempotency key; a refusal (insufficient points…) is 422 and sticky.
  app.post('/redemptions', async (request, reply) => {
    const result = await loyalty.redeem(bodyAs<Parameters<Loyalty['redeem']>[0]>(request.body));
    return reply.code(result.outcome.ok ? 201 : 422).header('idempotent-replayed', String(result.replayed)).send(requestView(result));
  });
}

// ---- Running it -----------------------------------------------------------------------------

/**
 * The store when run directly: PostgreSQL through a `pg` Pool when `DATABASE_URL` is set, else
 * PGlite in memory (gone at exit; give `new PGlite(directory)` a path to keep it, see
 * examples/persistent.ts). `migrate` creates or updates the tables; it is safe to run at every start.
 * `schema` puts the tables in a schema of their own (default: the connection's search_path).
 */
export async function openStore(databaseUrl = process.env.DATABASE_URL, schema?: string): Promise<{ store: Store; close: () => Promise<void> }> {
  if (databaseUrl !== undefined) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: databaseUrl });
    pool.on('error', () => {});   // an idle connection the server closed: the pool replaces it
    const driver = fromPgPool(pool);
    await migrate(driver, { schema });
    return { store: postgresStore({ driver, schema }), close: () => pool.end() };
  }
  const db = new PGlite();
  const driver = fromPGlite(db);
  await migrate(driver);
  return { store: postgresStore({ driver }), close: () => db.close() };
}

async function demo(baseUrl: string, backend: Backend): Promise<void> {
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    console.log(`${method} ${path} → ${response.status} ${await response.text()}`);
  };
  const now = new Date().toISOString();
  const run = randomUUID().slice(0, 8);   // fresh ids each run: a database may keep the last run's
  const lines = [{ lineId: '1', sku: 'shoes', quantity: 1, unitPrice: '60.00' }, { lineId: '2', sku: 'jacket', quantity: 1, unitPrice: '190.00' }];
  const purchase = { id: `evt-${run}-1`, customerId: 'ana', type: 'purchase', orderId: `A-${run}`, currency: 'USD', occurredAt: now, lines };
  await call('PUT', '/customers/ana', { enrolledAt: now, timeZone: 'America/New_York' });
  await call('POST', '/events', purchase);
  await call('POST', '/events', purchase);                                   // replay: the same answer
  await call('POST', '/events', { ...purchase, orderId: `B-${run}` });       // 409 idempotency_conflict
  await call('POST', '/quote', { customerId: 'ana', programId: 'rewards', order: { currency: 'USD', lines }, points: 'max' });
  await call('POST', '/redemptions', { customerId: 'ana', programId: 'rewards', requestId: `r-${run}-1`, points: 100 });
  await call('POST', '/redemptions', { customerId: 'ana', programId: 'rewards', requestId: `r-${run}-2`, points: 5000 });  // 422 insufficient_points
  await call('POST', '/refunds', { id: `evt-${run}-2`, customerId: 'ana', orderId: `A-${run}`, occurredAt: now, lines: [{ lineId: '1', quantity: 1 }] });
  await call('GET', '/customers/ana/accounts/rewards');
  await call('GET', '/customers/bob/accounts/rewards');                     // 404
  await call('POST', '/events', { id: `evt-${run}-3`, customerId: 'ana', type: 'purchase' });  // 400, with the issues
  console.log(`outbox: ${await backend.dispatcher.runOnce()} notifications delivered`);
}

async function main(): Promise<void> {
  const { store, close } = await openStore();
  const backend = buildApp({
    store,
    logger: process.env.PORT !== undefined,
    deliver: async (row) => console.log(`deliver #${row.seq} ${row.notification.type} for ${row.notification.customerId}`),
  });
  const shutdown = async (): Promise<void> => {
    await backend.app.close();
    await close();
  };
  if (process.env.PORT !== undefined) {
    backend.dispatcher.start();
    backend.ticks.start();
    await backend.app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
    return;
  }
  const address = await backend.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await demo(address, backend);
  } finally {
    await shutdown();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

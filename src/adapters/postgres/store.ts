import * as z from 'zod';
import { isLoyaltyError, LoyaltyError } from '../../errors';
import { issuesFromZod } from '../../schema/issues';
import type { Store, StoreSession } from '../../store/types';
import { CommitOutcomeUnknownError, isConnectionError, type SqlDriver } from './driver';
import { quoteIdent, schemaNameSchema } from './migrate';
import { sqlSession } from './session';

/**
 * Why a unit of work is run again.
 *
 * @example
 * ```ts
 * const reason: RetryReason = 'serialization_failure';
 * ```
 */
export type RetryReason = 'serialization_failure' | 'deadlock' | 'duplicate_key' | 'version_conflict' | 'connection_lost';

/**
 * What the store tells `onRetry` before it runs a unit again.
 *
 * @example
 * ```ts
 * postgresStore({ driver, onRetry: (info: RetryInfo) => metrics.increment(`loyalty.retry.${info.reason}`) });
 * ```
 */
export interface RetryInfo {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly reason: RetryReason;
  /** How long it waits before the retry. */
  readonly delayMs: number;
  readonly error: unknown;
}

/**
 * The SQL isolation level a unit's transaction runs at.
 *
 * @example
 * ```ts
 * const isolation: IsolationLevel = 'serializable';
 * ```
 */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * Options of `postgresStore`.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { driver: fromPgPool(pool), tenantId: 'acme', schema: 'loyalty', retries: 20 };
 * ```
 */
export interface PostgresStoreOptions {
  readonly driver: SqlDriver;
  /** Keys every row, so several businesses share one database; default `''`. */
  readonly tenantId?: string | undefined;
  /** The schema `migrate` created the tables in; default: the connection's search_path. */
  readonly schema?: string | undefined;
  /** How many times a unit is run again after a retryable failure; default 30. */
  readonly retries?: number | undefined;
  /** The first backoff, doubled at each retry up to `maxDelayMs`; default 2 ms. */
  readonly baseDelayMs?: number | undefined;
  /** The longest backoff; default 250 ms. */
  readonly maxDelayMs?: number | undefined;
  /**
   * Lock each account a unit reads (`SELECT … FOR UPDATE`) until it commits, so that units on one
   * hot account wait their turn instead of failing their version check and running again. Default
   * true; false leaves only the optimistic version checks (reads never block).
   */
  readonly lockAccounts?: boolean | undefined;
  /** The isolation level of each unit (`SET TRANSACTION`); default: the server's default. */
  readonly isolation?: IsolationLevel | undefined;
  /** A source of jitter in [0, 1); default `Math.random`. Inject one for reproducible runs. */
  readonly random?: (() => number) | undefined;
  /** Waits before a retry; default `setTimeout`. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Called before each retry (metrics, logs). */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
}

const optionsSchema = z.object({
  driver: z.custom<SqlDriver>((v) => typeof v === 'object' && v !== null && typeof (v as SqlDriver).query === 'function' && typeof (v as SqlDriver).transaction === 'function', 'a driver: fromPgPool(pool) or fromPGlite(db)'),
  tenantId: z.string().max(200).optional(),
  schema: schemaNameSchema.optional(),
  retries: z.number().int().min(0).max(1000).optional(),
  baseDelayMs: z.number().min(0).max(60_000).optional(),
  maxDelayMs: z.number().min(0).max(60_000).optional(),
  lockAccounts: z.boolean().optional(),
  isolation: z.enum(['read committed', 'repeatable read', 'serializable']).optional(),
  random: z.function().optional(),
  sleep: z.function().optional(),
  onRetry: z.function().optional(),
});

// A racing duplicate shows as a unique violation on these keys: the retry finds the winner's row.
const RACING_KEYS = new Set([
  'loyalty_processed_pkey',
  'loyalty_transactions_pkey',
  'loyalty_transactions_id_key',
  'loyalty_accounts_pkey',
  'loyalty_counters_pkey',
  'loyalty_customers_pkey',
  'loyalty_schedules_pkey',
  'loyalty_sequences_pkey',
]);

/**
 * Why an error of a unit of work calls for running it again, or undefined when it does not.
 * Connection loss counts only before `COMMIT` was sent (the server rolled the unit back); a
 * failure during `COMMIT` is `CommitOutcomeUnknownError` and is never retried here.
 *
 * @example
 * ```ts
 * retryReason(Object.assign(new Error('could not serialize access'), { code: '40001' })); // 'serialization_failure'
 * ```
 */
export function retryReason(error: unknown): RetryReason | undefined {
  if (error instanceof CommitOutcomeUnknownError) return undefined;
  if (isLoyaltyError(error)) return error.issues.some((i) => i.code === 'version_conflict') ? 'version_conflict' : undefined;
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code === '40001') return 'serialization_failure';
  if (code === '40P01') return 'deadlock';
  if (code === '23505' && typeof constraint === 'string' && RACING_KEYS.has(constraint)) return 'duplicate_key';
  if (isConnectionError(error)) return 'connection_lost';
  return undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The production store: accounts, the ledger (one row per transaction and one per posting, with
 * NUMERIC amounts), idempotency records, schedules, counters and the outbox in PostgreSQL (or
 * PGlite, CockroachDB, YugabyteDB). Each unit of work is one SQL transaction; per-account
 * concurrency comes from row locks on the accounts a unit reads (`lockAccounts`) and version
 * checks on the accounts it writes (`UPDATE … WHERE version = expected`), and a unit that
 * loses a race (serialization failure, deadlock, a racing duplicate key, a version conflict, a
 * connection lost before `COMMIT`) is run again from the start, a bounded number of times, after
 * an exponential backoff with full jitter. Run `migrate(driver)` first.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { fromPgPool, migrate, postgresStore } from 'loyalty-engine/postgres';
 * const driver = fromPgPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(driver);
 * const loyalty = createLoyalty({ programs: [program], store: postgresStore({ driver, tenantId: 'acme' }) });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): Store {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  const { driver, tenantId = '', schema, retries = 30, baseDelayMs = 2, maxDelayMs = 250, isolation, lockAccounts = true } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const prefix = schema === undefined ? '' : `${quoteIdent(schema)}.`;
  const table = (name: string): string => `${prefix}${name}`;
  const begin = isolation === undefined ? undefined : `SET TRANSACTION ISOLATION LEVEL ${isolation.toUpperCase()}`;

  /** Runs `work` in one transaction; a failure comes back with the keys the unit found absent. */
  async function once<T>(work: (session: StoreSession) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown; missed: ReadonlySet<string> }> {
    let missed: ReadonlySet<string> = new Set();
    try {
      const value = await driver.transaction(async (tx) => {
        if (begin) await tx.query(begin);
        const { session, missedKeys } = sqlSession({ tx, tenantId, table, lockAccounts });
        missed = missedKeys;
        return work(session);
      });
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error, missed };
    }
  }

  /**
   * Below SERIALIZABLE, each statement of a unit may see a newer snapshot: a unit that found no
   * record of its event, and then read what the event's racing duplicate committed meanwhile (an
   * order already claimed, a lifetime cap reached), fails with a refusal meant for another event.
   * When a key the unit found absent exists now, the failure was a race: the unit runs again and
   * finds the record.
   */
  async function racedDuplicate(missed: ReadonlySet<string>): Promise<boolean> {
    if (missed.size === 0) return false;
    try {
      const { rows } = await driver.query(`SELECT 1 AS x FROM ${table('loyalty_processed')} WHERE tenant_id = $1 AND event_key IN (SELECT jsonb_array_elements_text($2::jsonb)) LIMIT 1`, [
        tenantId,
        JSON.stringify([...missed]),
      ]);
      return rows.length > 0;
    } catch {
      // The database is not answering: the unit's own error is the one to report.
      return false;
    }
  }

  return {
    async unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const run = await once(work);
        if (run.ok) return run.value;
        const { error } = run;
        const reason = retryReason(error) ?? (isLoyaltyError(error) && (await racedDuplicate(run.missed)) ? 'duplicate_key' : undefined);
        if (reason === undefined || attempt > retries) throw error;
        // Full jitter: a uniform wait up to the exponential bound, so racing units spread out.
        const delayMs = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        options.onRetry?.({ attempt, reason, delayMs, error });
        await sleep(delayMs);
      }
    },
  };
}

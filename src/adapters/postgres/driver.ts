// The tiny driver interface the PostgreSQL store runs over, and its two implementations. The
// client libraries are described structurally (no import of `pg` or PGlite), so this module
// loads anywhere, a browser included, and neither library is needed to type-check against it.

/**
 * A query's answer: the rows, and how many rows a write touched.
 *
 * @example
 * ```ts
 * const { rows, rowCount } = await driver.query('UPDATE loyalty_outbox SET acknowledged_at = now() WHERE seq = $1', [7]);
 * ```
 */
export interface SqlResult<Row = Record<string, unknown>> {
  readonly rows: readonly Row[];
  readonly rowCount: number;
}

/**
 * Something SQL can be sent to: a connection inside a transaction, or a driver outside one.
 * Parameters are `$1`, `$2`… and are given as strings, numbers, booleans or null.
 *
 * @example
 * ```ts
 * const { rows } = await queryable.query('SELECT version FROM loyalty_accounts WHERE tenant_id = $1', ['']);
 * ```
 */
export interface SqlQueryable {
  /** Runs one statement with `$1`, `$2`… parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The driver the store needs: single queries, and transactions that hold one connection from
 * `BEGIN` to `COMMIT` (committed when `fn` resolves, rolled back when it throws).
 *
 * @example
 * ```ts
 * const driver: SqlDriver = fromPgPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await driver.transaction(async (tx) => tx.query('SELECT 1'));
 * ```
 */
export interface SqlDriver extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}

/**
 * Thrown when the connection failed while `COMMIT` was on its way: the transaction may or may
 * not have committed. The store never retries it (the unit might run twice); the caller retries
 * with the same event or request id, which replays the first answer if it did commit.
 *
 * @example
 * ```ts
 * try { await loyalty.process(event); } catch (e) { if (e instanceof CommitOutcomeUnknownError) await loyalty.process(event); }
 * ```
 */
export class CommitOutcomeUnknownError extends Error {
  override name = 'CommitOutcomeUnknownError';
  constructor(override readonly cause: unknown) {
    super(`the connection failed during COMMIT; the transaction may have committed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * A named prepared statement, as node-postgres takes it: parsed and planned once per connection,
 * then only bound and run.
 *
 * @example
 * ```ts
 * const q: PgNamedQuery = { name: 'loyalty_1f2e', text: 'SELECT $1::int AS n', values: [1] };
 * ```
 */
export interface PgNamedQuery {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The part of a node-postgres `PoolClient` the driver uses (described here, so that `pg` is not
 * needed to type-check).
 *
 * @example
 * ```ts
 * const client: PgClientLike = await pool.connect();
 * ```
 */
export interface PgClientLike {
  /** Runs one statement (named unless `fromPgPool(pool, { prepare: false })`). */
  query(sql: string | PgNamedQuery, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** Gives the client back to the pool; destroys it when given an error or true. */
  release(destroy?: boolean | Error): void;
  /** Listens for connection errors reported between queries. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Stops listening. */
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The part of a node-postgres `Pool` the driver uses.
 *
 * @example
 * ```ts
 * const pool: PgPoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgPoolLike {
  /** Runs one statement on any free connection (named unless `prepare: false`). */
  query(sql: string | PgNamedQuery, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** Checks a client out, for a transaction. */
  connect(): Promise<PgClientLike>;
}

/**
 * The part of a PGlite transaction the driver uses.
 *
 * @example
 * ```ts
 * await db.transaction(async (tx: PGliteTransactionLike) => tx.query('SELECT 1'));
 * ```
 */
export interface PGliteTransactionLike {
  /** Runs one statement. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
}

/**
 * The part of a `PGlite` database the driver uses.
 *
 * @example
 * ```ts
 * const db: PGliteLike = new PGlite();
 * ```
 */
export interface PGliteLike extends PGliteTransactionLike {
  /** Runs `fn` as one transaction; PGlite runs them one at a time. */
  transaction<T>(fn: (tx: PGliteTransactionLike) => Promise<T>): Promise<T>;
}

/**
 * Options of `fromPgPool`.
 *
 * @example
 * ```ts
 * const driver = fromPgPool(pool, { prepare: false } satisfies PgDriverOptions); // behind PgBouncer in transaction mode
 * ```
 */
export interface PgDriverOptions {
  /**
   * Send statements with parameters as named prepared statements, so that the server parses and
   * plans each of the store's statements once per connection instead of at every call (the
   * store's two statements per event are large: about a quarter of the server's CPU per event
   * goes to planning them). On by default. Pass `false` behind a pooler in transaction mode
   * (PgBouncer before 1.21, or later ones without `max_prepared_statements`), which does not keep
   * prepared statements across transactions. A statement prepared before a migration changed its
   * tables fails once on each connection (SQLSTATE 0A000): run `migrate` before the pool serves
   * the store, or start a fresh pool after it.
   */
  readonly prepare?: boolean;
}

// FNV-1a, two 32-bit lanes: a statement's name from its text, the same in every driver over one
// pool (node-postgres refuses one name for two texts, so a collision fails loudly, never silently).
function statementName(sql: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return `loyalty_${a.toString(16)}${b.toString(16)}`;
}

const pgResult = <Row>(r: { rows: unknown[]; rowCount: number | null }): SqlResult<Row> => ({ rows: r.rows as Row[], rowCount: r.rowCount ?? 0 });

/**
 * A driver over a node-postgres `Pool`: each transaction checks out one client, runs
 * `BEGIN` … `COMMIT` on it, and gives it back (destroyed if the connection broke).
 *
 * Add `pool.on('error', …)`: node-postgres reports there the idle connections the server closed.
 * Statements with parameters are prepared once per connection; pass `{ prepare: false }` behind a
 * pooler in transaction mode (see {@link PgDriverOptions}).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('error', () => {}); // idle connections closed by the server: the pool replaces them
 * const store = postgresStore({ driver: fromPgPool(pool) });
 * ```
 */
export function fromPgPool(pool: PgPoolLike, options: PgDriverOptions = {}): SqlDriver {
  const prepare = options.prepare !== false;
  const send = (target: PgPoolLike | PgClientLike, sql: string, params: readonly unknown[]): ReturnType<PgPoolLike['query']> =>
    prepare && params.length > 0 ? target.query({ name: statementName(sql), text: sql, values: [...params] }) : target.query(sql, [...params]);
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return pgResult<Row>(await send(pool, sql, params));
    },
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection the server closes between statements is reported on the client: noted here
      // (so it does not crash the process) and surfaced by the next query that fails.
      let broken: Error | undefined;
      const onError = (error: Error): void => {
        broken = error;
      };
      client.on('error', onError);
      const tx: SqlQueryable = { query: async <Row>(sql: string, params: readonly unknown[] = []) => pgResult<Row>(await send(client, sql, params)) };
      try {
        await client.query('BEGIN');
        let result: T;
        try {
          result = await fn(tx);
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw error;
        }
        try {
          await client.query('COMMIT');
        } catch (error) {
          if (isConnectionError(error)) {
            broken ??= error instanceof Error ? error : new Error(String(error));
            throw new CommitOutcomeUnknownError(error);
          }
          throw error;
        }
        return result;
      } finally {
        client.removeListener('error', onError);
        client.release(broken ?? false);
      }
    },
  };
}

/**
 * A driver over PGlite. PGlite has one connection, so every transaction runs through
 * `db.transaction()`, which runs them one at a time: `BEGIN`/`COMMIT` sent over `db.query` from
 * interleaved callers would share one session and isolate nothing.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * const db = new PGlite(); // or new PGlite('./loyalty-data') to persist in a folder
 * const driver = fromPGlite(db);
 * await migrate(driver);
 * ```
 */
export function fromPGlite(db: PGliteLike): SqlDriver {
  const wrap = (q: PGliteTransactionLike): SqlQueryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const r = await q.query(sql, [...params]);
      return { rows: r.rows as Row[], rowCount: r.affectedRows ?? 0 };
    },
  });
  const outside = wrap(db);
  return {
    query: outside.query,
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> => db.transaction((tx) => fn(wrap(tx))),
  };
}

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

/**
 * True when an error says the connection was lost (the server terminated the backend, the socket
 * closed): a transaction interrupted before `COMMIT` was rolled back by the server.
 *
 * @example
 * ```ts
 * isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })); // true
 * ```
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|not queryable/i.test(error.message);
}

import * as z from 'zod';
import { LoyaltyError } from '../../errors';
import { issuesFromZod } from '../../schema/issues';
import type { SqlDriver, SqlQueryable } from './driver';
import { MIGRATIONS } from './migrations/sql';

/** A schema name the store accepts: lower-case letters, digits and underscores (no quoting games). */
export const schemaNameSchema = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema name is lower-case letters, digits and underscores, at most 63, not starting with a digit');

/**
 * Options of `migrate`.
 *
 * @example
 * ```ts
 * await migrate(driver, { schema: 'loyalty' } satisfies MigrateOptions);
 * ```
 */
export interface MigrateOptions {
  /** The schema to create the tables in (created if absent); default: the connection's search_path (usually `public`). */
  readonly schema?: string | undefined;
}

/**
 * What `migrate` did.
 *
 * @example
 * ```ts
 * const { applied, version }: MigrateResult = await migrate(driver);
 * ```
 */
export interface MigrateResult {
  /** Versions applied by this call (empty when the database was up to date). */
  readonly applied: readonly number[];
  /** The schema version now. */
  readonly version: number;
}

/**
 * The SQL of every shipped migration, oldest first, exactly as in the package's
 * `src/adapters/postgres/migrations/*.sql` files: for DBAs and migration tools that apply SQL
 * themselves (then record nothing: `migrate` would apply them again, harmlessly, since every
 * statement is `IF NOT EXISTS`).
 *
 * @example
 * ```ts
 * for (const m of migrationSql()) console.log(`-- ${m.file}\n${m.sql}`);
 * ```
 */
export function migrationSql(): readonly { readonly version: number; readonly name: string; readonly file: string; readonly sql: string }[] {
  return MIGRATIONS;
}

/** A double-quoted identifier (names are checked by `schemaNameSchema` first). */
export const quoteIdent = (name: string): string => `"${name}"`;

/** Splits a migration into statements: every statement ends with `;` at the end of a line. */
export function statementsOf(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS loyalty_schema_migrations (
  version integer NOT NULL,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT loyalty_schema_migrations_pkey PRIMARY KEY (version)
)`;

// Two processes migrating at once race on CREATE … IF NOT EXISTS (the catalog's unique index, or
// "already exists"); the loser's transaction rolls back and runs again, finding the work done.
const RACE_CODES = new Set(['23505', '42P07', '42710', '40001', '40P01']);

async function applyOne(tx: SqlQueryable, schema: string | undefined, version: number, name: string, sql: string): Promise<boolean> {
  if (schema !== undefined) await tx.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
  await tx.query(MIGRATIONS_TABLE);
  const done = await tx.query('SELECT 1 AS x FROM loyalty_schema_migrations WHERE version = $1', [version]);
  if (done.rows.length > 0) return false;
  for (const statement of statementsOf(sql)) await tx.query(statement);
  await tx.query('INSERT INTO loyalty_schema_migrations (version, name) VALUES ($1, $2)', [version, name]);
  return true;
}

/**
 * Creates or updates the store's tables: applies, each in its own transaction, the shipped
 * migrations not yet recorded in `loyalty_schema_migrations`. Idempotent, and safe to run from
 * several processes at once.
 *
 * @example
 * ```ts
 * const driver = fromPgPool(pool);
 * await migrate(driver); // { applied: [1], version: 1 } the first time, { applied: [], version: 1 } after
 * const store = postgresStore({ driver });
 * ```
 */
export async function migrate(driver: SqlDriver, options: MigrateOptions = {}): Promise<MigrateResult> {
  const parsed = z.object({ schema: schemaNameSchema.optional() }).safeParse(options);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  const { schema } = parsed.data;
  if (schema !== undefined) await retryRace(() => driver.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (await retryRace(() => driver.transaction((tx) => applyOne(tx, schema, m.version, m.name, m.sql)))) applied.push(m.version);
  }
  return { applied, version: MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0 };
}

async function retryRace<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== 'string' || !RACE_CODES.has(code)) throw error;
    }
  }
}

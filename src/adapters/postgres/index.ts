/**
 * `loyalty-engine/postgres`: the production store on PostgreSQL, PGlite, CockroachDB or
 * YugabyteDB, over a tiny driver interface (`fromPgPool`, `fromPGlite`). Re-exports only.
 *
 * @module
 */
export { postgresStore, retryReason, type PostgresStoreOptions, type RetryInfo, type RetryReason, type IsolationLevel } from './store';
export { migrate, migrationSql, type MigrateOptions, type MigrateResult } from './migrate';
export {
  fromPgPool,
  fromPGlite,
  isConnectionError,
  CommitOutcomeUnknownError,
  type SqlDriver,
  type SqlQueryable,
  type SqlResult,
  type PgPoolLike,
  type PgClientLike,
  type PgDriverOptions,
  type PgNamedQuery,
  type PGliteLike,
  type PGliteTransactionLike,
} from './driver';

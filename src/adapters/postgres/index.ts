// loyalty-engine/postgres: the PostgreSQL store (also PGlite, CockroachDB, YugabyteDB).
// Re-exports only.
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
  type PGliteLike,
  type PGliteTransactionLike,
} from './driver';

// One migrated PGlite per test file (a cold start takes seconds), opened before the file's tests
// and closed after them. Shared by the PostgreSQL store tests that run on PGlite.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { fromPGlite, migrate, type SqlDriver } from '../../src/adapters/postgres';

/**
 * Registers `beforeAll` (open, migrate) and `afterAll` (close) in the calling scope, and hands the
 * migrated database's driver to `opened` before any test runs.
 *
 * @example
 * let driver: SqlDriver;
 * sharedPGlite((opened) => (driver = opened));
 */
export function sharedPGlite(opened: (driver: SqlDriver) => void): void {
  let db: PGlite | undefined;
  beforeAll(async () => {
    db = new PGlite();
    const driver = fromPGlite(db);
    await migrate(driver);
    opened(driver);
  });
  afterAll(async () => {
    await db?.close();
  });
}

// The real PostgreSQL server of the server and stress tests: found at LOYALTY_PG_URL. With
// CI=true a missing server is a failure (a skipped proof is no proof); without CI the tests skip.
// Each test file migrates into a schema of its own and drops it at the end, so running the suite
// against a user's own server leaves nothing behind.
import pg from 'pg';
import { test } from 'vitest';
import { fromPgPool, migrate, type IsolationLevel, type SqlDriver } from '../../src/adapters/postgres';

export const serverUrl = process.env.LOYALTY_PG_URL;
const ci = process.env.CI === 'true';

async function probe(url: string | undefined): Promise<string | undefined> {
  if (!url) return 'LOYALTY_PG_URL is not set';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why no server can be used, or undefined when one answers. */
export const serverProblem = await probe(serverUrl);

/** True when the server tests should run; registers a failing test when CI=true and none answers. */
export function serverAvailable(): boolean {
  if (serverProblem === undefined) return true;
  if (ci) {
    test('a PostgreSQL server answers at LOYALTY_PG_URL (required when CI=true)', () => {
      throw new Error(`CI=true and no PostgreSQL server: ${serverProblem}`);
    });
  }
  return false;
}

/** The isolation levels the suite runs under: the server's default, and serializable. */
export const LEVELS: readonly IsolationLevel[] = ['read committed', 'serializable'];

/** A pool whose connections default to `level` (as a server or database configured so would). */
export function poolAt(level: IsolationLevel, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: serverUrl, max, options: `-c default_transaction_isolation=${level.replace(' ', '\\ ')}` });
  // Connections the server closes while idle (pg_terminate_backend) are reported here; the pool replaces them.
  pool.on('error', () => undefined);
  return pool;
}

/** A schema of this test file's own, migrated; `drop` removes it and everything in it. */
export async function testSchema(label: string): Promise<{ schema: string; admin: pg.Pool; driver: SqlDriver; drop: () => Promise<void> }> {
  const schema = `loyalty_test_${label}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Pool({ connectionString: serverUrl, max: 4 });
  admin.on('error', () => undefined);
  const driver = fromPgPool(admin);
  await migrate(driver, { schema });
  return {
    schema,
    admin,
    driver,
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

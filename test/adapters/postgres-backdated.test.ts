// A late purchase whose pending release (and expiry) fall before the account's last tick, over
// the PostgreSQL store: the next `tickDue` writes the release (then the expiry) once, the SQL sums
// of the postings equal what `account()` reads, and a second `tickDue` writes nothing. On PGlite
// (one per file), and on a real server (LOYALTY_PG_URL; required when CI=true) under both
// isolation levels. The scenarios are test/service/backdated-scenarios.ts, shared with the memory store.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fromPgPool, type SqlDriver } from '../../src/adapters/postgres';
import { Decimal } from '../../src/money/decimal';
import { backdatedPrograms, backdatedScenarios, type Harness } from '../service/backdated-scenarios';
import { service } from './postgres-fixtures';
import { LEVELS, poolAt, serverAvailable, testSchema } from './postgres-server';
import { sharedPGlite } from './pglite-shared';

/** A harness over a fresh tenant whose check compares the SQL sums of an account's postings with `account()`. */
function harness(driver: SqlDriver, schema?: string): Harness {
  const s = service({ driver, programs: backdatedPrograms, ...(schema === undefined ? {} : { schema }) });
  const postings = schema === undefined ? 'loyalty_postings' : `"${schema}".loyalty_postings`;
  const check = async (customerId: string, programId: string): Promise<void> => {
    const { rows } = await driver.query<{ account: string; total: string }>(
      `SELECT account, sum(amount)::text AS total FROM ${postings} WHERE tenant_id = $1 AND program_id = $2 AND customer_id = $3 AND unit = 'points' GROUP BY account`,
      [s.tenantId, programId, customerId],
    );
    const sql = (account: string): string => new Decimal(rows.find((r) => r.account === account)?.total ?? '0').toString();
    const { balance } = await s.loyalty.account({ customerId, programId });
    expect({ available: sql('available'), pending: sql('pending') }, `${programId}/${customerId}: SQL sums against account()`).toEqual({ available: balance.available.toString(), pending: balance.pending.toString() });
  };
  return { loyalty: s.loyalty, clock: s.clock, check };
}

describe('tickDue after a backdated purchase, on PGlite', () => {
  let driver: SqlDriver;
  sharedPGlite((opened) => (driver = opened));

  test.each(backdatedScenarios)('%s', async (_, scenario) => {
    await scenario(harness(driver), 'c1');
  });
});

const available = serverAvailable();

describe.skipIf(!available).each(LEVELS)('tickDue after a backdated purchase, on a real server, transactions %s', (level) => {
  let schema: Awaited<ReturnType<typeof testSchema>>;
  let pool: pg.Pool;
  let driver: SqlDriver;
  beforeAll(async () => {
    schema = await testSchema(level === 'serializable' ? 'late_ser' : 'late_rc');
    pool = poolAt(level, 4);
    driver = fromPgPool(pool);
  });
  afterAll(async () => {
    await pool.end();
    await schema.drop();
  });

  test.each(backdatedScenarios)('%s', async (_, scenario) => {
    await scenario(harness(driver, schema.schema), 'c1');
  });
});

// fromPgPool without a server: what it sends to a node-postgres pool and client, with and without
// prepared statements (the server tests run it against PostgreSQL).
import { expect, test } from 'vitest';
import { fromPgPool, type PgClientLike, type PgNamedQuery, type PgPoolLike } from '../../src/adapters/postgres';

/** A pool that records every statement its clients and itself are sent. */
function recordingPool(): { pool: PgPoolLike; sent: (string | PgNamedQuery)[] } {
  const sent: (string | PgNamedQuery)[] = [];
  const query = (sql: string | PgNamedQuery): Promise<{ rows: unknown[]; rowCount: number }> => {
    sent.push(sql);
    return Promise.resolve({ rows: [], rowCount: 0 });
  };
  const client: PgClientLike = { query, release: () => undefined, on: () => undefined, removeListener: () => undefined };
  return { pool: { query, connect: () => Promise.resolve(client) }, sent };
}

test('with prepare: true, statements with parameters go named (one name per text), the rest as text', async () => {
  const { pool, sent } = recordingPool();
  const driver = fromPgPool(pool, { prepare: true });
  await driver.transaction(async (tx) => {
    await tx.query('SELECT $1::int AS n', [1]);
    await tx.query('SELECT $1::int AS n', [2]);
    await tx.query('SELECT $1::text AS t', ['x']);
    await tx.query('SELECT 1');
  });
  await driver.query('SELECT $1::int AS n', [3]);
  const [begin, first, second, third, plain, commit, outside] = sent;
  expect([begin, plain, commit]).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
  const named = [first, second, third, outside] as PgNamedQuery[];
  expect(named.map((q) => q.values)).toEqual([[1], [2], ['x'], [3]]);
  expect(named[0]?.name).toMatch(/^loyalty_[0-9a-f]+$/);
  expect(new Set(named.map((q) => q.name)).size).toBe(2);
  expect(named[1]?.name).toBe(named[0]?.name);
  expect(named[3]?.name).toBe(named[0]?.name);
  expect(named[2]?.name).not.toBe(named[0]?.name);
});

test('with prepare: false (PgBouncer in transaction mode), every statement goes as text', async () => {
  const { pool, sent } = recordingPool();
  const driver = fromPgPool(pool, { prepare: false });
  await driver.transaction(async (tx) => tx.query('SELECT $1::int AS n', [1]));
  await driver.query('SELECT $1::int AS n', [2]);
  expect(sent).toEqual(['BEGIN', 'SELECT $1::int AS n', 'COMMIT', 'SELECT $1::int AS n']);
});

test('by default, statements with parameters are prepared (named), as with prepare: true', async () => {
  const { pool, sent } = recordingPool();
  const driver = fromPgPool(pool);
  await driver.transaction(async (tx) => tx.query('SELECT $1::int AS n', [1]));
  const [begin, named, commit] = sent;
  expect([begin, commit]).toEqual(['BEGIN', 'COMMIT']);
  expect((named as PgNamedQuery).name).toMatch(/^loyalty_[0-9a-f]+$/);
  expect((named as PgNamedQuery).values).toEqual([1]);
});

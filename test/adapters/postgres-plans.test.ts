// The two statements of an event (prefetch and the batched write) probe keys instead of reading
// every row of the tenant, even in the generic plan of a prepared statement made on tables that
// were never analyzed (a fresh deployment, and every run of bench/postgres.ts): the rows a plan
// reads must not grow with the tenant's tables. On PGlite: fresh tables, never analyzed.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLoyalty, fixedClock } from '../../src';
import { fromPGlite, migrate, postgresStore, type SqlDriver, type SqlQueryable } from '../../src/adapters/postgres';
import { purchase, rewards, START } from './postgres-fixtures';

let db: PGlite;
let base: SqlDriver;

beforeAll(async () => {
  db = new PGlite();
  base = fromPGlite(db);
  await migrate(base);
});

afterAll(async () => {
  await db.close();
});

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Actual Loops'?: number;
  readonly Plans?: readonly PlanNode[];
}

/** Rows each table's scans returned in one execution, summed over the plan's nodes. */
function rowsRead(node: PlanNode, into = new Map<string, number>()): Map<string, number> {
  if (node['Relation Name'] && /Scan/.test(node['Node Type'])) {
    into.set(node['Relation Name'], (into.get(node['Relation Name']) ?? 0) + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1));
  }
  for (const child of node.Plans ?? []) rowsRead(child, into);
  return into;
}

/** Explains `sql` with `params` as the generic plan of a prepared statement, run and rolled back. */
async function genericPlanRows(sql: string, params: readonly unknown[]): Promise<Map<string, number>> {
  const literal = (p: unknown): string => (p === null || p === undefined ? 'NULL' : `'${String(p).replace(/'/g, "''")}'`);
  await db.query('BEGIN');
  try {
    await db.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
    await db.query(`PREPARE probe AS ${sql}`);
    const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE probe(${params.map(literal).join(', ')})`);
    const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error('no plan');
    return rowsRead(plan);
  } finally {
    await db.query('ROLLBACK');
    await db.query('DEALLOCATE probe');
  }
}

test("an event's prefetch and write read a bounded number of rows, however many the tenant has", async () => {
  const tenantId = 'plans';
  // The statements of the last event are kept; its write is stopped before it runs (the unit rolls back).
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  let stopWrite = false;
  const driver: SqlDriver = {
    query: base.query,
    transaction: (fn) =>
      base.transaction((tx) => {
        const watched: SqlQueryable = {
          query: (sql, params) => {
            sent.push({ sql, params: params ?? [] });
            if (stopWrite && sql.startsWith('WITH\nsch')) throw new Error('stopped before the write');
            return tx.query(sql, params);
          },
        };
        return fn(watched);
      }),
  };
  const loyalty = createLoyalty({ programs: [rewards], store: postgresStore({ driver, tenantId }), clock: fixedClock(START) });
  const customers = 40;
  for (let c = 0; c < customers; c++) await loyalty.upsertCustomer({ customer: { id: `c${c}`, enrolledAt: '2026-01-01T00:00:00Z' } });
  // 4 purchases per customer: 160 transactions, records and order claims in the tenant.
  for (let i = 0; i < customers * 4; i++) await loyalty.process(purchase(`e${i}`, `c${i % customers}`, '12.50', START));
  sent.length = 0;
  stopWrite = true;
  await expect(loyalty.process(purchase('last', 'c7', '12.50', START))).rejects.toThrow('stopped before the write');
  const prefetch = sent.find((s) => s.sql.startsWith('WITH cust'));
  const write = sent.find((s) => s.sql.startsWith('WITH\nsch'));
  expect(prefetch).toBeDefined();
  expect(write).toBeDefined();
  for (const statement of [prefetch, write]) {
    if (!statement) continue;
    const rows = await genericPlanRows(statement.sql, statement.params);
    // c7 has 4 transactions and 4 records; the tenant has 160 of each and 40 accounts.
    for (const [table, n] of rows) expect(n, `rows of ${table} read`).toBeLessThanOrEqual(9);
  }
});

// Embedded persistence: PGlite (PostgreSQL in WebAssembly) keeps the ledger in a directory. Each
// run enrols Ana (a no-op after the first), processes one $25 purchase under a fresh event id and
// prints her balance, which grows from run to run: the points survive the restart.
// Run: npx tsx examples/persistent.ts [data-directory]    (default ./.loyalty-data, or $LOYALTY_DATA_DIR)
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createLoyalty, defineProgram } from '../src';
import { fromPGlite, migrate, postgresStore } from '../src/adapters/postgres';

const program = defineProgram({
  kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York',
  rules: [{ id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

const directory = resolve(process.argv[2] ?? process.env.LOYALTY_DATA_DIR ?? '.loyalty-data');
const db = new PGlite(directory);          // creates the database on the first run, opens it after
try {
  const driver = fromPGlite(db);
  await migrate(driver);                   // creates the tables once; later runs find them current
  const loyalty = createLoyalty({ programs: [program], store: postgresStore({ driver }) });
  await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: '2026-01-01T00:00:00Z', timeZone: 'America/New_York' } });
  const id = `purchase-${randomUUID()}`;   // a fresh event (and order) each run: a repeated id would be a replay
  await loyalty.process({
    id, customerId: 'ana', type: 'purchase', orderId: id, currency: 'USD', occurredAt: new Date(),
    lines: [{ lineId: '1', sku: 'coffee-beans', quantity: 1, unitPrice: '25.00' }],
  });
  const { balance } = await loyalty.account({ customerId: 'ana', programId: 'rewards' });
  console.log(`data in ${directory}`);
  console.log(`balance: ${balance.available.toString()}`);
} finally {
  await db.close();
}

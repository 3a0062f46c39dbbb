// Shared by the PostgreSQL store tests (PGlite, real server, stress): a program, a service over
// the store, and the audit that compares the SQL ledger with the library's own reading of it.
import { expect } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, type Loyalty, type Program } from '../../src';
import { parseEvent, type FixedClock } from '../../src/core';
import type { LoyaltyEvent } from '../../src';
import { Decimal } from '../../src/money/decimal';
import { postgresStore, type PostgresStoreOptions, type SqlQueryable } from '../../src/adapters/postgres';

export const START = '2027-03-01T12:00:00Z';

/** A points program with everything that writes postings: pending purchases, expiry, a welcome bonus. */
export const rewards: Program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  pending: { purchaseDays: 2 },
  expiry: { kind: 'rolling', days: 60 },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
  ],
});

/** A second program, so that one event reaches two accounts of a customer. */
export const coffee: Program = defineProgram({
  kind: 'points',
  id: 'coffee',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  rules: [{ id: 'cup', on: 'purchase', award: { kind: 'per_item', points: 10 } }],
});

let tenants = 0;
/** A tenant id no other case of this process uses (cases share one database). */
export const freshTenant = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(tenants += 1)}`;

export interface Service {
  readonly loyalty: Loyalty;
  readonly clock: FixedClock;
  readonly tenantId: string;
}

/** A service over the PostgreSQL store, for one fresh tenant. */
export function service(options: Omit<PostgresStoreOptions, 'tenantId'> & { readonly tenantId?: string; readonly programs?: readonly Program[] }): Service {
  const tenantId = options.tenantId ?? freshTenant('t');
  const clock = fixedClock(START);
  const { programs = [rewards, coffee], ...storeOptions } = options;
  const loyalty = createLoyalty({ programs, store: postgresStore({ ...storeOptions, tenantId }), clock });
  return { loyalty, clock, tenantId };
}

/** A purchase event of one line. */
export function purchase(id: string, customerId: string, amount: string, at: string, orderId = `o-${id}`): LoyaltyEvent {
  return parseEvent({ id, customerId, type: 'purchase', orderId, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 'sku-1', quantity: 1, unitPrice: amount }] });
}

/** A full refund of a one-line order. */
export function refund(id: string, customerId: string, orderId: string, at: string): LoyaltyEvent {
  return parseEvent({ id, customerId, type: 'refund', orderId, occurredAt: at, lines: [{ lineId: 'l1', quantity: 1 }] });
}

export interface AuditFigures {
  readonly accounts: number;
  readonly transactions: number;
  readonly postings: number;
}

const table = (schema: string | undefined, name: string): string => (schema === undefined ? name : `"${schema}".${name}`);

/**
 * The audit of a tenant: every account's stored state is the fold of its ledger (`verify`), the
 * SQL sums of its postings are the balances `account()` reports, and the postings of the whole
 * tenant sum to zero per unit (conservation across the database).
 * It first ticks the accounts due at the clock, so that the booked ledger is up to date with it.
 */
export async function audit(db: SqlQueryable, { loyalty, tenantId }: Service, schema?: string): Promise<AuditFigures> {
  await loyalty.tickDue({ limit: 100_000 });
  const accounts = await db.query<{ customer_id: string; program_id: string }>(`SELECT customer_id, program_id FROM ${table(schema, 'loyalty_accounts')} WHERE tenant_id = $1 ORDER BY 1, 2`, [tenantId]);
  const sums = await db.query<{ customer_id: string; program_id: string; unit: string; account: string; total: string }>(
    `SELECT customer_id, program_id, unit, account, sum(amount)::text AS total FROM ${table(schema, 'loyalty_postings')} WHERE tenant_id = $1 GROUP BY customer_id, program_id, unit, account`,
    [tenantId],
  );
  const book = (customerId: string, programId: string, account: string): string =>
    sums.rows.find((r) => r.customer_id === customerId && r.program_id === programId && r.unit === 'points' && r.account === account)?.total ?? '0';
  for (const { customer_id: customerId, program_id: programId } of accounts.rows) {
    expect(await loyalty.verify({ customerId, programId }), `${programId}/${customerId}`).toEqual([]);
    const { balance } = await loyalty.account({ customerId, programId });
    const sql = { available: book(customerId, programId, 'available'), pending: book(customerId, programId, 'pending'), held: book(customerId, programId, 'held') };
    expect(sql, `${programId}/${customerId}`).toEqual({ available: balance.available.toString(), pending: balance.pending.toString(), held: balance.held.toString() });
  }
  const conservation = await db.query<{ unit: string; total: string }>(`SELECT unit, sum(amount)::text AS total FROM ${table(schema, 'loyalty_postings')} WHERE tenant_id = $1 GROUP BY unit`, [tenantId]);
  for (const row of conservation.rows) expect(new Decimal(row.total).isZero(), `sum of ${row.unit} postings is ${row.total}`).toBe(true);
  const counts = await db.query<{ txs: string; postings: string }>(
    `SELECT (SELECT count(*) FROM ${table(schema, 'loyalty_transactions')} WHERE tenant_id = $1)::text AS txs, (SELECT count(*) FROM ${table(schema, 'loyalty_postings')} WHERE tenant_id = $1)::text AS postings`,
    [tenantId],
  );
  return { accounts: accounts.rows.length, transactions: Number(counts.rows[0]?.txs), postings: Number(counts.rows[0]?.postings) };
}

/**
 * A scenario over every write path of the service: enrolment, purchases (pending, then released
 * by a tick), a refund, redemptions (one refused), a hold captured and one released, a
 * cancelled redemption, an adjustment, a reversal, expiry by tick, and a replay.
 */
export async function scenario(s: Service, customerId = 'c1'): Promise<void> {
  const { loyalty, clock } = s;
  await loyalty.upsertCustomer({ customer: { id: customerId, enrolledAt: '2027-01-01T00:00:00Z' } });
  await loyalty.process({ id: `${customerId}-signup`, customerId, type: 'signup', occurredAt: '2027-03-01T11:00:00Z' });
  await loyalty.process(purchase(`${customerId}-p1`, customerId, '120.00', '2027-03-01T11:30:00Z'));
  await loyalty.process(purchase(`${customerId}-p2`, customerId, '80', '2027-03-01T11:40:00Z'));
  await loyalty.process(refund(`${customerId}-r1`, customerId, `o-${customerId}-p2`, '2027-03-01T11:50:00Z'));
  await loyalty.redeem({ customerId, programId: 'rewards', requestId: `${customerId}-burn1`, points: 200 });
  await loyalty.redeem({ customerId, programId: 'rewards', requestId: `${customerId}-burn-too-much`, points: 100000 });
  const burn = await loyalty.redeem({ customerId, programId: 'rewards', requestId: `${customerId}-burn2`, points: 50 });
  if (burn.transactionId) await loyalty.cancelRedemption({ customerId, programId: 'rewards', requestId: `${customerId}-undo2`, transactionId: burn.transactionId });
  const h1 = await loyalty.hold({ customerId, programId: 'rewards', requestId: `${customerId}-h1`, points: 100, orderId: `${customerId}-checkout` });
  if (h1.holdId) await loyalty.capture({ customerId, programId: 'rewards', requestId: `${customerId}-cap1`, holdId: h1.holdId, points: 60 });
  const h2 = await loyalty.hold({ customerId, programId: 'rewards', requestId: `${customerId}-h2`, points: 40 });
  if (h2.holdId) await loyalty.release({ customerId, programId: 'rewards', requestId: `${customerId}-rel2`, holdId: h2.holdId });
  const credit = await loyalty.adjust({ customerId, programId: 'rewards', requestId: `${customerId}-adj`, points: 25, actor: 'agent-7', reason: 'goodwill' });
  if (credit.transactionId) await loyalty.reverse({ customerId, programId: 'rewards', requestId: `${customerId}-rev`, transactionId: credit.transactionId, actor: 'agent-7', reason: 'mistake' });
  await loyalty.hold({ customerId, programId: 'rewards', requestId: `${customerId}-h3`, points: 10 });
  // Three days on: the purchases are released, the third hold has lapsed.
  clock.advance(3 * 86_400_000);
  await loyalty.tickDue();
  await loyalty.process(purchase(`${customerId}-p3`, customerId, '33.50', clock.now().toISOString()));
  await loyalty.process(purchase(`${customerId}-p1`, customerId, '120.00', '2027-03-01T11:30:00Z'));
}

// The parts of a replay that keep it lean: the due-time heap, the integer-step books, and the
// retention of orders for refunds.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram } from '../../src';
import type { CustomerInput, LoyaltyEventInput, Transaction } from '../../src';
import { ledgerBalances } from '../../src/ledger/postings';
import { Decimal } from '../../src/money/decimal';
import { generateHistory, simulate } from '../../src/simulate';
import { Schedule, type Scheduled } from '../../src/simulate/schedule';
import { Replay } from '../../src/simulate/replay';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const base = { version: 1, currency: 'USD', timeZone: 'America/New_York' } as const;

describe('Schedule (the due-time heap)', () => {
  const runs = runsFor(100);
  announce('schedule = scan', runs);
  test('takeDue gives what a scan of every account would tick, in enrolment order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), who: fc.nat({ max: 19 }), due: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(Number.POSITIVE_INFINITY)) }),
      fc.record({ kind: fc.constant('take' as const), t: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const items: Scheduled[] = Array.from({ length: 20 }, (_, order) => ({ dueAt: Number.POSITIVE_INFINITY, order, heapIndex: -1 }));
        const model = new Array<number>(20).fill(Number.POSITIVE_INFINITY);
        const schedule = new Schedule<Scheduled>();
        for (const o of ops) {
          if (o.kind === 'set') {
            schedule.set(items[o.who] as Scheduled, o.due);
            model[o.who] = o.due;
          } else {
            const scanned = model.flatMap((due, i) => (due <= o.t ? [i] : []));
            expect(schedule.takeDue(o.t).map((s) => s.order)).toEqual(scanned);
            // Taken accounts are out of the schedule until their next due instant is set.
            for (const i of scanned) model[i] = Number.POSITIVE_INFINITY;
            for (const i of scanned) (items[i] as Scheduled).dueAt = Number.POSITIVE_INFINITY;
          }
          expect(schedule.size).toBe(model.filter((d) => d !== Number.POSITIVE_INFINITY).length);
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

const points = defineProgram({
  ...base,
  kind: 'points',
  id: 'rewards',
  expiry: { kind: 'rolling', days: 40 },
  pending: { purchaseDays: 7 },
  birthday: { points: 100 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});
const tiered = defineProgram({
  ...base,
  kind: 'tiered',
  id: 'beauty',
  tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 150, multiplier: '1.5' }],
  qualification: { basis: 'spend', window: 'calendar_year' },
  expiry: { kind: 'end_of_period', period: 'month', afterMonths: 1 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});
// Credit in cents: the books' steps are minor units.
const cashBack = defineProgram({ ...base, kind: 'spend', id: 'cash-back', credit: { percent: 5, pendingDays: 14, expiry: { kind: 'rolling', months: 2 } } });

describe('Books (integer steps)', () => {
  test.each([
    ['points', points],
    ['tiered', tiered],
    ['credit in cents', cashBack],
  ] as const)('the totals are the system accounts of ledgerBalances over every transaction written (%s)', async (_, program) => {
    const history = generateHistory({ seed: 21, customers: 40, months: 5, start: '2027-01-01T12:00:00Z', refundRate: 0.3, purchasesPerCustomerPerMonth: 3 });
    const written: Transaction[] = [];
    const { totals, customers } = await simulate(program, history.events, history.customers, { onTransaction: (tx) => written.push(tx) });
    const books = ledgerBalances(written).get(totals.unit);
    const account = (name: Parameters<NonNullable<typeof books>['get']>[0]): Decimal => books?.get(name) ?? new Decimal(0);
    expect(totals.issued.toString()).toBe(account('issued').neg().toString());
    expect(totals.expired.toString()).toBe(account('expired').toString());
    expect(totals.clawedBack.toString()).toBe(account('clawed_back').toString());
    expect(totals.redeemed.toString()).toBe(account('redeemed').toString());
    expect(totals.adjusted.toString()).toBe(account('adjusted').neg().toString());
    expect(totals.issued.isZero()).toBe(false);
    // Per customer too: the customer's own transactions.
    for (const c of customers) {
      const own = ledgerBalances(written.filter((tx) => tx.customerId === c.customerId)).get(totals.unit);
      expect(c.issued.toString(), c.customerId).toBe((own?.get('issued') ?? new Decimal(0)).neg().toString());
      expect(c.expired.toString(), c.customerId).toBe((own?.get('expired') ?? new Decimal(0)).toString());
    }
  });
});

describe('orders kept for refunds (orderRetentionDays)', () => {
  const customers: CustomerInput[] = [{ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }];
  const at = (day: number): string => new Date(Date.UTC(2027, 2, day, 15)).toISOString();
  const purchase = (id: string, day: number): LoyaltyEventInput => ({ type: 'purchase', id, customerId: 'c1', orderId: `o-${id}`, currency: 'USD', occurredAt: at(day) as `${number}-${number}-${number}T${string}`, lines: [{ lineId: 'l1', sku: 's', unitPrice: '50.00', quantity: 1 }] });
  const refund = (orderOf: string, day: number): LoyaltyEventInput => ({ type: 'refund', id: `r-${orderOf}-${day}`, customerId: 'c1', orderId: `o-${orderOf}`, occurredAt: at(day) as `${number}-${number}-${number}T${string}`, amount: '10.00', currency: 'USD' });

  test('a refund within the retention finds its order; one after it is unknown_order, even with no later order to push it out', async () => {
    const events = [purchase('p1', 1), refund('p1', 9), purchase('p2', 10), refund('p2', 25), purchase('p3', 26), refund('p3', 27)];
    const result = await simulate(points, events, customers, { orderRetentionDays: 10 });
    // p1 refunded 8 days on: kept. p2 refunded 15 days on: dropped. p3: kept.
    expect(result.run.refused).toEqual({ unknown_order: 1 });
    const kept = await simulate(points, events, customers);
    expect(kept.run.refused).toEqual({});
  });

  test('an order past its retention is let go at the next day boundary, for every account', () => {
    const replay = new Replay(points, { orderRetentionDays: 3 });
    replay.addCustomer(customers[0]);
    replay.push(purchase('p1', 1));
    const slot = replay.slots.get('c1');
    expect(slot?.orders?.has('o-p1')).toBe(true);
    replay.push({ type: 'review', id: 'g1', customerId: 'c1', occurredAt: at(4) as `${number}-${number}-${number}T${string}`, platform: 'site', rating: 5 });
    expect(slot?.orders?.has('o-p1')).toBe(true);
    replay.push({ type: 'review', id: 'g2', customerId: 'c1', occurredAt: at(6) as `${number}-${number}-${number}T${string}`, platform: 'site', rating: 5 });
    expect(slot?.orders).toBeNull();
  });
});

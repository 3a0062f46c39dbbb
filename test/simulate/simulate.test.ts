// simulate replays a history exactly as the service would: property over generated histories
// (with replays, order conflicts, unknown orders and customers mixed in), customer by customer.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram } from '../../src';
import type { CustomerInput, InstantInput, LoyaltyEventInput, Program, Transaction } from '../../src';
import { tierOf, transactionText } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import { generateHistory, simulate } from '../../src/simulate';
import type { SimulationResult } from '../../src/simulate';
import { announce, FC_SEED, runsFor } from '../properties/seed';
import { serviceRun } from './service-reference';

const base = { version: 1, currency: 'USD', timeZone: 'America/New_York' } as const;

const points = defineProgram({
  ...base,
  kind: 'points',
  id: 'rewards',
  expiry: { kind: 'rolling', days: 40 },
  pending: { purchaseDays: 7 },
  birthday: { points: 100 },
  lapseDays: 20,
  expiringNoticeDays: 7,
  eligibility: { exclude: { categories: ['gift-card'] } },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'weekend', on: 'purchase', when: { all: [{ fact: 'time.dayOfWeek', operator: 'in', value: [0, 6] }] }, award: { kind: 'multiplier', factor: 2 } },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'day', points: 40 }] },
    { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 50 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
  ],
});

const tiered = defineProgram({
  ...base,
  kind: 'tiered',
  id: 'beauty',
  tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 150, multiplier: '1.5' }, { id: 'rouge', threshold: 400, multiplier: 2 }],
  qualification: { basis: 'spend', window: 'calendar_year' },
  birthday: { points: 250 },
  expiry: { kind: 'end_of_period', period: 'month', afterMonths: 1 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

/** Deliveries the service refuses or replays, spliced in right after an event (keeping time order). */
type Twist = { readonly kind: 'replay' | 'order_conflict' | 'unknown_order' | 'unknown_customer'; readonly at: number };

function twisted(events: readonly LoyaltyEventInput[], twists: readonly Twist[]): LoyaltyEventInput[] {
  const out: LoyaltyEventInput[] = [];
  events.forEach((event, i) => {
    out.push(event);
    for (const [j, t] of twists.entries()) {
      if (t.at % events.length !== i) continue;
      if (t.kind === 'replay') out.push({ ...event });
      else if (t.kind === 'order_conflict' && event.type === 'purchase') out.push({ ...event, id: `${event.id}-again${j}` });
      else if (t.kind === 'unknown_order') out.push({ type: 'refund', id: `x-refund${j}`, customerId: event.customerId, occurredAt: event.occurredAt, orderId: `nope${j}`, amount: '5.00', currency: 'USD' });
      else if (t.kind === 'unknown_customer') out.push({ ...event, id: `x-stranger${j}`, customerId: 'stranger' });
    }
  });
  return out;
}

function lotsSummary(lots: readonly { readonly unit: string; readonly remaining: Decimal; readonly expiresAt: Date | null }[]): string {
  const mine = lots.filter((l) => l.unit === 'points');
  const next = mine.reduce<number | null>((m, l) => (l.expiresAt && (m === null || l.expiresAt.getTime() < m) ? l.expiresAt.getTime() : m), null);
  return `${mine.length} ${mine.reduce((s, l) => s.plus(l.remaining), new Decimal(0)).toString()} ${next ?? 'never'}`;
}

async function expectSameAsService(program: Program, events: readonly LoyaltyEventInput[], customers: readonly CustomerInput[]): Promise<SimulationResult> {
  const written = new Map<string, Transaction[]>();
  const result = await simulate(program, events, customers, {
    onTransaction: (tx) => written.set(tx.customerId, [...(written.get(tx.customerId) ?? []), tx]),
  });
  const service = await serviceRun(program, events, customers);
  expect(result.run.end).toEqual(service.end);
  for (const outcome of result.customers) {
    const id = outcome.customerId;
    const view = service.accounts.get(id);
    if (!view) throw new Error(`no service account for ${id}`);
    expect((written.get(id) ?? []).map(transactionText), id).toEqual((service.transactions.get(id) ?? []).map(transactionText));
    expect(Object.values(outcome.balance).map(String), id).toEqual(Object.values(view.balance).map(String));
    expect(lotsSummary(view.lots), id).toBe(`${outcome.lots.open} ${outcome.lots.remaining.toString()} ${outcome.lots.nextExpiry?.getTime() ?? 'never'}`);
    const tier = program.kind === 'tiered' ? tierOf(program as Parameters<typeof tierOf>[0], view.state, { at: service.end }) : null;
    expect(outcome.tier, id).toBe(tier);
    expect(outcome.transactions).toBe(service.transactions.get(id)?.length ?? 0);
  }
  return result;
}

describe('simulate = the service over the memory store', () => {
  const runs = runsFor(12);
  announce('simulate = service', runs);
  const twist = fc.record({ kind: fc.constantFrom('replay' as const, 'order_conflict' as const, 'unknown_order' as const, 'unknown_customer' as const), at: fc.nat() });

  test('generated histories with replays, conflicts and unknowns, customer by customer (balance, lots, tier, transactions)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(points, tiered),
        fc.array(twist, { maxLength: 4 }),
        async (seed, customerCount, months, program, twists) => {
          const history = generateHistory({ seed, customers: customerCount, months, start: '2027-10-15T12:00:00Z', purchasesPerCustomerPerMonth: 4, refundRate: 0.3, engagementPerCustomerPerMonth: 3 });
          const events = twisted([...history.events], twists);
          fc.pre(events.length > 0);
          await expectSameAsService(program, events, history.customers);
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
  }, 300_000);

  test('the refusals are counted by code, and nothing is written for them', async () => {
    const history = generateHistory({ seed: 5, customers: 2, months: 1, start: '2027-03-01T12:00:00Z', purchasesPerCustomerPerMonth: 6 });
    const events = [...history.events];
    const purchase = events.findIndex((e) => e.type === 'purchase');
    const twists: Twist[] = [{ kind: 'replay', at: purchase }, { kind: 'order_conflict', at: purchase }, { kind: 'unknown_order', at: purchase }, { kind: 'unknown_customer', at: purchase }];
    const result = await expectSameAsService(points, twisted(events, twists), history.customers);
    expect(result.run.refused).toMatchObject({ replayed: 1, order_conflict: 1, unknown_order: 1, unknown_customer: 1 });
  }, 60_000);
});

describe('simulate: input', () => {
  const customers = [{ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }] satisfies CustomerInput[];
  const at = (day: number): InstantInput => new Date(Date.UTC(2027, 2, day, 15));
  const review = (id: string, day: number): LoyaltyEventInput => ({ type: 'review', id, customerId: 'c1', occurredAt: at(day), platform: 'site', rating: 5 });

  test('an event out of time order is refused, naming it', async () => {
    await expect(simulate(points, [review('e1', 5), review('e2', 3)], customers)).rejects.toThrow(/event "e2" occurred at 2027-03-03T15:00:00.000Z, before the event "e1"/);
  });

  test('async iterables are read like lists', async () => {
    async function* stream(): AsyncGenerator<LoyaltyEventInput> {
      yield review('e1', 2);
      yield review('e2', 3);
    }
    const fromStream = await simulate(points, stream(), customers);
    const fromList = await simulate(points, [review('e1', 2), review('e2', 3)], customers);
    expect(fromStream.totals.issued.toString()).toBe('40');
    expect(fromStream).toEqual(fromList);
  });

  test('ticks at each day boundary and at the end: a rolling 40-day expiry lands in the totals', async () => {
    const result = await simulate(points, [review('e1', 1)], customers, { until: '2027-05-01T04:00:00Z' });
    expect(result.totals.expired.toString()).toBe('20');
    expect(result.totals.outstanding.toString()).toBe('0');
    // 1 March to 1 May in New York: 61 boundaries, then the final instant (4:00 UTC is midnight in EDT, a boundary).
    expect(result.run.boundaries).toBe(61);
  });

  test('conservation: issued + adjusted = outstanding + redeemed + expired + clawed back', async () => {
    const history = generateHistory({ seed: 11, customers: 30, months: 4, start: '2027-01-01T12:00:00Z', refundRate: 0.3 });
    const { totals, metrics } = await simulate(points, history.events, history.customers);
    // The metrics report is fed the same transactions: its books agree with the totals.
    expect(metrics.totals.points.issued).toBe(totals.issued.toString());
    expect(metrics.totals.points.expired).toBe(totals.expired.toString());
    expect(metrics.totals.points.outstanding).toBe(totals.outstanding.toString());
    expect(metrics.totals.orders.count).toBe([...history.events].filter((e) => e.type === 'purchase').length);
    expect(totals.issued.plus(totals.adjusted).toString()).toBe(totals.outstanding.plus(totals.redeemed).plus(totals.expired).plus(totals.clawedBack).toString());
    expect(totals.liability.toString()).toBe(totals.outstanding.div(100).toString());
  });
});

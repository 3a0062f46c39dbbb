// Property runs of the tiered kind through the service: random purchase / refund / tick / replay
// sequences against an independent model of the calendar-year spend policy (integer cents, its own
// calendar), and invariants that must hold whatever arrives late.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../../src';
import { transactionText, tierOf } from '../../../src/core';
import type { Loyalty, ProcessResult, Transaction } from '../../../src';
import { announce, FC_SEED, runsFor } from '../../properties/seed';
import { cents } from '../../properties/harness';

const TIERS = ['insider', 'vib', 'rouge'] as const;
const THRESHOLD_CENTS = [0, 35_000, 100_000];
/** Points per 100 cents, times 2: 1×, 1.5×, 2×. */
const DOUBLE_MULTIPLIER = [2, 3, 4];

interface Policy {
  readonly downgrade: 'one_step' | 'to_qualified';
  readonly hold: boolean;
  readonly graceDays: 0 | 30;
}

const programs = new Map<string, ReturnType<typeof makeProgram>>();
function makeProgram(policy: Policy) {
  return defineProgram({
    kind: 'tiered',
    id: 'beauty',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    tiers: [
      { id: 'insider', threshold: 0 },
      { id: 'vib', threshold: 350, multiplier: '1.5' },
      { id: 'rouge', threshold: 1000, multiplier: 2 },
    ],
    qualification: { basis: 'spend', window: 'calendar_year' },
    retention: { downgrade: policy.downgrade, holdThroughNextPeriod: policy.hold, graceDays: policy.graceDays },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}
function programFor(policy: Policy) {
  const key = JSON.stringify(policy);
  let p = programs.get(key);
  if (!p) {
    p = makeProgram(policy);
    programs.set(key, p);
  }
  return p;
}

type Command =
  | { kind: 'purchase'; cents: number; days: number }
  | { kind: 'refund'; pick: number; cents: number | 'all'; days: number }
  | { kind: 'tick'; days: number }
  | { kind: 'replay'; pick: number };

const days = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 100, max: 400 }));
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('purchase' as const), cents: fc.integer({ min: 1, max: 70_000 }), days }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), cents: fc.oneof(fc.constant('all' as const), fc.integer({ min: 1, max: 40_000 })), days }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), days }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);
const policy: fc.Arbitrary<Policy> = fc.record({ downgrade: fc.constantFrom('one_step' as const, 'to_qualified' as const), hold: fc.boolean(), graceDays: fc.constantFrom(0 as const, 30 as const) });

const START = Date.UTC(2026, 0, 1, 15, 0, 0);
const DAY = 86_400_000;

/**
 * The policy, written independently of the engine: integer cents per calendar year, and period
 * ends at 00:00 on 1 January in New York, which is 05:00 UTC (standard time), plus the grace days.
 */
class Model {
  tier = 0;
  earnedYear: number | null = null;
  evalYear = 0;
  readonly amount = new Map<number, number>();
  readonly dueInstants = new Set<number>();
  constructor(readonly policy: Policy) {}
  private tierFor(c: number): number {
    return THRESHOLD_CENTS.reduce((q, t, i) => (c >= t ? i : q), 0);
  }
  due(year: number): number {
    return Date.UTC(year + 1, 0, 1 + this.policy.graceDays, 5);
  }
  applyDue(t: number): void {
    while (this.tier > 0 && this.due(this.evalYear) <= t) {
      const y = this.evalYear;
      const q = this.tierFor(this.amount.get(y) ?? 0);
      const current = this.tierFor(this.amount.get(y + 1) ?? 0);
      const keep = q >= this.tier || (this.earnedYear !== null && this.earnedYear > y) || (this.policy.hold && this.earnedYear === y) || current >= this.tier;
      if (!keep) {
        const byRule = this.policy.downgrade === 'one_step' ? Math.max(q, this.tier - 1) : q;
        const target = Math.max(byRule, current);
        this.earnedYear = target > 0 && target === current ? y + 1 : null;
        this.tier = target;
        this.dueInstants.add(this.due(y));
      }
      this.evalYear = y + 1;
    }
  }
  purchase(t: number, c: number): number {
    this.applyDue(t);
    const points = Math.floor((c * (DOUBLE_MULTIPLIER[this.tier] ?? 2)) / 200);
    const y = new Date(t).getUTCFullYear();
    this.amount.set(y, (this.amount.get(y) ?? 0) + c);
    const q = this.tierFor(this.amount.get(y) ?? 0);
    if (q > this.tier) {
      this.tier = q;
      this.earnedYear = y;
      this.evalYear = y;
    } else if (q === this.tier && q > 0 && y > (this.earnedYear ?? Number.NEGATIVE_INFINITY)) {
      this.earnedYear = y;
    }
    return points;
  }
  refund(t: number, year: number, net: number): void {
    this.applyDue(t);
    this.amount.set(year, Math.max(0, (this.amount.get(year) ?? 0) - net));
  }
}

interface Order {
  readonly id: string;
  readonly year: number;
  readonly cents: number;
  refunded: number;
}

async function historyOf(loyalty: Loyalty): Promise<Transaction[]> {
  const page = await loyalty.history({ customerId: 'c1', programId: 'beauty', limit: 1000 });
  return [...page.transactions].reverse();
}

const earnedBy = (result: ProcessResult): number => {
  const o = result.outcomes[0];
  return o?.ok && o.transaction ? o.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s + Number(e.lot.amount.toString()) : s), 0) : 0;
};

/** Invariants of a whole history: tiers change only by upgrades on events and downgrades at period ends; clawbacks never exceed earnings. */
function checkHistory(history: readonly Transaction[], dueOf: (t: number) => boolean): void {
  let tier = 'insider';
  const earnedPerOrder = new Map<string, number>();
  const clawedPerOrder = new Map<string, number>();
  const lotOrder = new Map<string, string>();
  for (const tx of history) {
    for (const e of tx.entries) {
      if (e.kind === 'earn' && e.lot.orderId !== undefined) {
        earnedPerOrder.set(e.lot.orderId, (earnedPerOrder.get(e.lot.orderId) ?? 0) + Number(e.lot.amount.toString()));
        lotOrder.set(e.lot.id, e.lot.orderId);
      }
      if (e.kind === 'clawback') {
        for (const a of e.against) {
          const order = lotOrder.get(a.lot) ?? '?';
          clawedPerOrder.set(order, (clawedPerOrder.get(order) ?? 0) + Number(a.amount.toString()));
        }
      }
      if (e.kind !== 'state' || e.key !== 'tier' || e.value?.kind !== 'tier') continue;
      const next = e.value;
      for (const b of next.buckets) expect(b.amount.isNegative()).toBe(false);
      const up = TIERS.indexOf(next.tier as (typeof TIERS)[number]) - TIERS.indexOf(tier as (typeof TIERS)[number]);
      if (up > 0) {
        expect(tx.cause).toMatchObject({ kind: 'event', eventType: 'purchase' });
        expect(e.reason.startsWith(`upgraded from ${tier} to ${next.tier}`)).toBe(true);
      } else if (up < 0) {
        expect(e.reason.startsWith(`downgraded from ${tier} to ${next.tier}`)).toBe(true);
        expect(dueOf(next.since.getTime())).toBe(true);
        expect(next.since.getTime()).toBeLessThanOrEqual(tx.at.getTime());
      } else {
        expect(e.reason.startsWith('upgraded') || e.reason.startsWith('downgraded')).toBe(false);
      }
      tier = next.tier;
    }
  }
  for (const [order, clawed] of clawedPerOrder) expect(clawed).toBeLessThanOrEqual(earnedPerOrder.get(order) ?? 0);
}

async function runModel(p: Policy, commands: readonly Command[]): Promise<string[]> {
  const program = programFor(p);
  const clock = fixedClock(new Date(START));
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2025-12-01T00:00:00Z' } });
  const model = new Model(p);
  const orders: Order[] = [];
  const sent: { event: Record<string, unknown>; result: ProcessResult }[] = [];
  let t = START;
  let i = 0;
  for (const c of commands) {
    i += 1;
    if (c.kind !== 'replay') t += c.days * DAY + 1000;
    clock.set(new Date(t));
    const at = new Date(t).toISOString();
    if (c.kind === 'purchase') {
      const event = { id: `buy-${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: cents(c.cents) }] };
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      sent.push({ event, result });
      orders.push({ id: `o${i}`, year: new Date(t).getUTCFullYear(), cents: c.cents, refunded: 0 });
      expect(earnedBy(result)).toBe(model.purchase(t, c.cents));
    } else if (c.kind === 'refund') {
      const order = orders[c.pick % Math.max(1, orders.length)];
      if (!order) continue;
      const left = order.cents - order.refunded;
      const net = c.cents === 'all' ? left : Math.min(c.cents, left);
      const body = c.cents === 'all' ? { lines: [{ lineId: 'l1', quantity: 1 }] } : { amount: cents(c.cents), currency: 'USD' };
      const event = { id: `refund-${i}`, customerId: 'c1', type: 'refund', orderId: order.id, occurredAt: at, ...body };
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      sent.push({ event, result });
      order.refunded += net;
      model.refund(t, order.year, net);
    } else if (c.kind === 'tick') {
      await loyalty.tickDue({ now: new Date(t) });
      model.applyDue(t);
    } else {
      const earlier = sent[c.pick % Math.max(1, sent.length)];
      if (!earlier) continue;
      const before = (await historyOf(loyalty)).map(transactionText);
      const again = await loyalty.process(earlier.event as Parameters<typeof loyalty.process>[0]);
      expect(again.replayed).toBe(true);
      expect(again.outcomes).toEqual(earlier.result.outcomes);
      expect((await historyOf(loyalty)).map(transactionText)).toEqual(before);
    }
    expect(await loyalty.verify({ customerId: 'c1', programId: 'beauty' })).toEqual([]);
    const state = (await loyalty.account({ customerId: 'c1', programId: 'beauty' })).state;
    expect(tierOf(program, state)).toBe(TIERS[model.tier]);
  }
  const history = await historyOf(loyalty);
  checkHistory(history, (ms) => model.dueInstants.has(ms));
  return history.map(transactionText);
}

type LateCommand = { kind: 'purchase'; cents: number; days: number; late: number } | { kind: 'refund'; pick: number; lines: boolean; cents: number; days: number } | { kind: 'tick'; days: number };
const lateCommand: fc.Arbitrary<LateCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('purchase' as const), cents: fc.integer({ min: 1, max: 70_000 }), days, late: fc.integer({ min: 0, max: 29 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), lines: fc.boolean(), cents: fc.integer({ min: 1, max: 40_000 }), days }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), days }) },
);

describe('tiered service runs', () => {
  const runs = runsFor(60);

  test('random purchases, refunds, ticks and replays follow the model; fold = state; replays change nothing; runs are deterministic', async () => {
    announce('tiered service model', runs);
    await fc.assert(
      fc.asyncProperty(policy, fc.array(command, { minLength: 1, maxLength: 30 }), async (p, commands) => {
        const first = await runModel(p, commands);
        const second = await runModel(p, commands);
        expect(second).toEqual(first);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('with late events (up to 29 days) and refunds by line: fold = state, clawbacks bounded, tiers change only by upgrades and at period ends', async () => {
    announce('tiered late events', runs);
    await fc.assert(
      fc.asyncProperty(policy, fc.array(lateCommand, { minLength: 1, maxLength: 30 }), async (p, commands) => {
        const program = programFor(p);
        const clock = fixedClock(new Date(START));
        const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
        await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2025-12-01T00:00:00Z' } });
        const orders: string[] = [];
        let t = START;
        let i = 0;
        for (const c of commands) {
          i += 1;
          t += c.days * DAY + 1000;
          clock.set(new Date(t));
          if (c.kind === 'purchase') {
            const at = new Date(t - c.late * DAY);
            await loyalty.process({ id: `buy-${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: cents(c.cents) }] });
            orders.push(`o${i}`);
          } else if (c.kind === 'refund') {
            const order = orders[c.pick % Math.max(1, orders.length)];
            if (!order) continue;
            const body = c.lines ? { lines: [{ lineId: 'l1', quantity: 1 }] } : { amount: cents(c.cents), currency: 'USD' };
            await loyalty.process({ id: `refund-${i}`, customerId: 'c1', type: 'refund', orderId: order, occurredAt: new Date(t), ...body });
          } else {
            await loyalty.tickDue({ now: new Date(t) });
          }
          expect(await loyalty.verify({ customerId: 'c1', programId: 'beauty' })).toEqual([]);
        }
        const grace = p.graceDays;
        // A period end in New York: 00:00 on 1 January (05:00 UTC), plus the grace days.
        const isDue = (ms: number): boolean => {
          const d = new Date(ms - grace * DAY);
          return d.getUTCMonth() === 0 && d.getUTCDate() === 1 && d.getUTCHours() === 5 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
        };
        checkHistory(await historyOf(loyalty), isDue);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

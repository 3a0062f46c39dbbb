// Ticking at the end against ticking at every due instant, with late (backdated) events, for
// programs of the points, tiered and punch kinds over the memory store.
//
// One random script: purchases that arrive in time order, each dated up to 29 days (inside the
// program's lateness) before its arrival; on time for punch cards (below). Two services replay it:
//
// - EVERY: before each arrival, and before the end, `tickDue` runs at every instant the account's
//   `nextDueAt` names up to it (the clock set to that instant), so time-driven work is written as
//   soon as it is due — or, for work a late event brings after its instant, at once.
// - END: the events only, then `tickDue` once at the end.
//
// "The same ledger" at the end means: the same balances per unit (available, pending, held, debt)
// as of the end; the same open lots (id, unit, amount, remaining, account, earned, available and
// expiry instants) among those not expired as of the end; the same punch cards (count, expiry, completed); the same tier. Not compared:
// transaction ids and instants and how entries are split over ticks (EVERY writes in many ticks
// what END writes in one), notification and notice marks (they record the tick instant), and the
// lapse mark (EVERY marks a lapse between purchases that END never sees). A second `tickDue` at
// the end writes nothing in either. Every script stays inside 2027 in the customers' zones: a
// birthday is paid by a tick in its own year, and END's one tick could not pay a past year's.
//
// Two divergences this property found are left out of it, and reported (they are not in the
// code this test's commit changed; see /work/reports/s21/ticks.md):
// - Refunds: a refund dated at or after the expiry of the lot it claws back takes the points from
//   that lot when no tick has expired it yet (END: no debt), but owes them as debt when a tick has
//   (EVERY: available −1, debt 1). Counterexample: points, expiry 3 days, a $1 purchase at the
//   start, its refund 72 h later, exactly at the expiry.
// - Late punches: a punch dated before its card's expiry but arriving after a tick has expired the
//   card starts a new card (EVERY), where without that tick it completes the old one (END).
//   Counterexample: 4 punches a card, 3-day expiry; 2 at the start, 2 dated 71 h later arriving
//   at 72 h. A tick's expiry is written, and a late punch cannot bring the expired punches back.
//   So punch purchases here are on time.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore, type Loyalty, type Program } from '../../src';
import { parseEvent, type FixedClock } from '../../src/core';
import { announce, FC_SEED, runsFor } from './seed';

const HOUR = 3_600_000;
const START = Date.parse('2027-01-10T12:00:00Z');
const END = Date.parse('2027-12-15T12:00:00Z');

const programs: Record<'points' | 'tiered' | 'punch', (expiryDays: number, pendingDays: number) => Program> = {
  points: (expiryDays, pendingDays) =>
    defineProgram({
      kind: 'points',
      id: 'p',
      version: 1,
      currency: 'USD',
      timeZone: 'America/New_York',
      pending: { purchaseDays: pendingDays },
      expiry: { kind: 'rolling', days: expiryDays },
      birthday: { points: 25 },
      lapseDays: 20,
      rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
    }),
  tiered: (expiryDays, pendingDays) =>
    defineProgram({
      kind: 'tiered',
      id: 'p',
      version: 1,
      currency: 'USD',
      timeZone: 'America/New_York',
      pending: { purchaseDays: pendingDays },
      expiry: { kind: 'rolling', days: expiryDays },
      lapseDays: 20,
      tiers: [
        { id: 'base', threshold: 0, benefits: { birthdayGift: 10 } },
        { id: 'gold', threshold: 300, multiplier: 2, benefits: { birthdayGift: 50 } },
      ],
      qualification: { basis: 'spend', window: 'rolling_12_months' },
      rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
    }),
  punch: (expiryDays) =>
    defineProgram({
      kind: 'punch',
      id: 'p',
      version: 1,
      currency: 'USD',
      timeZone: 'America/New_York',
      expiringNoticeDays: 0,
      lapseDays: 20,
      cards: [{ id: 'night', required: 4, expiryDays, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' } }],
    }),
};

interface Step {
  readonly gapHours: number;
  readonly lateHours: number;
  readonly dollars: number;
  readonly quantity: number;
}

const gapHours = fc.integer({ min: 0, max: 20 * 24 });
const stepArb: fc.Arbitrary<Step> = fc.record({ gapHours, lateHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 29 * 24 })), dollars: fc.integer({ min: 1, max: 250 }), quantity: fc.integer({ min: 1, max: 3 }) });

interface Script {
  readonly kind: keyof typeof programs;
  readonly expiryDays: number;
  readonly pendingDays: number;
  readonly birthday: string;
  readonly steps: readonly Step[];
}

const scriptArb: fc.Arbitrary<Script> = fc.record({
  kind: fc.constantFrom<keyof typeof programs>('points', 'tiered', 'punch'),
  expiryDays: fc.integer({ min: 3, max: 60 }),
  pendingDays: fc.integer({ min: 0, max: 14 }),
  birthday: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([m, d]) => `--${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 14 }),
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** `tickDue` at every instant the account names up to `until` (bounded: a schedule that never moves on fails). */
async function tickEveryDueInstant(loyalty: Loyalty, clock: FixedClock, until: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const due = (await loyalty.account({ customerId: 'c1', programId: 'p' })).nextDueAt;
    if (due === null || due.getTime() > until) return;
    clock.set(due);
    const r = await loyalty.tickDue();
    expect(r.failed).toEqual([]);
  }
  throw new Error(`the account was still due after 500 ticks up to ${iso(until)}`);
}

/** The script over one service: every due instant ticked (`every`), or one tick at the end. */
async function replay(script: Script, every: boolean): Promise<unknown> {
  const program = programs[script.kind](script.expiryDays, script.pendingDays);
  const clock = fixedClock(new Date(START));
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T05:00:00Z', birthday: script.birthday } });
  let now = START;
  let n = 0;
  for (const step of script.steps) {
    n += 1;
    now = Math.min(now + step.gapHours * HOUR, END - HOUR);
    if (every) await tickEveryDueInstant(loyalty, clock, now);
    clock.set(iso(now));
    // Never before the script's start; punches on time (see the top).
    const at = script.kind === 'punch' ? now : Math.max(START, now - step.lateHours * HOUR);
    await loyalty.process(parseEvent({ id: `e${n}`, customerId: 'c1', type: 'purchase', orderId: `o${n}`, currency: 'USD', occurredAt: iso(at), lines: [{ lineId: 'l1', sku: 's', quantity: step.quantity, unitPrice: String(step.dollars), categories: ['night'] }] }));
  }
  if (every) await tickEveryDueInstant(loyalty, clock, END);
  clock.set(iso(END));
  expect((await loyalty.tickDue()).failed).toEqual([]);
  expect((await loyalty.tickDue()).changed, 'a second tickDue at the end').toBe(0);
  expect(await loyalty.verify({ customerId: 'c1', programId: 'p' })).toEqual([]);
  const view = await loyalty.account({ customerId: 'c1', programId: 'p' });
  const text = (d: { toString(): string }): string => d.toString();
  const balances = Object.fromEntries(Object.entries(view.balances).map(([unit, b]) => [unit, b && { available: text(b.available), pending: text(b.pending), held: text(b.held), debt: text(b.debt) }]));
  // Lots past their expiry at the end are gone to a read as of the end; END's tick can write one
  // (a birthday paid late, earned at its start, with an expiry before the end) that only the next
  // tick expires, so they are left out (see the report of this test's commit).
  const lots = view.state.lots
    .filter((l) => l.expiresAt === null || l.expiresAt.getTime() > END)
    .map((l) => ({ id: l.id, unit: l.unit, amount: text(l.amount), remaining: text(l.remaining), account: l.account, earnedAt: l.earnedAt.toISOString(), availableAt: l.availableAt.toISOString(), expiresAt: l.expiresAt?.toISOString() ?? null }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const card = view.state.kinds['card:night'];
  const tier = view.state.kinds.tier;
  return {
    balances,
    lots,
    card: card?.kind === 'card' ? { count: card.count, expiresAt: card.expiresAt?.toISOString() ?? null, completed: card.completed } : null,
    tier: tier?.kind === 'tier' ? tier.tier : null,
  };
}

describe('ticking at the end gives the same ledger as ticking at every due instant, with late events', () => {
  const runs = runsFor(30);
  test('points, tiered and punch programs: the same balances, open lots, cards and tier at the end', async () => {
    announce('backdated ticks at the end', runs);
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        const [every, end] = [await replay(script, true), await replay(script, false)];
        expect(end).toEqual(every);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

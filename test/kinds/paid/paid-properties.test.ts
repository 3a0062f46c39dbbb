// Property runs of the `paid` kind through the service: random sequences of membership events,
// purchases, refunds, replays and ticks, with the clock moving forward. After every step the stored
// state is the fold of the ledger, replays write nothing, benefits never hold once expired, the
// recorded statuses move only along the machine's transitions, notices go out once, fees and the
// value received match what was sent, and the calendar fields follow SPEC §2b.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../../src';
import { transactionText, membershipStatusAt } from '../../../src/core';
import { addDaysIn, addMonthsIn, startOfDayIn } from '../../../src/time';
import type { Loyalty, ProcessResult, Program, Transaction } from '../../../src';
import type { AccountState, MembershipState } from '../../../src/core';
import { announce, FC_SEED, runsFor } from '../../properties/seed';
import { cents } from '../../properties/harness';
import { requestsAtTheirInstant } from '../../request-clock';

const ZONE = 'America/New_York';
const START = Date.parse('2027-01-31T15:00:00Z');

/** The machine of SPEC §7, written out independently of the implementation's table. */
const ALLOWED: Record<string, readonly string[]> = {
  none: ['trialing', 'active'],
  trialing: ['trialing', 'active', 'cancelled', 'expired'],
  active: ['active', 'past_due', 'cancelled'],
  past_due: ['past_due', 'active', 'cancelled', 'expired'],
  cancelled: ['cancelled', 'active', 'expired'],
  expired: ['expired', 'trialing', 'active'],
};

interface Params {
  readonly trialDays: number;
  readonly graceDays: number;
  readonly trialNoticeDays: number;
  readonly period: 'month' | 'year';
}

type Command =
  | { kind: 'start'; trial: boolean; gap: number }
  | { kind: 'pay'; ok: boolean; cents: number; gap: number }
  | { kind: 'cancel'; gap: number }
  | { kind: 'purchase'; cents: number; gap: number }
  | { kind: 'refund'; pick: number; gap: number }
  | { kind: 'tick'; gap: number }
  | { kind: 'replay'; pick: number; gap: number };

// Gaps in minutes: often small, sometimes days or weeks, so trials end, grace runs out, periods renew.
const gap = fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 60, max: 60 * 24 * 12 }), fc.integer({ min: 60 * 24 * 20, max: 60 * 24 * 40 }));
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), trial: fc.boolean(), gap }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), ok: fc.boolean(), cents: fc.integer({ min: 0, max: 20_000 }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), gap }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('purchase' as const), cents: fc.integer({ min: 1, max: 30_000 }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), gap }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat(), gap: fc.constant(0) }) },
);
const params: fc.Arbitrary<Params> = fc.record({
  trialDays: fc.constantFrom(0, 3, 30),
  graceDays: fc.constantFrom(0, 2, 7),
  trialNoticeDays: fc.constantFrom(0, 1, 3),
  period: fc.constantFrom('month' as const, 'month' as const, 'year' as const),
});

function program(p: Params): Program {
  return defineProgram({
    kind: 'paid',
    id: 'plus',
    version: 1,
    currency: 'USD',
    timeZone: ZONE,
    membership: { fee: '12.99', period: p.period, trialDays: p.trialDays, graceDays: p.graceDays, trialNoticeDays: p.trialNoticeDays, benefits: { discountPercent: 10, freeShipping: true, pointsMultiplier: 2 } },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

/** The account's state, or null before anything was written for it. */
async function accountState(loyalty: Loyalty): Promise<AccountState | null> {
  return loyalty.account({ customerId: 'c1', programId: 'plus' }).then(
    (view) => view.state,
    () => null,
  );
}

async function membership(loyalty: Loyalty): Promise<MembershipState | null> {
  const m = (await accountState(loyalty))?.kinds.membership;
  return m?.kind === 'membership' ? m : null;
}

async function history(loyalty: Loyalty): Promise<Transaction[]> {
  return [...(await loyalty.history({ customerId: 'c1', programId: 'plus', limit: 1000 })).transactions].reverse();
}

async function discountAt(loyalty: Loyalty, at: Date): Promise<boolean> {
  const q = await loyalty.quote({ customerId: 'c1', programId: 'plus', order: { currency: 'USD', lines: [{ lineId: 'a', sku: 'a', quantity: 1, unitPrice: '10.00' }] }, points: 'max', at });
  return q.memberDiscount !== undefined;
}

async function runSequence(p: Params, commands: readonly Command[]): Promise<string[]> {
  const prog = program(p);
  const clock = fixedClock(new Date(START));
  const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [prog], store: memoryStore(), clock }), clock);
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  let now = START;
  let fees = 0; // cents of succeeded payments the engine accepted
  let value = 0; // cents of member value: 10% of orders bought while the quote showed the discount, less refunds
  const orders: { id: string; cents: number; value: number; refunded: boolean }[] = [];
  const sent: { event: Record<string, unknown>; result: ProcessResult }[] = [];
  let i = 0;
  for (const c of commands) {
    i += 1;
    now += c.gap * 60_000;
    clock.set(new Date(now));
    const at = new Date(now).toISOString();
    const base = { id: `ev-${i}`, customerId: 'c1', occurredAt: at };
    const before = (await history(loyalty)).map(transactionText);
    const send = async (event: Record<string, unknown>): Promise<ProcessResult> => {
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      sent.push({ event, result });
      return result;
    };
    switch (c.kind) {
      case 'start':
        await send({ ...base, type: 'membership_started', trial: c.trial });
        break;
      case 'pay': {
        const payment = { ...base, type: 'membership_payment', status: c.ok ? 'succeeded' : 'failed', amount: cents(c.cents), currency: 'USD' };
        if (c.ok && c.cents === 0) {
          // No free plan: a succeeded payment of $0 is refused at the boundary and writes nothing.
          const refused = await loyalty.process(payment as Parameters<typeof loyalty.process>[0]).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(refused).toBeInstanceOf(LoyaltyError);
          expect((refused as LoyaltyError).issues[0]?.code).toBe('not_positive');
          break;
        }
        const r = await send(payment);
        const o = r.outcomes[0];
        if (c.ok && o?.ok && o.transaction) fees += c.cents;
        break;
      }
      case 'cancel':
        await send({ ...base, type: 'membership_cancelled' });
        break;
      case 'purchase': {
        const holds = (await membership(loyalty)) !== null && (await discountAt(loyalty, new Date(now)));
        const r = await send({ ...base, type: 'purchase', orderId: `o-${i}`, currency: 'USD', lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: cents(c.cents) }] });
        const o = r.outcomes[0];
        const points = o?.ok && o.transaction ? o.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s + Number(e.lot.amount.toString()) : s), 0) : 0;
        // 1 point per $1, doubled while benefits hold (rounded once, down).
        expect(points).toBe(Math.floor(((holds ? 2 : 1) * c.cents) / 100));
        const v = holds ? Math.floor(c.cents / 10) : 0;
        value += v;
        orders.push({ id: `o-${i}`, cents: c.cents, value: v, refunded: false });
        break;
      }
      case 'refund': {
        const order = orders.filter((o) => !o.refunded)[c.pick % Math.max(1, orders.length)];
        if (!order) break;
        order.refunded = true;
        await send({ ...base, type: 'refund', orderId: order.id, amount: cents(order.cents), currency: 'USD' });
        value -= order.value;
        break;
      }
      case 'tick': {
        await loyalty.tickDue({ now: new Date(now) });
        const again = await loyalty.tickDue({ now: new Date(now) });
        expect(again.changed).toBe(0); // ticking twice at one instant changes nothing
        const m = await membership(loyalty);
        if (m) {
          // Everything time does by `now` is recorded: no instant of the machine is left behind.
          const t = now;
          if (m.status === 'trialing') expect(m.trialEndsAt && m.trialEndsAt.getTime() > t).toBe(true);
          if (m.status === 'active') expect(m.nextDueAt && m.nextDueAt.getTime() > t).toBe(true);
          if (m.status === 'past_due') expect(m.graceEndsAt && m.graceEndsAt.getTime() > t).toBe(true);
          if (m.status === 'cancelled') expect(m.endsAt && m.endsAt.getTime() > t).toBe(true);
          expect(membershipStatusAt(prog, (await loyalty.account({ customerId: 'c1', programId: 'plus' })).state, new Date(now))).toBe(m.status);
        }
        break;
      }
      case 'replay': {
        const earlier = sent[c.pick % Math.max(1, sent.length)];
        if (!earlier) break;
        const again = await loyalty.process(earlier.event as Parameters<typeof loyalty.process>[0]);
        expect(again.replayed).toBe(true);
        expect(again.outcomes).toEqual(earlier.result.outcomes);
        expect((await history(loyalty)).map(transactionText)).toEqual(before);
        break;
      }
    }
    const txs = await history(loyalty);
    expect(txs.map(transactionText).slice(0, before.length)).toEqual(before); // append-only
    const m = await membership(loyalty);
    if (!m) continue;
    expect(await loyalty.verify({ customerId: 'c1', programId: 'plus' })).toEqual([]); // fold = state, conservation

    // Benefits never hold once expired: not now, nor at any later instant, until a new start.
    const status = membershipStatusAt(prog, (await loyalty.account({ customerId: 'c1', programId: 'plus' })).state, new Date(now));
    expect(await discountAt(loyalty, new Date(now))).toBe(status !== null && status !== 'expired');
    if (m.status === 'expired') {
      for (const later of [now, now + 86_400_000, now + 400 * 86_400_000]) expect(await discountAt(loyalty, new Date(later))).toBe(false);
    }

    // The calendar (SPEC §2b): renewals counted from the anchor with the anchor day; trial in calendar days; grace from the due date.
    const months = p.period === 'year' ? 12 : 1;
    expect(m.paidThrough?.toISOString() ?? null).toBe(m.periodsPaid > 0 ? addMonthsIn(m.anchor, months * m.periodsPaid, ZONE).toISOString() : null);
    if (m.status === 'trialing') expect(m.trialEndsAt?.toISOString()).toBe(addDaysIn(startOfDayIn(m.startedAt, ZONE), p.trialDays, ZONE).toISOString());
    if (m.status === 'past_due' && m.nextDueAt) expect(m.graceEndsAt?.toISOString()).toBe(addDaysIn(m.nextDueAt, p.graceDays, ZONE).toISOString());

    // Fees and value received match what was sent.
    expect(m.feesPaid.toFixed(2)).toBe(cents(fees));
    expect(m.valueReceived.toFixed(2)).toBe(cents(value));

    // Statuses move only along the machine; notices go out once.
    let from = 'none';
    for (const tx of txs) {
      for (const e of tx.entries) {
        if (e.kind !== 'state' || e.value?.kind !== 'membership') continue;
        expect(ALLOWED[from]).toContain(e.value.status);
        expect(e.reason.length).toBeGreaterThan(0);
        from = e.value.status;
      }
    }
    const notes = (await loyalty.outbox({ limit: 100_000 })).map((r) => r.notification);
    const renewals = notes.flatMap((n) => (n.type === 'membership.renewal_due' ? [n.dueAt.toISOString()] : []));
    expect(new Set(renewals).size).toBe(renewals.length);
    const trialNotes = notes.flatMap((n) => (n.type === 'membership.trial_ending' ? [n.trialEndsAt.toISOString()] : []));
    expect(new Set(trialNotes).size).toBe(trialNotes.length);
  }
  return (await accountState(loyalty)) === null ? [] : (await history(loyalty)).map(transactionText);
}

describe('paid membership model runs through the service', () => {
  const runs = runsFor(60);
  test('random membership events, purchases, refunds, replays and ticks keep every promise, deterministically', async () => {
    announce('paid membership model', runs);
    await fc.assert(
      fc.asyncProperty(params, fc.array(command, { minLength: 1, maxLength: 30 }), async (p, commands) => {
        const first = await runSequence(p, commands);
        const second = await runSequence(p, commands);
        expect(second).toEqual(first);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  }, 120_000);

  test('a long member life reaches every status', async () => {
    // A fixed sequence through the same harness: trial, conversion, failure, recovery, cancellation, expiry, restart.
    const day = 60 * 24;
    const seq: Command[] = [
      { kind: 'start', trial: true, gap: 0 },
      { kind: 'tick', gap: 28 * day },
      { kind: 'pay', ok: true, cents: 1299, gap: day },
      { kind: 'purchase', cents: 5000, gap: day },
      { kind: 'tick', gap: 31 * day },
      { kind: 'pay', ok: false, cents: 1299, gap: 60 },
      { kind: 'pay', ok: true, cents: 1299, gap: day },
      { kind: 'cancel', gap: day },
      { kind: 'tick', gap: 40 * day },
      { kind: 'purchase', cents: 5000, gap: day },
      { kind: 'pay', ok: true, cents: 1299, gap: day },
      { kind: 'replay', pick: 2, gap: 0 },
    ];
    const texts = await runSequence({ trialDays: 30, graceDays: 7, trialNoticeDays: 3, period: 'month' }, seq);
    const statuses = texts.flatMap((t) => [...t.matchAll(/"status":"([a-z_]+)"/g)].map((x) => x[1]));
    for (const s of ['trialing', 'active', 'past_due', 'cancelled', 'expired']) expect(statuses).toContain(s);
  });
});

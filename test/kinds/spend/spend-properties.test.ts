// The spend kind under random use, through the service over the memory store: random programs
// (USD or JPY; cash-back with category rates, exclusions, any rounding, pending and expiring credit;
// Kohl's-style progress; both; every return policy) and random sequences of purchases (some paid
// partly with credit), refunds by line and by amount, redemptions, ticks and replays.
// After every step the ledger balances and the stored state is the fold of its history
// (`loyalty.verify` = []); replays change nothing; each purchase earns what an independent bigint
// model says; refunds never claw back more than an order earned; progress keeps its invariant; and
// once every order is refunded in full, all cash-back is clawed back and progress is back to zero.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../../src';
import { accountStateText } from '../../../src/core';
import type { Entry, Loyalty, ProgramConfigInput, Transaction, InstantInput } from '../../../src';
import type { ProgressState } from '../../../src/core';
import type { RoundingMode } from '../../../src/schemas';
import { announce, FC_SEED, runsFor } from '../../properties/seed';
import { allocate, roundRational } from '../../properties/harness';

type SpendInput = Extract<ProgramConfigInput, { kind: 'spend' }>;

// ---- Random programs -----------------------------------------------------------------------------

interface Shape {
  readonly currency: 'USD' | 'JPY';
  /** Base percent in tenths (50 = 5 %). */
  readonly credit: { readonly tenths: number; readonly rounding: RoundingMode; readonly pendingDays: number; readonly expiryDays: number | null } | null;
  /** `threshold` and `reward` in minor units. */
  readonly progress: { readonly per: number; readonly threshold: number; readonly reward: number; readonly pendingDays: number; readonly expiryDays: number | null } | null;
  readonly returns: { whenSpent: 'allow_negative'; negativeLimit?: number } | { whenSpent: 'available_only' } | { whenSpent: 'pending_first' };
}

const CATEGORY_TENTHS: Record<string, number> = { a: 70, z: 0 };
const placesOf = (s: Shape) => (s.currency === 'USD' ? 2 : 0);
// Typed as a decimal string: the typed inputs refuse a plain string.
const fmt = (minor: bigint | number, places: number): `${number}` => {
  const n = BigInt(minor);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  if (places === 0) return `${sign}${abs}` as `${number}`;
  const scale = 10n ** BigInt(places);
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(places, '0')}` as `${number}`;
};
/** A Decimal-like value in minor units, exactly. */
const minorOf = (d: { toFixed(dp: number): string }, places: number): bigint => BigInt(d.toFixed(places).replace('.', ''));

const shapeArb: fc.Arbitrary<Shape> = fc
  .record({
    currency: fc.constantFrom<'USD' | 'JPY'>('USD', 'JPY'),
    credit: fc.option(
      fc.record({
        tenths: fc.constantFrom(50, 35, 100, 1),
        rounding: fc.constantFrom<RoundingMode>('floor', 'ceil', 'half-up', 'half-even', 'down'),
        pendingDays: fc.constantFrom(0, 0, 2),
        expiryDays: fc.constantFrom<number | null>(null, null, 7),
      }),
      { nil: null },
    ),
    progress: fc.option(
      fc.record({
        per: fc.constantFrom(1, 2),
        threshold: fc.constantFrom(50, 100, 37),
        reward: fc.constantFrom(5, 3),
        pendingDays: fc.constantFrom(0, 1),
        expiryDays: fc.constantFrom<number | null>(null, 10),
      }),
      { nil: null },
    ),
    returns: fc.constantFrom<Shape['returns']>({ whenSpent: 'allow_negative' }, { whenSpent: 'allow_negative', negativeLimit: 3 }, { whenSpent: 'available_only' }, { whenSpent: 'pending_first' }),
  })
  .filter((s) => s.credit !== null || s.progress !== null);

/** Amounts scale with the currency: a JPY threshold or reward is a hundred times the USD one (USD 50 / 5.00, JPY 5000 / 500). */
function programOf(s: Shape) {
  const places = placesOf(s);
  const unit = s.currency === 'USD' ? 1n : 100n; // JPY amounts are a hundred times larger
  const config: SpendInput = {
    kind: 'spend',
    id: 'cash',
    version: 1,
    currency: s.currency,
    timeZone: 'America/New_York',
    returns: s.returns,
    eligibility: { exclude: { categories: ['x'] } },
    ...(s.credit
      ? {
          credit: {
            percent: fmt(s.credit.tenths, 1),
            categoryPercents: Object.fromEntries(Object.entries(CATEGORY_TENTHS).map(([c, t]) => [c, fmt(t, 1)])),
            rounding: s.credit.rounding,
            pendingDays: s.credit.pendingDays,
            expiry: s.credit.expiryDays === null ? { kind: 'never' } : { kind: 'rolling', days: s.credit.expiryDays },
          },
        }
      : {}),
    ...(s.progress
      ? {
          progress: {
            per: s.progress.per,
            threshold: fmt(BigInt(s.progress.threshold) * unit, 0),
            reward: fmt(BigInt(s.progress.reward) * unit * 10n ** BigInt(places), places),
            pendingDays: s.progress.pendingDays,
            expiry: s.progress.expiryDays === null ? { kind: 'never' } : { kind: 'rolling', days: s.progress.expiryDays },
          },
        }
      : {}),
  };
  return defineProgram(config);
}

// ---- An independent model in bigint arithmetic ---------------------------------------------------

interface LineGen {
  readonly minor: number;
  readonly qty: number;
  readonly category: '' | 'a' | 'x' | 'z';
  /** Discount as a percent of the line total. */
  readonly offPct: number;
}
const lineNet = (l: LineGen): bigint => {
  const total = BigInt(l.minor * l.qty);
  return total - (total * BigInt(l.offPct)) / 100n;
};

/** An order as the model sees it: what it earned, per line and per unit, and what refunds took. */
interface OrderModel {
  readonly eventId: string;
  readonly orderId: string;
  readonly lines: readonly LineGen[];
  readonly nets: readonly bigint[];
  readonly subtotal: bigint;
  readonly eligibleTotal: bigint;
  /** Cash-back credit, minor units. */
  readonly credit: bigint;
  readonly creditPerUnit: readonly (readonly bigint[])[];
  /** Progress × 10^places. */
  readonly progress: bigint;
  readonly progressPerUnit: readonly (readonly bigint[])[];
  refundedUnits: number[];
  refundedAmount: bigint;
  refundedNet: bigint;
  clawed: bigint;
  progressTaken: bigint;
}

const perUnit = (shares: readonly bigint[], lines: readonly LineGen[]) => shares.map((share, i) => allocate(share, Array.from({ length: lines[i]?.qty ?? 0 }, () => 1n)));

/** What a purchase earns, by the model: cash-back credit (minor units) and progress (× 10^places), split by line and unit. */
function modelPurchase(s: Shape, eventId: string, orderId: string, lines: readonly LineGen[], redeemedMinor: bigint): OrderModel {
  const nets = lines.map(lineNet);
  let eligible = lines.map((l, i) => (l.category === 'x' ? 0n : (nets[i] ?? 0n)));
  const total = eligible.reduce((a, b) => a + b, 0n);
  if (redeemedMinor > 0n && total > 0n) {
    const shares = allocate(redeemedMinor < total ? redeemedMinor : total, eligible);
    eligible = eligible.map((e, i) => e - (shares[i] ?? 0n));
  }
  let credit = 0n;
  let creditShares = lines.map(() => 0n);
  if (s.credit) {
    const c = s.credit;
    const weights = eligible.map((e, i) => {
      const cat = lines[i]?.category ?? '';
      return e * BigInt(cat in CATEGORY_TENTHS ? (CATEGORY_TENTHS[cat] ?? 0) : c.tenths);
    });
    credit = roundRational(weights.reduce((a, b) => a + b, 0n), 1000n, c.rounding);
    if (credit > 0n) creditShares = allocate(credit, weights);
  }
  const progressLines = eligible.map((e) => (s.progress ? e * BigInt(s.progress.per) : 0n));
  return {
    eventId,
    orderId,
    lines,
    nets,
    subtotal: nets.reduce((a, b) => a + b, 0n),
    eligibleTotal: eligible.reduce((a, b) => a + b, 0n),
    credit,
    creditPerUnit: perUnit(creditShares, lines),
    progress: progressLines.reduce((a, b) => a + b, 0n),
    progressPerUnit: perUnit(progressLines, lines),
    refundedUnits: lines.map(() => 0),
    refundedAmount: 0n,
    refundedNet: 0n,
    clawed: 0n,
    progressTaken: 0n,
  };
}

type RefundBody = { lines: { lineId: string; quantity: number }[] } | { amount: bigint };

/** What a refund should claw back of the order's cash-back, and take back of its progress; updates the model. Null when nothing is refunded. */
function modelRefund(s: Shape, m: OrderModel, body: RefundBody): { credit: bigint; progress: bigint } | null {
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const sumUnits = (table: readonly (readonly bigint[])[], line: number, from: number, count: number) => (table[line] ?? []).slice(from, from + count).reduce((a, b) => a + b, 0n);
  let net = 0n;
  let creditPart = 0n;
  let progressPart = 0n;
  const units = [...m.refundedUnits];
  if ('lines' in body) {
    let any = false;
    for (const r of body.lines) {
      const line = Number(r.lineId.slice(1));
      const l = m.lines[line];
      if (!l) continue;
      const from = units[line] ?? 0;
      const q = Math.min(r.quantity, l.qty - from);
      if (q <= 0) continue;
      any = true;
      const lineNetAt = (u: number) => ((m.nets[line] ?? 0n) * BigInt(u)) / BigInt(l.qty);
      net += lineNetAt(from + q) - lineNetAt(from);
      creditPart += sumUnits(m.creditPerUnit, line, from, q);
      progressPart += sumUnits(m.progressPerUnit, line, from, q);
      units[line] = from + q;
    }
    if (!any) return null;
  } else {
    if (m.refundedNet >= m.subtotal) return null;
    net = body.amount;
  }
  const allUnits = 'lines' in body && m.lines.every((l, i) => (units[i] ?? 0) >= l.qty);
  const complete = allUnits || m.refundedNet + net >= m.subtotal;
  if (complete) net = m.subtotal > m.refundedNet ? m.subtotal - m.refundedNet : 0n;
  const creditLeft = m.credit - m.clawed;
  let credit: bigint;
  if (complete) credit = creditLeft;
  else {
    // One cumulative target over every refund so far, by line and by amount, whatever their order:
    // the refunded units' per-unit shares, and once an amount is refunded at least
    // round(credit × amount / eligible + Σ line share × units / quantity); less what was taken.
    const amount = m.refundedAmount + ('lines' in body ? 0n : body.amount);
    let target = m.creditPerUnit.reduce((t, u, i) => t + u.slice(0, units[i]).reduce((a, b) => a + b, 0n), 0n);
    if (amount > 0n && m.eligibleTotal > 0n && s.credit) {
      const qs = m.lines.map((l) => BigInt(l.qty));
      const den = m.eligibleTotal * qs.reduce((a, b) => a * b, 1n);
      let num = m.credit * amount * (den / m.eligibleTotal);
      m.creditPerUnit.forEach((u, i) => (num += u.reduce((a, b) => a + b, 0n) * BigInt(units[i] ?? 0) * (den / (qs[i] ?? 1n))));
      const p = roundRational(num, den, s.credit.rounding);
      if (p > target) target = p;
    }
    credit = target > m.clawed ? target - m.clawed : 0n;
    if ('lines' in body && m.refundedAmount === 0n) expect(credit).toBe(creditPart); // by lines alone: the line allocation
  }
  credit = min(credit, creditLeft);
  const progressLeft = m.progress - m.progressTaken;
  let progress = complete ? progressLeft : 'lines' in body ? progressPart : body.amount * BigInt(s.progress?.per ?? 0);
  progress = min(progress, progressLeft);
  m.refundedUnits = units;
  if (!('lines' in body)) m.refundedAmount += body.amount;
  m.refundedNet += net;
  m.clawed += credit;
  m.progressTaken += progress;
  return { credit, progress };
}

// ---- Random runs ---------------------------------------------------------------------------------

type Cmd =
  | { kind: 'buy'; lines: LineGen[]; useCredit: number; advance: number }
  | { kind: 'refund'; order: number; by: { lines: { line: number; qty: number }[] } | { amount: number }; advance: number }
  | { kind: 'redeem'; amount: number; advance: number }
  | { kind: 'tick'; advance: number }
  | { kind: 'replay'; which: number; advance: number };

const advanceArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 180 }), fc.integer({ min: 60, max: 5 * 24 * 60 }));
const lineArb: fc.Arbitrary<LineGen> = fc.record({
  minor: fc.integer({ min: 1, max: 15_000 }),
  qty: fc.integer({ min: 1, max: 3 }),
  category: fc.constantFrom<LineGen['category']>('', '', 'a', 'x', 'z'),
  offPct: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
});
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('buy' as const), lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }), useCredit: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1500 })), advance: advanceArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      order: fc.nat(),
      by: fc.oneof(
        fc.record({ lines: fc.uniqueArray(fc.record({ line: fc.nat({ max: 2 }), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3, selector: (x) => x.line }) }),
        fc.record({ amount: fc.integer({ min: 1, max: 40_000 }) }),
      ),
      advance: advanceArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeem' as const), amount: fc.integer({ min: 1, max: 2000 }), advance: advanceArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), advance: advanceArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), which: fc.nat(), advance: advanceArb }) },
);

async function historyOf(loyalty: Loyalty): Promise<Transaction[]> {
  const all: Transaction[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await loyalty.history({ customerId: 'c1', programId: 'cash', limit: 1000, ...(before !== undefined ? { before } : {}) });
    all.push(...page.transactions);
    if (page.next === undefined || page.transactions.length === 0) break;
    before = page.next;
  }
  return all.reverse();
}

const entries = (txs: readonly Transaction[]): Entry[] => txs.flatMap((t) => [...t.entries]);
const progressOf = (value: unknown): ProgressState | undefined => {
  const v = value as ProgressState | undefined;
  return v?.kind === 'progress' ? v : undefined;
};

/** Everything the ledger says about the kind, checked for the invariants. */
async function checkInvariants(loyalty: Loyalty, shape: Shape, bought: readonly OrderModel[]): Promise<void> {
  const places = placesOf(shape);
  const txs = await historyOf(loyalty);
  const all = entries(txs);
  // Each purchase earned what the model says.
  for (const b of bought) {
    const earn = all.find((e) => e.kind === 'earn' && e.lot.id === `${b.eventId}:credit`);
    const got = earn?.kind === 'earn' ? minorOf(earn.lot.amount, places) : 0n;
    expect(got, `cash-back of ${b.orderId}`).toBe(b.credit);
    const added = all.flatMap((e) => (e.kind === 'state' && progressOf(e.value)?.order?.orderId === b.orderId && progressOf(e.value)?.order?.progress.gt(0) ? [progressOf(e.value)?.order?.progress] : []));
    const addedMinor = added[0] ? minorOf(added[0], places) : 0n;
    expect(addedMinor, `progress of ${b.orderId}`).toBe(b.progress);
  }
  // Never more than earned: per cash-back lot, and per order's progress.
  const earned = new Map<string, bigint>();
  for (const e of all) if (e.kind === 'earn') earned.set(e.lot.id, minorOf(e.lot.amount, places));
  const against = new Map<string, bigint>();
  for (const e of all) if (e.kind === 'clawback') for (const a of e.against) against.set(a.lot, (against.get(a.lot) ?? 0n) + minorOf(a.amount, places));
  for (const [lot, amount] of against) {
    if (lot.endsWith(':credit')) expect(amount <= (earned.get(lot) ?? 0n), `clawed ${amount} of ${lot}`).toBe(true);
  }
  const progressByOrder = new Map<string, { added: bigint; taken: bigint }>();
  let net = 0n;
  for (const e of all) {
    const order = e.kind === 'state' ? progressOf(e.value)?.order : undefined;
    if (!order) continue;
    const p = progressByOrder.get(order.orderId) ?? { added: 0n, taken: 0n };
    const v = minorOf(order.progress, places);
    if (v > 0n) p.added += v;
    else p.taken -= v;
    progressByOrder.set(order.orderId, p);
    net += v;
  }
  for (const [orderId, p] of progressByOrder) expect(p.taken <= p.added, `progress taken back from ${orderId}`).toBe(true);
  // Progress invariant: what purchases added less what refunds took = carried + outstanding × threshold.
  const state = (await loyalty.account({ customerId: 'c1', programId: 'cash' })).state;
  const progress = progressOf(state.kinds.progress);
  if (shape.progress && progress) {
    const threshold = BigInt(shape.progress.threshold) * 100n; // in minor units (USD: × 100 cents; JPY: × 100 yen)
    expect(progress.carried.isNegative()).toBe(false);
    expect(progress.unwound <= progress.converted).toBe(true);
    expect(minorOf(progress.carried, places) + BigInt(progress.converted - progress.unwound) * threshold).toBe(net);
    // Rewards are taken back whole, one per reward unwound, and never more than were converted.
    const rewardValue = BigInt(shape.progress.reward) * 100n; // USD 5.00 = 500 cents, JPY 500 yen
    let rewardsTaken = 0n;
    for (const [lot, amount] of against) if (!lot.endsWith(':credit')) rewardsTaken += amount;
    expect(rewardsTaken).toBe(BigInt(progress.unwound) * rewardValue);
  }
}

describe('spend kind: random purchases, refunds, redemptions, ticks and replays through the service', () => {
  const runs = runsFor(120);

  test('conservation and fold = state after every step; replays change nothing; model-exact earning; never more clawed back than earned; full refunds net to zero', async () => {
    announce('spend kind through the service', runs);
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.array(cmdArb, { minLength: 1, maxLength: 18 }), async (shape, cmds) => {
        const places = placesOf(shape);
        const program = programOf(shape);
        const clock = fixedClock('2027-03-01T12:00:00Z');
        const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
        await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
        const who = { customerId: 'c1', programId: 'cash' };
        const bought: OrderModel[] = [];
        const sent: Record<string, unknown>[] = [];
        const stateText = async () => accountStateText((await loyalty.account({ customerId: 'c1', programId: 'cash' })).state);
        const process = async (event: Record<string, unknown>) => {
          sent.push(event);
          return loyalty.process(event as Parameters<typeof loyalty.process>[0]);
        };

        for (const [i, cmd] of cmds.entries()) {
          clock.advance(cmd.advance * 60_000);
          const at = clock.now().toISOString() as Exclude<InstantInput, Date>;
          if (cmd.kind === 'buy') {
            const orderId = `o${i}`;
            let redeemed = 0n;
            if (cmd.useCredit > 0) {
              const paid = await loyalty.redeem({ ...who, requestId: `pay${i}`, points: fmt(cmd.useCredit, places), orderId, at });
              if (paid.outcome.ok) redeemed = BigInt(cmd.useCredit);
            }
            const lines = cmd.lines.map((l, j) => ({
              lineId: `l${j}`,
              sku: `s${j}`,
              quantity: l.qty,
              unitPrice: fmt(l.minor, places),
              discount: fmt(BigInt(l.minor * l.qty) - lineNet(l), places),
              categories: l.category ? [l.category] : [],
            }));
            await process({ id: `p${i}`, customerId: 'c1', type: 'purchase', orderId, currency: shape.currency, occurredAt: at, lines, pointsRedeemed: fmt(redeemed, places) });
            bought.push(modelPurchase(shape, `p${i}`, orderId, cmd.lines, redeemed));
          } else if (cmd.kind === 'refund') {
            const target = bought[cmd.order % Math.max(1, bought.length)];
            if (!target) continue;
            const body: RefundBody = 'lines' in cmd.by ? { lines: cmd.by.lines.filter((x) => x.line < target.lines.length).map((x) => ({ lineId: `l${x.line}`, quantity: x.qty })) } : { amount: BigInt(cmd.by.amount) };
            if ('lines' in body && body.lines.length === 0) continue;
            const payload = 'lines' in body ? { lines: body.lines } : { amount: fmt(body.amount, places), currency: shape.currency };
            const result = await process({ id: `r${i}`, customerId: 'c1', type: 'refund', orderId: target.orderId, occurredAt: at, ...payload });
            // The refund claws back exactly what the model says, and takes back exactly the progress it says.
            const expected = modelRefund(shape, target, body);
            const outcome = result.outcomes[0];
            const tx = outcome?.ok ? outcome.transaction : null;
            const got = (tx?.entries ?? []).reduce((sum, e) => (e.kind === 'clawback' ? sum + e.against.filter((a) => a.lot === `${target.eventId}:credit`).reduce((t, a) => t + minorOf(a.amount, places), 0n) : sum), 0n);
            const took = (tx?.entries ?? []).reduce((sum, e) => {
              const order = e.kind === 'state' ? progressOf(e.value)?.order : undefined;
              return order?.orderId === target.orderId ? sum - minorOf(order.progress, places) : sum;
            }, 0n);
            expect([got, took], `refund r${i} of ${target.orderId}`).toEqual([expected?.credit ?? 0n, expected?.progress ?? 0n]);
          } else if (cmd.kind === 'redeem') {
            const request = { ...who, requestId: `rd${i}`, points: fmt(cmd.amount, places), at };
            const first = await loyalty.redeem(request);
            const before = await stateText();
            const again = await loyalty.redeem(request);
            expect(again.replayed).toBe(true);
            expect(again.outcome.ok).toBe(first.outcome.ok);
            expect(await stateText()).toBe(before);
          } else if (cmd.kind === 'tick') {
            await loyalty.tickDue({ now: at });
          } else {
            const event = sent[cmd.which % Math.max(1, sent.length)];
            if (!event) continue;
            const before = await stateText();
            const again = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
            expect(again.replayed).toBe(true);
            expect(await stateText()).toBe(before);
          }
          expect(await loyalty.verify({ customerId: 'c1', programId: 'cash' })).toEqual([]);
        }
        await checkInvariants(loyalty, shape, bought);

        // Refund every order in full: all cash-back goes back and progress returns to zero.
        clock.advance(60_000);
        for (const b of bought) {
          await loyalty.process({ id: `final-${b.orderId}`, customerId: 'c1', type: 'refund', orderId: b.orderId, occurredAt: clock.now(), lines: b.lines.map((l, j) => ({ lineId: `l${j}`, quantity: l.qty })) });
          expect(await loyalty.verify({ customerId: 'c1', programId: 'cash' })).toEqual([]);
        }
        await checkInvariants(loyalty, shape, bought);
        const all = entries(await historyOf(loyalty));
        for (const b of bought) {
          if (b.credit === 0n) continue;
          const taken = all.reduce((s, e) => (e.kind === 'clawback' ? s + e.against.filter((a) => a.lot === `${b.eventId}:credit`).reduce((t, a) => t + minorOf(a.amount, places), 0n) : s), 0n);
          expect(taken, `all of ${b.orderId}'s cash-back is clawed back`).toBe(b.credit);
        }
        const progress = progressOf((await loyalty.account({ customerId: 'c1', programId: 'cash' })).state.kinds.progress);
        if (progress) expect([progress.carried.toString(), progress.converted - progress.unwound]).toEqual(['0', 0]);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

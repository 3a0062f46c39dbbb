// RELIABILITY 14 on the memory store, through the service: refund clawback is exact. Random orders
// (2-5 lines, quantities 1-4, prices in whole cents), random partial refunds by line and by amount:
// partial refunds by line follow the line allocation (largest remainder, per unit); refunds by amount
// follow the order's points × refunded / eligible with the program's rounding; the total clawed back
// never exceeds what the order earned; once everything is refunded the order nets to exactly 0;
// refunding again changes nothing; a negative balance appears only with `allow_negative`, never
// below −negativeLimit; with `available_only` (and `pending_first`) the balance never goes negative.
// Mixed sequences of line and amount refunds, in any order, take what one refund of the same totals
// would (the model's cumulative target), close to one refund by amount of the same money; the
// per-unit shares' closed form equals the old array allocation.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../src';
import { ledgerBalances } from '../../src/core';
import { allocate as allocateDecimal } from '../../src/money';
import { Decimal } from '../../src/money/decimal';
import { allocateEqualRange } from '../../src/money/allocate';
import type { Entry, ProgramConfigInput, Transaction } from '../../src';
import type { RoundingMode } from '../../src/schemas';
import { announce, FC_SEED, runsFor } from './seed';
import { requestsAtTheirInstant } from '../request-clock';
import { allocate, cents, iso, roundRational, T0, transactions } from './harness';

type PointsConfig = Extract<ProgramConfigInput, { kind: 'points' }>;
type Award = { kind: 'rate'; points: number; per: number } | { kind: 'whole'; points: number; per: number };
type Returns = { whenSpent: 'allow_negative'; negativeLimit?: number } | { whenSpent: 'available_only' } | { whenSpent: 'pending_first' };

const READ = new Date(T0 + 5 * 86_400_000);
const num = (d: { toString(): string }) => Number(d.toString());

// ---- An independent model in bigint arithmetic. ----

interface Line {
  readonly cents: number;
  readonly qty: number;
  /** The line's discount in cents (at most its total). */
  readonly off: number;
}
const netOf = (l: Line) => l.cents * l.qty - l.off;
interface LotModel {
  readonly id: string;
  readonly earned: bigint;
  /** Per line, per unit: the points of each unit (largest remainder over the line's share). */
  readonly perUnit: readonly (readonly bigint[])[];
}

function modelLots(order: readonly Line[], award: Award, bonus: number, rounding: RoundingMode): LotModel[] {
  const nets = order.map((l) => BigInt(netOf(l)));
  const subtotal = nets.reduce((a, b) => a + b, 0n);
  const base = award.kind === 'whole' ? (subtotal / BigInt(award.per * 100)) * BigInt(award.points) : roundRational(subtotal * BigInt(award.points), BigInt(award.per * 100), rounding);
  const lot = (id: string, earned: bigint): LotModel => ({
    id,
    earned,
    perUnit: allocate(earned, nets).map((share, i) => allocate(share, Array.from({ length: order[i]?.qty ?? 0 }, () => 1n))),
  });
  const lots = [lot('p1:base', base)];
  if (bonus > 0) lots.push(lot('p1:bonus', BigInt(bonus)));
  return lots.filter((l) => l.earned > 0n);
}


/**
 * A lot's cumulative clawback once refunds have covered `units` per line and `amount` cents by
 * amount, whatever their order: by lines alone, the refunded units' per-unit shares; with an amount,
 * at least round(earned × amount / eligible + Σ line share × units / quantity); never above earned.
 */
function modelTarget(lot: LotModel, order: readonly Line[], units: readonly number[], amount: number, subtotal: number, rounding: RoundingMode): bigint {
  const byLines = lot.perUnit.reduce((s, u, i) => s + u.slice(0, units[i]).reduce((a, b) => a + b, 0n), 0n);
  let target = byLines;
  if (amount > 0) {
    // One fraction over the common denominator subtotal × Π quantities.
    const qs = order.map((l) => BigInt(l.qty));
    const den = BigInt(subtotal) * qs.reduce((a, b) => a * b, 1n);
    let num = lot.earned * BigInt(amount) * (den / BigInt(subtotal));
    lot.perUnit.forEach((u, i) => {
      const share = u.reduce((a, b) => a + b, 0n);
      num += share * BigInt(units[i] ?? 0) * (den / (qs[i] ?? 1n));
    });
    const p = roundRational(num, den, rounding);
    if (p > target) target = p;
  }
  return target < lot.earned ? target : lot.earned;
}

/** One refund by amount of the same money (line refunds counted at their units' part of the line's net), as the model rounds it. */
function singleRefund(lot: LotModel, order: readonly Line[], units: readonly number[], amount: number, subtotal: number, rounding: RoundingMode): bigint {
  const qs = order.map((l) => BigInt(l.qty));
  const den = BigInt(subtotal) * qs.reduce((a, b) => a * b, 1n);
  let num = lot.earned * BigInt(amount) * (den / BigInt(subtotal));
  order.forEach((l, i) => (num += lot.earned * BigInt(netOf(l)) * BigInt(units[i] ?? 0) * (den / BigInt(subtotal) / (qs[i] ?? 1n))));
  const s = roundRational(num, den, rounding);
  return s < lot.earned ? s : lot.earned;
}

/** The library's completion rule in the model: every unit refunded, or the net refunded (line nets rounded down to cents) reaches the subtotal. */
const completes = (order: readonly Line[], units: readonly number[], amount: number, subtotal: number): boolean =>
  order.every((l, i) => (units[i] ?? 0) >= l.qty) || order.reduce((s, l, i) => s + Math.floor((netOf(l) * (units[i] ?? 0)) / l.qty), 0) + amount >= subtotal;

// ---- The runs. ----

type Refund = { kind: 'lines'; lines: { line: number; qty: number }[] } | { kind: 'amount'; cents: number };

/** The lines a refund names, each line once (the first mention wins; a line named twice has its own property below). */
function uniqueLines(r: Extract<Refund, { kind: 'lines' }>, count: number): { line: number; qty: number }[] {
  const seen = new Map<number, number>();
  for (const x of r.lines) if (!seen.has(x.line % count)) seen.set(x.line % count, x.qty);
  return [...seen].map(([line, qty]) => ({ line, qty }));
}

const lineArb = fc
  .record({ cents: fc.integer({ min: 1, max: 20_000 }), qty: fc.integer({ min: 1, max: 4 }), offPct: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })) })
  .map(({ cents: c, qty, offPct }): Line => ({ cents: c, qty, off: Math.floor(((c * qty - 1) * offPct) / 100) })); // every line keeps at least 1 cent
const orderArb = fc.array(lineArb, { minLength: 2, maxLength: 5 });
const refundArb: fc.Arbitrary<Refund> = fc.oneof(
  fc.record({ kind: fc.constant('lines' as const), lines: fc.array(fc.record({ line: fc.nat({ max: 4 }), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 2 }) }),
  // Small amounts too, so that mixed sequences often stay partial for several refunds.
  fc.record({ kind: fc.constant('amount' as const), cents: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 3_000 })) }),
);
const awardArb = fc.constantFrom<Award>({ kind: 'rate', points: 1, per: 1 }, { kind: 'rate', points: 3, per: 2 }, { kind: 'rate', points: 1, per: 3 }, { kind: 'whole', points: 10, per: 50 });
const returnsArb = fc.oneof(
  fc.constant<Returns>({ whenSpent: 'allow_negative' }),
  fc.integer({ min: 0, max: 300 }).map((negativeLimit): Returns => ({ whenSpent: 'allow_negative', negativeLimit })),
  fc.constant<Returns>({ whenSpent: 'available_only' }),
  fc.constant<Returns>({ whenSpent: 'pending_first' }),
);

function programOf(award: Award, bonus: number, rounding: RoundingMode, returns: Returns) {
  const rules: NonNullable<PointsConfig['rules']> = [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: award.points, per: award.per, whole: award.kind === 'whole' } }];
  if (bonus > 0) rules.push({ id: 'bonus', on: 'purchase', award: { kind: 'fixed', points: bonus } });
  return defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York', rounding, returns, rules });
}

const entries = (txs: readonly Transaction[]): Entry[] => txs.flatMap((t) => [...t.entries]);

/** Per earn lot of the order: what clawbacks charged against it; and what they actually took (lots + debt). */
function clawed(txs: readonly Transaction[]): { against: Map<string, bigint>; taken: bigint } {
  const against = new Map<string, bigint>();
  let taken = 0n;
  for (const e of entries(txs)) {
    if (e.kind !== 'clawback') continue;
    for (const a of e.against) against.set(a.lot, (against.get(a.lot) ?? 0n) + BigInt(a.amount.toFixed(0)));
    taken += e.draws.reduce((s, d) => s + BigInt(d.amount.toFixed(0)), 0n) + BigInt(e.debt.toFixed(0));
  }
  return { against, taken };
}

describe('refund clawback is exact (RELIABILITY 14)', () => {
  const runs = runsFor(600);

  test('random orders and random partial refunds by line and by amount', async () => {
    announce('burn refund: exact clawback', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(
        orderArb,
        awardArb,
        fc.constantFrom(0, 0, 25, 7),
        fc.constantFrom<RoundingMode>('floor', 'ceil', 'half-up', 'half-even', 'down'),
        returnsArb,
        fc.integer({ min: 0, max: 400 }), // other points the customer holds
        fc.integer({ min: 0, max: 100 }), // percent of the balance spent before the refunds
        fc.array(refundArb, { maxLength: 6 }),
        fc.boolean(), // finish by lines (else by amount)
        fc.oneof(refundArb, fc.constant('replay' as const)),
        async (order, award, bonus, rounding, returns, other, spentPct, refunds, finishByLines, extra) => {
          const program = programOf(award, bonus, rounding, returns);
          const clock = fixedClock(iso(24 * 60));
          const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
          await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
          if (other > 0) await loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'other', points: other, actor: 't', reason: 'seed', at: iso(0) });
          const subtotal = order.reduce((s, l) => s + netOf(l), 0);
          await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: iso(1), lines: order.map((l, i) => ({ lineId: `l${i}`, sku: `s${i}`, quantity: l.qty, unitPrice: cents(l.cents), discount: cents(l.off) })) });
          const lots = modelLots(order, award, bonus, rounding);
          const earned = lots.reduce((s, l) => s + l.earned, 0n);
          // The purchase earned what the model says, lot by lot and line by line.
          const earnEntries = entries(await transactions(loyalty)).filter((e): e is Extract<Entry, { kind: 'earn' }> => e.kind === 'earn' && e.lot.orderId === 'o1');
          expect(earnEntries.map((e) => [e.lot.id, e.lot.amount.toFixed(0)])).toEqual(lots.map((l) => [l.id, l.earned.toString()]));
          for (const e of earnEntries) {
            const m = lots.find((l) => l.id === e.lot.id);
            expect((e.lines ?? []).map((s) => s.amount.toFixed(0))).toEqual(m?.perUnit.map((u) => u.reduce((a, b) => a + b, 0n).toString()));
          }
          const balance = num((await loyalty.account({ customerId: 'c1', programId: 'rewards', at: READ })).balance.available);
          const spend = Math.floor((balance * spentPct) / 100);
          if (spend > 0) await loyalty.redeem({ customerId: 'c1', programId: 'rewards', requestId: 'spend', points: spend, at: iso(2) });

          const units = order.map(() => 0);
          let amount = 0;
          let complete = false;
          let n = 0;
          const sent: Record<string, unknown>[] = [];
          const send = async (r: Refund) => {
            n += 1;
            const event =
              r.kind === 'lines'
                ? { id: `rf${n}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: iso(10 + n), lines: uniqueLines(r, order.length).map((x) => ({ lineId: `l${x.line}`, quantity: x.qty })) }
                : { id: `rf${n}`, customerId: 'c1', type: 'refund', orderId: 'o1', currency: 'USD', occurredAt: iso(10 + n), amount: cents(r.cents) };
            sent.push(event);
            const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
            expect(result.outcomes[0]?.ok).toBe(true);
            if (r.kind === 'lines') for (const x of uniqueLines(r, order.length)) units[x.line] = Math.min(order[x.line]?.qty ?? 0, (units[x.line] ?? 0) + x.qty);
            else amount += r.cents;
            complete ||= completes(order, units, amount, subtotal);
          };
          const check = async () => {
            const txs = await transactions(loyalty);
            const c = clawed(txs);
            const total = [...c.against.values()].reduce((a, b) => a + b, 0n);
            expect(total <= earned).toBe(true); // never more than the order earned
            expect(c.taken <= total).toBe(true); // never more than the refunded part earned
            for (const lot of lots) {
              const got = c.against.get(lot.id) ?? 0n;
              // Any mix and order of line and amount refunds: the model's cumulative target.
              const want = complete ? lot.earned : modelTarget(lot, order, units, amount, subtotal, rounding);
              expect(`${lot.id} after ${JSON.stringify(units)} + ${amount}: ${got}`).toBe(`${lot.id} after ${JSON.stringify(units)} + ${amount}: ${want}`);
              if (!complete && amount > 0) {
                // Within rounding of one refund by amount of the same money: the lines' allocation
                // (largest remainder over lines, then per unit) is the only other difference.
                const single = singleRefund(lot, order, units, amount, subtotal, rounding);
                const touched = BigInt(units.filter((u) => u > 0).length);
                expect(got >= single - 1n - touched && got <= single + 1n + 2n * touched).toBe(true);
              }
            }
            if (spend === 0) expect(c.taken).toBe(total); // nothing was spent: the points are all still there to take
            if (returns.whenSpent === 'allow_negative' && returns.negativeLimit === undefined) expect(c.taken).toBe(total); // unlimited debt: nothing forgiven
            const view = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: READ });
            const available = num(view.balance.available);
            const debt = num(view.balance.debt);
            if (returns.whenSpent !== 'allow_negative') {
              expect(available).toBeGreaterThanOrEqual(0);
              expect(debt).toBe(0);
            } else if (returns.negativeLimit !== undefined) {
              expect(available).toBeGreaterThanOrEqual(-returns.negativeLimit);
              expect(debt).toBeLessThanOrEqual(returns.negativeLimit);
            }
            expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
            return { total, available, books: JSON.stringify([...(ledgerBalances(txs).get('points') ?? new Map())].map(([k, v]) => [k, v.toString()])) };
          };

          for (const r of refunds) {
            await send(r);
            await check();
          }
          // Refund whatever is left: the order nets to exactly 0.
          if (finishByLines) await send({ kind: 'lines', lines: order.map((l, i) => ({ line: i, qty: l.qty })) });
          else await send({ kind: 'amount', cents: subtotal });
          const done = await check();
          expect(done.total).toBe(earned);
          // Refunding again, or replaying a refund, changes nothing.
          if (extra === 'replay') {
            const again = await loyalty.process((sent[0] ?? {}) as Parameters<typeof loyalty.process>[0]);
            expect(again.replayed).toBe(true);
          } else await send(extra);
          const after = await check();
          expect(after).toEqual(done);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn refund: exact clawback: ${passed} sequences passed`);
  });

  test('per-unit shares in closed form equal the allocation over one weight per unit, for any share, quantity and range', () => {
    announce('burn refund: closed-form unit shares', runs);
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 0n, max: 2_000n }), fc.bigInt({ min: 0n, max: 10n ** 24n })),
        fc.integer({ min: 1, max: 300 }),
        fc.nat({ max: 310 }),
        fc.nat({ max: 310 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (units, quantity, from, count, places, negative) => {
          const share = new Decimal(`${negative ? '-' : ''}${units}`).div(new Decimal(10).pow(places));
          const perUnit = allocateDecimal(share, Array.from({ length: quantity }, () => 1), { places });
          const want = perUnit.slice(from, from + count).reduce((a, b) => a.plus(b), new Decimal(0));
          expect(allocateEqualRange(share, quantity, from, count, { places }).toString()).toBe(want.toString());
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  /** Runs a purchase and then line refunds (one event each), checking each against the line allocation. */
  async function lineRefunds(order: readonly Line[], events: readonly { line: number; qty: number }[][], options: { mayRefuse?: boolean } = {}): Promise<void> {
    const program = programOf({ kind: 'rate', points: 1, per: 1 }, 30, 'floor', { whenSpent: 'allow_negative' });
    const clock = fixedClock(iso(24 * 60));
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: iso(1), lines: order.map((l, i) => ({ lineId: `l${i}`, sku: `s${i}`, quantity: l.qty, unitPrice: cents(l.cents), discount: cents(l.off) })) });
    const lots = modelLots(order, { kind: 'rate', points: 1, per: 1 }, 30, 'floor');
    const units = order.map(() => 0);
    let n = 0;
    for (const lines of events) {
      n += 1;
      const before = (await transactions(loyalty)).length;
      const refused = await loyalty.process({ id: `rf${n}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: iso(10 + n), lines: lines.map((x) => ({ lineId: `l${x.line}`, quantity: x.qty })) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (refused !== undefined) {
        // Refusing the input with a typed error naming the lines (and writing nothing) is as good a fix.
        if (!options.mayRefuse || !(refused instanceof LoyaltyError)) throw refused;
        expect(refused.issues.some((i) => i.path[0] === 'lines')).toBe(true);
        expect((await transactions(loyalty)).length).toBe(before);
        continue;
      }
      for (const x of lines) units[x.line] = Math.min(order[x.line]?.qty ?? 0, (units[x.line] ?? 0) + x.qty);
      const all = order.every((l, i) => (units[i] ?? 0) >= l.qty);
      const c = clawed(await transactions(loyalty));
      for (const lot of lots) {
        const want = all ? lot.earned : lot.perUnit.reduce((sum, u, i) => sum + u.slice(0, units[i]).reduce((a, b) => a + b, 0n), 0n);
        expect(`${lot.id} after ${JSON.stringify(units)}: ${c.against.get(lot.id) ?? 0n}`).toBe(`${lot.id} after ${JSON.stringify(units)}: ${want}`);
      }
    }
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  }

  test('a refund that names the same line twice claws back the units it names, by allocation (or is refused as input)', async () => {
    announce('burn refund: a line named twice in one refund', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(orderArb, fc.nat({ max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), async (order, pick, q1, q2) => {
        const line = pick % order.length;
        await lineRefunds(order, [[{ line, qty: q1 }, { line, qty: q2 }]], { mayRefuse: true });
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn refund: a line named twice in one refund: ${passed} cases passed`);
  });

  test('unit-by-unit refunds of small discounted lines claw back by allocation until the last unit', async () => {
    announce('burn refund: unit-by-unit refunds of small lines', runs);
    let passed = 0;
    const small = fc
      .record({ cents: fc.integer({ min: 1, max: 9 }), qty: fc.integer({ min: 2, max: 4 }), offPct: fc.integer({ min: 0, max: 100 }) })
      .map(({ cents: c, qty, offPct }): Line => ({ cents: c, qty, off: Math.floor(((c * qty - 1) * offPct) / 100) }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(small, { minLength: 1, maxLength: 3 }).chain((order) => {
          const unitsList = order.flatMap((l, i) => Array.from({ length: l.qty }, () => i));
          return fc.tuple(fc.constant(order), fc.shuffledSubarray(unitsList, { minLength: 1, maxLength: unitsList.length - 1 }));
        }),
        async ([order, refundOrder]) => {
          await lineRefunds(
            order,
            refundOrder.map((line) => [{ line, qty: 1 }]),
          );
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn refund: unit-by-unit refunds of small lines: ${passed} cases passed`);
  });
});

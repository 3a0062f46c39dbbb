// RELIABILITY 10 on the memory store, through the service: a reversal or a refund happens at most
// once — reversing twice is refused `already_reversed`, the same refund event twice is a replay,
// units already refunded claw back nothing more, concurrent reversals have one winner — and no
// mix of reversal, refund and cancellation undoes the same points twice.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ledgerBalances } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import type { Entry, Loyalty, RequestResult, Transaction } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { cents, iso, makeService, perDollarProgram, T0, transactions } from './harness';

const program = perDollarProgram;
const target = { customerId: 'c1', programId: 'rewards' } as const;
const READ = new Date(T0 + 10 * 86_400_000);

async function service(): Promise<Loyalty> {
  return (await makeService([program], { now: iso(24 * 60) })).loyalty;
}

async function available(loyalty: Loyalty): Promise<number> {
  return Number((await loyalty.account({ customerId: 'c1', programId: 'rewards', at: READ })).balance.available.toString());
}
async function snapshot(loyalty: Loyalty) {
  const view = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: READ });
  return { available: view.balance.available.toString(), version: view.state.version, txs: (await transactions(loyalty)).length };
}
const code = (r: RequestResult) => (r.outcome.ok ? 'ok' : r.outcome.issues[0]?.code);
const sum = (xs: readonly { amount: Decimal }[]) => xs.reduce((s, x) => s + Number(x.amount.toString()), 0);
const entriesOf = (txs: readonly Transaction[]): Entry[] => txs.flatMap((t) => [...t.entries]);

function purchaseOf(id: string, orderId: string, lines: readonly { cents: number; qty: number }[], minutes: number, extra: Record<string, unknown> = {}) {
  return { id, customerId: 'c1', type: 'purchase', orderId, currency: 'USD', occurredAt: iso(minutes), lines: lines.map((l, i) => ({ lineId: `l${i}`, sku: `s${i}`, quantity: l.qty, unitPrice: cents(l.cents) })), ...extra };
}
const credit = (loyalty: Loyalty, id: string, points: number, minutes: number) => loyalty.adjust({ ...target, requestId: id, points, actor: 'agent:test', reason: 'seed', at: iso(minutes) });

type Kind = 'purchase' | 'credit' | 'debit' | 'redeem';

/** Makes one transaction of the kind to reverse (on top of a seeded balance) and returns its id. */
async function makeTarget(loyalty: Loyalty, kind: Kind, points: number): Promise<string> {
  if (kind === 'purchase') {
    const r = await loyalty.process(purchaseOf('p1', 'o1', [{ cents: points * 100, qty: 1 }], 10) as Parameters<typeof loyalty.process>[0]);
    const o = r.outcomes[0];
    if (!o?.ok || !o.transaction) throw new Error('purchase earned nothing');
    return o.transaction.id;
  }
  const r =
    kind === 'redeem'
      ? await loyalty.redeem({ ...target, requestId: 'x1', points, at: iso(10) })
      : await loyalty.adjust({ ...target, requestId: 'x1', points: kind === 'credit' ? points : -points, actor: 'agent:test', reason: 'test', at: iso(10) });
  if (!r.outcome.ok || !r.outcome.transaction) throw new Error(`${kind} refused`);
  return r.outcome.transaction.id;
}

describe('at most once (RELIABILITY 10)', () => {
  const runs = runsFor(300);

  test('reversing a transaction twice: the second is refused already_reversed and writes nothing', async () => {
    announce('burn once: reverse twice', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Kind>('purchase', 'credit', 'debit', 'redeem'), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 3 }), async (kind, points, spare, extra) => {
        const loyalty = await service();
        const seed = points + spare;
        await credit(loyalty, 'seed', seed, 0);
        const id = await makeTarget(loyalty, kind, points);
        const first = await loyalty.reverse({ ...target, requestId: 'rv-1', transactionId: id, at: iso(20) });
        expect(code(first)).toBe('ok');
        const undone = await snapshot(loyalty);
        expect(undone.available).toBe(String(seed)); // the reversal undid exactly the transaction
        for (let i = 0; i < extra; i++) {
          const again = await loyalty.reverse({ ...target, requestId: `rv-again-${i}`, transactionId: id, at: iso(30 + i) });
          expect(code(again)).toBe('already_reversed');
          const replay = await loyalty.reverse({ ...target, requestId: 'rv-1', transactionId: id, at: iso(20) });
          expect(replay.replayed).toBe(true);
          expect(replay.outcome).toEqual(first.outcome);
          expect(await snapshot(loyalty)).toEqual(undone);
        }
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: reverse twice: ${passed} cases passed`);
  });

  test('concurrent reversals of one transaction with different request ids: exactly one succeeds', async () => {
    announce('burn once: concurrent reversals', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Kind>('purchase', 'credit', 'debit', 'redeem'), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 6 }), async (kind, points, n) => {
        const loyalty = await service();
        await credit(loyalty, 'seed', points, 0);
        const id = await makeTarget(loyalty, kind, points);
        const results = await Promise.all(Array.from({ length: n }, (_, i) => loyalty.reverse({ ...target, requestId: `rv-${i}`, transactionId: id, at: iso(20 + i) })));
        const codes = results.map(code);
        expect(codes.filter((c) => c === 'ok').length).toBe(1);
        expect(codes.filter((c) => c !== 'ok').every((c) => c === 'already_reversed')).toBe(true);
        expect(await available(loyalty)).toBe(points);
        const reversals = (await transactions(loyalty)).filter((t) => t.cause.kind === 'request' && t.cause.operation === 'reverse');
        expect(reversals.length).toBe(1);
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: concurrent reversals: ${passed} cases passed`);
  });

  const lines = fc.array(fc.record({ cents: fc.integer({ min: 100, max: 20_000 }), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 });

  test('the same refund event sent twice (one after the other, or concurrently) is a replay', async () => {
    announce('burn once: refund replay', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(lines, fc.nat(), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer({ min: 2, max: 4 }), fc.boolean(), async (order, pick, qty, byAmount, copies, concurrent) => {
        const loyalty = await service();
        await loyalty.process(purchaseOf('p1', 'o1', order, 10) as Parameters<typeof loyalty.process>[0]);
        const line = pick % order.length;
        const subtotal = order.reduce((s, l) => s + l.cents * l.qty, 0);
        const refund = byAmount
          ? { id: 'rf1', customerId: 'c1', type: 'refund', orderId: 'o1', currency: 'USD', occurredAt: iso(20), amount: cents(Math.max(1, Math.floor(subtotal / (qty + 1)))) }
          : { id: 'rf1', customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: iso(20), lines: [{ lineId: `l${line}`, quantity: qty }] };
        const results = concurrent ? await Promise.all(Array.from({ length: copies }, () => loyalty.process(refund as Parameters<typeof loyalty.process>[0]))) : [];
        if (!concurrent) for (let i = 0; i < copies; i++) results.push(await loyalty.process(refund as Parameters<typeof loyalty.process>[0]));
        expect(results.filter((r) => !r.replayed).length).toBe(1);
        const first = results.find((r) => !r.replayed);
        for (const r of results) expect(r.outcomes).toEqual(first?.outcomes);
        const refunds = (await transactions(loyalty)).filter((t) => t.cause.kind === 'event' && t.cause.eventType === 'refund');
        expect(refunds.length).toBe(1);
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: refund replay: ${passed} cases passed`);
  });

  test('a refund of units already refunded claws back nothing more', async () => {
    announce('burn once: refunded units claw back once', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(lines, fc.array(fc.record({ line: fc.nat(), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 8 }), async (order, refunds) => {
        const loyalty = await service();
        const bought = await loyalty.process(purchaseOf('p1', 'o1', order, 10) as Parameters<typeof loyalty.process>[0]);
        const o = bought.outcomes[0];
        const earn = o?.ok ? o.transaction?.entries.find((e) => e.kind === 'earn') : undefined;
        const shares = new Map((earn?.kind === 'earn' ? (earn.lines ?? []) : []).map((s) => [s.lineId, Number(s.amount.toString())]));
        const refundedUnits = new Map<string, number>();
        const clawedPerLine = new Map<string, number>();
        let i = 0;
        for (const r of refunds) {
          i += 1;
          const lineId = `l${r.line % order.length}`;
          const qty = order[r.line % order.length]?.qty ?? 0;
          const before = refundedUnits.get(lineId) ?? 0;
          const res = await loyalty.process({ id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: iso(20 + i), lines: [{ lineId, quantity: r.qty }] });
          const out = res.outcomes[0];
          expect(out?.ok).toBe(true);
          const claw = out?.ok ? (out.transaction?.entries.filter((e) => e.kind === 'clawback') ?? []) : [];
          const took = claw.reduce((s, e) => s + (e.kind === 'clawback' ? sum(e.against) : 0), 0);
          refundedUnits.set(lineId, Math.min(qty, before + r.qty));
          clawedPerLine.set(lineId, (clawedPerLine.get(lineId) ?? 0) + took);
          if (before >= qty) expect(took).toBe(0); // every unit of the line was refunded already
          // Never more than the line earned; exactly what it earned once all its units are back.
          expect(clawedPerLine.get(lineId) ?? 0).toBeLessThanOrEqual(shares.get(lineId) ?? 0);
          const allBack = order.every((l, j) => (refundedUnits.get(`l${j}`) ?? 0) >= l.qty);
          if ((refundedUnits.get(lineId) ?? 0) >= qty && !allBack) expect(clawedPerLine.get(lineId)).toBe(shares.get(lineId) ?? 0);
        }
        const txs = await transactions(loyalty);
        const earned = sum(entriesOf(txs).flatMap((e) => (e.kind === 'earn' ? [e.lot] : [])));
        const clawed = entriesOf(txs).reduce((s, e) => s + (e.kind === 'clawback' ? sum(e.against) : 0), 0);
        expect(clawed).toBeLessThanOrEqual(earned);
        expect(await available(loyalty)).toBe(earned - clawed);
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: refunded units claw back once: ${passed} cases passed`);
  });

  type EarnUndo = 'reverse' | 'refund_lines' | 'refund_amount' | 'refund_part';
  test("a purchase's points are taken back at most once, whatever mix of reversal and refunds undoes it", async () => {
    announce('burn once: reversal + refund of one purchase', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(lines, fc.shuffledSubarray<EarnUndo>(['reverse', 'refund_lines', 'refund_amount', 'refund_part'], { minLength: 2 }), async (order, undo) => {
        const loyalty = await service();
        const bought = await loyalty.process(purchaseOf('p1', 'o1', order, 10) as Parameters<typeof loyalty.process>[0]);
        const o = bought.outcomes[0];
        if (!o?.ok || !o.transaction) throw new Error('purchase refused');
        const earned = sum(o.transaction.entries.flatMap((e) => (e.kind === 'earn' ? [e.lot] : [])));
        const subtotal = order.reduce((s, l) => s + l.cents * l.qty, 0);
        let i = 0;
        for (const u of undo) {
          i += 1;
          const at = iso(20 + i);
          if (u === 'reverse') expect(code(await loyalty.reverse({ ...target, requestId: `rv${i}`, transactionId: o.transaction.id, at }))).toBe('ok');
          else if (u === 'refund_lines') await loyalty.process({ id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: at, lines: order.map((l, j) => ({ lineId: `l${j}`, quantity: l.qty })) });
          else if (u === 'refund_amount') await loyalty.process({ id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: 'o1', currency: 'USD', occurredAt: at, amount: cents(subtotal) });
          else await loyalty.process({ id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: at, lines: [{ lineId: 'l0', quantity: 1 }] });
          const txs = await transactions(loyalty);
          const clawed = entriesOf(txs).reduce((s, e) => s + (e.kind === 'clawback' ? sum(e.draws) + Number(e.debt.toString()) : 0), 0);
          expect(clawed).toBeLessThanOrEqual(earned); // never taken back twice
          expect(await available(loyalty)).toBeGreaterThanOrEqual(0); // nothing was spent: no debt can arise
        }
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: reversal + refund of one purchase: ${passed} cases passed`);
  });

  type RedeemUndo = 'cancel' | 'reverse' | 'refund';
  test('a redemption gives its points back at most once, whatever mix of cancel, reversal and refund of its order undoes it', async () => {
    announce('burn once: cancel + reverse + refund of one redemption', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 500 }), lines, fc.shuffledSubarray<RedeemUndo>(['cancel', 'reverse', 'refund'], { minLength: 2 }), async (r, spare, order, undo) => {
        const loyalty = await service();
        await credit(loyalty, 'seed', r + spare, 0);
        const red = await loyalty.redeem({ ...target, requestId: 'r1', points: r, orderId: 'o1', at: iso(5) });
        if (!red.outcome.ok || !red.outcome.transaction) throw new Error('redeem refused');
        const redemption = red.outcome.transaction.id;
        await loyalty.process(purchaseOf('p1', 'o1', order, 6, { pointsRedeemed: r }) as Parameters<typeof loyalty.process>[0]);
        let i = 0;
        for (const u of undo) {
          i += 1;
          const at = iso(20 + i);
          if (u === 'cancel') await loyalty.cancelRedemption({ ...target, requestId: `cx${i}`, transactionId: redemption, at });
          else if (u === 'reverse') await loyalty.reverse({ ...target, requestId: `rv${i}`, transactionId: redemption, at });
          else await loyalty.process({ id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: at, lines: order.map((l, j) => ({ lineId: `l${j}`, quantity: l.qty })) });
          const txs = await transactions(loyalty);
          const restored = entriesOf(txs).reduce((s, e) => s + (e.kind === 'restore' && e.of === redemption ? sum(e.draws) + sum(e.expired) : 0), 0);
          expect(restored).toBeLessThanOrEqual(r); // never given back twice
          const redeemed = ledgerBalances(txs).get('points')?.get('redeemed') ?? new Decimal(0);
          expect(redeemed.isNegative()).toBe(false);
        }
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn once: cancel + reverse + refund of one redemption: ${passed} cases passed`);
  });
});

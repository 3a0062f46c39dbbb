import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import {
  adjust,
  balanceAt,
  cancelRedemption,
  capture,
  hold,
  parseEvent,
  quote,
  redeem,
  release,
  reverse,
  tick,
} from '../../src/core';
import {
  adjustRequestSchema,
  cancelRequestSchema,
  captureRequestSchema,
  holdRequestSchema,
  quoteRequestSchema,
  redeemRequestSchema,
  releaseRequestSchema,
  reverseRequestSchema,
} from '../../src/schemas';
import type { Decision } from '../../src/core';
import { earned, pointsProgram } from '../fixtures';
import { Ledger } from '../harness';

const perDollar = { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } };

const order = (id: string, lines: { lineId: string; unitPrice: string; quantity?: number }[], at = '2027-03-10T15:00:00Z', extra: Record<string, unknown> = {}) =>
  parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at, lines: lines.map((l) => ({ sku: l.lineId, quantity: 1, ...l })), ...extra });
const refund = (id: string, orderId: string, body: Record<string, unknown>, at = '2027-03-12T15:00:00Z') =>
  parseEvent({ id, customerId: 'c1', type: 'refund', orderId, occurredAt: at, ...body });
const clawed = (d: Decision): string => {
  if (!d.ok || !d.transaction) return '0';
  let sum = 0n;
  for (const e of d.transaction.entries) if (e.kind === 'clawback') for (const a of e.against) sum += BigInt(a.amount.toFixed(0));
  return sum.toString();
};

describe('checkout quote (SPEC §3)', () => {
  test('1,250 points at 100 = $1.00 with a 50% cap on an $18.00 order quote 900 points = $9.00, naming the cap', () => {
    const program = pointsProgram({ redemption: { pointsPerUnit: 100, maxShare: '0.5' } });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'seed', points: 1250, actor: 'test', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    const q = quote(program, l.account, quoteRequestSchema.parse({ order: { currency: 'USD', lines: [{ lineId: '1', sku: 'x', quantity: 1, unitPrice: '18.00' }] }, points: 1250, at: '2027-03-02T00:00:00Z' }));
    expect([q.points.toString(), q.discount.toFixed(2)]).toEqual(['900', '9.00']);
    expect(q.clamps.map((c) => c.reason)).toEqual(['max_share']);
    const max = quote(program, l.account, quoteRequestSchema.parse({ order: { currency: 'USD', lines: [{ lineId: '1', sku: 'x', quantity: 1, unitPrice: '18.00' }] }, points: 'max', at: '2027-03-02T00:00:00Z' }));
    expect(max.points.toString()).toBe('900');
  });

  test('min, step and max clamp with their reasons; excluded lines, shipping and tax are outside the share', () => {
    const program = pointsProgram({ redemption: { pointsPerUnit: 100, minPoints: 500, step: 100, maxPoints: 2000, exclude: { categories: ['gift-card'] } } });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'seed', points: 5000, actor: 'test', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    const lines = [{ lineId: '1', sku: 'x', quantity: 1, unitPrice: '30.00' }, { lineId: '2', sku: 'g', quantity: 1, unitPrice: '50.00', categories: ['gift-card'] }];
    const at = '2027-03-02T00:00:00Z';
    const q = (points: number | 'max') => quote(program, l.account, quoteRequestSchema.parse({ order: { currency: 'USD', lines, shipping: '10', tax: '5' }, points, at }));
    expect(q('max').points.toString()).toBe('2000');
    expect(q('max').clamps.map((c) => c.reason)).toEqual(['max_points']);
    expect(q(2950).clamps.map((c) => c.reason)).toEqual(['max_points']);
    expect(q(750).points.toString()).toBe('700');
    expect(q(750).clamps.map((c) => c.reason)).toEqual(['step']);
    expect(q(400).points.toString()).toBe('0');
    expect(q(400).clamps.map((c) => c.reason)).toEqual(['min_points']);
    const small = pointsProgram({ redemption: { pointsPerUnit: 100 } });
    const s = new Ledger(small);
    s.apply(adjust(small, s.account, adjustRequestSchema.parse({ requestId: 'seed', points: 5000, actor: 't', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    const capped = quote(small, s.account, quoteRequestSchema.parse({ order: { currency: 'USD', lines, shipping: '10', tax: '5' }, points: 'max', at }));
    expect([capped.points.toString(), capped.discount.toFixed(2), capped.clamps.map((c) => c.reason).join()]).toEqual(['5000', '50.00', '']);
  });

  test('typed rejections: insufficient points, below minimum, not a multiple of the step', () => {
    const program = pointsProgram({ redemption: { minPoints: 500, step: 100 } });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'seed', points: 800, actor: 'test', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    const at = '2027-03-02T00:00:00Z';
    const code = (points: number) => {
      const d = redeem(program, l.account, redeemRequestSchema.parse({ requestId: `r${points}`, points, at }));
      return d.ok ? 'ok' : d.issues[0].code;
    };
    expect([code(900), code(400), code(550), code(600)]).toEqual(['insufficient_points', 'below_minimum', 'not_step_multiple', 'ok']);
  });
});

describe('refunds claw back by allocation (SPEC §2b, §5)', () => {
  test('$50 × 1, $30 × 2, $10 × 1 earns 120; one $30 unit back claws 30; the rest nets the order to 0; again changes nothing', () => {
    const l = new Ledger(pointsProgram({ rules: [perDollar] }));
    const buy = l.event(order('A', [{ lineId: 'a', unitPrice: '50.00' }, { lineId: 'b', unitPrice: '30.00', quantity: 2 }, { lineId: 'c', unitPrice: '10.00' }]));
    expect(earned(buy)).toBe('120');
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'b', quantity: 1 }] })))).toBe('30');
    expect(l.available('2027-03-13T00:00:00Z')).toBe('90');
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 1 }, { lineId: 'b', quantity: 1 }, { lineId: 'c', quantity: 1 }] })))).toBe('90');
    expect(l.available('2027-03-13T00:00:00Z')).toBe('0');
    const again = l.event(refund('r3', 'A', { lines: [{ lineId: 'b', quantity: 2 }] }));
    expect(again.ok && again.transaction).toBe(null);
    l.check();
  });

  test('"10 per full $50" on $30 + $30 + $40 earns 20; refunding the $40 line claws back 8, not 10 or 0', () => {
    const l = new Ledger(pointsProgram({ rules: [{ id: 'fifty', on: 'purchase', award: { kind: 'per_amount', points: 10, per: 50, whole: true } }] }));
    expect(earned(l.event(order('B', [{ lineId: 'x', unitPrice: '30' }, { lineId: 'y', unitPrice: '30' }, { lineId: 'z', unitPrice: '40' }])))).toBe('20');
    expect(clawed(l.event(refund('r1', 'B', { lines: [{ lineId: 'z', quantity: 1 }] })))).toBe('8');
  });

  test('a refund by a quarter of the eligible amount claws back a quarter of the points, rounded as configured; the completing refund takes what is left', () => {
    const l = new Ledger(pointsProgram({ rules: [perDollar], rounding: 'floor' }));
    expect(earned(l.event(order('C', [{ lineId: 'x', unitPrice: '99.00' }])))).toBe('99');
    expect(clawed(l.event(refund('r1', 'C', { amount: '24.75', currency: 'USD' })))).toBe('24'); // 24.75 → floor 24
    expect(clawed(l.event(refund('r2', 'C', { amount: '24.75', currency: 'USD' })))).toBe('25'); // half: 49.5 → 49, less 24
    expect(clawed(l.event(refund('r3', 'C', { amount: '49.50', currency: 'USD' })))).toBe('50'); // completes: exactly what is left
    expect(l.available('2027-03-13T00:00:00Z')).toBe('0');
    const halfUp = new Ledger(pointsProgram({ rules: [perDollar], rounding: 'half-up' }));
    halfUp.event(order('D', [{ lineId: 'x', unitPrice: '99.00' }]));
    expect(clawed(halfUp.event(refund('r1', 'D', { amount: '24.75', currency: 'USD' })))).toBe('25');
    l.check();
  });

  test('line-then-amount claws back what one refund of the same total would: $50 + $50 earn 100; line a, then $49.99, leaves 1 (99 = floor 99.99), not 50', () => {
    const l = new Ledger(pointsProgram({ rules: [perDollar], rounding: 'floor' }));
    expect(earned(l.event(order('A', [{ lineId: 'a', unitPrice: '50.00' }, { lineId: 'b', unitPrice: '50.00' }])))).toBe('100');
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toBe('50');
    expect(clawed(l.event(refund('r2', 'A', { amount: '49.99', currency: 'USD' })))).toBe('49'); // target floor(100 × 99.99 / 100) = 99, less 50
    expect(l.available('2027-03-13T00:00:00Z')).toBe('1');
    // The other order ends in the same place.
    const m = new Ledger(pointsProgram({ rules: [perDollar], rounding: 'floor' }));
    m.event(order('A', [{ lineId: 'a', unitPrice: '50.00' }, { lineId: 'b', unitPrice: '50.00' }]));
    expect(clawed(m.event(refund('r1', 'A', { amount: '49.99', currency: 'USD' })))).toBe('49');
    expect(clawed(m.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toBe('50');
    expect(m.available('2027-03-13T00:00:00Z')).toBe('1');
    // Completing takes exactly what is left.
    expect(clawed(l.event(refund('r3', 'A', { lines: [{ lineId: 'b', quantity: 1 }] })))).toBe('1');
    expect(l.available('2027-03-13T00:00:00Z')).toBe('0');
    l.check();
    m.check();
  });

  test('amount-then-line never claws back more than one refund of the same total: 3 per $2 on 2 × $1 + $1 earns 4 (3 / 1; 2 / 1 per unit); $1 then one unit takes 2, not 3', () => {
    const l = new Ledger(pointsProgram({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 3, per: 2 } }], rounding: 'floor' }));
    expect(earned(l.event(order('A', [{ lineId: 'a', unitPrice: '1.00', quantity: 2 }, { lineId: 'b', unitPrice: '1.00' }])))).toBe('4');
    expect(clawed(l.event(refund('r1', 'A', { amount: '1.00', currency: 'USD' })))).toBe('1'); // floor(4 / 3)
    // Target floor(4 × 1/3 + 3 × 1/2) = floor(2.83) = 2 (the line's unit is worth 2 by allocation, so 2 either way), less 1.
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toBe('1');
    expect(l.available('2027-03-13T00:00:00Z')).toBe('2');
    const m = new Ledger(pointsProgram({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 3, per: 2 } }], rounding: 'floor' }));
    m.event(order('A', [{ lineId: 'a', unitPrice: '1.00', quantity: 2 }, { lineId: 'b', unitPrice: '1.00' }]));
    expect(clawed(m.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toBe('2');
    expect(clawed(m.event(refund('r2', 'A', { amount: '1.00', currency: 'USD' })))).toBe('0');
    expect(m.available('2027-03-13T00:00:00Z')).toBe('2');
    l.check();
    m.check();
  });

  test('a line of the maximum quantity (1,000,000 units): one unit back claws exactly its per-unit share, in O(lines)', () => {
    // $10,000.00 + $9,999.99 at 3 per $2 earns floor(29,999.985) = 29,999, split 15,000 / 14,999.
    const l = new Ledger(pointsProgram({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 3, per: 2 } }], rounding: 'floor' }));
    expect(earned(l.event(order('A', [{ lineId: 'a', unitPrice: '0.01', quantity: 1_000_000 }, { lineId: 'b', unitPrice: '0.01', quantity: 999_999 }])))).toBe('29999');
    // Per unit, largest remainder with ties to the earlier unit: a's first 15,000 units get 1, the rest 0; b's first 14,999.
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toBe('1');
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 20_000 }] })))).toBe('14999');
    expect(clawed(l.event(refund('r3', 'A', { lines: [{ lineId: 'b', quantity: 14_998 }] })))).toBe('14998');
    expect(clawed(l.event(refund('r4', 'A', { lines: [{ lineId: 'b', quantity: 2 }] })))).toBe('1');
    l.check();
  });

  test('an order paid partly with points, refunded in half, gives back half of those points with their original expiry', () => {
    const program = pointsProgram({ expiry: { kind: 'rolling', months: 12 } });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'seed', points: 1000, actor: 'test', reason: 'seed', at: '2027-01-15T12:00:00Z' })));
    const lotExpiry = l.account.lots[0]?.expiresAt?.toISOString();
    l.apply(redeem(program, l.account, redeemRequestSchema.parse({ requestId: 'pay', points: 600, orderId: 'E', at: '2027-03-10T14:00:00Z' })));
    l.event(order('E', [{ lineId: 'x', unitPrice: '20.00' }, { lineId: 'y', unitPrice: '20.00' }], '2027-03-10T15:00:00Z', { pointsRedeemed: '600' }));
    expect(l.available('2027-03-11T00:00:00Z')).toBe('400');
    const d = l.event(refund('r1', 'E', { lines: [{ lineId: 'x', quantity: 1 }] }));
    const restored = d.ok ? d.transaction?.entries.find((e) => e.kind === 'restore') : undefined;
    expect(restored?.kind === 'restore' && restored.draws.map((x) => [x.amount.toString(), x.terms.expiresAt?.toISOString()])).toEqual([['300', lotExpiry]]);
    expect(l.available('2027-03-13T00:00:00Z')).toBe('700');
    expect(l.account.lots.find((x) => x.id === 'adjust:seed')?.expiresAt?.toISOString()).toBe(lotExpiry);
    l.check();
  });
});

describe('redemption, cancellation, expiry reads', () => {
  test('a redemption restored after one of its lots expired does not bring back the expired points', () => {
    const program = pointsProgram({ expiry: { kind: 'rolling', days: 30 } });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'old', points: 100, actor: 't', reason: 'seed', at: '2027-01-01T00:00:00Z' })));
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'new', points: 100, actor: 't', reason: 'seed', at: '2027-01-20T00:00:00Z' })));
    const r = l.apply(redeem(program, l.account, redeemRequestSchema.parse({ requestId: 'r', points: 150, at: '2027-01-25T00:00:00Z' })));
    if (!r.ok || !r.transaction) throw new Error('redeem failed');
    const redeemEntry = r.transaction.entries[0];
    expect(redeemEntry?.kind === 'redeem' && redeemEntry.draws.map((x) => [x.lot, x.amount.toString()])).toEqual([['adjust:old', '100'], ['adjust:new', '50']]); // soonest-expiring first
    const c = l.apply(cancelRedemption(program, l.account, cancelRequestSchema.parse({ requestId: 'c', transactionId: r.transaction.id, at: '2027-02-05T00:00:00Z' }), r.transaction));
    const restore = c.ok ? c.transaction?.entries.find((e) => e.kind === 'restore') : undefined;
    expect(restore?.kind === 'restore' && [restore.draws.map((x) => x.amount.toString()), restore.expired.map((x) => x.amount.toString())]).toEqual([['50'], ['100']]);
    expect(l.available('2027-02-05T00:00:00Z')).toBe('100');
    const twice = cancelRedemption(program, l.account, cancelRequestSchema.parse({ requestId: 'c2', transactionId: r.transaction.id, at: '2027-02-05T00:00:00Z' }), r.transaction);
    expect(twice.ok ? 'ok' : twice.issues[0].code).toBe('already_cancelled');
    l.check();
  });

  test('reads are as of an instant: with no tick, a lot past its expiry cannot be redeemed and a released pending lot can', () => {
    const program = pointsProgram({ pending: { purchaseDays: 30 }, expiry: { kind: 'rolling', days: 20 }, rules: [{ ...perDollar, expiry: { kind: 'never' } }] });
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'soon', points: 100, actor: 't', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    l.event(order('P', [{ lineId: 'x', unitPrice: '50.00' }], '2027-03-01T00:00:00Z'));
    const at = (t: string, points: number) => {
      const d = redeem(program, l.account, redeemRequestSchema.parse({ requestId: `r-${t}-${points}`, points, at: t }));
      return d.ok ? 'ok' : d.issues[0].code;
    };
    // Earned 28 Feb 19:00 EST; 20 days in New York keep the wall clock across DST: 20 Mar 19:00 EDT = 23:00Z.
    expect(at('2027-03-20T22:59:59Z', 100)).toBe('ok');
    expect(at('2027-03-20T23:00:00Z', 1)).toBe('insufficient_points'); // an expiry at t is gone at t; the purchase is still pending
    expect(at('2027-03-30T22:59:59Z', 50)).toBe('insufficient_points');
    expect(at('2027-03-30T23:00:00Z', 50)).toBe('ok'); // released at its instant (30 days), no tick run
    expect(at('2027-03-30T23:00:00Z', 51)).toBe('insufficient_points');
  });
});

describe('two-phase redemption', () => {
  const program = pointsProgram({ redemption: { holdMinutes: 15 } });
  const seeded = () => {
    const l = new Ledger(program);
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'seed', points: 1000, actor: 't', reason: 'seed', at: '2027-03-01T00:00:00Z' })));
    return l;
  };

  test('a hold counts against the balance, is captured in part and released in part', () => {
    const l = seeded();
    l.apply(hold(program, l.account, holdRequestSchema.parse({ requestId: 'h1', points: 600, at: '2027-03-02T10:00:00Z' })));
    expect(l.available('2027-03-02T10:01:00Z')).toBe('400');
    expect(balanceAt(l.account, new Date('2027-03-02T10:01:00Z')).held.toString()).toBe('600');
    l.apply(capture(program, l.account, captureRequestSchema.parse({ requestId: 'c1', holdId: 'h1', points: 250, at: '2027-03-02T10:05:00Z' })));
    expect(l.available('2027-03-02T10:06:00Z')).toBe('400');
    l.apply(release(program, l.account, releaseRequestSchema.parse({ requestId: 'x1', holdId: 'h1', at: '2027-03-02T10:06:00Z' })));
    expect(l.available('2027-03-02T10:07:00Z')).toBe('750');
    expect(l.account.holds).toEqual([]);
    l.check();
  });

  test('a hold that times out gives its points back (as of its instant, and through tick)', () => {
    const l = seeded();
    l.apply(hold(program, l.account, holdRequestSchema.parse({ requestId: 'h2', points: 600, at: '2027-03-02T10:00:00Z' })));
    expect(l.available('2027-03-02T10:14:59Z')).toBe('400');
    expect(l.available('2027-03-02T10:15:00Z')).toBe('1000');
    const late = capture(program, l.account, captureRequestSchema.parse({ requestId: 'c2', holdId: 'h2', at: '2027-03-02T10:15:00Z' }));
    expect(late.ok ? 'ok' : late.issues[0].code).toBe('hold_expired');
    l.apply(tick(program, l.account, new Date('2027-03-02T10:15:00Z')));
    expect(l.account.holds).toEqual([]);
    expect(l.available('2027-03-02T10:15:00Z')).toBe('1000');
    l.check();
  });
});

describe('adjustments and reversal', () => {
  test('a manual adjustment records its actor and reason', () => {
    const program = pointsProgram();
    const l = new Ledger(program);
    const d = l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'a1', points: 250, actor: 'agent:kim', reason: 'late delivery', at: '2027-03-01T00:00:00Z' })));
    const entry = d.ok ? d.transaction?.entries[0] : undefined;
    expect(entry?.kind === 'adjust' && [entry.direction, entry.actor, entry.reason, entry.lot?.amount.toString()]).toEqual(['credit', 'agent:kim', 'late delivery', '250']);
    expect(d.ok && d.transaction?.cause).toEqual({ kind: 'request', requestId: 'a1', operation: 'adjust', actor: 'agent:kim' });
    const debit = l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'a2', points: -100, actor: 'agent:kim', reason: 'correction', at: '2027-03-02T00:00:00Z' })));
    expect(debit.ok).toBe(true);
    expect(l.available('2027-03-03T00:00:00Z')).toBe('150');
    l.check();
  });

  test('reverse undoes a transaction once; the second reversal is refused', () => {
    const program = pointsProgram({ rules: [perDollar] });
    const l = new Ledger(program);
    const buy = l.event(order('R', [{ lineId: 'x', unitPrice: '40.00' }]));
    if (!buy.ok || !buy.transaction) throw new Error('purchase failed');
    const first = l.apply(reverse(program, l.account, reverseRequestSchema.parse({ requestId: 'rv1', transactionId: buy.transaction.id, at: '2027-03-11T00:00:00Z' }), buy.transaction));
    expect(first.ok).toBe(true);
    expect(l.available('2027-03-12T00:00:00Z')).toBe('0');
    expect(l.account.stats.orderCount).toBe(0);
    const second = reverse(program, l.account, reverseRequestSchema.parse({ requestId: 'rv2', transactionId: buy.transaction.id, at: '2027-03-12T00:00:00Z' }), buy.transaction);
    expect(second.ok ? 'ok' : second.issues[0].code).toBe('already_reversed');
    l.check();
  });
});

describe('reversal and program kinds', () => {
  test("a transaction carrying a kind's state (a membership step) is not reversible: a refund or the kind's own events undo it", () => {
    const program = defineProgram({
      kind: 'paid',
      id: 'plus',
      version: 1,
      currency: 'USD',
      timeZone: 'America/New_York',
      membership: { fee: '12.99', period: 'month', trialDays: 30 },
    });
    const l = new Ledger(program);
    const started = l.event(parseEvent({ id: 'm1', customerId: 'c1', type: 'membership_started', trial: true, occurredAt: '2027-01-31T15:00:00Z' }));
    if (!started.ok || !started.transaction) throw new Error('membership did not start');
    const d = reverse(program, l.account, reverseRequestSchema.parse({ requestId: 'rv', transactionId: started.transaction.id, at: '2027-02-01T00:00:00Z' }), started.transaction);
    expect(d.ok ? 'ok' : d.issues[0].code).toBe('not_reversible');
  });
});

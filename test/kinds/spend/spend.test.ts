// The spend kind (SPEC §1, §2b, §5): cash-back / store credit in money, and Kohl's-style progress.
// Every figure here is worked by hand in the comments; every step's ledger is checked (verifyFold).
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore, ProgramConfigError } from '../../../src';
import { balanceAt, nextDueAt, orderIdsOf, parseEvent, quote, redeem } from '../../../src/core';
import { quoteRequestSchema, redeemRequestSchema } from '../../../src/schemas';
import { Ledger as Harness } from '../../harness';
import type { Entry, Program, ProgramConfigInput } from '../../../src';
import type { Decision, ProgressState } from '../../../src/core';
import type { CheckoutOrderInput } from '../../../src/schemas';

type SpendInput = Extract<ProgramConfigInput, { kind: 'spend' }>;
const ZONE = 'America/New_York';

function spendProgram(overrides: Partial<SpendInput> = {}): Program {
  return defineProgram({ kind: 'spend', id: 'cash', version: 1, currency: 'USD', timeZone: ZONE, ...overrides } as SpendInput);
}

/** A ledger over the pure core (no customer profile): checks the fold after each step; balances in the program's credit. */
class Ledger extends Harness {
  constructor(program: Program) {
    super(program, { who: null, checkEachStep: true, ofOrder: (tx, orderId) => orderIdsOf(tx).has(orderId) });
  }
  balance(at: string): { available: string; pending: string } {
    const b = balanceAt(this.account, new Date(at), `credit:${this.program.config.currency}`);
    return { available: b.available.toString(), pending: b.pending.toString() };
  }
  get progress(): ProgressState | undefined {
    const p = this.account.kinds.progress;
    return p?.kind === 'progress' ? p : undefined;
  }
}

interface Line {
  lineId: string;
  unitPrice: string;
  quantity?: number;
  categories?: string[];
  discount?: string;
}
const T0 = '2027-03-10T15:00:00Z';
const order = (id: string, lines: Line[], at = T0, extra: Record<string, unknown> = {}) =>
  parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at, lines: lines.map((l) => ({ sku: l.lineId, quantity: 1, ...l })), ...extra });
const refund = (id: string, orderId: string, body: Record<string, unknown>, at = '2027-03-12T15:00:00Z') => parseEvent({ id, customerId: 'c1', type: 'refund', orderId, occurredAt: at, ...body });
const entriesOf = (d: Decision): readonly Entry[] => (d.ok && d.transaction ? d.transaction.entries : []);
const earns = (d: Decision) => entriesOf(d).flatMap((e) => (e.kind === 'earn' ? [e] : []));
const earnedCredit = (d: Decision) => earns(d).map((e) => [e.lot.id, e.unit, e.lot.amount.toString()]);
const clawed = (d: Decision) => entriesOf(d).flatMap((e) => (e.kind === 'clawback' ? e.against.map((a) => [a.lot, a.amount.toString()]) : []));
const code = (d: Decision) => (d.ok ? 'ok' : d.issues[0].code);

describe('cash-back credit (SPEC §1 spend, §2b rounding)', () => {
  test('5% back on $80.00 earns $4.00 of credit: one credit:USD lot, split over the lines, and a credit.earned notice', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    const d = l.event(order('A', [{ lineId: 'shoes', unitPrice: '50.00' }, { lineId: 'belt', unitPrice: '30.00' }]));
    expect(earnedCredit(d)).toEqual([['A:credit', 'credit:USD', '4']]);
    const earn = earns(d)[0];
    expect(earn?.ruleId).toBe('credit');
    expect(earn?.lines?.map((s) => [s.lineId, s.amount.toFixed(2)])).toEqual([['shoes', '2.50'], ['belt', '1.50']]);
    expect(d.ok && d.notifications.map((n) => (n.type === 'credit.earned' ? [n.type, n.amount.toFixed(2), n.currency, n.pending.toString()] : [n.type]))).toEqual([['credit.earned', '4.00', 'USD', '0']]);
    expect(l.balance('2027-03-10T15:00:00Z')).toEqual({ available: '4', pending: '0' });
  });

  test('in JPY, 5% of ¥1,999 is ¥99.95: ¥100 under half-up, ¥99 under floor (and down); ceil and half-even give ¥100', () => {
    const yen = (rounding: 'half-up' | 'floor' | 'down' | 'ceil' | 'half-even') => {
      const l = new Ledger(spendProgram({ currency: 'JPY', credit: { percent: 5, rounding } }));
      const d = l.event(parseEvent({ id: `j-${rounding}`, customerId: 'c1', type: 'purchase', orderId: 'J', currency: 'JPY', occurredAt: T0, lines: [{ lineId: 'l', sku: 'l', quantity: 1, unitPrice: '1999' }] }));
      return earns(d).map((e) => `${e.unit} ${e.lot.amount.toString()}`)[0];
    };
    expect(yen('half-up')).toBe('credit:JPY 100');
    expect(yen('floor')).toBe('credit:JPY 99');
    expect([yen('down'), yen('ceil'), yen('half-even')]).toEqual(['credit:JPY 99', 'credit:JPY 100', 'credit:JPY 100']);
  });

  test('the order is rounded once, not line by line: three $0.10 lines at 5% earn $0.02 (0.015 half-up), split 0.01 / 0.01 / 0.00', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    const d = l.event(order('B', [{ lineId: 'a', unitPrice: '0.10' }, { lineId: 'b', unitPrice: '0.10' }, { lineId: 'c', unitPrice: '0.10' }]));
    expect(earnedCredit(d)).toEqual([['B:credit', 'credit:USD', '0.02']]);
    expect(earns(d)[0]?.lines?.map((s) => s.amount.toFixed(2))).toEqual(['0.01', '0.01', '0.00']);
  });

  test('per-category rates: a line earns the highest percent of its categories, else the base; a 0% category earns nothing', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5, categoryPercents: { grocery: 2, featured: 10, clearance: 0 } } }));
    const d = l.event(
      order('C', [
        { lineId: 'shoes', unitPrice: '100.00' }, // 5%: 5.00
        { lineId: 'milk', unitPrice: '50.00', categories: ['grocery'] }, // 2%: 1.00
        { lineId: 'tea', unitPrice: '20.00', categories: ['grocery', 'featured'] }, // highest, 10%: 2.00
        { lineId: 'sock', unitPrice: '9.99', categories: ['clearance'] }, // 0%
      ]),
    );
    expect(earnedCredit(d)).toEqual([['C:credit', 'credit:USD', '8']]);
    expect(earns(d)[0]?.lines?.map((s) => s.amount.toFixed(2))).toEqual(['5.00', '1.00', '2.00', '0.00']);
  });

  test('a category named like an Object.prototype member earns the base percent', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    const d = l.event(order('P', [{ lineId: 'x', unitPrice: '20.00', categories: ['constructor', 'toString', '__proto__'] }]));
    expect(earnedCredit(d)).toEqual([['P:credit', 'credit:USD', '1']]);
  });

  test('exclusions, discounts, shipping and tax never earn; credit redeemed on the order nets its eligible spend 1:1', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 10 }, eligibility: { exclude: { categories: ['gift-card'] } } }));
    const d = l.event(
      order('D', [{ lineId: 'coat', unitPrice: '120.00', discount: '20.00' }, { lineId: 'gift', unitPrice: '50.00', categories: ['gift-card'] }], T0, { shipping: '8.00', tax: '12.00', pointsRedeemed: '30.00' }),
    );
    // (120 − 20 − 30 of credit used) × 10% = 7.00; the gift card, shipping and tax earn nothing.
    expect(earnedCredit(d)).toEqual([['D:credit', 'credit:USD', '7']]);
    expect(earns(d)[0]?.lines?.map((s) => s.amount.toFixed(2))).toEqual(['7.00', '0.00']);
  });

  test('config: a spend program gives credit or progress; its credit is money (pointsPerUnit 1); rule ids credit/reward are reserved; rewards fit the currency', () => {
    const issue = (config: Record<string, unknown>) => {
      try {
        defineProgram({ kind: 'spend', id: 'x', version: 1, currency: 'USD', timeZone: 'UTC', ...config } as SpendInput);
        return 'ok';
      } catch (error) {
        if (!(error instanceof ProgramConfigError)) throw error;
        return error.issues.map((i) => i.code).join();
      }
    };
    expect(issue({})).toBe('spend_shape');
    expect(issue({ credit: { percent: 5 }, redemption: { pointsPerUnit: 100 } })).toBe('spend_rate');
    expect(issue({ credit: { percent: 5 }, redemption: { maxShare: '0.5' } })).toBe('ok');
    expect(issue({ credit: { percent: 5 }, rules: [{ id: 'credit', on: 'signup', award: { kind: 'fixed', points: 1 } }] })).toBe('reserved_rule_id');
    expect(issue({ credit: { percent: 5 }, rules: [{ id: 'reward:1', on: 'signup', award: { kind: 'fixed', points: 1 } }] })).toBe('reserved_rule_id');
    expect(issue({ credit: { percent: 101 } })).toBe('invalid_percent');
    expect(issue({ currency: 'JPY', progress: { threshold: 100, reward: '5.5' } })).toBe('too_many_decimals');
    expect(spendProgram({ credit: { percent: 5 } }).config.redemption.pointsPerUnit.toString()).toBe('1');
  });
});

describe('spending credit on a later order (SPEC §3)', () => {
  const basket: CheckoutOrderInput = { currency: 'USD', lines: [{ lineId: '1', sku: 'x', quantity: 1, unitPrice: '3.00' }], shipping: '5.00' };

  test('pure core: the quote is capped by the order amount (order_amount), then a redemption burns credit in cents', () => {
    const program = spendProgram({ credit: { percent: 5 } });
    const l = new Ledger(program);
    l.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    const at = '2027-03-11T12:00:00Z';
    const q = quote(program, l.account, quoteRequestSchema.parse({ order: basket, points: 'max', at }));
    expect([q.unit, q.available.toString(), q.points.toString(), q.discount.toFixed(2), q.eligibleAmount.toFixed(2)]).toEqual(['credit:USD', '4', '3', '3.00', '3.00']);
    expect(q.clamps.map((c) => c.reason)).toEqual(['order_amount']);
    const ten = quote(program, l.account, quoteRequestSchema.parse({ order: basket, points: 10, at }));
    expect(ten.clamps.map((c) => [c.reason, c.after.toString()])).toEqual([['balance', '4'], ['order_amount', '3']]);

    expect(code(l.redeem({ requestId: 'r0', points: '3.50', orderId: 'B', order: basket, at }))).toBe('exceeds_order_cap');
    expect(code(l.redeem({ requestId: 'r1', points: '0.005', at }))).toBe('invalid_points');
    const paid = l.redeem({ requestId: 'r2', points: '2.50', orderId: 'B', order: basket, at });
    const burnt = entriesOf(paid).find((e) => e.kind === 'redeem');
    expect(burnt?.kind === 'redeem' && [burnt.unit, burnt.draws.map((x) => [x.lot, x.amount.toFixed(2)])]).toEqual(['credit:USD', [['A:credit', '2.50']]]);
    expect(l.balance(at)).toEqual({ available: '1.5', pending: '0' });
    expect(code(l.redeem({ requestId: 'r3', points: '2', at }))).toBe('insufficient_points');
  });

  test('max share of the order applies to credit too', () => {
    const program = spendProgram({ credit: { percent: 5 }, redemption: { maxShare: '0.5' } });
    const l = new Ledger(program);
    l.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    const q = quote(program, l.account, quoteRequestSchema.parse({ order: basket, points: 'max', at: '2027-03-11T12:00:00Z' }));
    expect([q.points.toString(), q.discount.toFixed(2), q.clamps.map((c) => c.reason).join()]).toEqual(['1.5', '1.50', 'max_share']);
  });

  test('through createLoyalty: loyalty.quote and loyalty.redeem (amounts are `points` in the request), the account reads credit, verify is clean', async () => {
    const program = spendProgram({ credit: { percent: 5 } });
    const clock = fixedClock('2027-03-10T15:00:00Z');
    const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const who = { customerId: 'c1', programId: 'cash' };
    const bought = await loyalty.process({ id: 'buy-1', customerId: 'c1', type: 'purchase', orderId: 'A', currency: 'USD', occurredAt: '2027-03-10T15:00:00Z', lines: [{ lineId: 'x', sku: 'x', quantity: 1, unitPrice: '80.00' }] });
    expect(bought.outcomes[0]?.ok && bought.outcomes[0].notifications.map((n) => n.type)).toEqual(['credit.earned']);
    expect((await loyalty.account({ customerId: 'c1', programId: 'cash' })).balance.available.toString()).toBe('4');
    expect(await loyalty.verify({ customerId: 'c1', programId: 'cash' })).toEqual([]);

    clock.set('2027-03-11T12:00:00Z');
    const q = await loyalty.quote({ ...who, order: basket, points: 'max', at: '2027-03-11T12:00:00Z' });
    expect([q.points.toString(), q.discount.toFixed(2), q.clamps.map((c) => c.reason).join()]).toEqual(['3', '3.00', 'order_amount']);
    const over = await loyalty.redeem({ ...who, requestId: 'pay-C', points: '3.50', orderId: 'C', order: basket, at: '2027-03-11T12:00:00Z' });
    expect(over.outcome.ok ? 'ok' : over.outcome.issues[0]?.code).toBe('exceeds_order_cap');
    const r = await loyalty.redeem({ ...who, requestId: 'pay-B', points: '2.50', orderId: 'B', order: basket, at: '2027-03-11T12:00:00Z' });
    expect(r.outcome.ok).toBe(true);
    const view = await loyalty.account({ customerId: 'c1', programId: 'cash' });
    expect([view.balance.available.toString(), view.balances['credit:USD']?.available.toString()]).toEqual(['1.5', '1.5']);
    expect((await loyalty.redeem({ ...who, requestId: 'pay-B', points: '2.50', orderId: 'B', order: basket, at: '2027-03-11T12:00:00Z' })).replayed).toBe(true);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'cash' })).toEqual([]);
  });
});

describe('pending and expiring credit (SPEC §2b, §4, §9)', () => {
  test('credit pending for a 30-day return window (calendar days in New York) is not spendable before its instant; tick releases it', () => {
    const program = spendProgram({ credit: { percent: 5, pendingDays: 30 } });
    const l = new Ledger(program);
    // 1 March 10:00 EST + 30 calendar days = 31 March 10:00 EDT = 14:00Z.
    const d = l.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }], '2027-03-01T15:00:00Z'));
    expect(earns(d)[0]?.lot.availableAt.toISOString()).toBe('2027-03-31T14:00:00.000Z');
    expect(d.ok && d.notifications[0]?.type === 'credit.earned' && d.notifications[0].pending.toString()).toBe('4');
    expect(l.balance('2027-03-31T13:59:59Z')).toEqual({ available: '0', pending: '4' });
    expect(code(redeem(program, l.account, redeemRequestSchema.parse({ requestId: 'early', points: '1', at: '2027-03-31T13:59:59Z' })))).toBe('insufficient_points');
    expect(nextDueAt(program, l.account, new Date('2027-03-01T15:00:00Z'))?.toISOString()).toBe('2027-03-31T14:00:00.000Z');
    expect(l.balance('2027-03-31T14:00:00Z')).toEqual({ available: '4', pending: '0' }); // as of the instant, before any tick
    const t = l.tick('2027-03-31T14:00:00Z');
    expect(entriesOf(t).map((e) => (e.kind === 'release' ? [e.kind, e.unit, e.lot, e.amount.toString()] : [e.kind]))).toEqual([['release', 'credit:USD', 'A:credit', '4']]);
    expect(code(l.redeem({ requestId: 'now', points: '4', at: '2027-03-31T14:00:00Z' }))).toBe('ok');
  });

  test('credit expires: gone at its instant as a read, and tick writes the expiry once', () => {
    const program = spendProgram({ credit: { percent: 5, expiry: { kind: 'rolling', days: 10 } } });
    const l = new Ledger(program);
    // 10 March 10:00 EST + 10 days = 20 March 10:00 EDT = 14:00Z.
    l.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }], '2027-03-10T15:00:00Z'));
    l.redeem({ requestId: 'r', points: '1.25', at: '2027-03-15T12:00:00Z' });
    expect(l.account.lots[0]?.expiresAt?.toISOString()).toBe('2027-03-20T14:00:00.000Z');
    expect(l.balance('2027-03-20T13:59:59Z').available).toBe('2.75');
    expect(l.balance('2027-03-20T14:00:00Z').available).toBe('0');
    const t = l.tick('2027-03-20T14:00:00Z');
    expect(entriesOf(t).flatMap((e) => (e.kind === 'expire' ? [[e.unit, e.draws.map((x) => x.amount.toString()).join()]] : []))).toEqual([['credit:USD', '2.75']]);
    expect(l.account.lots).toEqual([]);
    expect(l.tick('2027-03-20T14:00:00Z').ok && l.txs.length).toBe(3); // a second tick at the same instant writes nothing
  });
});

describe('refunds claw back the credit exactly (SPEC §5)', () => {
  test('by line: the refunded units’ share of the line, per unit, in cents; the refund that completes the order takes what is left; again changes nothing', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    // 3 × $11.11 + $6.67 = $40.00 → $2.00, split 1.67 / 0.33 (largest remainder); the 1.67 is 0.56 / 0.56 / 0.55 per unit.
    const buy = l.event(order('A', [{ lineId: 'a', unitPrice: '11.11', quantity: 3 }, { lineId: 'b', unitPrice: '6.67' }]));
    expect(earns(buy)[0]?.lines?.map((s) => s.amount.toFixed(2))).toEqual(['1.67', '0.33']);
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toEqual([['A:credit', '0.56']]);
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'b', quantity: 1 }] })))).toEqual([['A:credit', '0.33']]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('1.11');
    expect(clawed(l.event(refund('r3', 'A', { lines: [{ lineId: 'a', quantity: 2 }] })))).toEqual([['A:credit', '1.11']]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0');
    const again = l.event(refund('r4', 'A', { lines: [{ lineId: 'a', quantity: 3 }] }));
    expect(again.ok && again.transaction).toBe(null);
  });

  test('by amount: credit × refunded / eligible, rounded in cents with the credit’s rounding; the completing refund takes what is left', () => {
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    l.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    expect(clawed(l.event(refund('r1', 'A', { amount: '10.01', currency: 'USD' })))).toEqual([['A:credit', '0.5']]); // 0.5005 → 0.50
    expect(clawed(l.event(refund('r2', 'A', { amount: '30.00', currency: 'USD' })))).toEqual([['A:credit', '1.5']]); // 2.0005 → 2.00, less 0.50
    expect(clawed(l.event(refund('r3', 'A', { amount: '39.99', currency: 'USD' })))).toEqual([['A:credit', '2']]); // completes
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0');
    const ceil = new Ledger(spendProgram({ credit: { percent: 5, rounding: 'ceil' } }));
    ceil.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    expect(clawed(ceil.event(refund('r1', 'A', { amount: '10.01', currency: 'USD' })))).toEqual([['A:credit', '0.51']]);
  });

  test('mixed line and amount refunds claw back what one refund of the same total would, in either order', () => {
    // $50 + $50 at 5% earns $5.00 (2.50 / 2.50). Line a then $49.00: $99.00 back → 4.95 in all, not 2.50.
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    l.event(order('A', [{ lineId: 'a', unitPrice: '50.00' }, { lineId: 'b', unitPrice: '50.00' }]));
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toEqual([['A:credit', '2.5']]);
    expect(clawed(l.event(refund('r2', 'A', { amount: '49.00', currency: 'USD' })))).toEqual([['A:credit', '2.45']]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0.05');
    // 2 × $0.30 + $0.30 at 5% earns 0.045 → $0.05 (0.03 / 0.02; line a per unit 0.02 / 0.01). $0.30 then one unit of a:
    // $0.60 back → 0.0333 → 0.03 in all (half-up), not 0.02 + 0.02.
    const m = new Ledger(spendProgram({ credit: { percent: 5 } }));
    m.event(order('A', [{ lineId: 'a', unitPrice: '0.30', quantity: 2 }, { lineId: 'b', unitPrice: '0.30' }]));
    expect(clawed(m.event(refund('r1', 'A', { amount: '0.30', currency: 'USD' })))).toEqual([['A:credit', '0.02']]);
    expect(clawed(m.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toEqual([['A:credit', '0.01']]);
    expect(m.balance('2027-03-13T00:00:00Z').available).toBe('0.02');
    // Completing takes exactly what is left.
    expect(clawed(m.event(refund('r3', 'A', { lines: [{ lineId: 'a', quantity: 1 }, { lineId: 'b', quantity: 1 }] })))).toEqual([['A:credit', '0.02']]);
    expect(m.balance('2027-03-13T00:00:00Z').available).toBe('0');
  });

  test('a line of the maximum quantity: one unit back claws back exactly its per-unit share of the credit', () => {
    // 1,000,000 × $0.07 = $70,000.00 at 5% earns $3,500.00: 350,000 cents over 1,000,000 units, 0 each, the first 350,000 get 1 cent.
    const l = new Ledger(spendProgram({ credit: { percent: 5 } }));
    l.event(order('A', [{ lineId: 'a', unitPrice: '0.07', quantity: 1_000_000 }, { lineId: 'b', unitPrice: '1.00' }]));
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toEqual([['A:credit', '0.01']]);
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'a', quantity: 400_000 }] })))).toEqual([['A:credit', '3499.99']]);
  });

  test('a full refund after the credit was spent: the return policy decides (allow_negative books a debt that later credit repays first; available_only forgives)', () => {
    const negative = new Ledger(spendProgram({ credit: { percent: 5 } }));
    negative.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    negative.redeem({ requestId: 'spent', points: '3.00', at: '2027-03-11T12:00:00Z' });
    const back = negative.event(refund('r1', 'A', { lines: [{ lineId: 'x', quantity: 1 }] }));
    const claw = entriesOf(back).find((e) => e.kind === 'clawback');
    expect(claw?.kind === 'clawback' && [claw.unit, claw.draws.map((x) => x.amount.toString()).join(), claw.debt.toString()]).toEqual(['credit:USD', '1', '3']);
    expect(negative.balance('2027-03-13T00:00:00Z').available).toBe('-3');
    const next = negative.event(order('B', [{ lineId: 'y', unitPrice: '100.00' }], '2027-03-14T15:00:00Z'));
    expect(earns(next).map((e) => [e.lot.amount.toString(), e.repaid.toString(), e.lot.remaining.toString()])).toEqual([['5', '3', '2']]);
    expect(negative.balance('2027-03-15T00:00:00Z').available).toBe('2');

    const forgiving = new Ledger(spendProgram({ credit: { percent: 5 }, returns: { whenSpent: 'available_only' } }));
    forgiving.event(order('A', [{ lineId: 'x', unitPrice: '80.00' }]));
    forgiving.redeem({ requestId: 'spent', points: '3.00', at: '2027-03-11T12:00:00Z' });
    forgiving.event(refund('r1', 'A', { lines: [{ lineId: 'x', quantity: 1 }] }));
    expect(forgiving.balance('2027-03-13T00:00:00Z').available).toBe('0');
  });

  test('an order paid partly with credit, half refunded, gives back half that credit to the cent, with its original expiry', () => {
    const program = spendProgram({ credit: { percent: 5, expiry: { kind: 'rolling', months: 12 } } });
    const l = new Ledger(program);
    l.event(order('O1', [{ lineId: 'x', unitPrice: '150.00' }], '2027-03-01T15:00:00Z')); // 7.50
    const expiry = l.account.lots[0]?.expiresAt?.toISOString();
    l.redeem({ requestId: 'pay', points: '7.50', orderId: 'O2', at: '2027-03-10T14:00:00Z' });
    // (40.00 − 7.50) × 5% = 1.625 → 1.63, split 0.82 / 0.81.
    const buy = l.event(order('O2', [{ lineId: 'x', unitPrice: '20.00' }, { lineId: 'y', unitPrice: '20.00' }], T0, { pointsRedeemed: '7.50' }));
    expect(earns(buy)[0]?.lines?.map((s) => s.amount.toFixed(2))).toEqual(['0.82', '0.81']);
    const half = l.event(refund('r1', 'O2', { lines: [{ lineId: 'x', quantity: 1 }] }));
    const restored = entriesOf(half).flatMap((e) => (e.kind === 'restore' ? e.draws.map((x) => [x.lot, x.amount.toString(), x.terms.expiresAt?.toISOString()]) : []));
    expect(restored.reduce((s, r) => s + Number(r[1]), 0)).toBe(3.75);
    expect(new Set(restored.map((r) => `${r[0]} ${r[2]}`))).toEqual(new Set([`O1:credit ${expiry}`]));
    expect(clawed(half)).toEqual([['O2:credit', '0.82']]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('4.56'); // 3.75 back + 0.81 left of O2
    l.event(refund('r2', 'O2', { lines: [{ lineId: 'y', quantity: 1 }] }));
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('7.5'); // all the credit that paid comes back; O2's credit is gone
  });
});

describe("Kohl's-style progress: every 100 becomes $5", () => {
  const kohls = (overrides: Partial<SpendInput> = {}) => spendProgram({ progress: { per: 1, threshold: 100, reward: 5 }, ...overrides });

  test('$100 of spend makes a $5 reward automatically', () => {
    const l = new Ledger(kohls());
    const d = l.event(order('A', [{ lineId: 'x', unitPrice: '100.00' }]));
    expect(earnedCredit(d)).toEqual([['A:reward:1', 'credit:USD', '5']]);
    expect(earns(d)[0]?.ruleId).toBe('reward');
    expect([l.progress?.carried.toString(), l.progress?.converted]).toEqual(['0', 1]);
    expect(d.ok && d.notifications.map((n) => (n.type === 'credit.earned' ? n.amount.toString() : n.type))).toEqual(['5']);
    expect(l.balance('2027-03-11T00:00:00Z').available).toBe('5');
  });

  test('$250 makes two, and 50 is carried over, with the reason recorded', () => {
    const l = new Ledger(kohls());
    const d = l.event(order('A', [{ lineId: 'x', unitPrice: '250.00' }]));
    expect(earnedCredit(d)).toEqual([
      ['A:reward:1', 'credit:USD', '5'],
      ['A:reward:2', 'credit:USD', '5'],
    ]);
    expect([l.progress?.carried.toString(), l.progress?.converted]).toEqual(['50', 2]);
    const state = entriesOf(d).find((e) => e.kind === 'state');
    expect(state?.kind === 'state' && [state.key, state.reason]).toEqual(['progress', 'order A added 250 progress to 0 carried: 2 reward(s) of 5 USD converted at 100 each; 50 carried']);
    expect(l.balance('2027-03-11T00:00:00Z').available).toBe('10');
  });

  test('progress carries across orders, exactly: $60 then $60 converts one and carries 20; $19.99 adds 19.99; excluded lines add nothing', () => {
    const l = new Ledger(kohls({ eligibility: { exclude: { categories: ['gift-card'] } } }));
    expect(earns(l.event(order('A', [{ lineId: 'x', unitPrice: '60.00' }, { lineId: 'g', unitPrice: '500.00', categories: ['gift-card'] }])))).toEqual([]);
    expect(l.progress?.carried.toString()).toBe('60');
    expect(earnedCredit(l.event(order('B', [{ lineId: 'x', unitPrice: '60.00' }])))).toEqual([['B:reward:1', 'credit:USD', '5']]);
    expect(l.progress?.carried.toString()).toBe('20');
    l.event(order('C', [{ lineId: 'x', unitPrice: '19.99' }]));
    expect([l.progress?.carried.toString(), l.progress?.converted]).toEqual(['39.99', 1]);
  });

  test('`per` scales progress: 2 per $1 makes $75 worth 150: one reward, 50 carried; rewards can be pending and expire', () => {
    const l = new Ledger(kohls({ progress: { per: 2, threshold: 100, reward: 5, pendingDays: 3, expiry: { kind: 'rolling', days: 30 } } }));
    const d = l.event(order('A', [{ lineId: 'x', unitPrice: '75.00' }]));
    expect(earnedCredit(d)).toEqual([['A:reward:1', 'credit:USD', '5']]);
    expect(l.progress?.carried.toString()).toBe('50');
    expect(l.balance('2027-03-11T00:00:00Z')).toEqual({ available: '0', pending: '5' });
    // 10 March 10:00 EST + 3 days = 13 March 10:00 EST; + 30 days = 9 April 10:00 EDT (the wall clock is kept across DST).
    expect(l.balance('2027-03-13T14:59:59Z')).toEqual({ available: '0', pending: '5' });
    expect(l.balance('2027-03-13T15:00:00Z')).toEqual({ available: '5', pending: '0' });
    expect(l.balance('2027-04-09T13:59:59Z')).toEqual({ available: '5', pending: '0' });
    expect(l.balance('2027-04-09T14:00:00Z')).toEqual({ available: '0', pending: '0' });
  });

  test('a refund takes back the progress the refunded part added, from what is carried', () => {
    const l = new Ledger(kohls());
    l.event(order('A', [{ lineId: 'x', unitPrice: '20.00', quantity: 2 }, { lineId: 'y', unitPrice: '20.00' }]));
    expect(l.progress?.carried.toString()).toBe('60');
    const d = l.event(refund('r1', 'A', { lines: [{ lineId: 'x', quantity: 1 }] }));
    expect(clawed(d)).toEqual([]);
    expect([l.progress?.carried.toString(), l.progress?.converted, l.progress?.unwound]).toEqual(['40', 0, 0]);
    l.event(refund('r2', 'A', { amount: '10.00', currency: 'USD' }));
    expect(l.progress?.carried.toString()).toBe('30');
  });

  test('when carried progress falls short, converted rewards are taken back one whole reward per threshold and the surplus carried again: a full refund leaves nothing', () => {
    const l = new Ledger(kohls());
    l.event(order('A', [{ lineId: 'a', unitPrice: '100.00' }, { lineId: 'b', unitPrice: '150.00' }])); // 2 rewards, 50 carried
    // −100 from 50 carried is −50: one reward (the order's latest) goes back, and 50 is carried again.
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'a', quantity: 1 }] })))).toEqual([['A:reward:2', '5']]);
    expect([l.progress?.carried.toString(), l.progress?.converted, l.progress?.unwound]).toEqual(['50', 2, 1]);
    expect(clawed(l.event(refund('r2', 'A', { lines: [{ lineId: 'b', quantity: 1 }] })))).toEqual([['A:reward:1', '5']]);
    expect([l.progress?.carried.toString(), l.progress?.converted, l.progress?.unwound]).toEqual(['0', 2, 2]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0');
  });

  test('progress is pooled: refunding the first of two orders takes back the reward the second converted, as if only the second was bought', () => {
    const l = new Ledger(kohls());
    l.event(order('A', [{ lineId: 'x', unitPrice: '60.00' }]));
    l.event(order('B', [{ lineId: 'x', unitPrice: '60.00' }], '2027-03-11T15:00:00Z')); // B:reward:1, 20 carried
    expect(clawed(l.event(refund('r1', 'A', { lines: [{ lineId: 'x', quantity: 1 }] })))).toEqual([['B:reward:1', '5']]);
    expect([l.progress?.carried.toString(), l.progress?.converted, l.progress?.unwound]).toEqual(['60', 1, 1]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0');
  });

  test('a reward already spent is taken back as the return policy says (allow_negative: a debt)', () => {
    const l = new Ledger(kohls());
    l.event(order('A', [{ lineId: 'x', unitPrice: '100.00' }]));
    l.redeem({ requestId: 'use', points: '5', at: '2027-03-11T12:00:00Z' });
    const d = l.event(refund('r1', 'A', { lines: [{ lineId: 'x', quantity: 1 }] }));
    const claw = entriesOf(d).find((e) => e.kind === 'clawback');
    expect(claw?.kind === 'clawback' && [claw.debt.toString(), claw.against.map((a) => a.amount.toString()).join()]).toEqual(['5', '5']);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('-5');
    expect([l.progress?.carried.toString(), l.progress?.unwound]).toEqual(['0', 1]);
  });

  test('cash-back and progress together: $100 at 5% earns $5.00 of credit and a $5 reward', () => {
    const l = new Ledger(kohls({ credit: { percent: 5 } }));
    const d = l.event(order('A', [{ lineId: 'x', unitPrice: '100.00' }]));
    expect(earnedCredit(d)).toEqual([
      ['A:credit', 'credit:USD', '5'],
      ['A:reward:1', 'credit:USD', '5'],
    ]);
    expect(d.ok && d.notifications.map((n) => (n.type === 'credit.earned' ? n.amount.toString() : n.type))).toEqual(['10']);
    const back = l.event(refund('r1', 'A', { amount: '100.00', currency: 'USD' }));
    expect(clawed(back)).toEqual([
      ['A:credit', '5'],
      ['A:reward:1', '5'],
    ]);
    expect(l.balance('2027-03-13T00:00:00Z').available).toBe('0');
  });
});

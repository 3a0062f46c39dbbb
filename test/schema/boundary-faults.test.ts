// The input boundary's money and identity faults (issue "Close the money and identity faults"):
// 6 (sub-unit amounts in requests), 9 (unbounded decimal strings, over-precise prices),
// 13 (unknown fields silently dropped) and the $0 payment that activated a paid membership.
// Each test failed on the code before its fix.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore, ProgramConfigError } from '../../src';
import {
  adjust,
  applyEntries,
  benefitsHold,
  capture,
  hold,
  membershipOf,
  openAccount,
  parseCustomer,
  parseEvent,
  pointsEarned,
} from '../../src/core';
import {
  adjustRequestSchema,
  captureRequestSchema,
  customerSchema,
  holdRequestSchema,
  quoteRequestSchema,
  redeemRequestSchema,
} from '../../src/schemas';
import type { Loyalty, Program } from '../../src';
import type { Decision } from '../../src/core';
import { rejection } from '../rejection';

const AT = '2027-03-10T15:00:00Z';

function thrown(fn: () => unknown): LoyaltyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LoyaltyError);
    return e as LoyaltyError;
  }
  return expect.unreachable('expected a LoyaltyError, got no error');
}

const issuesOf = (e: LoyaltyError) => e.issues.map((i) => ({ code: i.code, path: [...i.path] }));

function refusal(d: Decision): { code: string; path: (string | number)[] } | undefined {
  if (d.ok) return undefined;
  return { code: d.issues[0].code, path: [...d.issues[0].path] };
}

const points = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'UTC',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});
const spend = defineProgram({ kind: 'spend', id: 'cash', version: 1, currency: 'USD', timeZone: 'UTC', credit: { percent: 5 } });

/** An account of `program` credited with `amount` (points, or credit in a spend program). */
function funded(program: Program, amount: string) {
  const account = openAccount(program, 'c1');
  const d = adjust(program, account, adjustRequestSchema.parse({ requestId: 'fund', at: '2027-03-01T00:00:00Z', points: amount, actor: 'test', reason: 'fund' }));
  if (!d.ok || !d.transaction) throw new Error(`funding refused: ${JSON.stringify(d)}`);
  return applyEntries(account, d.transaction);
}

function held(program: Program, amount: string, holdAmount: string) {
  const account = funded(program, amount);
  const d = hold(program, account, holdRequestSchema.parse({ requestId: 'h1', points: holdAmount, at: AT }));
  if (!d.ok || !d.transaction) throw new Error(`hold refused: ${JSON.stringify(d)}`);
  return applyEntries(account, d.transaction);
}

async function service(): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs: [points, spend], store: memoryStore(), clock: fixedClock(AT) });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  await loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'fund', points: 1000, actor: 'test', reason: 'fund' });
  return loyalty;
}

describe('fault 6: every amount-carrying request is whole points, or whole minor units of credit', () => {
  test('capture of 0.0000001 of a hold is refused (invalid_points) and leaves no unspendable dust', () => {
    const account = held(points, '1000', '1000');
    expect(refusal(capture(points, account, captureRequestSchema.parse({ requestId: 'c1', holdId: 'h1', points: '0.0000001', at: AT })))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(refusal(capture(points, account, captureRequestSchema.parse({ requestId: 'c2', holdId: 'h1', points: '2.5', at: AT })))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(capture(points, account, captureRequestSchema.parse({ requestId: 'c3', holdId: 'h1', points: '300', at: AT })).ok).toBe(true);
  });

  test('through the service, a fractional capture is thrown, not recorded, and the corrected retry captures', async () => {
    const loyalty = await service();
    await loyalty.hold({ customerId: 'c1', programId: 'rewards', requestId: 'h1', points: 1000, at: AT });
    const error = await rejection(loyalty.capture({ customerId: 'c1', programId: 'rewards', requestId: 'cap', holdId: 'h1', points: '0.0000001', at: AT }));
    expect(issuesOf(error)).toEqual([{ code: 'invalid_points', path: ['points'] }]);
    const retried = await loyalty.capture({ customerId: 'c1', programId: 'rewards', requestId: 'cap', holdId: 'h1', points: 1000, at: AT });
    expect(retried.replayed).toBe(false);
    expect(retried.outcome.ok).toBe(true);
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: AT });
    expect(view.balance.available.toString()).toBe('0');
  });

  test('spend credit: capture, hold and adjust take whole cents, never a fraction of one', () => {
    const account = held(spend, '25.50', '10.00');
    expect(refusal(capture(spend, account, captureRequestSchema.parse({ requestId: 'c1', holdId: 'h1', points: '0.001', at: AT })))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(capture(spend, account, captureRequestSchema.parse({ requestId: 'c2', holdId: 'h1', points: '2.50', at: AT })).ok).toBe(true);
    expect(refusal(hold(spend, account, holdRequestSchema.parse({ requestId: 'h2', points: '1.005', at: AT })))).toEqual({ code: 'invalid_points', path: ['points'] });
    const adjustAt = (requestId: string, amount: string) => adjust(spend, account, adjustRequestSchema.parse({ requestId, at: AT, points: amount, actor: 'agent', reason: 'goodwill' }));
    // A goodwill credit of $2.50 is store credit like any other (it was refused as "not whole").
    expect(adjustAt('a1', '2.50').ok).toBe(true);
    expect(adjustAt('a2', '-1.25').ok).toBe(true);
    expect(refusal(adjustAt('a3', '2.505'))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(refusal(adjustAt('a4', '-0.001'))).toEqual({ code: 'invalid_points', path: ['points'] });
  });

  test('points: adjust credits and debits are whole (thrown by the service as input errors)', async () => {
    const account = funded(points, '1000');
    const adjustAt = (requestId: string, amount: string) => adjust(points, account, adjustRequestSchema.parse({ requestId, at: AT, points: amount, actor: 'agent', reason: 'goodwill' }));
    expect(refusal(adjustAt('a1', '0.5'))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(refusal(adjustAt('a2', '-0.0000001'))).toEqual({ code: 'invalid_points', path: ['points'] });
    expect(adjustAt('a3', '-10').ok).toBe(true);
    const loyalty = await service();
    const error = await rejection(loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'a4', at: AT, points: '-0.5', actor: 'agent', reason: 'x' }));
    expect(issuesOf(error)).toEqual([{ code: 'invalid_points', path: ['points'] }]);
  });
});

describe('fault 9: decimal strings are bounded before they become Decimals', () => {
  const purchase = (unitPrice: unknown, over: Record<string, unknown> = {}) => ({
    id: 'e1',
    customerId: 'c1',
    type: 'purchase',
    orderId: 'o1',
    currency: 'USD',
    occurredAt: AT,
    lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice }],
    ...over,
  });

  test('a price of 10^50 + 5 is refused with too_many_digits, not rounded to 5 points too many', async () => {
    const price = `1${'0'.repeat(49)}5`;
    expect(issuesOf(thrown(() => parseEvent(purchase(price))))).toEqual([{ code: 'too_many_digits', path: ['lines', 0, 'unitPrice'] }]);
    const loyalty = await service();
    const error = await rejection(loyalty.process(purchase(price) as Parameters<typeof loyalty.process>[0]));
    expect(error.code).toBe('too_many_digits');
    // 30 digits is the bound: a 30-digit price still parses and earns exactly.
    const ok = await loyalty.process(purchase(`${'9'.repeat(28)}.5`, { id: 'e2', orderId: 'o2', programId: 'rewards' }) as Parameters<typeof loyalty.process>[0]);
    expect(ok.outcomes[0] && pointsEarned(ok.outcomes[0]).toString()).toBe('9'.repeat(28));
  });

  test('a 1,000,000-digit price is refused with too_many_digits, judged on its length before any parsing', () => {
    const started = performance.now();
    const error = thrown(() => parseEvent(purchase('9'.repeat(1_000_000))));
    const ms = performance.now() - started;
    expect(issuesOf(error)).toEqual([{ code: 'too_many_digits', path: ['lines', 0, 'unitPrice'] }]);
    // The length is judged first: a million digits ending in garbage gets the same cheap answer.
    expect(issuesOf(thrown(() => parseEvent(purchase(`${'9'.repeat(1_000_000)}x`))))).toEqual([{ code: 'too_many_digits', path: ['lines', 0, 'unitPrice'] }]);
    console.log(`[bad input] a 1,000,000-digit price refused in ${ms.toFixed(1)} ms`);
  });

  test('digits are counted without leading zeros and trailing fractional zeros', () => {
    expect(() => parseEvent(purchase(`000${'1'.repeat(28)}.100000`))).not.toThrow();
    expect(issuesOf(thrown(() => parseEvent(purchase(`0.${'0'.repeat(30)}1`))))[0]?.code).toBe('too_many_digits');
  });

  test('a JSON number beyond 2^53 (already rounded by JavaScript) is refused: send it as a string', () => {
    expect(issuesOf(thrown(() => parseEvent(purchase(2 ** 53 + 2))))).toEqual([{ code: 'invalid_amount', path: ['lines', 0, 'unitPrice'] }]);
    expect(() => parseEvent(purchase(2 ** 53 - 1))).not.toThrow();
  });

  test('config decimals are bounded too', () => {
    try {
      defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC', redemption: { pointsPerUnit: '1'.repeat(31) as `${number}` } });
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramConfigError);
      expect(issuesOf(e as LoyaltyError)).toEqual([{ code: 'too_many_digits', path: ['redemption', 'pointsPerUnit'] }]);
    }
  });

  test('money in a config has at most the currency decimals: reward values and a membership fee', () => {
    const codes = (config: unknown) => {
      try {
        defineProgram(config as never);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(ProgramConfigError);
        return issuesOf(e as LoyaltyError);
      }
    };
    const base = { id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' };
    expect(codes({ ...base, kind: 'points', rewards: [{ id: 'five-off', name: '$5 off', cost: 500, kind: 'discount_fixed', value: '5.005' }] })).toEqual([{ code: 'too_many_decimals', path: ['rewards', 0, 'value'] }]);
    expect(codes({ ...base, kind: 'paid', membership: { fee: '12.999', period: 'month' } })).toEqual([{ code: 'too_many_decimals', path: ['membership', 'fee'] }]);
    expect(codes({ ...base, kind: 'points', currency: 'JPY', rewards: [{ id: 'gift', name: 'gift', cost: 500, kind: 'gift_card', value: '500.00' }] })).toEqual([]);
  });

  test('prices with more decimals than the currency are refused at their path (too_many_decimals)', () => {
    const cases: readonly [unknown, (string | number)[]][] = [
      [purchase('19.999'), ['lines', 0, 'unitPrice']],
      [purchase('20', { lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: '20', discount: '0.005' }] }), ['lines', 0, 'discount']],
      [purchase('20', { shipping: '4.999' }), ['shipping']],
      [purchase('20', { tax: 0.001 }), ['tax']],
      [purchase('100.5', { currency: 'JPY' }), ['lines', 0, 'unitPrice']],
      [purchase('1.0005', { currency: 'KWD' }), ['lines', 0, 'unitPrice']],
      [{ id: 'r1', customerId: 'c1', type: 'refund', orderId: 'o1', currency: 'USD', occurredAt: AT, amount: '5.001' }, ['amount']],
      [{ id: 'p1', customerId: 'c1', type: 'membership_payment', occurredAt: AT, status: 'succeeded', amount: '9.999', currency: 'USD' }, ['amount']],
    ];
    for (const [input, path] of cases) expect(issuesOf(thrown(() => parseEvent(input)))).toEqual([{ code: 'too_many_decimals', path }]);
    // Trailing zeros are not decimals: 100.00 yen is 100 yen; KWD has three decimals.
    expect(() => parseEvent(purchase('100.00', { currency: 'JPY' }))).not.toThrow();
    expect(() => parseEvent(purchase('1.005', { currency: 'KWD' }))).not.toThrow();
  });

  test('a checkout order is held to its currency too', () => {
    const order = { currency: 'USD', lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: '40.001' }] };
    const parsed = quoteRequestSchema.safeParse({ order, points: 'max', at: AT });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path, (i as { params?: { code?: string } }).params?.code])).toEqual([[['order', 'lines', 0, 'unitPrice'], 'too_many_decimals']]);
  });
});

describe('fault 13: unknown fields are refused with a hint; host data goes in `attributes`', () => {
  test('a customer with `birthdate` is refused, the hint naming `birthday`', async () => {
    const error = thrown(() => parseCustomer({ id: 'c9', enrolledAt: '2027-01-01T00:00:00Z', birthdate: '1990-05-01' }));
    expect(issuesOf(error)).toEqual([{ code: 'unrecognized_keys', path: [] }]);
    expect(error.issues[0].message).toMatch(/"birthdate" \(did you mean "birthday"\?\)/);
    const loyalty = await service();
    const viaService = await rejection(loyalty.upsertCustomer({ customer: { id: 'c9', enrolledAt: '2027-01-01T00:00:00Z', birthdate: '1990-05-01' } as never }));
    expect(viaService.issues[0].message).toMatch(/did you mean "birthday"/);
    expect((await rejection(loyalty.account({ customerId: 'c9', programId: 'rewards' }))).code).toBe('unknown_account');
  });

  test('an event with `chanel` is refused, the hint naming `channel`', async () => {
    const event = { id: 'e1', customerId: 'c1', type: 'signup', occurredAt: AT, chanel: 'app' };
    const error = thrown(() => parseEvent(event));
    expect(issuesOf(error)).toEqual([{ code: 'unrecognized_keys', path: [] }]);
    expect(error.issues[0].message).toMatch(/"chanel" \(did you mean "channel"\?\)/);
    const loyalty = await service();
    expect((await rejection(loyalty.process(event as Parameters<typeof loyalty.process>[0]))).code).toBe('unrecognized_keys');
  });

  test('every event type and its nested objects refuse unknown keys', () => {
    const base = { id: 'e1', customerId: 'c1', occurredAt: AT };
    const events: readonly [Record<string, unknown>, (string | number)[]][] = [
      [{ ...base, type: 'purchase', orderId: 'o', currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '1', discont: '0.5' }] }, ['lines', 0]],
      [{ ...base, type: 'purchase', orderId: 'o', currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '1' }], coupon: 'X' }, []],
      [{ ...base, type: 'refund', orderId: 'o', lines: [{ lineId: 'l1', quantity: 1, reason: 'damaged' }] }, ['lines', 0]],
      [{ ...base, type: 'signup', referrer: 'c2' }, []],
      [{ ...base, type: 'referral', referredCustomerId: 'c2', stage: 'signed_up', extra: 1 }, []],
      [{ ...base, type: 'review', platform: 'google', rating: 5, has_photo: true }, []],
      [{ ...base, type: 'newsletter_subscribed', list: 'weekly' }, []],
      [{ ...base, type: 'social_follow', network: 'x', handle: '@me' }, []],
      [{ ...base, type: 'custom', name: 'check_in', attribute: { a: 1 } }, []],
      [{ ...base, type: 'membership_started', trail: true }, []],
      [{ ...base, type: 'membership_payment', status: 'failed', amount: '0', currency: 'USD', reason: 'card' }, []],
      [{ ...base, type: 'membership_cancelled', reason: 'moving' }, []],
    ];
    for (const [event, path] of events) expect(issuesOf(thrown(() => parseEvent(event))), JSON.stringify(event)).toEqual([{ code: 'unrecognized_keys', path }]);
    const review = thrown(() => parseEvent(events[5]?.[0]));
    expect(review.issues[0].message).toMatch(/did you mean "hasPhoto"/);
  });

  test('requests refuse unknown keys with a hint', async () => {
    const parsed = redeemRequestSchema.safeParse({ requestId: 'r1', at: AT, point: 500 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.code)).toContain('unrecognized_keys');
    expect(parsed.error?.issues.find((i) => i.code === 'unrecognized_keys')?.message).toMatch(/did you mean "points"/);
    const loyalty = await service();
    const error = await rejection(loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'a1', at: AT, points: 5, actor: 'me', reason: 'x', reasn: 'y' } as never));
    expect(issuesOf(error)).toEqual([{ code: 'unrecognized_keys', path: [] }]);
    expect(error.issues[0].message).toMatch(/did you mean "reason"/);
  });

  test('`attributes` on any event and on the customer are accepted and carried untouched', async () => {
    const attributes = { source: 'newsletter', campaignId: 42, vip: true, labels: ['a', 'b'] };
    const purchase = parseEvent({ id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: AT, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '10' }], attributes });
    expect(purchase.attributes).toEqual(attributes);
    expect(parseEvent({ id: 'e2', customerId: 'c1', type: 'signup', occurredAt: AT, attributes }).attributes).toEqual(attributes);
    // Absent stays absent: events stored before `attributes` existed keep their fingerprint.
    expect('attributes' in parseEvent({ id: 'e3', customerId: 'c1', type: 'signup', occurredAt: AT })).toBe(false);
    expect(parseCustomer({ id: 'c1', enrolledAt: AT, attributes }).attributes).toEqual(attributes);
    expect(customerSchema.safeParse({ id: 'c1', enrolledAt: AT, attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }).success).toBe(false);
  });

  test('attributes are part of the idempotency fingerprint', async () => {
    const loyalty = await service();
    const event = (source: string) => ({ id: 'e-attr', customerId: 'c1', programId: 'rewards', type: 'purchase', orderId: 'o-attr', currency: 'USD', occurredAt: AT, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '10' }], attributes: { source } });
    expect((await loyalty.process(event('app') as Parameters<typeof loyalty.process>[0])).replayed).toBe(false);
    expect((await loyalty.process(event('app') as Parameters<typeof loyalty.process>[0])).replayed).toBe(true);
    expect((await rejection(loyalty.process(event('web') as Parameters<typeof loyalty.process>[0]))).code).toBe('idempotency_conflict');
  });
});

describe('a paid membership is not activated by a $0 payment', () => {
  const payment = (amount: string, status = 'succeeded') => ({ id: 'p1', customerId: 'c1', type: 'membership_payment', occurredAt: AT, status, amount, currency: 'USD' });

  test('a succeeded payment of 0 is refused at its amount; a failed one may carry 0', () => {
    expect(issuesOf(thrown(() => parseEvent(payment('0'))))).toEqual([{ code: 'not_positive', path: ['amount'] }]);
    expect(issuesOf(thrown(() => parseEvent(payment('0.00'))))).toEqual([{ code: 'not_positive', path: ['amount'] }]);
    expect(() => parseEvent(payment('0', 'failed'))).not.toThrow();
    expect(() => parseEvent(payment('0.01'))).not.toThrow();
  });

  test('through the service, the $0 payment writes nothing and the membership stays inactive', async () => {
    const paid = defineProgram({ kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: 'UTC', membership: { fee: '9.99', period: 'month' } });
    const loyalty = createLoyalty({ programs: [paid], store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    expect((await rejection(loyalty.process(payment('0') as Parameters<typeof loyalty.process>[0]))).code).toBe('not_positive');
    const view = await loyalty.account({ customerId: 'c1', programId: 'plus', at: AT });
    expect(membershipOf(paid, view.state)).toBeNull();
    expect(benefitsHold(paid, view.state, new Date(AT))).toBe(false);
  });

  test('a paid program has no free plan: its fee is more than zero', () => {
    try {
      defineProgram({ kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: 'UTC', membership: { fee: '0', period: 'month' } });
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramConfigError);
      expect(issuesOf(e as LoyaltyError)).toEqual([{ code: 'not_positive', path: ['membership', 'fee'] }]);
    }
  });
});

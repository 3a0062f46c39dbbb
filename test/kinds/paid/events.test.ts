// Issue 13: the paid kind's events live in its folder (src/kinds/paid/events.ts) and reach the
// event union, the fast parser and 'loyalty-engine/schemas' through the registry
// (src/kinds/events.ts), with the same names, order, defaults, messages and codes as before.
import { describe, expect, test } from 'vitest';
import { parseEvent } from '../../../src/core';
import { membershipCancelledEventSchema, membershipPaymentEventSchema, membershipStartedEventSchema, eventSchema, issuesFromZod } from '../../../src/schemas';
import * as paid from '../../../src/kinds/paid/events';
import { fastEvent } from '../../../src/schema/fast/event';
import { LoyaltyError } from '../../../src';

const at = '2027-01-31T10:00:00Z';

describe('the paid kind\'s events', () => {
  test("'loyalty-engine/schemas' exports the schemas declared in the paid folder, and the union holds them", () => {
    expect(membershipStartedEventSchema).toBe(paid.membershipStartedEventSchema);
    expect(membershipPaymentEventSchema).toBe(paid.membershipPaymentEventSchema);
    expect(membershipCancelledEventSchema).toBe(paid.membershipCancelledEventSchema);
    expect(eventSchema.parse({ type: 'membership_started', id: 'e9', customerId: 'c1', occurredAt: at })).toEqual({
      id: 'e9', customerId: 'c1', occurredAt: new Date(at), channel: 'web', type: 'membership_started', trial: false,
    });
  });

  test('the fast parser answers for a start and a cancellation exactly as zod, keys in the same order, and leaves payments to zod', () => {
    for (const input of [
      { type: 'membership_started', id: 'e9', customerId: 'c1', occurredAt: at, trial: true, programId: 'plus' },
      { type: 'membership_started', id: 'e9', customerId: 'c1', occurredAt: at },
      { type: 'membership_cancelled', id: 'e11', customerId: 'c1', occurredAt: at, channel: 'app', attributes: { why: 'price' } },
    ]) {
      const fast = fastEvent(input);
      expect(fast, input.type).toEqual(eventSchema.parse(input));
      expect(Object.keys(fast ?? {})).toEqual(Object.keys(eventSchema.parse(input)));
    }
    expect(fastEvent({ type: 'membership_started', id: 'e9', customerId: 'c1', occurredAt: at, trial: 'yes' })).toBeUndefined();
    expect(fastEvent({ type: 'membership_cancelled', id: 'e9', customerId: 'c1', occurredAt: at, trial: true })).toBeUndefined();
    const payment = { type: 'membership_payment', id: 'e10', customerId: 'c1', occurredAt: at, status: 'succeeded', amount: '9.99', currency: 'USD' };
    expect(fastEvent(payment)).toBeUndefined();
    expect(parseEvent(payment)).toEqual(eventSchema.parse(payment));
  });

  test('a $0 succeeded payment and a sub-cent amount are refused with the same codes, paths and messages', () => {
    const zero = membershipPaymentEventSchema.safeParse({ type: 'membership_payment', id: 'e10', customerId: 'c1', occurredAt: at, status: 'succeeded', amount: '0', currency: 'USD' });
    expect(zero.success).toBe(false);
    if (zero.success) return;
    expect(issuesFromZod(zero.error)).toEqual([{ code: 'not_positive', path: ['amount'], message: 'a succeeded payment is more than zero' }]);
    let error: unknown;
    try {
      parseEvent({ type: 'membership_payment', id: 'e10', customerId: 'c1', occurredAt: at, status: 'failed', amount: '9.999', currency: 'USD' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoyaltyError);
    expect((error as LoyaltyError).issues.map((i) => [i.code, i.path])).toEqual([['too_many_decimals', ['amount']]]);
  });
});

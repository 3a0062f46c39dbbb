// The schemas are zod/mini schemas, and zod/mini loads no locale: without the library's own
// handling, every issue of zod's own (too_small, invalid_type, an integer check…) would say only
// "Invalid input". These pin the English messages zod classic gave, on each path that fills them:
// the issue rewriting of objects and unions, the whole-number check (whose issue stops the parse
// before any rewriting runs), and the service's argument parsing (schemas that do not rewrite).
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, isLoyaltyError } from '../../src';
import { parseCustomer, parseEvent } from '../../src/core';
import { customerSchema, eventSchema, issuesFromZod, limitSchema } from '../../src/schemas';

/** The issues a call throws, as the library reports them. */
function thrown(call: () => unknown): { code: string; path: (string | number)[]; message: string }[] {
  try {
    call();
  } catch (e) {
    if (isLoyaltyError(e)) return e.issues.map((i) => ({ code: i.code, path: [...i.path], message: i.message }));
    throw e;
  }
  throw new Error('expected a LoyaltyError');
}

const program = { kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' } as const;

describe("zod's own issues keep zod classic's English messages", () => {
  test('through the issue rewriting of an object (a string too short, an array too long)', () => {
    expect(thrown(() => parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', tags: [''] }))).toEqual([
      { code: 'too_small', path: ['tags', 0], message: 'Too small: expected string to have >=1 characters' },
    ]);
    const event = { type: 'review', id: 'e1', customerId: 'c1', occurredAt: '2027-01-01T00:00:00Z', platform: 'x'.repeat(51), rating: 5 };
    expect(thrown(() => parseEvent(event))).toEqual([{ code: 'too_big', path: ['platform'], message: 'Too big: expected string to have <=50 characters' }]);
  });

  test('on an exported object schema parsed directly, as an app does at its own boundary', () => {
    const parsed = customerSchema.safeParse({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', tags: 'vip' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Invalid input: expected array, received string');
    const event = eventSchema.safeParse({ type: 'review', id: 'e1', customerId: 'c1', occurredAt: '2027-01-01T00:00:00Z', platform: 'x', rating: 9 });
    expect(event.error && issuesFromZod(event.error)).toEqual([{ code: 'too_big', path: ['rating'], message: 'Too big: expected number to be <=5' }]);
  });

  test('on a whole-number check, whose issue stops the parse before the rewriting runs', () => {
    expect(limitSchema.safeParse({ per: 'day', count: 1.5 }).error?.issues[0]?.message).toBe('Invalid input: expected int, received number');
    expect(thrown(() => defineProgram({ ...program, latenessDays: 2.5 }))).toEqual([
      { code: 'invalid_type', path: ['latenessDays'], message: 'Invalid input: expected int, received number' },
    ]);
    // A message the schema names itself still wins.
    const line = { lineId: 'l1', sku: 'S', quantity: 1.5, unitPrice: '1.00' };
    const purchase = { type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-01T00:00:00Z', orderId: 'A', currency: 'USD', lines: [line] };
    expect(thrown(() => parseEvent(purchase))).toEqual([{ code: 'invalid_type', path: ['lines', 0, 'quantity'], message: 'must be a whole number' }]);
  });

  test("on the service's arguments, whose options schema does not rewrite issues", () => {
    expect(thrown(() => createLoyalty({ programs: 'rewards' } as never))).toEqual([
      { code: 'invalid_type', path: ['programs'], message: 'Invalid input: expected array, received string' },
    ]);
  });
});

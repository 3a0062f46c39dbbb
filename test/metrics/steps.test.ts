// The accumulator reads amounts as integer steps straight from a Decimal's digits when they are
// whole steps, and takes the Decimal path otherwise: both must give the sums (and the refusals)
// that Decimal arithmetic gives, at the edges too (line totals and sums past 2^52 steps, zero).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseEvent } from '../../src/core';
import { LoyaltyError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { metricsAccumulator } from '../../src/metrics';

const price = fc.oneof(
  fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 100).toFixed(2)),
  fc.integer({ min: 0, max: 999 }).map(String),
  fc.constantFrom('0', '4503599627370.49', '45035996273704.97', '90071992547409.91', '4503599627370496'),
);
const line = fc.record({ price, quantity: fc.integer({ min: 1, max: 1_000_000 }), off: fc.nat({ max: 100 }) });

function revenueOf(lines: readonly { price: string; quantity: number; off: number }[], currency: string, places: number): string {
  const acc = metricsAccumulator({ timeZone: 'UTC', period: 'year', currency });
  const state = acc.empty();
  const event = parseEvent({
    type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-03-01T12:00:00Z', orderId: 'o1', currency,
    // A discount of `off` % of the line, in whole minor units.
    lines: lines.map((l, i) => ({ lineId: `l${i}`, sku: 's', quantity: l.quantity, unitPrice: l.price, discount: discountOf(l, places).toString() })),
  });
  try {
    acc.addEvent(state, event);
  } catch (error) {
    return error instanceof LoyaltyError ? `refused ${error.issues.map((i) => i.code).join()}` : String(error);
  }
  return acc.result(state).totals.orders.revenue;
}

function discountOf(l: { price: string; quantity: number; off: number }, places: number): Decimal {
  return new Decimal(l.price).times(l.quantity).times(l.off).div(100).toDecimalPlaces(places, Decimal.ROUND_DOWN);
}

function expected(lines: readonly { price: string; quantity: number; off: number }[], places: number): string {
  let net = new Decimal(0);
  for (const l of lines) net = net.plus(new Decimal(l.price).times(l.quantity).minus(discountOf(l, places)));
  if (net.times(10 ** places).abs().gt(2 ** 52)) return 'refused too_many_decimals';
  return net.toString();
}

describe('metrics: amounts as integer steps', () => {
  test.prop([fc.array(line, { minLength: 1, maxLength: 4 })], { numRuns: 300 })('a purchase\'s revenue (USD) is its Decimal net, or refused as the Decimal path refuses', (lines) => {
    expect(revenueOf(lines, 'USD', 2)).toBe(expected(lines, 2));
  });

  test.prop([fc.array(line.filter((l) => !l.price.includes('.')), { minLength: 1, maxLength: 3 })], { numRuns: 100 })('the same in a currency without minor units (JPY)', (lines) => {
    expect(revenueOf(lines, 'JPY', 0)).toBe(expected(lines, 0));
  });

  test('at the edges: zero, a line of exactly 2^52 cents, one cent more', () => {
    expect(revenueOf([{ price: '0', quantity: 3, off: 0 }], 'USD', 2)).toBe('0');
    expect(revenueOf([{ price: '45035996273704.96', quantity: 1, off: 0 }], 'USD', 2)).toBe('45035996273704.96');
    expect(revenueOf([{ price: '45035996273704.97', quantity: 1, off: 0 }], 'USD', 2)).toBe('refused too_many_decimals');
    expect(revenueOf([{ price: '22517998136852.48', quantity: 1, off: 0 }, { price: '22517998136852.49', quantity: 1, off: 0 }], 'USD', 2)).toBe('refused too_many_decimals');
  });
});

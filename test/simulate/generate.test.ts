// generateHistory: deterministic from its seed, and realistic enough to trust a backtest on.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseCustomer, parseEvent } from '../../src/core';
import type { LoyaltyEventInput } from '../../src';
import { generateHistory } from '../../src/simulate';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const options = { customers: 50, months: 3, start: '2027-01-01T12:00:00Z' } as const;
const timeOf = (e: LoyaltyEventInput): number => new Date(e.occurredAt).getTime();

describe('generateHistory', () => {
  test('the same seed gives the same history; another seed another one', () => {
    const one = generateHistory({ ...options, seed: 7 });
    const again = generateHistory({ ...options, seed: 7 });
    const other = generateHistory({ ...options, seed: 8 });
    expect(JSON.stringify([...again.events])).toBe(JSON.stringify([...one.events]));
    expect(again.customers).toEqual(one.customers);
    expect(JSON.stringify([...other.events])).not.toBe(JSON.stringify([...one.events]));
    // Iterating twice gives the same stream.
    expect(JSON.stringify([...one.events])).toBe(JSON.stringify([...one.events]));
  });

  const runs = runsFor(20);
  announce('generateHistory realism', runs);
  test('events are valid, sorted, after their customer joined; refunds name an earlier order of the same customer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), (seed, customers, months) => {
        const history = generateHistory({ seed, customers, months, start: '2027-02-10T03:00:00Z', refundRate: 0.3, purchasesPerCustomerPerMonth: 2 });
        const joined = new Map(history.customers.map((c) => [c.id, parseCustomer(c).enrolledAt.getTime()]));
        const orders = new Map<string, { customerId: string; at: number; lines: Map<string, number> }>();
        const ids = new Set<string>();
        let last = Number.NEGATIVE_INFINITY;
        for (const input of history.events) {
          const event = parseEvent(input);
          expect(ids.has(event.id)).toBe(false);
          ids.add(event.id);
          const at = event.occurredAt.getTime();
          expect(at).toBeGreaterThanOrEqual(last);
          expect(at).toBeGreaterThanOrEqual(history.start.getTime());
          expect(at).toBeLessThan(history.end.getTime());
          last = at;
          if (event.type !== 'refund') expect(at).toBeGreaterThanOrEqual(joined.get(event.customerId) ?? Infinity);
          if (event.type === 'purchase') orders.set(event.orderId, { customerId: event.customerId, at, lines: new Map(event.lines.map((l) => [l.lineId, l.quantity])) });
          if (event.type === 'refund') {
            const order = orders.get(event.orderId);
            expect(order?.customerId).toBe(event.customerId);
            expect(at).toBeGreaterThan(order?.at ?? Infinity);
            for (const l of event.lines ?? []) expect(l.quantity).toBeLessThanOrEqual(order?.lines.get(l.lineId) ?? 0);
          }
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('a year over 1,000 customers looks like a shop: mostly purchases, some refunds, engagement, weekends busier', () => {
    const history = generateHistory({ seed: 3, customers: 1000, months: 12, start: '2027-01-01T12:00:00Z' });
    const counts: Record<string, number> = {};
    let weekend = 0;
    let prices = 0;
    for (const e of history.events) {
      counts[e.type] = (counts[e.type] ?? 0) + 1;
      if (e.type === 'purchase') {
        const day = new Date(timeOf(e) - 5 * 3_600_000).getUTCDay();
        if (day === 0 || day === 6) weekend += 1;
        for (const l of e.lines) if (/^\d+\.\d\d$/.test(String(l.unitPrice))) prices += 1;
      }
    }
    const purchases = counts.purchase ?? 0;
    // 0.7 a month over active customers: 6,000 to 9,000 in a year.
    expect(purchases).toBeGreaterThan(6000);
    expect(purchases).toBeLessThan(9000);
    expect((counts.refund ?? 0) / purchases).toBeGreaterThan(0.05);
    expect((counts.refund ?? 0) / purchases).toBeLessThan(0.11);
    expect(counts.signup).toBeGreaterThan(300);
    expect(counts.review).toBeGreaterThan(300);
    // Two days in seven, weighted 1.3: about 34% of purchases.
    expect(weekend / purchases).toBeGreaterThan(0.3);
    expect(prices).toBeGreaterThan(purchases);
    expect(history.customers.every((c) => c.birthday !== undefined)).toBe(true);
    expect(new Set(history.customers.map((c) => c.timeZone)).size).toBeGreaterThan(2);
  });

  test('prices carry the currency minor units: JPY has none, KWD three', () => {
    for (const [currency, pattern] of [['JPY', /^\d+$/], ['KWD', /^\d+\.\d{3}$/]] as const) {
      const history = generateHistory({ seed: 1, customers: 20, months: 1, start: '2027-01-01T00:00:00Z', currency, zone: 'Asia/Tokyo' });
      const purchases = [...history.events].filter((e) => e.type === 'purchase');
      expect(purchases.length).toBeGreaterThan(0);
      for (const p of purchases) for (const l of p.lines) expect(String(l.unitPrice)).toMatch(pattern);
    }
  });
});

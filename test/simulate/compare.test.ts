// compare: two programs over one history, with per-customer differences checkable by hand.
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import type { CustomerInput, LoyaltyEventInput } from '../../src';
import { compare } from '../../src/simulate';

const base = { version: 1, currency: 'USD', timeZone: 'America/New_York' } as const;
const perDollar = (id: string, points: number) =>
  defineProgram({ ...base, kind: 'points', id, rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points, per: 1 } }] });

const customers: CustomerInput[] = ['c1', 'c2', 'c3'].map((id) => ({ id, enrolledAt: '2027-01-01T00:00:00Z' }));
let n = 0;
function purchase(customerId: string, day: number, unitPrice: `${number}`): LoyaltyEventInput {
  n += 1;
  return { type: 'purchase', id: `p${n}`, orderId: `o${n}`, customerId, currency: 'USD', occurredAt: new Date(Date.UTC(2027, 2, day, 16)), lines: [{ lineId: 'l1', sku: 'S', quantity: 1, unitPrice }] };
}

describe('compare', () => {
  test('1 point per $1 against 2 points per $1: who gains, by how much, and the liability', async () => {
    const events: LoyaltyEventInput[] = [
      purchase('c1', 2, '10.50'), // A 10, B 21
      { type: 'review', id: 'r1', customerId: 'c2', occurredAt: new Date(Date.UTC(2027, 2, 3, 16)), platform: 'site', rating: 4 }, // nothing in either
      purchase('c1', 4, '20.00'), // A 20, B 40
      purchase('c3', 5, '5.99'), // A 5, B 11
    ];
    const c = await compare(perDollar('one', 1), perDollar('two', 2), events, customers);
    expect(c.customers.map((d) => [d.customerId, d.issued.toString(), d.balance.toString()])).toEqual([
      ['c1', '31', '31'],
      ['c3', '6', '6'],
    ]);
    expect([c.gainers, c.losers, c.tierChanges]).toEqual([2, 0, 0]);
    expect(c.a.totals.issued.toString()).toBe('35');
    expect(c.b.totals.issued.toString()).toBe('72');
    expect(c.issued.toString()).toBe('37');
    // 100 points = $1.00: 37 more points outstanding is $0.37 more liability.
    expect(c.liability.toString()).toBe('0.37');
  });

  test('a lower tier threshold moves customers up a tier, and a lower rate makes losers', async () => {
    const tiered = (id: string, vib: number, points: number) =>
      defineProgram({
        ...base,
        kind: 'tiered',
        id,
        tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: vib }],
        qualification: { basis: 'spend', window: 'lifetime' },
        rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points, per: 1 } }],
      });
    const events = [purchase('c1', 2, '150.00'), purchase('c2', 3, '50.00')];
    const c = await compare(tiered('now', 300, 2), tiered('next', 100, 1), events, customers);
    expect(c.a.tierMix).toEqual({ insider: 3, vib: 0 });
    expect(c.b.tierMix).toEqual({ insider: 2, vib: 1 });
    expect(c.customers.map((d) => [d.customerId, d.issued.toString(), d.tierA, d.tierB])).toEqual([
      ['c1', '-150', 'insider', 'vib'],
      ['c2', '-50', 'insider', 'insider'],
    ]);
    expect([c.gainers, c.losers, c.tierChanges]).toEqual([0, 2, 1]);
  });
});

// What issue 14's third pass on `evaluate` (target 2) must keep: the order summary's distinct
// categories, skus and tags (now gathered by plain loops, with a Set past 32 values), and the
// drafts' integer point counts kept in step with their Decimal points when a limit clips them
// (positivity, the total, the line split and the counters all read the count).
import { describe, expect, test } from 'vitest';
import { compiledOf } from '../../src/engine/program';
import { viewOrder } from '../../src/engine/order';
import { earned, lineShares, pointsProgram, purchase, run } from '../fixtures';
import type { LoyaltyEvent } from '../../src';

/** Each value once, in first-seen order: the reference the summary must equal. */
function firstSeen(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

describe('order summary: distinct categories, skus and tags', () => {
  const program = pointsProgram({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
  const summaryOf = (e: LoyaltyEvent) => {
    if (e.type !== 'purchase') throw new Error('not a purchase');
    return viewOrder(e, program.config, compiledOf(program).excluded).summary;
  };

  test('a few values, repeated across lines, come once each in first-seen order', () => {
    const e = purchase([
      { unitPrice: '1', sku: 'b', categories: ['y', 'x'], tags: ['t2'] },
      { unitPrice: '1', sku: 'a', categories: ['x', 'z', 'y'], tags: [] },
      { unitPrice: '1', sku: 'b', categories: [], tags: ['t1', 't2', 't1'] },
    ]);
    const s = summaryOf(e);
    expect(s.categories).toEqual(['y', 'x', 'z']);
    expect(s.skus).toEqual(['b', 'a']);
    expect(s.tags).toEqual(['t2', 't1']);
  });

  test('subtotal and eligible subtotal: one value without an excluded line, apart with one', () => {
    const excluding = pointsProgram({ rules: [], eligibility: { exclude: { categories: ['gift-card'] } } });
    const view = (e: LoyaltyEvent) => (e.type === 'purchase' ? viewOrder(e, excluding.config, compiledOf(excluding).excluded).summary : undefined);
    const plain = view(purchase([{ unitPrice: '19.99', quantity: 3 }, { unitPrice: '5.01' }]));
    expect([plain?.subtotal.toString(), plain?.eligibleSubtotal.toString()]).toEqual(['64.98', '64.98']);
    const mixed = view(purchase([{ unitPrice: '19.99', quantity: 3 }, { unitPrice: '5.01', categories: ['gift-card'] }]));
    expect([mixed?.subtotal.toString(), mixed?.eligibleSubtotal.toString()]).toEqual(['64.98', '59.97']);
  });

  test('past 32 distinct values (the Set takes over) every value still comes once, in order', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({
      unitPrice: '1',
      sku: `s${i % 17}`,
      categories: [`c${(i * 7) % 40}`, `c${(i * 3) % 40}`, `c${i % 5}`],
      tags: [`t${(i * 11) % 37}`, `t${(i * 13) % 37}`],
    }));
    const s = summaryOf(purchase(lines));
    expect(s.categories).toEqual(firstSeen(lines.flatMap((l) => l.categories)));
    expect(s.categories.length).toBeGreaterThan(32);
    expect(s.skus).toEqual(firstSeen(lines.map((l) => l.sku)));
    expect(s.tags).toEqual(firstSeen(lines.flatMap((l) => l.tags)));
    expect(s.tags.length).toBeGreaterThan(32);
  });
});

describe('a draft clipped by a points limit: its count follows its points', () => {
  const program = pointsProgram({
    rules: [{ id: 'bonus', on: 'purchase', award: { kind: 'fixed', points: 80 }, limits: [{ per: 'day', points: 100 }] }],
  });
  const order = () => purchase([{ unitPrice: '30.00' }, { unitPrice: '10.00' }]);

  test('80, then 20 (clipped to the room left), then nothing: lots, line shares, counters and notice agree', () => {
    const { decisions } = run(program, [order(), order(), order()]);
    expect(decisions.map(earned)).toEqual(['80', '20', '0']);
    expect(lineShares(decisions[0])).toEqual([['60', '20']]);
    expect(lineShares(decisions[1])).toEqual([['15', '5']]);
    const second = decisions[1];
    if (!second?.ok || !second.transaction) throw new Error('expected a transaction');
    const usage = second.transaction.entries.find((e) => e.kind === 'usage');
    expect(usage?.kind === 'usage' ? usage.counters.map((c) => c.points.toString()) : []).toEqual(['20']);
    expect(second.notifications.map((n) => (n.type === 'points.earned' ? n.points.toString() : n.type))).toEqual(['20']);
    // The third is clipped to zero: no lot, no counter, no notice (its transaction holds the activity only).
    const third = decisions[2];
    if (!third?.ok) throw new Error('refused');
    expect(third.transaction?.entries.map((e) => e.kind)).toEqual(['activity']);
    expect(third.notifications).toEqual([]);
  });
});

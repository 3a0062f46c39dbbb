// The line shares of one event's lots (src/engine/awards.ts): split on integers into one scratch
// list, and a line that earns nothing from several lots carries one shared, frozen share of 0.
import { describe, expect, test } from 'vitest';
import { explain } from '../../src/core';
import type { LineShare } from '../../src/core';
import { lineShares, pointsProgram, purchase, run } from '../fixtures';

const rules = [
  // Two rules that earn on apparel lines only, and one on every line: the second line (grocery)
  // earns 0 from the first two, the third (apparel, $0.40) earns 0 from the per-dollar rule.
  // Per-item 5 × 3 = 15 over 2 / 0 / 1 items; 2 per dollar on $20.40 = 40 (floor) as 39 / 0 / 1;
  // 1 per dollar on $27.40 = 27 as 20 / 7 / 0.
  { id: 'apparel-items', on: 'purchase' as const, lines: { all: [{ fact: 'line.categories', operator: 'contains', value: 'apparel' }] }, award: { kind: 'per_item' as const, points: 5 } },
  { id: 'apparel-dollars', on: 'purchase' as const, lines: { all: [{ fact: 'line.categories', operator: 'contains', value: 'apparel' }] }, award: { kind: 'per_amount' as const, points: 2, per: 1 } },
  { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } },
];
const order = () => purchase([{ unitPrice: '10.00', categories: ['apparel'], quantity: 2 }, { unitPrice: '7.00', categories: ['grocery'] }, { unitPrice: '0.40', categories: ['apparel'] }]);

function sharesOf(lots: ReturnType<typeof run>['decisions'][number]): LineShare[][] {
  if (!lots.ok || !lots.transaction) return [];
  return lots.transaction.entries.flatMap((e) => (e.kind === 'earn' && e.lines ? [[...e.lines]] : []));
}

describe('line shares of one event', () => {
  test('the amounts split as before, each lot its own list, zeros included', () => {
    const { decisions } = run(pointsProgram({ rules }), [order()]);
    expect(lineShares(decisions[0])).toEqual([
      ['10', '0', '5'],
      ['39', '0', '1'],
      ['20', '7', '0'],
    ]);
  });

  test('a line earning 0 from several lots carries one frozen share of 0; the others are their own objects', () => {
    const [d] = run(pointsProgram({ rules }), [order()]).decisions;
    const [a, b, c] = sharesOf(d as NonNullable<typeof d>);
    expect(a?.[1]).toBe(b?.[1]);
    expect(c?.[2]?.amount.toString()).toBe('0');
    expect(Object.isFrozen(c?.[2])).toBe(true);
    expect(c?.[2]).not.toBe(a?.[1]);
    expect(b?.[2]).not.toBe(a?.[2]);
    expect(b?.[1]).toEqual({ lineId: 'l2', quantity: 1, amount: expect.anything() });
    expect(b?.[1]?.amount.toString()).toBe('0');
    expect(Object.isFrozen(b?.[1])).toBe(true);
    expect(() => {
      (b?.[1] as { amount: unknown }).amount = 1;
    }).toThrow(TypeError);
    expect(a?.[0]).not.toBe(b?.[0]);
    expect(Object.isFrozen(a?.[0])).toBe(false);
  });

  test('the shares of two events are not shared', () => {
    const { decisions } = run(pointsProgram({ rules }), [order(), order()]);
    const first = sharesOf(decisions[0] as NonNullable<(typeof decisions)[0]>);
    const second = sharesOf(decisions[1] as NonNullable<(typeof decisions)[1]>);
    expect(first[1]?.[1]).not.toBe(second[1]?.[1]);
  });

  test('explain (the Decimal path) gives the same total', () => {
    const program = pointsProgram({ rules });
    const event = order();
    const x = explain(program, run(program, []).account, event);
    expect(x.points.toString()).toBe('82');
  });
});

import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/money/decimal';
import { compileConditions, failedLeaves } from '../../src/rules';
import type { ComparisonTrace, FactCatalog } from '../../src/rules';

const FACTS = {
  'event.type': { type: 'string', description: 'event kind' },
  'order.subtotal': { type: 'decimal', description: 'subtotal' },
  'customer.tier': { type: 'string', description: 'tier' },
  'customer.birthMonth': { type: 'integer', description: 'birth month' },
  'customer.profile': { type: 'unknown', description: 'profile' },
  'time.month': { type: 'integer', description: 'month' },
} as const satisfies FactCatalog;

const facts = {
  'event.type': 'purchase',
  'order.subtotal': new Decimal('42.50'),
  'customer.tier': 'silver',
  'customer.birthMonth': 3,
  'customer.profile': { address: { country: 'DE' } },
  'time.month': 6,
};

const compiled = compileConditions(
  [
    {
      all: [
        { condition: 'isPurchase' },
        { fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 50 },
        { fact: 'customer.tier', operator: 'in', value: ['gold', 'platinum'] },
        { fact: 'customer.birthMonth', operator: 'equal', value: { fact: 'time.month' } },
        { fact: 'customer.profile', path: '$.address.country', operator: 'equal', value: 'DE' },
        { not: { fact: 'customer.tier', operator: 'equal', value: 'silver' } },
      ],
    },
    undefined,
  ],
  { facts: FACTS, shared: { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } } },
);

describe('traces', () => {
  it('mirror the condition, with fact value, expected value and result per comparison, every child evaluated (those after the deciding one marked skipped)', () => {
    const t = compiled.trace(0, facts);
    expect(t).toEqual({
      kind: 'all',
      result: false,
      children: [
        {
          kind: 'condition',
          name: 'isPurchase',
          result: true,
          child: {
            kind: 'all',
            result: true,
            children: [{ kind: 'comparison', fact: 'event.type', operator: 'equal', value: 'purchase', factValue: 'purchase', expected: 'purchase', result: true }],
          },
        },
        {
          kind: 'comparison',
          fact: 'order.subtotal',
          operator: 'greaterThanInclusive',
          value: 50,
          factValue: new Decimal('42.50'),
          expected: 50,
          result: false,
        },
        // The all was decided by the subtotal: later siblings did not count (evaluate stops there).
        { kind: 'comparison', fact: 'customer.tier', operator: 'in', value: ['gold', 'platinum'], factValue: 'silver', expected: ['gold', 'platinum'], result: false, skipped: true },
        { kind: 'comparison', fact: 'customer.birthMonth', operator: 'equal', value: { fact: 'time.month' }, factValue: 3, expected: 6, result: false, skipped: true },
        {
          kind: 'comparison',
          fact: 'customer.profile',
          path: '$.address.country',
          operator: 'equal',
          value: 'DE',
          factValue: 'DE',
          expected: 'DE',
          result: true,
          skipped: true,
        },
        {
          kind: 'not',
          result: false,
          skipped: true,
          child: { kind: 'comparison', fact: 'customer.tier', operator: 'equal', value: 'silver', factValue: 'silver', expected: 'silver', result: true },
        },
      ],
    });
    expect(t.result).toBe(compiled.test(0, facts));
  });

  it('failedLeaves lists every comparison that went against the result, a held one under a not included', () => {
    const failed = failedLeaves(compiled.trace(0, facts));
    expect(failed.map((l: ComparisonTrace) => [l.fact, l.operator, l.result])).toEqual([
      ['order.subtotal', 'greaterThanInclusive', false],
      ['customer.tier', 'in', false],
      ['customer.birthMonth', 'equal', false],
      ['customer.tier', 'equal', true],
    ]);
  });

  it('a passing condition has no failed leaves; no condition traces as always', () => {
    const passing = { ...facts, 'order.subtotal': new Decimal('50'), 'customer.tier': 'gold', 'customer.birthMonth': 6 };
    const t = compiled.trace(0, passing);
    expect(t.result).toBe(true);
    expect(failedLeaves(t)).toEqual([]);
    expect(compiled.trace(1, facts)).toEqual({ kind: 'always', result: true });
  });
});

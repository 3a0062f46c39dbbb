import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/money/decimal';
import { conditionSchema, conditionStructureIssues, MAX_STRUCTURAL_DEPTH, topLevelConditionSchema } from '../../src/schema/condition';

function nestedNot(depth: number): unknown {
  let c: unknown = { fact: 'a', operator: 'equal', value: 1 };
  for (let i = 0; i < depth; i++) c = { not: c };
  return c;
}

describe('condition schema (structure only)', () => {
  it('accepts json-rules-engine conditions and returns the input itself', () => {
    const when = {
      all: [
        { condition: 'isPurchase' },
        { fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 50, name: 'big', priority: 2 },
        { any: [{ fact: 'customer.tier', operator: 'in', value: ['gold', 'platinum'] }] },
        { not: { fact: 'customer.profile', path: '$.address.country', operator: 'equal', value: { fact: 'store.country' } } },
      ],
    };
    const parsed = topLevelConditionSchema.parse(when);
    expect(parsed).toBe(when);
    expect(conditionSchema.parse({ fact: 'a', operator: 'equal', value: null })).toEqual({ fact: 'a', operator: 'equal', value: null });
  });

  it('reports each structural problem with its path and params.code', () => {
    const r = topLevelConditionSchema.safeParse({
      all: [
        { fact: 'a', operator: 'equal' },
        { fact: 'a', value: 1 },
        { all: [], any: [] },
        { fact: 'a', operator: 'equal', value: 1, extra: true },
        { not: [] },
        { any: 'x' },
        { condition: '' },
        { fact: 'a', operator: 'equal', value: { fact: 'b', nope: 1 } },
        { fact: 'a', operator: 'equal', value: new Decimal('1') },
        { fact: 'a', operator: 'equal', value: Number.NaN },
        { fact: 'a', operator: 'equal', value: 1, priority: 0 },
      ],
    });
    expect(r.success).toBe(false);
    const found = r.error?.issues.map((i) => ({ path: i.path, code: i.code === 'custom' ? (i.params as { code: string }).code : i.code }));
    expect(found).toEqual([
      { path: ['all', 0, 'value'], code: 'invalid_condition' },
      { path: ['all', 1, 'operator'], code: 'invalid_condition' },
      { path: ['all', 2], code: 'invalid_condition' },
      { path: ['all', 3, 'extra'], code: 'invalid_condition' },
      { path: ['all', 4, 'not'], code: 'invalid_condition' },
      { path: ['all', 5, 'any'], code: 'invalid_condition' },
      { path: ['all', 6, 'condition'], code: 'invalid_condition' },
      { path: ['all', 7, 'value', 'nope'], code: 'invalid_condition' },
      { path: ['all', 8, 'value'], code: 'invalid_condition' },
      { path: ['all', 9, 'value'], code: 'invalid_condition' },
      { path: ['all', 10, 'priority'], code: 'invalid_condition' },
    ]);
  });

  it('refuses a bare comparison at the top level', () => {
    expect(conditionStructureIssues({ fact: 'a', operator: 'equal', value: 1 }, ['when'])).toEqual([
      { code: 'invalid_condition', path: ['when'], message: 'a top-level condition must be all, any, not or a condition reference' },
    ]);
  });

  it('refuses hostile depth without overflowing the stack, and cyclic objects', () => {
    const deep = topLevelConditionSchema.safeParse(nestedNot(100_000));
    expect(deep.success).toBe(false);
    const first = deep.error?.issues[0];
    expect(first?.code === 'custom' ? first.params : undefined).toEqual({ code: 'condition_too_deep' });
    expect(deep.error?.issues[0]?.path.length).toBe(MAX_STRUCTURAL_DEPTH);

    const cyclic: { all: unknown[] } = { all: [] };
    cyclic.all.push(cyclic);
    expect(topLevelConditionSchema.safeParse(cyclic).success).toBe(false);

    let deepValue: unknown = 1;
    for (let i = 0; i < 100_000; i++) deepValue = [deepValue];
    const v = conditionStructureIssues({ all: [{ fact: 'a', operator: 'equal', value: deepValue }] });
    expect(v).toHaveLength(1);
    expect(v[0]?.message).toMatch(/deeper than 64/);
  });

  it('treats any object value with an own "fact" key as a fact reference', () => {
    expect(conditionStructureIssues({ all: [{ fact: 'a', operator: 'equal', value: { fact: 5 } }] })).toEqual([
      { code: 'invalid_condition', path: ['all', 0, 'value', 'fact'], message: 'fact must be a non-empty string' },
    ]);
    expect(conditionStructureIssues({ all: [{ fact: 'a', operator: 'equal', value: { facts: 5 } }] })).toEqual([]);
  });
});

import { describe, expectTypeOf, it } from 'vitest';
import type { CompiledConditions, ConditionTrace, CustomOperator, FactCatalog } from '../../src/rules';
import type { Condition, LeafCondition, TopLevelCondition } from '../../src/schema/condition';

describe('rule language types', () => {
  it('a rule root is all / any / not / a reference, never a bare comparison', () => {
    expectTypeOf<{ all: [] }>().toExtend<TopLevelCondition>();
    expectTypeOf<{ condition: 'isPurchase' }>().toExtend<TopLevelCondition>();
    expectTypeOf<LeafCondition>().not.toExtend<TopLevelCondition>();
    expectTypeOf<LeafCondition>().toExtend<Condition>();
    // @ts-expect-error a comparison needs an operator
    const bad: Condition = { fact: 'event.type', value: 'purchase' };
    void bad;
  });

  it('configs written as const literals are accepted', () => {
    const when = { all: [{ fact: 'order.subtotal', operator: 'greaterThan', value: 10 }, { not: { condition: 'x' } }] } as const;
    expectTypeOf(when).toExtend<TopLevelCondition>();
    const catalog = { 'order.subtotal': { type: 'decimal', description: 'x' } } as const;
    expectTypeOf(catalog).toExtend<FactCatalog>();
  });

  it('the evaluator returns booleans and traces', () => {
    expectTypeOf<CompiledConditions['evaluate']>().returns.toEqualTypeOf<boolean[]>();
    expectTypeOf<CompiledConditions['trace']>().returns.toEqualTypeOf<ConditionTrace>();
    expectTypeOf<CustomOperator>().returns.toEqualTypeOf<boolean>();
  });
});

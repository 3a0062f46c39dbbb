import { afterAll, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/errors';
import { validateConditions } from '../../src/rules';
import type { ConditionIssueCode, ConditionLimits, ConditionSet, CustomOperators, FactCatalog } from '../../src/rules';
import type { Condition, TopLevelCondition } from '../../src/schema/condition';

const FACTS = {
  'event.type': { type: 'string', description: 'event kind' },
  'order.subtotal': { type: 'decimal', description: 'subtotal' },
  'order.itemCount': { type: 'integer', description: 'items' },
  'customer.tier': { type: 'string', description: 'tier' },
  'customer.tags': { type: 'string[]', description: 'tags' },
  'customer.profile': { type: 'unknown', description: 'profile object' },
  'time.month': { type: 'integer', description: 'month' },
} as const satisfies FactCatalog;

const ALL_CODES: readonly ConditionIssueCode[] = [
  'invalid_condition',
  'unknown_operator',
  'invalid_custom_operator',
  'unknown_fact',
  'forbidden_fact',
  'in_value_not_array',
  'value_not_array',
  'missing_condition',
  'condition_cycle',
  'condition_too_deep',
  'condition_too_large',
  'invalid_path',
  'forbidden_path',
  'path_not_applicable',
  'params_not_supported',
];
const tried = new Set<string>();

const AT = ['rules', 3, 'when'] as const;

function check(
  condition: unknown,
  extra?: Partial<Omit<ConditionSet, 'conditions'>>,
  limits?: ConditionLimits,
): Issue[] {
  const issues = validateConditions(
    { conditions: [{ path: AT, condition: condition as TopLevelCondition }], facts: FACTS, sharedPath: ['shared'], ...extra },
    { limits },
  );
  for (const i of issues) tried.add(i.code);
  return issues;
}

const leaf = (fact: string, operator: string, value: unknown, more?: object): Condition => ({ fact, operator, value, ...more });

afterAll(() => {
  // Every issue class has a test that produces it.
  expect([...tried].sort()).toEqual([...ALL_CODES].sort());
  console.log(`validation issue classes exercised: ${[...tried].sort().join(', ')}`);
});

describe('validateConditions', () => {
  it('accepts a valid program', () => {
    expect(
      check(
        {
          all: [
            { condition: 'isPurchase' },
            leaf('order.subtotal', 'greaterThanInclusive', 50),
            leaf('customer.tier', 'notIn', ['bronze']),
            leaf('customer.tags', 'someFact:in', ['vip', 'staff']),
            leaf('customer.profile', 'equal', 'FR', { path: '$.address.country' }),
            leaf('time.month', 'equal', { fact: 'customer.profile', path: '$.birthMonth' }),
            leaf('event.type', 'startsWith', 'pur'),
          ],
        },
        {
          shared: { isPurchase: { all: [leaf('event.type', 'equal', 'purchase')] } },
          operators: { startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b) },
        },
      ),
    ).toEqual([]);
  });

  it('invalid_condition: structure, with the full path', () => {
    expect(check({ all: [{ fact: 'event.type', operator: 'equal' }] })).toMatchObject([
      { code: 'invalid_condition', path: [...AT, 'all', 0, 'value'] },
    ]);
  });

  it('unknown_operator, with a suggestion and for unknown decorators', () => {
    expect(check({ any: [leaf('event.type', 'equals', 'x'), leaf('event.type', 'sometimes:equal', 'x')] })).toEqual([
      { code: 'unknown_operator', path: [...AT, 'any', 0, 'operator'], message: 'unknown operator "equals" (did you mean "equal"?)' },
      {
        code: 'unknown_operator',
        path: [...AT, 'any', 1, 'operator'],
        message: 'unknown decorator "sometimes" in operator "sometimes:equal" (decorators: someFact, everyFact, someValue, everyValue, swap, not)',
      },
    ]);
  });

  it('invalid_custom_operator: a name that shadows a built-in, is not an identifier, or is not a function', () => {
    const operators = { equal: () => true, 'a:b': () => true, nope: 5 } as unknown as CustomOperators;
    expect(check({ all: [] }, { operators, operatorsPath: ['operators'] })).toMatchObject([
      { code: 'invalid_custom_operator', path: ['operators', 'equal'] },
      { code: 'invalid_custom_operator', path: ['operators', 'a:b'] },
      { code: 'invalid_custom_operator', path: ['operators', 'nope'] },
    ]);
  });

  it('unknown_fact, in the fact and in a fact reference', () => {
    expect(check({ all: [leaf('order.total', 'equal', { fact: 'time.day' })] })).toEqual([
      { code: 'unknown_fact', path: [...AT, 'all', 0, 'fact'], message: 'unknown fact "order.total" (did you mean "order.subtotal"?)' },
      { code: 'unknown_fact', path: [...AT, 'all', 0, 'value', 'fact'], message: 'unknown fact "time.day"' },
    ]);
  });

  it('forbidden_fact: a name that would read the prototype, even when catalogued', () => {
    const facts: FactCatalog = Object.fromEntries([
      ['constructor', { type: 'string', description: 'x' }],
      ['__proto__', { type: 'string', description: 'x' }],
    ]);
    expect(validateConditions({ conditions: [{ path: AT, condition: { all: [leaf('constructor', 'equal', 1), leaf('__proto__', 'equal', 1), leaf('toString', 'equal', 1)] } }], facts })).toMatchObject([
      { code: 'forbidden_fact', path: [...AT, 'all', 0, 'fact'] },
      { code: 'forbidden_fact', path: [...AT, 'all', 1, 'fact'] },
      { code: 'forbidden_fact', path: [...AT, 'all', 2, 'fact'] },
    ]);
    tried.add('forbidden_fact');
  });

  it('in_value_not_array: constant, fact of a known scalar type, swap:in on a scalar fact, someValue:in elements', () => {
    expect(
      check({
        all: [
          leaf('customer.tier', 'in', 'gold'),
          leaf('customer.tier', 'notIn', { fact: 'order.itemCount' }),
          leaf('customer.tier', 'in', { fact: 'customer.tags' }),
          leaf('customer.tier', 'in', { fact: 'customer.profile', path: '$.tiers' }),
          leaf('customer.tier', 'swap:in', 'gold'),
          leaf('customer.tags', 'swap:in', 'gold'),
          leaf('customer.tier', 'someValue:in', [['gold'], 'silver']),
        ],
      }),
    ).toMatchObject([
      { code: 'in_value_not_array', path: [...AT, 'all', 0, 'value'] },
      { code: 'in_value_not_array', path: [...AT, 'all', 1, 'value'] },
      { code: 'in_value_not_array', path: [...AT, 'all', 4, 'fact'] },
      { code: 'in_value_not_array', path: [...AT, 'all', 6, 'value', 1] },
    ]);
  });

  it('value_not_array: someValue / everyValue against a non-array', () => {
    expect(check({ all: [leaf('customer.tier', 'someValue:equal', 'gold'), leaf('order.itemCount', 'not:everyValue:lessThan', { fact: 'time.month' })] })).toMatchObject([
      { code: 'value_not_array', path: [...AT, 'all', 0, 'value'] },
      { code: 'value_not_array', path: [...AT, 'all', 1, 'value'] },
    ]);
  });

  it('missing_condition', () => {
    expect(check({ all: [{ not: { condition: 'isPurchse' } }] }, { shared: { isPurchase: { all: [] } } })).toEqual([
      { code: 'missing_condition', path: [...AT, 'all', 0, 'not', 'condition'], message: 'no shared condition "isPurchse" (did you mean "isPurchase"?)' },
    ]);
  });

  it('condition_cycle, reported where the cycle closes', () => {
    const shared = {
      a: { all: [{ condition: 'b' }] },
      b: { any: [leaf('event.type', 'equal', 'x'), { condition: 'a' }] },
      self: { not: { condition: 'self' } },
    };
    expect(check({ all: [{ condition: 'a' }] }, { shared })).toEqual([
      { code: 'condition_cycle', path: ['shared', 'b', 'any', 1, 'condition'], message: 'shared conditions refer to each other in a cycle: a → b → a' },
      { code: 'condition_cycle', path: ['shared', 'self', 'not', 'condition'], message: 'shared conditions refer to each other in a cycle: self → self' },
    ]);
  });

  it('condition_too_deep: own nesting, and nesting through a shared condition', () => {
    let deep: TopLevelCondition = { all: [leaf('event.type', 'equal', 'x')] };
    for (let i = 0; i < 3; i++) deep = { not: deep };
    expect(check(deep, {}, { maxDepth: 4 })).toMatchObject([{ code: 'condition_too_deep', path: [...AT, 'not', 'not', 'not', 'all', 0] }]);
    // deep itself is 5 levels: fine alone, too deep two levels down.
    expect(check({ all: [{ all: [{ condition: 'deep' }] }] }, { shared: { deep } }, { maxDepth: 5 })).toEqual([
      { code: 'condition_too_deep', path: [...AT, 'all', 0, 'all', 0], message: 'through shared condition "deep" this condition nests 7 levels (at most 5)' },
    ]);
  });

  it('condition_too_large: counted with shared conditions inlined (no exponential blow-up)', () => {
    const shared: Record<string, TopLevelCondition> = { s0: { all: [leaf('event.type', 'equal', 'x')] } };
    for (let i = 1; i <= 40; i++) shared[`s${i}`] = { all: [{ condition: `s${i - 1}` }, { condition: `s${i - 1}` }] };
    const issues = check({ any: [{ condition: 's40' }] }, { shared }, { maxDepth: 64 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'condition_too_large', path: AT });
    expect(check({ all: Array.from({ length: 20 }, () => leaf('event.type', 'equal', 'x')) }, {}, { maxNodes: 10 })).toMatchObject([
      { code: 'condition_too_large', path: AT },
    ]);
  });

  it('invalid_path and forbidden_path, in the fact and in a fact reference', () => {
    expect(
      check({
        all: [
          leaf('customer.profile', 'equal', 1, { path: "$.a['b']" }),
          leaf('customer.profile', 'equal', 1, { path: '$..a' }),
          leaf('customer.profile', 'equal', 1, { path: 'a.b' }),
          leaf('customer.profile', 'equal', 1, { path: '$.__proto__.polluted' }),
          leaf('customer.profile', 'equal', 1, { path: '$.a.constructor' }),
          leaf('customer.profile', 'equal', 1, { path: "$['prototype']" }),
          leaf('event.type', 'equal', { fact: 'customer.profile', path: '$.constructor.name' }),
          leaf('event.type', 'equal', { fact: 'customer.profile', path: '$[?(@.x)]' }),
        ],
      }),
    ).toMatchObject([
      { code: 'invalid_path', path: [...AT, 'all', 0, 'path'] },
      { code: 'invalid_path', path: [...AT, 'all', 1, 'path'] },
      { code: 'invalid_path', path: [...AT, 'all', 2, 'path'] },
      { code: 'forbidden_path', path: [...AT, 'all', 3, 'path'] },
      { code: 'forbidden_path', path: [...AT, 'all', 4, 'path'] },
      { code: 'forbidden_path', path: [...AT, 'all', 5, 'path'] },
      { code: 'forbidden_path', path: [...AT, 'all', 6, 'value', 'path'] },
      { code: 'invalid_path', path: [...AT, 'all', 7, 'value', 'path'] },
    ]);
  });

  it('path_not_applicable: a path on a scalar fact (jre would ignore it)', () => {
    expect(check({ all: [leaf('order.subtotal', 'equal', 1, { path: '$.amount' }), leaf('customer.tags', 'equal', 1, { path: '$.length' })] })).toMatchObject([
      { code: 'path_not_applicable', path: [...AT, 'all', 0, 'path'] },
    ]);
  });

  it('params_not_supported', () => {
    expect(check({ all: [leaf('event.type', 'equal', { fact: 'customer.tier', params: { x: 1 } }, { params: { y: 2 } })] })).toMatchObject([
      { code: 'params_not_supported', path: [...AT, 'all', 0, 'params'] },
      { code: 'params_not_supported', path: [...AT, 'all', 0, 'value', 'params'] },
    ]);
  });

  it('reports every issue of a config at once, and skips undefined conditions', () => {
    const issues = validateConditions({
      conditions: [
        { path: ['rules', 0, 'when'], condition: undefined },
        { path: ['rules', 1, 'when'], condition: { all: [leaf('nope', 'nope', 1)] } },
        { path: ['rules', 2, 'when'], condition: { condition: 'missing' } },
      ],
      facts: FACTS,
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['unknown_fact', ['rules', 1, 'when', 'all', 0, 'fact']],
      ['unknown_operator', ['rules', 1, 'when', 'all', 0, 'operator']],
      ['missing_condition', ['rules', 2, 'when', 'condition']],
    ]);
  });

  it('does not mutate its input', () => {
    const condition = { all: [leaf('event.type', 'in', ['a', 'b']), { condition: 'x' }] };
    const shared = { x: { any: [leaf('customer.tags', 'contains', 'vip')] } };
    const before = JSON.stringify({ condition, shared });
    check(condition, { shared: Object.freeze(shared) });
    expect(JSON.stringify({ condition, shared })).toBe(before);
  });
});

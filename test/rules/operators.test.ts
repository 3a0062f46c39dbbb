import { describe, expect, it } from 'vitest';
import { LoyaltyError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { builtInOperatorNames, builtInOperators, isCustomOperatorName, operatorDecoratorNames, resolveOperator } from '../../src/rules';

const D = (v: string | number): Decimal => new Decimal(v);
const op = (name: string) => {
  const r = resolveOperator(name, { startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b) });
  if (r === undefined) throw new Error(`no operator ${name}`);
  return r.evaluate;
};

type Case = readonly [factValue: unknown, value: unknown, expected: boolean];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    it.each(cases.map(([a, b, r]) => ({ a, b, r })))('$a, $b → $r', ({ a, b, r }) => {
      expect(op(name)(a, b)).toBe(r);
    });
  });
}

describe('operators', () => {
  it('has json-rules-engine 7.3.1 built-ins and decorators', () => {
    expect(Object.keys(builtInOperators).sort()).toEqual([...builtInOperatorNames].sort());
    expect(operatorDecoratorNames).toEqual(['someFact', 'everyFact', 'someValue', 'everyValue', 'swap', 'not']);
  });

  describe('decimal exactness', () => {
    it('0.1 + 0.2 equals 0.3 exactly (where floats would not)', () => {
      const sum = D('0.1').plus('0.2');
      expect(builtInOperators.equal(sum, 0.3)).toBe(true);
      expect(builtInOperators.equal(sum, D('0.3'))).toBe(true);
      expect(builtInOperators.notEqual(sum, 0.3)).toBe(false);
      expect(builtInOperators.greaterThan(sum, 0.3)).toBe(false);
      expect(builtInOperators.lessThanInclusive(sum, 0.3)).toBe(true);
      expect(builtInOperators.in(sum, [0.1, 0.3])).toBe(true);
      expect(builtInOperators.contains([D('0.3')], 0.3)).toBe(true);
    });

    it('19.99 is 19.99: a number literal is read through its decimal string', () => {
      expect(builtInOperators.equal(D('19.99'), 19.99)).toBe(true);
      expect(builtInOperators.equal(D('19.990'), 19.99)).toBe(true);
      expect(builtInOperators.greaterThanInclusive(D('19.99'), 19.99)).toBe(true);
      expect(builtInOperators.greaterThan(D('19.99'), 19.989999999)).toBe(true);
      expect(builtInOperators.lessThan(D('19.99'), 20)).toBe(true);
    });

    it("19.99 vs '19.99': equal is strict (a number is not a string), relations read the string as a number", () => {
      expect(builtInOperators.equal(D('19.99'), '19.99')).toBe(false);
      expect(builtInOperators.notEqual(D('19.99'), '19.99')).toBe(true);
      expect(builtInOperators.in(D('19.99'), ['19.99'])).toBe(false);
      expect(builtInOperators.greaterThanInclusive(D('19.99'), '19.99')).toBe(true);
      expect(builtInOperators.lessThan(D('19.99'), '19.990000000000000001')).toBe(true);
      expect(builtInOperators.lessThan(D('19.99'), 'abc')).toBe(false);
      expect(builtInOperators.greaterThan(D('19.99'), 'abc')).toBe(false);
    });

    it('exact beyond double precision', () => {
      const big = D('12345678901234567890.01');
      expect(builtInOperators.greaterThan(big, D('12345678901234567890'))).toBe(true);
      expect(builtInOperators.equal(big, D('12345678901234567890.010'))).toBe(true);
    });

    it('a Date compares as its epoch milliseconds, as the adapter hands it to jre', () => {
      const t = new Date(1_700_000_000_000);
      expect(builtInOperators.equal(t, 1_700_000_000_000)).toBe(true);
      expect(builtInOperators.equal(t, new Date(1_700_000_000_000))).toBe(true);
      expect(builtInOperators.lessThan(t, 1_800_000_000_000)).toBe(true);
      expect(builtInOperators.greaterThan(new Date(Number.NaN), 0)).toBe(false);
    });
  });

  table('equal', [
    ['gold', 'gold', true],
    ['gold', 'Gold', false],
    [1, '1', false],
    [1, 1, true],
    [Number.NaN, Number.NaN, false],
    [null, null, true],
    [true, true, true],
    [['a'], ['a'], false],
    [D(3), 3, true],
    [D(3), D('3.00'), true],
    [D(3), true, false],
  ]);
  table('notEqual', [
    ['gold', 'silver', true],
    ['gold', 'gold', false],
    [D('2.5'), 2.5, false],
    [0, -0, false],
  ]);
  table('in', [
    ['gold', ['gold', 'platinum'], true],
    ['silver', ['gold', 'platinum'], false],
    [3, [1, 2, 3], true],
    ['3', [1, 2, 3], false],
    [D('3.0'), [1, 2, 3], true],
    [Number.NaN, [Number.NaN], false],
    ['ol', 'gold', true], // jre: a string value means a substring test
    [null, [null], true],
  ]);
  table('notIn', [
    ['bronze', ['gold', 'platinum'], true],
    ['gold', ['gold'], false],
    [D(1), [1], false],
  ]);
  table('contains', [
    [['vip', 'new'], 'vip', true],
    [['vip', 'new'], 'old', false],
    ['vip', 'vip', false], // jre: the fact must be an array
    [[1, 2], 2, true],
    [[D('1.5')], 1.5, true],
    [[], 'x', false],
  ]);
  table('doesNotContain', [
    [['vip'], 'old', true],
    [['vip'], 'vip', false],
    ['not an array', 'x', false],
  ]);
  table('lessThan', [
    [1, 2, true],
    [2, 2, false],
    ['10', '9', true], // two strings compare as strings, as in JS and jre
    ['10', 9, false],
    ['12abc', 20, false], // passes jre's parseFloat check, then '12abc' < 20 is NaN < 20
    [true, 5, false], // parseFloat('true') is NaN: jre refuses booleans
    [null, 5, false],
    [undefined, 5, false],
    [['3'], 5, true], // an array compares as its join(): '3' < 5
    [2, null, false],
    [-1, null, true],
  ]);
  table('lessThanInclusive', [
    [2, 2, true],
    [D('2.00'), 2, true],
    [3, D('2.99'), false],
  ]);
  table('greaterThan', [
    [3, 2, true],
    ['b', 'a', false], // 'b' fails jre's parseFloat check
    ['9', '10', true], // string comparison
    [D('0.30'), D('0.3'), false],
    [5, '4', true],
    [5, 'x', false],
  ]);
  table('greaterThanInclusive', [
    [2, 2, true],
    [D('1e3'), '1000', true],
    [D(-1), 0, false],
  ]);

  describe('decorators (jre semantics)', () => {
    table('not:equal', [
      ['a', 'a', false],
      ['a', 'b', true],
    ]);
    table('not:contains', [
      ['not an array', 'x', true], // differs from doesNotContain: not(false)
      [['x'], 'x', false],
    ]);
    table('swap:in', [
      [['gold', 'vip'], 'vip', true],
      [['gold'], 'vip', false],
    ]);
    table('swap:contains', [
      ['vip', ['vip', 'staff'], true],
      ['guest', ['vip', 'staff'], false],
    ]);
    table('swap:lessThan', [
      [10, 5, true],
      [5, 10, false],
    ]);
    table('someFact:equal', [
      [['a', 'b'], 'b', true],
      [['a', 'b'], 'c', false],
      ['b', 'b', false], // not an array: false
      [[], 'b', false],
    ]);
    table('everyFact:equal', [
      [['a', 'a'], 'a', true],
      [['a', 'b'], 'a', false],
      [[], 'a', true],
      ['a', 'a', false],
    ]);
    table('someValue:equal', [
      ['b', ['a', 'b'], true],
      ['c', ['a', 'b'], false],
    ]);
    table('everyValue:lessThan', [
      [1, [2, 3], true],
      [2, [2, 3], false],
      [1, [], true],
    ]);
    table('not:someFact:equal', [
      [['a', 'b'], 'b', false],
      [['a', 'b'], 'c', true],
      ['b', 'b', true],
    ]);
    table('someFact:someValue:equal', [
      [['a', 'b'], ['b', 'c'], true],
      [['a'], ['b', 'c'], false],
    ]);
    table('someFact:startsWith', [
      [['gold-1', 'x'], 'gold', true],
      [['x'], 'gold', false],
    ]);
  });

  it('custom operators must return a boolean: anything else is a typed error, never silently false', () => {
    const r = resolveOperator('weird', { weird: (() => 1) as unknown as () => boolean });
    expect(() => r?.evaluate('a', 'b')).toThrow(LoyaltyError);
    expect(() => r?.evaluate('a', 'b')).toThrow(/custom operator weird returned number, not a boolean/);
    expect(r?.custom).toBe(true);
    expect(resolveOperator('exact', { exact: (a, b) => a === b })?.evaluate('a', 'a')).toBe(true);
  });

  it('throws invalid_operand where jre throws a TypeError', () => {
    expect(() => builtInOperators.in('a', 5)).toThrow(LoyaltyError);
    expect(() => builtInOperators.notIn('a', null)).toThrow(/needs an array value, got null/);
    expect(() => op('someValue:equal')('a', 'a')).toThrow(/someValue:equal needs an array value/);
    try {
      builtInOperators.in('a', D(1));
    } catch (e) {
      expect(e).toBeInstanceOf(LoyaltyError);
      expect((e as LoyaltyError).code).toBe('invalid_operand');
    }
  });

  it('resolves names like jre: unknown parts, empty parts and prototype names are unknown', () => {
    for (const name of ['', ':equal', 'not:', 'not::equal', 'nope:equal', 'constructor', '__proto__', 'toString', 'not:toString']) {
      expect(resolveOperator(name), name).toBeUndefined();
    }
    expect(resolveOperator('not:someFact:equal')?.decorators).toEqual(['not', 'someFact']);
    expect(resolveOperator('someValue:in')?.mayThrow).toBe(true);
    expect(resolveOperator('contains')?.mayThrow).toBe(false);
  });

  it('custom operator names are identifiers that shadow nothing', () => {
    expect(isCustomOperatorName('startsWith')).toBe(true);
    expect(isCustomOperatorName('equal')).toBe(false);
    expect(isCustomOperatorName('swap')).toBe(false);
    expect(isCustomOperatorName('a:b')).toBe(false);
    expect(isCustomOperatorName("x'); process.exit(1); //")).toBe(false);
  });
});

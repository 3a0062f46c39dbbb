import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoyaltyError, ProgramConfigError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { compileConditions } from '../../src/rules';
import type { CompileMode, FactCatalog, Facts } from '../../src/rules';
import type { TopLevelCondition } from '../../src/schema/condition';

const FACTS = {
  'event.type': { type: 'string', description: 'event kind' },
  'order.subtotal': { type: 'decimal', description: 'subtotal' },
  'order.itemCount': { type: 'integer', description: 'items' },
  'customer.tier': { type: 'string', description: 'tier' },
  'customer.tags': { type: 'string[]', description: 'tags' },
  'customer.birthMonth': { type: 'integer', description: 'birth month' },
  'customer.profile': { type: 'unknown', description: 'profile' },
  'customer.lifetimeSpend': { type: 'decimal', description: 'lifetime spend' },
  'time.month': { type: 'integer', description: 'month' },
  'event.at': { type: 'instant', description: 'when' },
  'membership.expiresAt': { type: 'instant', description: 'membership end' },
} as const satisfies FactCatalog;

const facts: Facts = {
  'event.type': 'purchase',
  'order.subtotal': new Decimal('19.99'),
  'order.itemCount': 3,
  'customer.tier': 'gold',
  'customer.tags': ['vip', 'newsletter'],
  'customer.birthMonth': 6,
  'customer.profile': { address: { country: 'FR' }, favouriteMonth: 6, limit: new Decimal('20') },
  'customer.lifetimeSpend': new Decimal('1000.00'),
  'time.month': 6,
  'event.at': new Date('2024-06-01T10:00:00Z'),
  'membership.expiresAt': new Date('2024-12-31T00:00:00Z'),
};

const SHARED = { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } } as const;

const MODES: readonly CompileMode[] = ['codegen', 'closure'];

describe.each(MODES)('compileConditions (%s)', (mode) => {
  const compile = (list: readonly (TopLevelCondition | undefined)[]) => compileConditions(list, { facts: FACTS, shared: SHARED, mode });

  it('evaluates a list in order; an undefined condition holds', () => {
    const c = compile([
      { all: [{ condition: 'isPurchase' }, { fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 19.99 }] },
      { all: [{ fact: 'order.subtotal', operator: 'greaterThan', value: 19.99 }] },
      undefined,
      { any: [] },
      { not: { all: [] } },
    ]);
    expect(c.mode).toBe(mode);
    expect(c.size).toBe(5);
    expect(c.evaluate(facts)).toEqual([true, false, true, true, false]);
    expect([0, 1, 2, 3, 4].map((i) => c.test(i, facts))).toEqual([true, false, true, true, false]);
  });

  it('writes into a given array', () => {
    const c = compile([{ all: [{ condition: 'isPurchase' }] }, { not: { condition: 'isPurchase' } }]);
    const out = [false, true];
    expect(c.evaluate(facts, out)).toBe(out);
    expect(out).toEqual([true, false]);
  });

  it('compares a fact with another fact, with paths on either side', () => {
    const c = compile([
      { all: [{ fact: 'customer.birthMonth', operator: 'equal', value: { fact: 'time.month' } }] },
      { all: [{ fact: 'customer.profile', path: '$.favouriteMonth', operator: 'equal', value: { fact: 'time.month' } }] },
      { all: [{ fact: 'order.subtotal', operator: 'lessThan', value: { fact: 'customer.profile', path: '$.limit' } }] },
      { all: [{ fact: 'event.at', operator: 'lessThan', value: { fact: 'membership.expiresAt' } }] },
      { all: [{ fact: 'customer.tier', operator: 'in', value: { fact: 'customer.tags' } }] },
      { all: [{ fact: 'customer.profile', path: '$.address.country', operator: 'equal', value: 'FR' }] },
      { all: [{ fact: 'customer.profile', path: '$.address.missing.deeper', operator: 'equal', value: null }] },
    ]);
    expect(c.evaluate(facts)).toEqual([true, true, true, true, false, true, false]);
    expect(c.evaluate({ ...facts, 'time.month': 7, 'customer.tags': ['gold'] })).toEqual([false, false, true, true, true, true, false]);
  });

  it('throws undefined_fact for a fact missing from the facts object when a comparison reads it (not when a short-circuit skips it)', () => {
    const c = compile([{ all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }, { fact: 'order.itemCount', operator: 'greaterThan', value: 1 }] }]);
    const partial: Record<string, unknown> = { ...facts };
    delete partial['order.itemCount'];
    const run = (): unknown => c.evaluate(partial);
    expect(run).toThrow(LoyaltyError);
    expect(run).toThrow(/fact "order.itemCount" is missing/);
    expect(() => c.test(0, partial)).toThrow(/order.itemCount/);
    expect(() => c.trace(0, partial)).toThrow(/order.itemCount/);
    try {
      run();
    } catch (e) {
      expect((e as LoyaltyError).issues).toEqual([expect.objectContaining({ code: 'undefined_fact', path: ['order.itemCount'] })]);
    }
    // A review: the all is decided by event.type, and order.itemCount is never read.
    const review = { ...partial, 'event.type': 'review' };
    expect(c.evaluate(review)).toEqual([false]);
    expect(c.test(0, review)).toBe(false);
    expect(c.trace(0, review).result).toBe(false);
  });

  it('gives a runtime operand error the path of its comparison', () => {
    const c = compileConditions([undefined, { all: [{ fact: 'customer.tier', operator: 'in', value: { fact: 'customer.profile', path: '$.address' } }] }], {
      facts: FACTS,
      mode,
      paths: [
        ['rules', 0, 'when'],
        ['rules', 1, 'when'],
      ],
    });
    try {
      c.evaluate(facts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LoyaltyError);
      expect((e as LoyaltyError).issues[0]).toMatchObject({ code: 'invalid_operand', path: ['rules', 1, 'when', 'all', 0] });
    }
  });

  it('refuses an invalid program with every issue, prefixed by the given paths', () => {
    try {
      compileConditions([{ all: [{ fact: 'nope', operator: 'equal', value: 1 }] }, { condition: 'missing' }], {
        facts: FACTS,
        mode,
        paths: [
          ['rules', 0, 'when'],
          ['rules', 1, 'when'],
        ],
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramConfigError);
      expect((e as ProgramConfigError).issues.map((i) => [i.code, i.path])).toEqual([
        ['unknown_fact', ['rules', 0, 'when', 'all', 0, 'fact']],
        ['missing_condition', ['rules', 1, 'when', 'condition']],
      ]);
    }
  });

  it('rejects an out-of-range index', () => {
    const c = compile([{ all: [] }]);
    expect(() => c.test(1, facts)).toThrow(RangeError);
    expect(() => c.trace(-1, facts)).toThrow(RangeError);
  });

  it('never mutates the conditions or the facts', () => {
    const list = [{ all: [{ condition: 'isPurchase' }, { fact: 'customer.tier', operator: 'in', value: ['gold'] }] }] as const;
    const before = JSON.stringify({ list, SHARED });
    const frozen = Object.freeze({ ...facts });
    compile(list).evaluate(frozen);
    expect(JSON.stringify({ list, SHARED })).toBe(before);
  });

  it('inlines a shared condition used many times', () => {
    const c = compile(Array.from({ length: 50 }, (_, i) => ({ all: [{ condition: 'isPurchase' }, { fact: 'order.itemCount', operator: 'greaterThan', value: i % 5 }] })));
    expect(c.evaluate(facts).filter(Boolean)).toHaveLength(30);
  });
});

describe('mode selection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const list = [{ all: [{ condition: 'isPurchase' }] }] as const;

  it("'auto' generates code where the runtime allows it", () => {
    expect(compileConditions(list, { facts: FACTS, shared: SHARED }).mode).toBe('codegen');
  });

  it("'auto' falls back to closures where new Function throws (CSP, edge runtimes)", () => {
    const csp = function Function(): never {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    vi.stubGlobal('Function', csp);
    const c = compileConditions(list, { facts: FACTS, shared: SHARED, mode: 'auto' });
    expect(c.mode).toBe('closure');
    expect(c.evaluate(facts)).toEqual([true]);
    expect(() => compileConditions(list, { facts: FACTS, shared: SHARED, mode: 'codegen' })).toThrow(EvalError);
    expect(compileConditions(list, { facts: FACTS, shared: SHARED, mode: 'closure' }).mode).toBe('closure');
  });

  it('forcing a mode uses it', () => {
    expect(compileConditions(list, { facts: FACTS, shared: SHARED, mode: 'closure' }).mode).toBe('closure');
    expect(compileConditions(list, { facts: FACTS, shared: SHARED, mode: 'codegen' }).mode).toBe('codegen');
  });
});

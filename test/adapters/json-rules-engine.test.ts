import { describe, expect, it } from 'vitest';
import { runJsonRulesEngine, toAlmanacFacts, toJsonRulesEngine } from '../../src/adapters/json-rules-engine';
import { LoyaltyError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { compileConditions } from '../../src/rules';
import type { FactCatalog } from '../../src/rules';
import type { TopLevelCondition } from '../../src/schema/condition';

describe('toAlmanacFacts', () => {
  it('turns Decimals into numbers through their decimal string and Dates into epoch ms, at any depth', () => {
    const shared = { z: new Decimal('0.30') };
    const facts = {
      'order.subtotal': new Decimal('19.99'),
      'order.sum': new Decimal('0.1').plus('0.2'),
      'event.at': new Date(86_400_000),
      'customer.profile': { limit: new Decimal('1e3'), dates: [new Date(0)], a: shared, b: shared },
      'customer.tags': ['vip'],
      'event.type': 'purchase',
    };
    const before = JSON.stringify(facts);
    const out = toAlmanacFacts(facts);
    expect(out).toEqual({
      'order.subtotal': 19.99,
      'order.sum': 0.3,
      'event.at': 86_400_000,
      'customer.profile': { limit: 1000, dates: [0], a: { z: 0.3 }, b: { z: 0.3 } },
      'customer.tags': ['vip'],
      'event.type': 'purchase',
    });
    const profile = out['customer.profile'] as { a: unknown; b: unknown };
    expect(profile.a).toBe(profile.b); // shared objects stay shared
    expect(JSON.stringify(facts)).toBe(before);
  });

  it('keeps a "__proto__" key an own property, never a prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>;
    const out = toAlmanacFacts({ profile: hostile });
    const profile = out.profile as Record<string, unknown>;
    expect(Object.getPrototypeOf(profile)).toBe(Object.prototype);
    expect(profile.admin).toBeUndefined();
    expect(Object.hasOwn(profile, '__proto__')).toBe(true);
  });
});

describe('toJsonRulesEngine / runJsonRulesEngine', () => {
  const shared = { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } } as const;
  const conditions = [
    { id: 'big', condition: { all: [{ condition: 'isPurchase' }, { fact: 'order.subtotal', operator: 'greaterThan', value: 100 }] } },
    { id: 'always', condition: { all: [] } },
    { id: 'vip', condition: { any: [{ fact: 'customer.tags', operator: 'startsWith', value: 'vi' }] } },
    { id: 'never', condition: { not: { all: [] } } },
  ] as const;
  const operators = { startsWith: (a: unknown, b: unknown) => Array.isArray(a) && a.some((x) => typeof x === 'string' && typeof b === 'string' && x.startsWith(b)) };

  it('builds one Engine from JSON and returns passing ids in declaration order', async () => {
    const engine = toJsonRulesEngine({ conditions, shared, operators });
    const facts = { 'event.type': 'purchase', 'order.subtotal': new Decimal('150.00'), 'customer.tags': ['vip'] };
    expect(await runJsonRulesEngine(engine, facts)).toEqual(['big', 'always', 'vip']);
    expect(await runJsonRulesEngine(engine, { ...facts, 'order.subtotal': new Decimal('100'), 'customer.tags': [] })).toEqual(['always']);
  });

  it('agrees with the compiled evaluator', async () => {
    const catalog: FactCatalog = {
      'event.type': { type: 'string', description: 'x' },
      'order.subtotal': { type: 'decimal', description: 'x' },
      'customer.tags': { type: 'string[]', description: 'x' },
    };
    const compiled = compileConditions(
      conditions.map((c) => c.condition),
      { facts: catalog, shared, operators },
    );
    const engine = toJsonRulesEngine({ conditions, shared, operators });
    for (const subtotal of ['99.99', '100', '100.01', '0.1']) {
      const facts = { 'event.type': 'purchase', 'order.subtotal': new Decimal(subtotal), 'customer.tags': ['vip'] };
      const ids = await runJsonRulesEngine(engine, facts);
      expect(compiled.evaluate(facts)).toEqual(conditions.map((c) => ids.includes(c.id)));
    }
  });

  it('never runs two evaluations on one Engine at once, and each caller gets its own answer', async () => {
    const engine = toJsonRulesEngine({ conditions, shared, operators });
    const subtotals = Array.from({ length: 30 }, (_, i) => 90 + i);
    const results = await Promise.all(
      subtotals.map((s) => runJsonRulesEngine(engine, { 'event.type': 'purchase', 'order.subtotal': new Decimal(s), 'customer.tags': [] })),
    );
    expect(results).toEqual(subtotals.map((s) => (s > 100 ? ['big', 'always'] : ['always'])));
  });

  it('does not let jre mutate the config, even across runs', async () => {
    const config = JSON.parse(JSON.stringify({ conditions, shared })) as { conditions: { id: string; condition: TopLevelCondition }[]; shared: Record<string, TopLevelCondition> };
    const before = JSON.stringify(config);
    const engine = toJsonRulesEngine({ ...config, operators });
    await runJsonRulesEngine(engine, { 'event.type': 'purchase', 'order.subtotal': new Decimal(1), 'customer.tags': [] });
    await runJsonRulesEngine(engine, { 'event.type': 'review', 'order.subtotal': new Decimal(1), 'customer.tags': [] });
    expect(JSON.stringify(config)).toBe(before);
  });

  it('rejects a missing fact (allowUndefinedFacts is off) and duplicate ids', async () => {
    const engine = toJsonRulesEngine({ conditions, shared, operators });
    await expect(runJsonRulesEngine(engine, { 'event.type': 'purchase' })).rejects.toThrow(/Undefined fact/);
    // The queue survives a failed run.
    expect(await runJsonRulesEngine(engine, { 'event.type': 'x', 'order.subtotal': new Decimal(1), 'customer.tags': [] })).toEqual(['always']);
    expect(() => toJsonRulesEngine({ conditions: [conditions[0], conditions[0]] })).toThrow(LoyaltyError);
  });
});

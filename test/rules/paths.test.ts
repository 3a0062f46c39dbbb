/*
 * Issue 9: paths with array indexes and a wildcard ($.items[0].sku, $.items[*].sku), compiled to
 * own-property reads, with json-rules-engine's (JSONPath, wrap: false) results.
 */
import { describe, expect, it } from 'vitest';
import { runJsonRulesEngine, toJsonRulesEngine } from '../../src/adapters/json-rules-engine';
import { ProgramConfigError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { compileConditions } from '../../src/rules';
import type { FactCatalog, Facts } from '../../src/rules';
import { pathKeys, readPath, WILDCARD } from '../../src/rules/path';
import type { TopLevelCondition } from '../../src/schema/condition';

const facts: FactCatalog = { order: { type: 'unknown', description: 'an order' }, tags: { type: 'string[]', description: 'tags' }, name: { type: 'string', description: 'x' } };

const ORDERS: readonly Facts[] = [
  { order: { items: [{ sku: 'a', price: new Decimal('9.99'), qty: 2 }, { sku: 'b', price: new Decimal('20'), qty: 1 }] }, tags: ['vip', 'new'], name: 'ana' },
  { order: { items: [{ sku: 'b', price: new Decimal('20') }] }, tags: ['vip'], name: 'bo' },
  { order: { items: [] }, tags: [], name: '' },
  { order: { items: [{ qty: 1 }, { sku: null }] }, tags: ['x'], name: 'c' },
  { order: { items: { first: { sku: 'a' }, second: { sku: 'c' } } }, tags: ['a', 'b', 'c'], name: 'dee' },
  { order: { items: 'not a list' }, tags: ['a'], name: 'e' },
  { order: 5, tags: ['a'], name: 'f' },
  { order: null, tags: ['a'], name: 'g' },
];

const CONDITIONS: readonly TopLevelCondition[] = [
  { all: [{ fact: 'order', path: '$.items[0].sku', operator: 'equal', value: 'a' }] },
  { all: [{ fact: 'order', path: '$.items[1].sku', operator: 'equal', value: 'b' }] },
  { all: [{ fact: 'order', path: '$.items[*].sku', operator: 'contains', value: 'b' }] },
  { all: [{ fact: 'order', path: '$.items[*].sku', operator: 'equal', value: 'b' }] },
  { all: [{ fact: 'order', path: '$.items[*].sku', operator: 'in', value: ['a', 'b'] }] },
  { all: [{ fact: 'order', path: '$.items[*].price', operator: 'someFact:greaterThan', value: 10 }] },
  { all: [{ fact: 'order', path: '$.items[*].price', operator: 'everyFact:lessThan', value: 100 }] },
  { all: [{ fact: 'order', path: '$.items[*]', operator: 'equal', value: null }] },
  { all: [{ fact: 'order', path: '$.items[*].qty', operator: 'notEqual', value: null }] },
  { all: [{ fact: 'order', path: '$.items[0]', operator: 'notEqual', value: null }] },
  { all: [{ fact: 'order', path: '$.items[5].sku', operator: 'equal', value: null }] },
  { all: [{ fact: 'order', path: '$.items[0].sku', operator: 'equal', value: { fact: 'order', path: '$.items[1].sku' } }] },
  { all: [{ fact: 'tags', path: '$[0]', operator: 'equal', value: 'vip' }] },
  { all: [{ fact: 'tags', path: '$[*]', operator: 'contains', value: 'a' }] },
  { all: [{ fact: 'tags', path: '$[*]', operator: 'equal', value: 'x' }] },
  { all: [{ fact: 'name', operator: 'equal', value: 'ana' }] },
  { all: [{ fact: 'order', path: '$.items.length', operator: 'greaterThan', value: 1 }] },
];

describe('paths with indexes and [*]', () => {
  it('parse into own-property keys', () => {
    expect(pathKeys('$.items[0].sku')).toEqual(['items', '0', 'sku']);
    expect(pathKeys('$.items[*].sku')).toEqual(['items', WILDCARD, 'sku']);
    expect(pathKeys('$[12][*]')).toEqual(['12', WILDCARD]);
    expect(readPath({ items: [{ sku: 'a' }] }, pathKeys('$.items[*].sku'))).toEqual(['a']);
    expect(readPath({ items: [{ sku: 'a' }] }, pathKeys('$.items[0].sku'))).toBe('a');
    expect(readPath({ items: [{}] }, pathKeys('$.items[*].sku'))).toBeUndefined();
  });

  it('agree with json-rules-engine in both modes and in the trace', async () => {
    const engine = toJsonRulesEngine({ conditions: CONDITIONS.map((condition, i) => ({ id: `c${i}`, condition })) });
    for (const mode of ['codegen', 'closure'] as const) {
      const compiled = compileConditions(CONDITIONS, { facts, mode });
      for (const [n, values] of ORDERS.entries()) {
        const passed = new Set(await runJsonRulesEngine(engine, values));
        const expected = CONDITIONS.map((_, i) => passed.has(`c${i}`));
        expect(compiled.evaluate(values), `${mode}, facts #${n}`).toEqual(expected);
        expect(CONDITIONS.map((_, i) => compiled.trace(i, values).result), `${mode} trace, facts #${n}`).toEqual(expected);
      }
    }
  });

  it('read only own properties, even through [*] over a parsed "__proto__" key', () => {
    const hostile: unknown = JSON.parse('{"items": {"__proto__": {"sku": "evil"}, "a": {"sku": "ok"}}}');
    for (const mode of ['codegen', 'closure'] as const) {
      const compiled = compileConditions([{ all: [{ fact: 'order', path: '$.items[*].sku', operator: 'contains', value: 'evil' }] }], { facts, mode });
      // The own "__proto__" key is data: read as such, never as the prototype.
      expect(compiled.evaluate({ order: hostile, tags: [], name: '' })).toEqual([true]);
    }
    expect(({} as Record<string, unknown>).sku).toBeUndefined();
  });

  it('refuse what stays unsupported: recursive descent, filters, slices, quoted keys, negative or padded indexes', () => {
    for (const path of ['$..sku', '$.items[?(@.sku)]', '$.items[0:2]', "$['items']", '$.items[-1]', '$.items[01]', '$.items.*', '$.items[0,1]']) {
      try {
        compileConditions([{ all: [{ fact: 'order', path, operator: 'equal', value: 1 }] }], { facts });
        expect.unreachable(path);
      } catch (e) {
        expect(e instanceof ProgramConfigError ? e.issues.map((i) => i.code) : e, path).toEqual(['invalid_path']);
      }
    }
  });
});

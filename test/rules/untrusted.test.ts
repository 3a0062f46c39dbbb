/*
 * RELIABILITY 17: untrusted rule configs are safe. Nothing in a config or an event reaches
 * generated code as code; paths cannot reach __proto__ / constructor; size and depth limits hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProgramConfigError } from '../../src/errors';
import { compileConditions, validateConditions } from '../../src/rules';
import type { FactCatalog } from '../../src/rules';
import { generateSource } from '../../src/rules/compile-codegen';
import { buildIr } from '../../src/rules/ir';
import type { NodeIr } from '../../src/rules/ir';
import type { TopLevelCondition } from '../../src/schema/condition';

declare global {
  var __pwned: unknown;
}

const PAYLOADS = [
  "'); globalThis.__pwned = 1; //",
  '"); globalThis.__pwned = 2; //',
  '`); globalThis.__pwned = 3; //',
  '\\\'); globalThis.__pwned = 4; //',
  '*/ globalThis.__pwned = 5; /*',
  '\u2028globalThis.__pwned = 6;',
  '${globalThis.__pwned = 7}',
  '}); globalThis.__pwned = 8; (function(){',
] as const;

function issuesOf(e: unknown): string[] {
  return e instanceof ProgramConfigError ? e.issues.map((i) => i.code) : [];
}

afterEach(() => {
  expect(globalThis.__pwned).toBeUndefined();
});

describe('untrusted configs (RELIABILITY 17)', () => {
  it('fact names, values and shared-condition names full of JS are data, never code', () => {
    for (const payload of PAYLOADS) {
      const facts: FactCatalog = { [payload]: { type: 'string', description: 'a user-registered fact with a hostile name' }, 'x.list': { type: 'string[]', description: 'list' } };
      const shared: Record<string, TopLevelCondition> = { [payload]: { all: [{ fact: payload, operator: 'equal', value: payload }] } };
      const list: TopLevelCondition[] = [
        { all: [{ condition: payload }] },
        { any: [{ fact: payload, operator: 'in', value: [payload, 'x'] }] },
        { all: [{ fact: 'x.list', operator: 'contains', value: payload }] },
        { all: [{ fact: payload, operator: 'equal', value: { fact: payload } }] },
      ];
      for (const mode of ['codegen', 'closure'] as const) {
        const c = compileConditions(list, { facts, shared, mode });
        // A value with JS in it simply compares as a string.
        expect(c.evaluate({ [payload]: payload, 'x.list': [payload] })).toEqual([true, true, true, true]);
        expect(c.evaluate({ [payload]: 'something else', 'x.list': [] })).toEqual([false, false, false, true]);
      }
      const ctx = { facts, operators: undefined, shared, sharedPath: ['shared'], memo: new Map<string, NodeIr>() };
      const { source, names, consts } = generateSource(list.map((l, i) => buildIr(l, [i], ctx)));
      expect(source).not.toContain('__pwned');
      expect(source).not.toContain(payload);
      expect(names).toContain(payload);
      expect(consts).toContain(payload);
    }
  });

  it('generated source has no string literal but its own, and names only as indexes', () => {
    const facts: FactCatalog = { 'order.subtotal': { type: 'decimal', description: 'x' }, 'customer.tier': { type: 'string', description: 'x' } };
    const ctx = { facts, operators: undefined, shared: {}, sharedPath: ['shared'], memo: new Map<string, NodeIr>() };
    const { source } = generateSource([
      buildIr({ all: [{ fact: 'order.subtotal', operator: 'greaterThan', value: 10 }, { fact: 'customer.tier', operator: 'in', value: ['gold', 'vip'] }] }, [0], ctx),
    ]);
    expect(new Set(source.match(/'[^']*'|"[^"]*"|`/g))).toEqual(new Set(["'number'", "'use strict'"]));
    expect(source).not.toMatch(/subtotal|tier|gold|vip/);
  });

  it('operator names with JS in them are unknown operators or invalid custom operators', () => {
    for (const payload of PAYLOADS) {
      const facts: FactCatalog = { a: { type: 'string', description: 'x' } };
      try {
        compileConditions([{ all: [{ fact: 'a', operator: payload, value: 1 }] }], { facts, operators: { [payload]: () => true } });
        expect.unreachable();
      } catch (e) {
        expect(issuesOf(e)).toEqual(['invalid_custom_operator', 'unknown_operator']);
      }
    }
  });

  it('paths cannot reach __proto__, constructor or prototype; reads are own-property only', () => {
    const facts: FactCatalog = { profile: { type: 'unknown', description: 'x' } };
    for (const path of [
      '$.__proto__',
      '$.constructor',
      '$.a.prototype',
      '$.constructor.prototype',
      "$['__proto__']",
      '$..constructor',
      '$.items[*].__proto__',
      '$[*].constructor',
      '$.items[0].prototype',
      "$.items[0]['constructor']",
      '$.items[*]["__proto__"]',
    ]) {
      try {
        compileConditions([{ all: [{ fact: 'profile', path, operator: 'equal', value: 1 }] }], { facts });
        expect.unreachable();
      } catch (e) {
        expect(issuesOf(e)).toEqual(['forbidden_path']);
      }
    }
    const polluted: unknown = JSON.parse('{"__proto__": {"admin": true}, "own": {"toString": "x"}}');
    for (const mode of ['codegen', 'closure'] as const) {
      const c = compileConditions(
        [
          { all: [{ fact: 'profile', path: '$.admin', operator: 'equal', value: true }] },
          { all: [{ fact: 'profile', path: '$.toString', operator: 'equal', value: null }] },
          { all: [{ fact: 'profile', path: '$.hasOwnProperty', operator: 'notEqual', value: null }] },
          { all: [{ fact: 'profile', path: '$.own.toString', operator: 'equal', value: 'x' }] },
        ],
        { facts, mode },
      );
      expect(c.evaluate({ profile: polluted })).toEqual([false, false, true, true]);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('fact names that would read the facts object prototype are refused', () => {
    const facts: FactCatalog = Object.fromEntries(['constructor', 'toString', 'hasOwnProperty'].map((n) => [n, { type: 'unknown', description: 'x' }]));
    const issues = validateConditions({
      conditions: [{ path: [], condition: { any: ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((fact) => ({ fact, operator: 'equal', value: 1 })) } }],
      facts,
    });
    expect(issues.map((i) => i.code)).toEqual(['forbidden_fact', 'forbidden_fact', 'forbidden_fact', 'forbidden_fact']);
  });

  it('refuses huge depth and size without overflowing the stack', () => {
    const facts: FactCatalog = { a: { type: 'integer', description: 'x' } };
    let deep: TopLevelCondition = { all: [{ fact: 'a', operator: 'equal', value: 1 }] };
    for (let i = 0; i < 50_000; i++) deep = { not: deep };
    expect(() => compileConditions([deep], { facts })).toThrow(ProgramConfigError);
    try {
      compileConditions([deep], { facts });
    } catch (e) {
      expect(issuesOf(e)).toEqual(['condition_too_deep']);
    }
    let seventeen: TopLevelCondition = { all: [] };
    for (let i = 0; i < 16; i++) seventeen = { not: seventeen };
    expect(() => compileConditions([seventeen], { facts })).toThrow(/nested deeper than 16/);

    const wide = { any: Array.from({ length: 100_000 }, (_, i) => ({ fact: 'a', operator: 'equal', value: i })) };
    try {
      compileConditions([wide], { facts });
      expect.unreachable();
    } catch (e) {
      expect(issuesOf(e)).toEqual(['condition_too_large']);
    }

    // A chain of 100,000 shared conditions: refused before any recursion could overflow.
    const chain: Record<string, TopLevelCondition> = { c0: { all: [] } };
    for (let i = 1; i < 100_000; i++) chain[`c${i}`] = { all: [{ condition: `c${i - 1}` }] };
    try {
      compileConditions([{ all: [{ condition: 'c99999' }] }], { facts, shared: chain });
      expect.unreachable();
    } catch (e) {
      expect(issuesOf(e)).toEqual(['condition_too_large']);
    }

    // 2^60 inlined copies of one shared condition: refused by arithmetic, not by expanding it.
    const shared: Record<string, TopLevelCondition> = { s0: { all: [{ fact: 'a', operator: 'equal', value: 1 }] } };
    for (let i = 1; i <= 60; i++) shared[`s${i}`] = { any: [{ condition: `s${i - 1}` }, { condition: `s${i - 1}` }] };
    try {
      compileConditions([{ all: [{ condition: 's60' }] }], { facts, shared, limits: { maxDepth: 100 } });
      expect.unreachable();
    } catch (e) {
      expect(issuesOf(e)).toContain('condition_too_large');
    }
  });
});

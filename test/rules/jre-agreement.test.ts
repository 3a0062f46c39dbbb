/*
 * Issue 9, "disagreements to remove": each reproduced, each checked against json-rules-engine
 * 7.3.1 (through the adapter) and in both compile modes and the trace.
 */
import { describe, expect, it } from 'vitest';
import { runJsonRulesEngine, toJsonRulesEngine } from '../../src/adapters/json-rules-engine';
import { LoyaltyError } from '../../src/errors';
import { Decimal } from '../../src/money/decimal';
import { compileConditions } from '../../src/rules';
import type { CompileMode, CustomOperators, FactCatalog, Facts } from '../../src/rules';
import type { TopLevelCondition } from '../../src/schema/condition';

const MODES: readonly CompileMode[] = ['codegen', 'closure'];

interface Case {
  readonly facts: FactCatalog;
  readonly operators?: CustomOperators;
  readonly allowUndefinedFacts?: boolean;
}

/** The library's answer in both modes and through the trace, which must all agree. */
function ours(c: Case, list: readonly TopLevelCondition[], values: Facts): boolean[] {
  const answers = MODES.map((mode) => {
    const compiled = compileConditions(list, { facts: c.facts, operators: c.operators, mode, allowUndefinedFacts: c.allowUndefinedFacts });
    const all = compiled.evaluate(values);
    expect(list.map((_, i) => compiled.test(i, values)), `${mode} test()`).toEqual(all);
    expect(list.map((_, i) => compiled.trace(i, values).result), `${mode} trace()`).toEqual(all);
    return all;
  });
  expect(answers[0], 'codegen = closure').toEqual(answers[1]);
  return answers[0] ?? [];
}

async function jre(c: Case, list: readonly TopLevelCondition[], values: Facts): Promise<boolean[]> {
  const engine = toJsonRulesEngine({
    conditions: list.map((condition, i) => ({ id: `r${i}`, condition })),
    operators: c.operators,
    allowUndefinedFacts: c.allowUndefinedFacts,
  });
  const passed = new Set(await runJsonRulesEngine(engine, values));
  return list.map((_, i) => passed.has(`r${i}`));
}

describe('disagreement 1: the constant -0', () => {
  it('reaches a custom operator as -0 in both modes, as in json-rules-engine', async () => {
    const c: Case = {
      facts: { a: { type: 'integer', description: 'x' } },
      operators: { isNegativeZero: (_a, b) => Object.is(b, -0) },
    };
    // 0 first, so a Map keyed by value would hand -0's slot the constant 0.
    const list: TopLevelCondition[] = [
      { all: [{ fact: 'a', operator: 'equal', value: 0 }] },
      { all: [{ fact: 'a', operator: 'isNegativeZero', value: -0 }] },
      { all: [{ fact: 'a', operator: 'isNegativeZero', value: 0 }] },
    ];
    expect(ours(c, list, { a: 0 })).toEqual([true, true, false]);
    expect(await jre(c, list, { a: 0 })).toEqual([true, true, false]);
  });
});

describe('disagreement 2: a fact name that looks like a path read', () => {
  it('a fact named "a\\u0000$.b" and the read of "a" at "$.b" are two reads', async () => {
    const c: Case = { facts: { a: { type: 'unknown', description: 'x' }, 'a\u0000$.b': { type: 'string', description: 'y' } } };
    const list: TopLevelCondition[] = [
      { all: [{ fact: 'a', path: '$.b', operator: 'equal', value: 'from-path' }] },
      { all: [{ fact: 'a\u0000$.b', operator: 'equal', value: 'plain' }] },
    ];
    const values = { a: { b: 'from-path' }, 'a\u0000$.b': 'plain' };
    expect(ours(c, list, values)).toEqual([true, true]);
    expect(await jre(c, list, values)).toEqual([true, true]);
  });
});

describe('disagreement 3: decimals as text', () => {
  it('a Decimal becomes the text JavaScript makes of the same double (exponents from 1e21 and below 1e-6)', async () => {
    // `in` against a string constant is refused at definition time; against a fact it is a substring test.
    const c: Case = {
      facts: { d: { type: 'decimal', description: 'x' }, l: { type: 'unknown', description: 'a list' }, s: { type: 'unknown', description: 'text' } },
    };
    const texts = ['x1e+21x', 'x1e-7x', '100000000000000000000', '0.000001', '1e+21,2', '1e-7,2', '0,2'];
    const list: TopLevelCondition[] = [
      { all: [{ fact: 'd', operator: 'in', value: { fact: 's' } }] },
      { all: [{ fact: 'l', operator: 'in', value: { fact: 's' } }] },
      { all: [{ fact: 'l', operator: 'lessThan', value: { fact: 's' } }] },
    ];
    for (const [d, l] of [
      ['1e21', ['1e21', '2']],
      ['1e-7', ['1e-7', '2']],
      ['1e20', ['1e20', '2']],
      ['0.000001', ['0.000001', '2']],
      ['-0', ['-0', '2']],
    ] as const) {
      for (const text of texts) {
        const values = { d: new Decimal(d), l: l.map((x) => new Decimal(x)), s: text };
        expect(ours(c, list, values), `${d} / ${text}`).toEqual(await jre(c, list, values));
      }
    }
    // And the cases that differed before.
    expect(ours(c, list, { d: new Decimal('1e21'), l: [], s: 'x1e+21x' })[0]).toBe(true);
    expect(ours(c, list, { d: new Decimal('1e-7'), l: [], s: 'x1e-7x' })[0]).toBe(true);
  });
});

describe('disagreement 4: custom operators that return a non-boolean', () => {
  it('are refused with a typed error in both modes and in the trace (never counted as false)', () => {
    const c: Case = { facts: { a: { type: 'string', description: 'x' } }, operators: { loose: (a, b) => (a === b ? 1 : 0) as unknown as boolean } };
    for (const mode of MODES) {
      const compiled = compileConditions([{ all: [{ fact: 'a', operator: 'loose', value: 'x' }] }, { all: [{ fact: 'a', operator: 'not:loose', value: 'x' }] }], {
        facts: c.facts,
        operators: c.operators,
        mode,
        paths: [['rules', 0, 'when'], ['rules', 1, 'when']],
      });
      for (const run of [() => compiled.evaluate({ a: 'x' }), () => compiled.test(1, { a: 'y' }), () => compiled.trace(0, { a: 'x' })]) {
        expect(run).toThrow(LoyaltyError);
        try {
          run();
        } catch (e) {
          expect((e as LoyaltyError).issues[0]).toMatchObject({ code: 'invalid_operator_result' });
          expect((e as LoyaltyError).issues[0]?.path[0]).toBe('rules');
        }
      }
    }
  });
});

describe('disagreement 5: process and explain agree when a sibling would throw', () => {
  it('a decided any / all does not evaluate (nor throw for) its later siblings, in the trace either', async () => {
    const c: Case = { facts: { a: { type: 'integer', description: 'x' }, s: { type: 'unknown', description: 'y' } } };
    const throwing = { fact: 'a', operator: 'in', value: { fact: 's' } };
    const list: TopLevelCondition[] = [
      { any: [{ fact: 'a', operator: 'equal', value: 1, priority: 2 }, throwing] },
      { all: [{ fact: 'a', operator: 'equal', value: 2, priority: 2 }, throwing] },
    ];
    const values = { a: 1, s: 5 };
    expect(ours(c, list, values)).toEqual([true, false]);
    expect(await jre(c, list, values)).toEqual([true, false]);
    // The trace still shows the later sibling, marked as not needed, its error recorded.
    const t = compileConditions(list, { facts: c.facts }).trace(0, values);
    expect(t).toMatchObject({ kind: 'any', result: true, children: [{ kind: 'comparison', result: true }, { kind: 'comparison', skipped: true, error: { code: 'invalid_operand' } }] });
  });
});

describe('disagreement 6: priority orders siblings, highest first', () => {
  it('a higher-priority sibling decides before a lower one that would throw', async () => {
    const c: Case = { facts: { a: { type: 'integer', description: 'x' }, s: { type: 'unknown', description: 'y' } } };
    const throwing = { fact: 'a', operator: 'in', value: { fact: 's' } };
    const list: TopLevelCondition[] = [
      { any: [throwing, { fact: 'a', operator: 'equal', value: 1, priority: 10 }] },
      { all: [{ ...throwing, priority: 1 }, { fact: 'a', operator: 'equal', value: 2, priority: 5 }] },
      { all: [{ any: [throwing], priority: 1 }, { not: { fact: 'a', operator: 'equal', value: 1 }, priority: 3 }] },
    ];
    const values = { a: 1, s: 5 };
    expect(ours(c, list, values)).toEqual([true, false, false]);
    expect(await jre(c, list, values)).toEqual([true, false, false]);
  });
});

describe('disagreement 7: missing and undefined facts', () => {
  const c: Case = { facts: { a: { type: 'integer', description: 'x' }, b: { type: 'integer', description: 'y' } } };

  it('a fact that is never read never throws', async () => {
    const list: TopLevelCondition[] = [{ any: [{ fact: 'b', operator: 'equal', value: 1 }, { fact: 'a', operator: 'equal', value: 1, priority: 2 }] }];
    expect(ours(c, list, { a: 1 })).toEqual([true]);
    expect(await jre(c, list, { a: 1 })).toEqual([true]);
  });

  it('a fact present with the value undefined is read as undefined, as json-rules-engine does', async () => {
    const list: TopLevelCondition[] = [{ all: [{ fact: 'a', operator: 'equal', value: 1 }] }, { all: [{ fact: 'a', operator: 'notEqual', value: 1 }] }];
    expect(ours(c, list, { a: undefined, b: 1 })).toEqual([false, true]);
    expect(await jre(c, list, { a: undefined, b: 1 })).toEqual([false, true]);
  });

  it('allowUndefinedFacts: a missing fact reads as undefined', async () => {
    const lax: Case = { ...c, allowUndefinedFacts: true };
    const list: TopLevelCondition[] = [
      { all: [{ fact: 'b', operator: 'equal', value: 1 }] },
      { all: [{ fact: 'b', operator: 'notEqual', value: 1 }] },
      { all: [{ fact: 'a', operator: 'equal', value: { fact: 'b' } }] },
    ];
    expect(ours(lax, list, { a: 1 })).toEqual([false, true, false]);
    expect(await jre(lax, list, { a: 1 })).toEqual([false, true, false]);
  });

  it('without it, a missing fact that is read throws undefined_fact in both modes and in the trace', () => {
    for (const mode of MODES) {
      const compiled = compileConditions([{ all: [{ fact: 'a', operator: 'equal', value: 1 }, { fact: 'b', operator: 'equal', value: 1 }] }], { facts: c.facts, mode });
      expect(() => compiled.evaluate({ a: 1 })).toThrow(/fact "b" is missing/);
      expect(() => compiled.trace(0, { a: 1 })).toThrow(/fact "b" is missing/);
      // Short-circuited: b is never read.
      expect(compiled.evaluate({ a: 2 })).toEqual([false]);
    }
  });
});

describe('custom properties', () => {
  it('id, customId, name and description are accepted on any node and passed through to the trace', async () => {
    const c: Case = { facts: { a: { type: 'integer', description: 'x' } } };
    const list: TopLevelCondition[] = [
      {
        customId: 'root',
        all: [
          { id: 'leaf-1', customId: { uuid: 'x' }, name: 'a is one', description: 'checks a', fact: 'a', operator: 'equal', value: 1 },
          { not: { fact: 'a', operator: 'equal', value: 2 }, id: 7 },
        ],
      },
    ];
    expect(ours(c, list, { a: 1 })).toEqual([true]);
    expect(await jre(c, list, { a: 1 })).toEqual([true]);
    const t = compileConditions(list, { facts: c.facts }).trace(0, { a: 1 });
    expect(t).toMatchObject({
      properties: { customId: 'root' },
      children: [{ properties: { id: 'leaf-1', customId: { uuid: 'x' }, name: 'a is one', description: 'checks a' } }, { kind: 'not', properties: { id: 7 } }],
    });
    // Other unknown keys are still refused (typos such as "priorty" must not pass silently).
    expect(() => compileConditions([{ all: [{ fact: 'a', operator: 'equal', value: 1, priorty: 2 } as never] }], { facts: c.facts })).toThrow(/unknown key "priorty"/);
  });
});

describe('params', () => {
  const facts: FactCatalog = {
    spentOn: { type: 'decimal', description: 'amount spent in a category', params: true },
    order: { type: 'unknown', description: 'an order' },
    a: { type: 'integer', description: 'x' },
  };
  const spending: Readonly<Record<string, number>> = { shoes: 120, books: 15.5 };
  const values: Facts = {
    spentOn: (p: Readonly<Record<string, unknown>>) => new Decimal(spending[String(p.category)] ?? 0),
    order: { lines: [{ sku: 'x' }] },
    a: 1,
  };

  it('a fact registered with params: true is called with the condition params, as a jre dynamic fact', async () => {
    const list: TopLevelCondition[] = [
      { all: [{ fact: 'spentOn', params: { category: 'shoes' }, operator: 'greaterThan', value: 100 }] },
      { all: [{ fact: 'spentOn', params: { category: 'books' }, operator: 'greaterThan', value: 100 }] },
      { all: [{ fact: 'a', operator: 'lessThan', value: { fact: 'spentOn', params: { category: 'books' } } }] },
      { any: [{ fact: 'spentOn', params: { category: 'books' }, operator: 'equal', value: 15.5 }, { fact: 'spentOn', params: { category: 'none' }, operator: 'equal', value: 0 }] },
    ];
    expect(ours({ facts }, list, values)).toEqual([true, false, true, true]);
    expect(await jre({ facts }, list, values)).toEqual([true, false, true, true]);
    const t = compileConditions(list, { facts }).trace(0, values);
    expect(t).toMatchObject({ children: [{ factValue: new Decimal(120), result: true }] });
  });

  it('params on a fact that takes none are refused', () => {
    expect(() => compileConditions([{ all: [{ fact: 'a', params: { x: 1 }, operator: 'equal', value: 1 }] }], { facts })).toThrow(/fact "a" takes no params/);
    expect(() => compileConditions([{ all: [{ fact: 'a', operator: 'equal', value: { fact: 'order', params: { x: 1 } } }] }], { facts })).toThrow(
      /fact "order" takes no params/,
    );
  });
});

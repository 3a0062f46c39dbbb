/*
 * Issue 9 acceptance: random conditions and facts in the domain both sides share (numbers,
 * strings, booleans, arrays, null, objects read through paths, missing facts), with priorities
 * and allowUndefinedFacts, through json-rules-engine 7.3.1's engine.run(), both compile modes and
 * the trace. Wherever json-rules-engine answers, all answer the same; where it errors, the two
 * modes and the trace still agree with each other (they may answer: evaluation stops once an
 * all / any is decided, see the README).
 *
 * Replay a failure with FC_SEED=<seed>; raise the run count with FC_RUNS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runJsonRulesEngine, toJsonRulesEngine } from '../../src/adapters/json-rules-engine';
import { LoyaltyError } from '../../src/errors';
import { compileConditions } from '../../src/rules';
import type { FactCatalog, Facts } from '../../src/rules';
import type { Condition, TopLevelCondition } from '../../src/schema/condition';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const NAMES = ['a', 'b', 'c', 'd', 'o'] as const;
const CATALOG: FactCatalog = Object.fromEntries(NAMES.map((n) => [n, { type: 'unknown', description: n }]));

const scalar = fc.oneof(
  fc.constantFrom(0, -0, 1, 2, 10, -3, 1.5, 0.1),
  fc.constantFrom('a', 'b', '', '10', '9', '1.5', 'ab'),
  fc.boolean(),
  fc.constant(null),
);
const array = fc.array(scalar, { maxLength: 3 });
const value = fc.oneof({ arbitrary: scalar, weight: 4 }, { arbitrary: array, weight: 1 });
const objectValue = fc.record({ x: value, xs: fc.array(fc.record({ v: scalar }, { requiredKeys: [] }), { maxLength: 3 }), s: scalar }, { requiredKeys: [] });

/** A fact value, or absent (a missing fact). */
const factsArb: fc.Arbitrary<Facts> = fc.record(
  { a: value, b: value, c: value, d: value, o: fc.oneof({ arbitrary: objectValue, weight: 4 }, { arbitrary: value, weight: 1 }) },
  { requiredKeys: [] },
);

const PATHS = ['$.x', '$.xs[0].v', '$.xs[*].v', '$.xs[1]', '$.s', '$', '$.missing', '$.xs[*]'] as const;
const source = fc.oneof(
  { arbitrary: fc.constantFrom<string>('a', 'b', 'c', 'd').map((fact) => ({ fact })), weight: 4 },
  { arbitrary: fc.constantFrom(...PATHS).map((path) => ({ fact: 'o', path })), weight: 2 },
);
const reference = source.map((s) => ({ ...s }));

const SCALAR_OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'not:equal', 'swap:lessThan', 'contains', 'doesNotContain', 'someFact:equal', 'everyFact:greaterThan', 'not:someFact:lessThan'] as const;
const LIST_OPERATORS = ['in', 'notIn', 'not:in', 'someValue:equal', 'everyValue:notEqual', 'someValue:greaterThan', 'swap:contains'] as const;

const priority = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 3 });
const withPriority = <T extends object>(node: T, p: number | undefined): T => (p === undefined ? node : { ...node, priority: p });

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.tuple(source, fc.constantFrom(...SCALAR_OPERATORS), fc.oneof({ arbitrary: value, weight: 3 }, { arbitrary: reference, weight: 1 }), priority),
  fc.tuple(source, fc.constantFrom(...LIST_OPERATORS), fc.oneof({ arbitrary: array, weight: 3 }, { arbitrary: reference, weight: 1 }), priority),
).map(([s, operator, v, p]) => withPriority({ ...s, operator, value: v } as Condition, p));

const tree: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.tuple(fc.array(tie('node'), { maxLength: 3 }), priority).map(([c, p]) => withPriority({ all: c }, p)), weight: 2 },
    { arbitrary: fc.tuple(fc.array(tie('node'), { maxLength: 3 }), priority).map(([c, p]) => withPriority({ any: c }, p)), weight: 2 },
    { arbitrary: fc.tuple(tie('node'), priority).map(([c, p]) => withPriority({ not: c }, p)), weight: 1 },
  ),
})).node;

const top: fc.Arbitrary<TopLevelCondition> = tree.map((c) => ('fact' in c ? { all: [c] } : c));

type Outcome = boolean | 'error';

function ours(list: readonly TopLevelCondition[], facts: Facts, mode: 'codegen' | 'closure', allowUndefinedFacts: boolean): Outcome[] {
  const compiled = compileConditions(list, { facts: CATALOG, mode, allowUndefinedFacts });
  return list.map((_, i) => {
    const run = (f: () => boolean): Outcome => {
      try {
        return f();
      } catch (e) {
        if (e instanceof LoyaltyError) return 'error';
        throw e;
      }
    };
    const tested = run(() => compiled.test(i, facts));
    expect(run(() => compiled.trace(i, facts).result), `${mode} trace = test`).toBe(tested);
    return tested;
  });
}

async function jre(condition: TopLevelCondition, facts: Facts, allowUndefinedFacts: boolean): Promise<Outcome> {
  try {
    return (await runJsonRulesEngine(toJsonRulesEngine({ conditions: [{ id: 'r', condition }], allowUndefinedFacts }), facts)).includes('r');
  } catch {
    return 'error';
  }
}

describe('property: random conditions agree with json-rules-engine', () => {
  it('wherever json-rules-engine answers, both modes and the trace answer the same', async () => {
    const runs = runsFor(400);
    announce('rules vs json-rules-engine', runs);
    let answered = 0;
    let errored = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(top, { minLength: 1, maxLength: 4 }), factsArb, fc.boolean(), async (list, facts, allowUndefinedFacts) => {
        const codegen = ours(list, facts, 'codegen', allowUndefinedFacts);
        const closure = ours(list, facts, 'closure', allowUndefinedFacts);
        expect(closure, 'closure = codegen').toEqual(codegen);
        for (const [i, condition] of list.entries()) {
          const theirs = await jre(condition, facts, allowUndefinedFacts);
          if (theirs === 'error') {
            errored++;
            continue;
          }
          answered++;
          expect(codegen[i], `condition ${i}: ${JSON.stringify(condition)}`).toBe(theirs);
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`rules vs json-rules-engine: ${answered} conditions answered by jre (all agreed), ${errored} where jre errors`);
    expect(answered).toBeGreaterThan(runs);
  }, 300_000);
});

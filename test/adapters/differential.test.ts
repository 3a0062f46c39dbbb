/*
 * THE differential test: on generated condition trees and facts, the generated-code evaluator,
 * the closure evaluator and json-rules-engine 7.3.1's `engine.run()` (through the adapter) must
 * give the same result for every condition — the generated tree and each of its comparisons on
 * its own, so a disagreement inside an `all` cannot hide behind a false sibling.
 *
 * Replay a failure with FC_SEED=<seed> (and FC_RUNS=<n>); the seed is printed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runJsonRulesEngine, toJsonRulesEngine } from '../../src/adapters/json-rules-engine';
import { Decimal } from '../../src/money/decimal';
import { compileConditions, validateConditions } from '../../src/rules';
import type { CustomOperators, FactCatalog, Facts } from '../../src/rules';
import type { Condition, LeafCondition, TopLevelCondition } from '../../src/schema/condition';

const SEED = Number(process.env.FC_SEED ?? 424242);
const RUNS = Number(process.env.FC_RUNS ?? 4000);

// ---- the catalogue -------------------------------------------------------------------------
const CATALOG = {
  'str.a': { type: 'string', description: 'a string' },
  'str.b': { type: 'string', description: 'a string' },
  'int.a': { type: 'integer', description: 'a small integer' },
  'int.b': { type: 'integer', description: 'a small integer' },
  'dec.a': { type: 'decimal', description: 'an amount' },
  'dec.b': { type: 'decimal', description: 'an amount' },
  'bool.a': { type: 'boolean', description: 'a flag' },
  'list.a': { type: 'string[]', description: 'tags' },
  'list.b': { type: 'string[]', description: 'tags' },
  'time.a': { type: 'instant', description: 'an instant' },
  'time.b': { type: 'instant', description: 'an instant' },
  'obj.a': { type: 'unknown', description: 'an object read through paths' },
  'mixed.a': { type: 'unknown', description: 'a list of numbers, amounts and strings' },
} as const satisfies FactCatalog;
type FactName = keyof typeof CATALOG;

const CUSTOM: CustomOperators = {
  startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
};

// ---- values ----------------------------------------------------------------------------------
const STRINGS = ['a', 'b', 'ab', '', '10', '9', '1.5'] as const;
const CENTS = [-150, 0, 10, 20, 30, 150, 199, 1999, 300, 1000] as const;
const MILLIS = [0, 86_400_000, 1_700_000_000_000, 1_700_000_086_400_000] as const;

const str = fc.constantFrom(...STRINGS);
const int = fc.integer({ min: -2, max: 6 });
const cents = fc.oneof(fc.constantFrom(...CENTS), fc.integer({ min: -500, max: 2500 }));
/** An amount fact: an exact decimal from integer cents, sometimes the result of decimal arithmetic. */
const decimal = fc.oneof(
  { arbitrary: cents.map((c) => new Decimal(c).div(100)), weight: 4 },
  { arbitrary: fc.tuple(cents, cents).map(([x, y]) => new Decimal(x).div(100).plus(new Decimal(y).div(100))), weight: 1 },
  { arbitrary: fc.constant(new Decimal('0.1').plus('0.2')), weight: 1 },
);
/** The same decimals as a config writes them: JS numbers made from integer cents (n / 100, never a float generator). */
const decimalNumber = cents.map((c) => c / 100);
const list = fc.array(str, { maxLength: 3 });
const instant = fc.constantFrom(...MILLIS).map((ms) => new Date(ms));
const objectFact = fc.oneof(
  {
    arbitrary: fc.record(
      {
        x: fc.oneof(int, decimal, str),
        y: fc.oneof(fc.record({ z: fc.oneof(str, int) }, { requiredKeys: [] }), fc.constant(null), str),
        tags: list,
      },
      { requiredKeys: [] },
    ),
    weight: 5,
  },
  // Not an object: jre ignores the path and compares the value itself.
  { arbitrary: fc.oneof(str, int, decimal), weight: 1 },
);
const mixed = fc.array(fc.oneof(int, decimal, str), { maxLength: 3 });

const factsArb: fc.Arbitrary<Facts> = fc.record({
  'str.a': str,
  'str.b': str,
  'int.a': int,
  'int.b': int,
  'dec.a': decimal,
  'dec.b': decimal,
  'bool.a': fc.boolean(),
  'list.a': list,
  'list.b': list,
  'time.a': instant,
  'time.b': instant,
  'obj.a': objectFact,
  'mixed.a': mixed,
});

// ---- comparisons -----------------------------------------------------------------------------
/** Where a scalar comes from: a fact (optionally through a path). */
type Source = { readonly fact: FactName; readonly path?: string };

const PATHS = ['$.x', '$.y.z', '$.y', '$', '$.missing', '$.x.length', '$.tags'] as const;
const scalarSource: fc.Arbitrary<Source> = fc.oneof(
  { arbitrary: fc.constantFrom<FactName>('str.a', 'str.b', 'int.a', 'int.b', 'dec.a', 'dec.b', 'bool.a', 'time.a', 'time.b').map((fact) => ({ fact })), weight: 8 },
  { arbitrary: fc.constantFrom(...PATHS).map((path): Source => ({ fact: 'obj.a', path })), weight: 3 },
  // Arrays where a scalar is expected: jre compares their join() strings.
  { arbitrary: fc.constantFrom<FactName>('list.a', 'mixed.a').map((fact) => ({ fact })), weight: 1 },
);
const arraySource: fc.Arbitrary<Source> = fc.constantFrom<Source>({ fact: 'list.a' }, { fact: 'list.b' }, { fact: 'mixed.a' });

/** A constant likely to meet the fact's values, sometimes of another type. */
function scalarConstant(source: Source): fc.Arbitrary<unknown> {
  const type = source.path === undefined ? CATALOG[source.fact].type : 'unknown';
  const any = fc.oneof(str, int, decimalNumber, fc.boolean(), fc.constant(null), fc.constantFrom(...MILLIS));
  const typed: Record<string, fc.Arbitrary<unknown>> = {
    string: str,
    integer: fc.oneof(int, fc.constantFrom(1.5, '3', '1e1')),
    decimal: fc.oneof(decimalNumber, fc.constantFrom('19.99', '0.3', 2)),
    boolean: fc.boolean(),
    instant: fc.constantFrom(...MILLIS),
    'string[]': str,
    unknown: fc.oneof(int, decimalNumber, str),
  };
  return fc.oneof({ arbitrary: typed[type] ?? any, weight: 6 }, { arbitrary: any, weight: 1 });
}

function reference(source: Source): { fact: string; path?: string } {
  return source.path === undefined ? { fact: source.fact } : { fact: source.fact, path: source.path };
}

function leafOf(source: Source, operator: string, value: unknown): LeafCondition {
  return source.path === undefined ? { fact: source.fact, operator, value } : { fact: source.fact, path: source.path, operator, value };
}

/** fact scalar, value scalar (constant or fact reference). */
const scalarLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  scalarSource.chain((source) =>
    fc.oneof(
      { arbitrary: scalarConstant(source), weight: 3 },
      { arbitrary: scalarSource.map(reference), weight: 1 },
    ).map((value) => leafOf(source, operator, value)),
  );

/** fact scalar, value a list (constant or an array fact). */
const listLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  scalarSource.chain((source) =>
    fc.oneof(
      { arbitrary: fc.array(scalarConstant(source), { minLength: 0, maxLength: 4 }), weight: 4 },
      { arbitrary: arraySource.map(reference), weight: 1 },
    ).map((value) => leafOf(source, operator, value)),
  );

/** fact an array (sometimes not: decorators and contains are then false), value scalar. */
const arrayFactLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  fc
    .oneof(
      { arbitrary: arraySource, weight: 6 },
      { arbitrary: fc.constant<Source>({ fact: 'obj.a', path: '$.tags' }), weight: 1 },
      { arbitrary: fc.constantFrom<Source>({ fact: 'str.a' }, { fact: 'int.a' }), weight: 1 },
    )
    .chain((source) =>
      fc.oneof(
        { arbitrary: str, weight: 4 },
        { arbitrary: fc.oneof(int, decimalNumber), weight: 2 },
        { arbitrary: scalarSource.map(reference), weight: 1 },
      ).map((value) => leafOf(source, operator, value)),
    );

/** swap:in — in(value, fact): the fact must be an array. */
const swapInLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  arraySource.chain((source) => fc.oneof(str, int, decimalNumber).map((value) => leafOf(source, operator, value)));

/** fact scalar, value a constant array (someValue, everyValue, swap:contains) or an array fact. */
const valueArrayLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  scalarSource.chain((source) =>
    fc.oneof(
      { arbitrary: fc.array(scalarConstant(source), { maxLength: 3 }), weight: 4 },
      { arbitrary: arraySource.map(reference), weight: 1 },
    ).map((value) => leafOf(source, operator, value)),
  );

const stringLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  fc.constantFrom<FactName>('str.a', 'str.b').chain((fact) => fc.oneof(str, fc.constant<unknown>(1)).map((value) => ({ fact, operator, value })));

const stringArrayLeaf = (operator: string): fc.Arbitrary<LeafCondition> =>
  fc.constantFrom<FactName>('list.a', 'list.b').chain((fact) => str.map((value) => ({ fact, operator, value })));

const OPERATORS: readonly { readonly name: string; readonly leaf: (operator: string) => fc.Arbitrary<LeafCondition> }[] = [
  { name: 'equal', leaf: scalarLeaf },
  { name: 'notEqual', leaf: scalarLeaf },
  { name: 'lessThan', leaf: scalarLeaf },
  { name: 'lessThanInclusive', leaf: scalarLeaf },
  { name: 'greaterThan', leaf: scalarLeaf },
  { name: 'greaterThanInclusive', leaf: scalarLeaf },
  { name: 'in', leaf: listLeaf },
  { name: 'notIn', leaf: listLeaf },
  { name: 'contains', leaf: arrayFactLeaf },
  { name: 'doesNotContain', leaf: arrayFactLeaf },
  { name: 'not:equal', leaf: scalarLeaf },
  { name: 'not:in', leaf: listLeaf },
  { name: 'not:contains', leaf: arrayFactLeaf },
  { name: 'swap:lessThan', leaf: scalarLeaf },
  { name: 'swap:greaterThanInclusive', leaf: scalarLeaf },
  { name: 'swap:in', leaf: swapInLeaf },
  { name: 'swap:contains', leaf: valueArrayLeaf },
  { name: 'someFact:equal', leaf: arrayFactLeaf },
  { name: 'everyFact:equal', leaf: arrayFactLeaf },
  { name: 'someFact:greaterThan', leaf: arrayFactLeaf },
  { name: 'everyFact:lessThanInclusive', leaf: arrayFactLeaf },
  { name: 'not:someFact:equal', leaf: arrayFactLeaf },
  { name: 'someValue:equal', leaf: valueArrayLeaf },
  { name: 'everyValue:notEqual', leaf: valueArrayLeaf },
  { name: 'someValue:lessThan', leaf: valueArrayLeaf },
  { name: 'not:everyValue:greaterThanInclusive', leaf: valueArrayLeaf },
  { name: 'startsWith', leaf: stringLeaf },
  { name: 'not:startsWith', leaf: stringLeaf },
  { name: 'someFact:startsWith', leaf: stringArrayLeaf },
];

const leafArb: fc.Arbitrary<LeafCondition> = fc.oneof(...OPERATORS.map((o) => o.leaf(o.name)));

// ---- trees -------------------------------------------------------------------------------------
const SHARED_NAMES = ['sA', 'sB', 'sC'] as const;

function treeArb(refs: readonly string[], depth: number): fc.Arbitrary<Condition> {
  const options: fc.WeightedArbitrary<Condition>[] = [{ arbitrary: leafArb, weight: 6 }];
  if (refs.length > 0) options.push({ arbitrary: fc.constantFrom(...refs).map((condition) => ({ condition })), weight: 1 });
  if (depth > 1) {
    const child = treeArb(refs, depth - 1);
    options.push(
      { arbitrary: fc.array(child, { maxLength: 3 }).map((all) => ({ all })), weight: 2 },
      { arbitrary: fc.array(child, { maxLength: 3 }).map((any) => ({ any })), weight: 2 },
      { arbitrary: child.map((not) => ({ not })), weight: 1 },
    );
  }
  return fc.oneof(...options);
}

function topLevel(c: Condition): TopLevelCondition {
  return 'fact' in c ? { all: [c] } : c;
}

const caseArb = fc.record({
  shared: fc.record({
    sA: treeArb([], 2).map(topLevel),
    sB: treeArb(['sA'], 2).map(topLevel),
    sC: treeArb(['sA', 'sB'], 3).map(topLevel),
  }),
  main: treeArb(SHARED_NAMES, 4).map(topLevel),
  facts: factsArb,
});

function leavesOf(c: Condition, out: LeafCondition[]): LeafCondition[] {
  if ('all' in c) for (const x of c.all) leavesOf(x, out);
  else if ('any' in c) for (const x of c.any) leavesOf(x, out);
  else if ('not' in c) leavesOf(c.not, out);
  else if ('fact' in c) out.push(c);
  return out;
}

// ---- the test -------------------------------------------------------------------------------------
describe('differential: generated code = closures = json-rules-engine engine.run()', () => {
  const counts = new Map<string, { true: number; false: number }>(OPERATORS.map((o) => [o.name, { true: 0, false: 0 }]));
  let cases = 0;
  let comparisons = 0;
  let treesTrue = 0;

  afterAll(() => {
    const lines = [...counts].map(([op, c]) => `  ${op.padEnd(38)} true ${String(c.true).padStart(6)}   false ${String(c.false).padStart(6)}`);
    console.log(
      `differential (seed ${SEED}, FC_SEED to replay): ${cases} generated cases, ${comparisons} single comparisons, ` +
        `${treesTrue} trees true / ${cases - treesTrue} false\n${lines.join('\n')}`,
    );
  });

  it(`agrees on ${RUNS} generated programs (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ shared, main, facts }) => {
        const leaves = [...leavesOf(main, []), ...Object.values(shared).flatMap((s) => leavesOf(s, []))];
        const list: TopLevelCondition[] = [main, ...leaves.map((leaf) => ({ all: [leaf] }))];
        expect(validateConditions({ conditions: list.map((condition, i) => ({ path: [i], condition })), shared, facts: CATALOG, operators: CUSTOM })).toEqual([]);

        const codegen = compileConditions(list, { facts: CATALOG, shared, operators: CUSTOM, mode: 'codegen' });
        const closure = compileConditions(list, { facts: CATALOG, shared, operators: CUSTOM, mode: 'closure' });
        const engine = toJsonRulesEngine({ conditions: list.map((condition, i) => ({ id: `r${i}`, condition })), shared, operators: CUSTOM });
        const passed = new Set(await runJsonRulesEngine(engine, facts));
        const jre = list.map((_, i) => passed.has(`r${i}`));

        expect(codegen.evaluate(facts)).toEqual(jre);
        expect(closure.evaluate(facts)).toEqual(jre);
        list.forEach((_, i) => {
          expect(codegen.test(i, facts)).toBe(jre[i]);
          expect(closure.trace(i, facts).result).toBe(jre[i]);
        });

        cases++;
        if (jre[0] === true) treesTrue++;
        leaves.forEach((leaf, i) => {
          const c = counts.get(leaf.operator);
          if (c === undefined) throw new Error(`operator ${leaf.operator} not in the table`);
          if (jre[i + 1] === true) c.true++;
          else c.false++;
          comparisons++;
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    for (const [op, c] of counts) {
      expect(c.true, `${op} never came out true`).toBeGreaterThan(0);
      expect(c.false, `${op} never came out false`).toBeGreaterThan(0);
    }
  }, 120_000);
});

import { nonEmpty, ProgramConfigError } from '../errors';
import type { TopLevelCondition } from '../schema/condition';
import { compileClosure } from './compile-closure';
import { compileCodegen } from './compile-codegen';
import type { Evaluator } from './compile-codegen';
import { buildIr } from './ir';
import type { NodeIr } from './ir';
import { traceNode } from './trace';
import type { ConditionTrace } from './trace';
import type { ConditionLimits, ConfigPath, CustomOperators, FactCatalog, Facts } from './types';
import { validateConditions } from './validate';

/**
 * How to compile: `'codegen'` generates one JS function (fastest), `'closure'` builds nested
 * closures (no code generation: for CSP pages and edge workers), `'auto'` (default) tries code
 * generation and falls back to closures where the runtime forbids it.
 *
 * @example
 * ```ts
 * const mode: CompileMode = 'closure';
 * ```
 */
export type CompileMode = 'auto' | 'codegen' | 'closure';

/**
 * Options of {@link compileConditions}.
 *
 * @example
 * ```ts
 * const options: CompileOptions = { facts: catalog, shared: { isPurchase }, mode: 'auto' };
 * ```
 */
export interface CompileOptions {
  /** The facts conditions may name. */
  readonly facts: FactCatalog;
  /** Shared conditions by name; references are inlined. */
  readonly shared?: Readonly<Record<string, TopLevelCondition>> | undefined;
  /** Custom operators by name. */
  readonly operators?: CustomOperators | undefined;
  /** Default `'auto'`. */
  readonly mode?: CompileMode | undefined;
  /** Size limits (default depth 16, nodes 512). */
  readonly limits?: ConditionLimits | undefined;
  /** Config path of each condition, for issues and runtime errors; default `[index]`. */
  readonly paths?: readonly ConfigPath[] | undefined;
  /** Config path of `shared`; default `['shared']`. */
  readonly sharedPath?: ConfigPath | undefined;
  /** Config path of `operators`; default `['operators']`. */
  readonly operatorsPath?: ConfigPath | undefined;
  /**
   * json-rules-engine's `allowUndefinedFacts`: a fact missing from the facts object reads as
   * `undefined`. Default false: a missing fact throws `undefined_fact` when a comparison reads it
   * (never earlier; a fact present with the value `undefined` is not missing).
   */
  readonly allowUndefinedFacts?: boolean | undefined;
}

/**
 * A list of conditions compiled into one synchronous evaluator.
 *
 * @example
 * ```ts
 * const compiled = compileConditions([when0, when1], { facts: catalog });
 * const [first, second] = compiled.evaluate(facts);
 * ```
 */
export interface CompiledConditions {
  /** The mode actually used. */
  readonly mode: 'codegen' | 'closure';
  /** How many conditions were compiled. */
  readonly size: number;
  /**
   * One result per condition, in order; an undefined condition holds. Pass `out` to reuse an
   * array and allocate nothing. Siblings of an `all` / `any` run highest `priority` first and stop
   * once the result is decided. Throws `LoyaltyError` `undefined_fact` when a comparison reads a
   * fact missing from `facts` (unless `allowUndefinedFacts`), `invalid_operand` /
   * `invalid_operator_result` when an operator cannot answer.
   */
  evaluate(facts: Facts, out?: boolean[]): boolean[];
  /** The result of condition `index` alone. */
  test(index: number, facts: Facts): boolean;
  /** Condition `index` evaluated with a full trace: same result and errors as `test`; children that did not count are traced too, marked `skipped`. */
  trace(index: number, facts: Facts): ConditionTrace;
}

/**
 * Compiles a program's conditions, once per program version, into a synchronous evaluator with
 * json-rules-engine 7.3.1's semantics and exact decimals. The conditions are validated first
 * (`validateConditions`); any issue throws a `ProgramConfigError` listing all of them.
 *
 * Nothing from the config is ever written into generated code: fact names, values and operators
 * reach the generated function as arrays it indexes.
 *
 * @param list - the conditions; `undefined` stands for "no condition" and always holds
 * @param options - catalogue, shared conditions, custom operators, mode, limits, config paths
 * @returns the evaluator
 * @throws ProgramConfigError when the conditions are invalid
 * @example
 * ```ts
 * const facts = { 'event.type': { type: 'string', description: 'event kind' }, 'order.subtotal': { type: 'decimal', description: 'subtotal' } } as const;
 * const compiled = compileConditions(
 *   [{ all: [{ condition: 'isPurchase' }, { fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 50 }] }, undefined],
 *   { facts, shared: { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } } },
 * );
 * compiled.evaluate({ 'event.type': 'purchase', 'order.subtotal': new Decimal('50.00') }); // [true, true]
 * ```
 */
export function compileConditions(list: readonly (TopLevelCondition | undefined)[], options: CompileOptions): CompiledConditions {
  const shared = options.shared ?? {};
  const sharedPath = options.sharedPath ?? ['shared'];
  const paths = list.map((_, i) => options.paths?.[i] ?? [i]);
  const issues = nonEmpty(
    validateConditions(
      {
        conditions: list.map((condition, i) => ({ path: paths[i] ?? [i], condition })),
        shared,
        sharedPath,
        facts: options.facts,
        operators: options.operators,
        operatorsPath: options.operatorsPath,
      },
      { limits: options.limits },
    ),
  );
  if (issues !== undefined) throw new ProgramConfigError(issues);

  const ctx = { facts: options.facts, operators: options.operators, shared, sharedPath, memo: new Map<string, NodeIr>() };
  const roots = list.map((c, i) => (c === undefined ? undefined : buildIr(c, paths[i] ?? [i], ctx)));

  const mode = options.mode ?? 'auto';
  let evaluator: Evaluator;
  let used: 'codegen' | 'closure';
  const evaluatorOptions = { allowUndefinedFacts: options.allowUndefinedFacts };
  if (mode === 'closure') {
    evaluator = compileClosure(roots, evaluatorOptions);
    used = 'closure';
  } else if (mode === 'codegen') {
    evaluator = compileCodegen(roots, evaluatorOptions);
    used = 'codegen';
  } else {
    // Where code generation is disallowed (CSP, edge workers) `new Function` throws an EvalError.
    try {
      evaluator = compileCodegen(roots, evaluatorOptions);
      used = 'codegen';
    } catch {
      evaluator = compileClosure(roots, evaluatorOptions);
      used = 'closure';
    }
  }

  const { evaluate, tests } = evaluator;
  const at = (index: number): number => {
    if (!Number.isInteger(index) || index < 0 || index >= roots.length) {
      throw new RangeError(`condition index ${index} is out of range 0..${roots.length - 1}`);
    }
    return index;
  };
  return {
    mode: used,
    size: roots.length,
    evaluate,
    test: (index, facts) => (tests[at(index)] as (f: Facts) => boolean)(facts),
    trace: (index, facts) => {
      const root = roots[at(index)];
      return root === undefined ? { kind: 'always', result: true } : traceNode(root, facts, evaluatorOptions);
    },
  };
}

/**
 * `loyalty-engine/json-rules-engine`: the same conditions as a json-rules-engine 7.3.1 Engine,
 * for the differential tests and for users who want jre itself. The core never imports this
 * module (json-rules-engine pulls Node-only code); it is an optional peer dependency.
 *
 * @module
 */
import { Engine } from 'json-rules-engine';
import type { TopLevelCondition as JreTopLevelCondition } from 'json-rules-engine';
import { LoyaltyError } from '../../errors';
import { isDecimal } from '../../money/decimal';
import type { CustomOperators, Facts } from '../../rules/types';
import { isPlainObject } from '../../schema/condition';
import type { TopLevelCondition } from '../../schema/condition';
import { compiledOf, type Program } from '../../engine/program';

/**
 * What {@link toJsonRulesEngine} builds an Engine from: conditions with ids, shared conditions
 * and custom operators — the same inputs the compiled evaluator takes.
 *
 * @example
 * ```ts
 * const program: JsonRulesEngineProgram = {
 *   conditions: [{ id: 'base', condition: { all: [{ condition: 'isPurchase' }] } }],
 *   shared: { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } },
 * };
 * ```
 */
export interface JsonRulesEngineProgram {
  /** One rule per condition; the rule is named by `id` and fires an event of type `id`. Write "no condition" as `{ all: [] }`. */
  readonly conditions: readonly { readonly id: string; readonly condition: TopLevelCondition }[];
  /** Shared conditions, registered with `engine.setCondition`. */
  readonly shared?: Readonly<Record<string, TopLevelCondition>> | undefined;
  /** Custom operators, registered with `engine.addOperator`. */
  readonly operators?: CustomOperators | undefined;
  /** json-rules-engine's `allowUndefinedFacts` (default false), as the compiler's option of the same name. */
  readonly allowUndefinedFacts?: boolean | undefined;
}

const ruleIds = new WeakMap<Engine, readonly string[]>();
const runs = new WeakMap<Engine, Promise<unknown>>();

function cloneCondition(condition: TopLevelCondition): JreTopLevelCondition {
  // jre mutates condition references while it runs; it gets its own copy of the JSON.
  return structuredClone(condition) as JreTopLevelCondition;
}

/**
 * Builds one json-rules-engine Engine from JSON (never from shared `Rule` objects):
 * `allowUndefinedFacts` as the program says (default off), `allowUndefinedConditions` off, shared conditions set with
 * `setCondition`, custom operators added with `addOperator`. Build one Engine per program and
 * run it through {@link runJsonRulesEngine}, which never overlaps two runs on one Engine.
 *
 * @param program - conditions with ids, shared conditions, custom operators
 * @returns a new Engine
 * @throws LoyaltyError `duplicate_rule_id` when two conditions share an id
 * @example
 * ```ts
 * import { Decimal } from 'loyalty-engine';
 * import { toJsonRulesEngine, runJsonRulesEngine } from 'loyalty-engine/json-rules-engine';
 * const engine = toJsonRulesEngine({ conditions: [{ id: 'big', condition: { all: [{ fact: 'order.subtotal', operator: 'greaterThan', value: 100 }] } }] });
 * await runJsonRulesEngine(engine, { 'order.subtotal': new Decimal('150') }); // ['big']
 * ```
 */
export function toJsonRulesEngine(program: JsonRulesEngineProgram): Engine {
  const engine = new Engine([], { allowUndefinedFacts: program.allowUndefinedFacts === true, allowUndefinedConditions: false });
  const operators = program.operators ?? {};
  for (const name of Object.keys(operators)) {
    const fn = operators[name];
    if (fn !== undefined) engine.addOperator(name, (a: unknown, b: unknown) => fn(a, b));
  }
  const shared = program.shared ?? {};
  for (const name of Object.keys(shared)) {
    const condition = shared[name];
    if (condition !== undefined) engine.setCondition(name, cloneCondition(condition));
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  program.conditions.forEach(({ id, condition }, i) => {
    if (seen.has(id)) {
      throw new LoyaltyError([{ code: 'duplicate_rule_id', path: ['conditions', i, 'id'], message: `two conditions have the id "${id}"` }]);
    }
    seen.add(id);
    ids.push(id);
    engine.addRule({ name: id, conditions: cloneCondition(condition), event: { type: id } });
  });
  ruleIds.set(engine, ids);
  return engine;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment to "__proto__" would set the prototype instead of a property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function convert(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'function') {
    // A fact that takes params: jre calls it as a dynamic fact, (params, almanac); it gets params, its result converted.
    const fn = value as (params: unknown) => unknown;
    return (params: unknown) => convert(fn(params ?? {}), new Map());
  }
  if (typeof value !== 'object' || value === null) return value;
  if (isDecimal(value)) return Number(value.toString());
  if (value instanceof Date) return value.getTime();
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(convert(item, seen));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const key of Object.keys(value)) define(out, key, convert(value[key], seen));
    return out;
  }
  return value;
}

/**
 * The facts as json-rules-engine gets them: every `Decimal` (at any depth) becomes the JS number
 * of its decimal string and every `Date` its epoch milliseconds; arrays and plain objects are
 * copied (one copy per original, so two facts that share an object still share its copy); a
 * function (a fact that takes params) becomes a jre dynamic fact whose result is converted; and
 * everything else is passed as it is.
 *
 * This is the only place the library turns a Decimal into a float, and it is lossy by nature:
 * jre and the compiled evaluator (exact decimals) agree on every amount a double holds
 * faithfully — any amount with at most its currency's decimals and up to 15 significant digits —
 * which is the domain the differential tests draw from.
 *
 * @param facts - a facts object from the facts builder
 * @returns a new object for `engine.run`
 * @example
 * ```ts
 * import { Decimal } from 'loyalty-engine';
 * import { toAlmanacFacts } from 'loyalty-engine/json-rules-engine';
 * toAlmanacFacts({ 'order.subtotal': new Decimal('19.99'), 'event.at': new Date(0) });
 * // { 'order.subtotal': 19.99, 'event.at': 0 }
 * ```
 */
export function toAlmanacFacts(facts: Facts): Record<string, unknown> {
  const seen = new Map<object, unknown>();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(facts)) define(out, key, convert(facts[key], seen));
  return out;
}

/**
 * Runs an Engine built by {@link toJsonRulesEngine} on one facts object (converted with
 * {@link toAlmanacFacts}) and returns the ids of the rules that passed, in declaration order.
 * Runs on one Engine are queued, never overlapped (an Engine keeps run state on itself).
 *
 * @param engine - from toJsonRulesEngine
 * @param facts - a facts object
 * @returns the ids of the passing rules
 * @example
 * ```ts
 * const ids = await runJsonRulesEngine(engine, facts); // ['base', 'gold-plus']
 * ```
 */
export async function runJsonRulesEngine(engine: Engine, facts: Facts): Promise<string[]> {
  const previous = runs.get(engine) ?? Promise.resolve();
  const run = previous.then(
    () => engine.run(toAlmanacFacts(facts)),
    () => engine.run(toAlmanacFacts(facts)),
  );
  runs.set(engine, run);
  const { results } = await run;
  const passed = new Set(results.map((r) => String(r.name)));
  const ids = ruleIds.get(engine);
  return ids === undefined ? [...passed] : ids.filter((id) => passed.has(id));
}

/**
 * The `when` conditions of a program made by `defineProgram`, as one json-rules-engine Engine:
 * one rule per earning rule (named by the rule id; a rule without `when` is `{ all: [] }`), the
 * program's shared conditions and its custom operators. Feed it `toAlmanacFacts(buildFacts(...))`.
 *
 * @example
 * ```ts
 * const engine = programToJsonRulesEngine(program);
 * const fired = await runJsonRulesEngine(engine, facts); // ['base', 'weekend-bonus']
 * ```
 */
export function programToJsonRulesEngine(program: Program): Engine {
  return toJsonRulesEngine({
    conditions: program.config.rules.map((rule) => ({ id: rule.id, condition: rule.when ?? { all: [] } })),
    shared: program.config.conditions,
    operators: compiledOf(program).operators,
  });
}

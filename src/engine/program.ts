import { ProgramConfigError, nonEmpty, type Issue, type Issues } from '../errors';
import { programConfigSchema, type ProgramConfig, type ProgramConfigInput } from '../schema/program';
import { issuesFromZod } from '../schema/issues';
import { isPlainObject, type TopLevelCondition } from '../schema/condition';
import { LINE_FACTS } from '../rules/catalog';
import { BUILTIN_FACTS, factCatalog } from './facts';
import type { RegisteredFact } from '../rules/facts';
import type { CustomOperator, FactCatalog } from '../rules/types';
import type { CompileMode } from '../rules/compile';
import { validateConditions } from '../rules/validate';
import type { Program } from './program-type';
import { compileProgram, type CompiledProgram } from './compiled-program';

export type { CompiledProgram } from './compiled-program';

export type { Program } from './program-type';

/** Options of `defineProgram`: host-registered facts and operators, and the compiler mode. */
export interface DefineProgramOptions {
  /** Extra facts rules may read, each a synchronous function with a declared type. */
  readonly facts?: Readonly<Record<string, RegisteredFact>> | undefined;
  /** Extra operators, `(factValue, compareValue) => boolean`. */
  readonly operators?: Readonly<Record<string, CustomOperator>> | undefined;
  /** `auto` (default) generates code where the runtime allows it and uses closures elsewhere. */
  readonly compile?: CompileMode | undefined;
  /** json-rules-engine's `allowUndefinedFacts`: a fact missing from the facts reads as undefined instead of throwing `undefined_fact`. */
  readonly allowUndefinedFacts?: boolean | undefined;
}

/** A type and everything in it, readonly: configs written `as const` are accepted as they are. */
export type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
      : T;

/** Depth and size limits of a program's conditions (RELIABILITY 17). */
const CONDITION_LIMITS = { maxDepth: 16, maxNodes: 4096 };

const compiledPrograms = new WeakMap<object, CompiledProgram>();

const COMPILE_MODES: readonly string[] = ['auto', 'codegen', 'closure'] satisfies readonly CompileMode[];

/** `defineProgram`'s options, checked like the config: a typo such as `compile: 'jit'` is an error, not a silent default. */
function checkOptions(options: unknown): Issues | undefined {
  if (options === undefined) return undefined;
  const at = (path: (string | number)[], code: string, message: string): Issues => [{ code, path: ['options', ...path], message }];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return at([], 'invalid_type', 'options must be an object');
  const known = ['facts', 'operators', 'compile'];
  for (const key of Object.keys(options)) if (!known.includes(key)) return at([key], 'unrecognized_key', `unknown option "${key}"; the options are ${known.join(', ')}`);
  const { facts, operators, compile } = options as Record<string, unknown>;
  if (compile !== undefined && (typeof compile !== 'string' || !COMPILE_MODES.includes(compile))) {
    return at(['compile'], 'invalid_value', `compile must be one of ${COMPILE_MODES.map((m) => `'${m}'`).join(', ')}`);
  }
  for (const [name, table] of [['facts', facts], ['operators', operators]] as const) {
    if (table !== undefined && (typeof table !== 'object' || table === null || Array.isArray(table))) return at([name], 'invalid_type', `${name} must be an object keyed by name`);
  }
  for (const [name, op] of Object.entries((operators ?? {}) as Record<string, unknown>)) {
    if (typeof op !== 'function') return at(['operators', name], 'invalid_type', 'an operator is a function (factValue, compareValue) => boolean');
  }
  for (const [name, fact] of Object.entries((facts ?? {}) as Record<string, unknown>)) {
    const f = fact as Partial<Record<string, unknown>> | null;
    if (typeof f !== 'object' || f === null || typeof f.compute !== 'function' || typeof f.type !== 'string') {
      return at(['facts', name], 'invalid_type', 'a registered fact is { type, description, compute(input) }');
    }
  }
  return undefined;
}

/**
 * Whether a value is a program made by `defineProgram` (and not, say, a config object).
 *
 * @example
 * ```ts
 * isProgram(defineProgram(config)); // true
 * isProgram(config); // false
 * ```
 */
export function isProgram(value: unknown): value is Program {
  return typeof value === 'object' && value !== null && compiledPrograms.has(value);
}

/** The compiled side of a program made by `defineProgram`. */
export function compiledOf(program: Program): CompiledProgram {
  const compiled = compiledPrograms.get(program);
  if (!compiled) throw new TypeError('not a program made by defineProgram()');
  return compiled;
}

/**
 * What the semantic checks read of a config: the parsed config, or, when the schema refused it,
 * whatever of the raw input has the right shape, so one `ProgramConfigError` lists every issue
 * (an unknown currency and an unknown operator together). Only own properties are read.
 */
interface RuleView {
  readonly id: unknown;
  readonly campaign: unknown;
  readonly segments: unknown;
  readonly limitKeys: readonly unknown[];
  readonly awardKind: unknown;
  readonly when: unknown;
  readonly lines: unknown;
}
interface ConfigView {
  readonly rules: readonly (RuleView | undefined)[];
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly segments: Readonly<Record<string, unknown>>;
  readonly campaigns: Readonly<Record<string, unknown>>;
}

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);

function fields(value: unknown): Readonly<Record<string, unknown>> {
  if (!isPlainObject(value)) return NO_FIELDS;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = value[key];
  return out;
}

function viewOf(input: unknown): ConfigView {
  const root = fields(input);
  const rules = Array.isArray(root.rules)
    ? (root.rules as readonly unknown[]).map((raw): RuleView | undefined => {
        if (!isPlainObject(raw)) return undefined;
        const r = fields(raw);
        const limits: readonly unknown[] = Array.isArray(r.limits) ? r.limits : [];
        return { id: r.id, campaign: r.campaign, segments: r.segments, limitKeys: limits.map((l) => fields(l).key), awardKind: fields(r.award).kind, when: r.when, lines: r.lines };
      })
    : [];
  return { rules, conditions: fields(root.conditions), segments: fields(root.segments), campaigns: fields(root.campaigns) };
}

/** A name that would read a prototype property of a plain object (`constructor`, `toString`, `__proto__`). */
function isPrototypeName(name: string): boolean {
  return name === '__proto__' || name in Object.prototype;
}

function conditionList(entries: readonly { readonly path: (string | number)[]; readonly condition: unknown }[]) {
  // The structure of each condition is checked first by validateConditions, so a raw value is safe here.
  return entries.filter((e) => e.condition !== undefined).map((e) => ({ path: e.path, condition: e.condition as TopLevelCondition }));
}

function semanticIssues(config: ConfigView, catalog: FactCatalog, operators: Readonly<Record<string, CustomOperator>>): Issue[] {
  const issues: Issue[] = [];
  const shared = config.conditions as Readonly<Record<string, TopLevelCondition>>;
  const ids = new Map<string, number>();
  config.rules.forEach((rule, i) => {
    if (rule === undefined) return;
    if (typeof rule.id === 'string') {
      const first = ids.get(rule.id);
      if (first !== undefined) issues.push({ code: 'duplicate_rule_id', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is already used by rules[${first}]` });
      else ids.set(rule.id, i);
    }
    if (typeof rule.campaign === 'string' && !Object.hasOwn(config.campaigns, rule.campaign)) {
      issues.push({ code: 'unknown_campaign', path: ['rules', i, 'campaign'], message: `no campaign "${rule.campaign}" in campaigns` });
    }
    if (Array.isArray(rule.segments)) {
      (rule.segments as readonly unknown[]).forEach((s, j) => {
        if (typeof s === 'string' && !Object.hasOwn(config.segments, s)) issues.push({ code: 'unknown_segment', path: ['rules', i, 'segments', j], message: `no segment "${s}" in segments` });
      });
    }
    rule.limitKeys.forEach((key, j) => {
      if (typeof key !== 'string') return;
      if (isPrototypeName(key)) issues.push({ code: 'forbidden_fact', path: ['rules', i, 'limits', j, 'key'], message: `"${key}" cannot name a fact` });
      else if (!Object.hasOwn(catalog, key)) issues.push({ code: 'unknown_fact', path: ['rules', i, 'limits', j, 'key'], message: `limit key "${key}" is not a known fact` });
    });
    if (rule.lines !== undefined && rule.awardKind === 'fixed') {
      issues.push({ code: 'lines_on_fixed_award', path: ['rules', i, 'lines'], message: 'a line filter applies to per_amount, per_item and multiplier awards only' });
    }
  });
  const limits = { limits: CONDITION_LIMITS };
  const overCatalog: Issue[] = [
    ...validateConditions({
      conditions: conditionList(config.rules.flatMap((rule, i) => (rule ? [{ path: ['rules', i, 'when'], condition: rule.when }] : []))),
      shared,
      sharedPath: ['conditions'],
      facts: catalog,
      operators,
      operatorsPath: ['options', 'operators'],
    }, limits),
    // Segments read customer facts; they may use shared conditions too.
    ...validateConditions({
      conditions: conditionList(Object.keys(config.segments).map((name) => ({ path: ['segments', name], condition: config.segments[name] }))),
      shared: {},
      sharedPath: ['conditions'],
      facts: catalog,
      operators,
      operatorsPath: ['options', 'operators'],
    }, limits),
  ];
  // A line fact in a rule's `when` or a segment is unknown there; say where it belongs.
  issues.push(
    ...overCatalog.map((issue): Issue => {
      const name = issue.code === 'unknown_fact' ? factAt(config, issue.path) : undefined;
      return name !== undefined && Object.hasOwn(LINE_FACTS, name)
        ? { ...issue, message: `"${name}" is a line fact: line facts are only for a rule's \`lines\` filter, not for \`when\` or segments` }
        : issue;
    }),
  );
  issues.push(
    ...validateConditions({
      conditions: conditionList(config.rules.flatMap((rule, i) => (rule ? [{ path: ['rules', i, 'lines'], condition: rule.lines }] : []))),
      shared: {},
      sharedPath: ['conditions'],
      facts: LINE_FACTS,
      operators,
      operatorsPath: ['options', 'operators'],
    }, limits),
  );
  return issues;
}

/** The fact name an `unknown_fact` issue path points at (`[..., 'fact']`), read through own properties. */
function factAt(config: ConfigView, path: readonly (string | number)[]): string | undefined {
  let v: unknown = config;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Readonly<Record<string | number, unknown>>)[key];
  }
  return typeof v === 'string' ? v : undefined;
}

/** Each issue once (by code and path): several checks see the same operators and structure. */
function unique(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.code, issue.path]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates a program config and compiles its rules, returning the typed program; throws
 * `ProgramConfigError` listing every issue, each with its path and the rule it broke.
 *
 * @example
 * ```ts
 * const program = defineProgram({
 *   kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   rules: [
 *     { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
 *     { id: 'signup', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
 *   ],
 * });
 * ```
 */
export function defineProgram<const I extends ReadonlyDeep<ProgramConfigInput>>(
  input: I,
  options?: DefineProgramOptions,
): Program<Extract<ProgramConfig, { kind: I['kind'] }>, I> {
  const badOption = checkOptions(options);
  if (badOption) throw new ProgramConfigError(badOption);
  const registered = options?.facts ?? {};
  const shadowed = Object.keys(registered).filter((name) => name in BUILTIN_FACTS);
  const operators = options?.operators ?? {};
  const catalog = factCatalog(Object.fromEntries(Object.entries(registered).map(([k, f]) => [k, { type: f.type, description: f.description, params: f.params }])));
  const optionIssues = shadowed.map((name): Issue => ({ code: 'fact_shadows_builtin', path: ['options', 'facts', name], message: `"${name}" is a built-in fact` }));
  const parsed = programConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Schema issues first, then what the semantic checks still find in the raw input.
    const all = unique([...issuesFromZod(parsed.error), ...optionIssues, ...semanticIssues(viewOf(input), catalog, operators)]);
    throw new ProgramConfigError(nonEmpty(all) ?? issuesFromZod(parsed.error));
  }
  const config = parsed.data;
  const list = nonEmpty(unique([...optionIssues, ...semanticIssues(viewOf(config), catalog, operators)]));
  if (list) throw new ProgramConfigError(list);

  const compiled = compileProgram(config, { registered, catalog, operators, mode: options?.compile ?? 'auto', allowUndefinedFacts: options?.allowUndefinedFacts, limits: CONDITION_LIMITS });
  const program = Object.freeze({
    kind: config.kind,
    id: config.id,
    version: config.version,
    config,
    compileMode: compiled.rules.mode,
  }) as Program<Extract<ProgramConfig, { kind: I['kind'] }>, I>;
  compiledPrograms.set(program, compiled);
  return program;
}

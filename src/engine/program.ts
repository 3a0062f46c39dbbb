import { ProgramConfigError, nonEmpty, type Issue } from '../errors';
import { programConfigSchema, type ProgramConfig, type ProgramConfigInput } from '../schema/program';
import { issuesFromZod } from '../schema/issues';
import type { TopLevelCondition, Condition } from '../schema/condition';
import type { EventType } from '../schema/events';
import { BUILTIN_FACTS, LINE_FACTS, factCatalog } from '../rules/catalog';
import type { RegisteredFact } from '../rules/facts';
import type { CustomOperator, FactCatalog } from '../rules/types';
import { compileConditions, type CompiledConditions, type CompileMode } from '../rules/compile';
import { validateConditions } from '../rules/validate';

/** Options of `defineProgram`: host-registered facts and operators, and the compiler mode. */
export interface DefineProgramOptions {
  /** Extra facts rules may read, each a synchronous function with a declared type. */
  readonly facts?: Readonly<Record<string, RegisteredFact>> | undefined;
  /** Extra operators, `(factValue, compareValue) => boolean`. */
  readonly operators?: Readonly<Record<string, CustomOperator>> | undefined;
  /** `auto` (default) generates code where the runtime allows it and uses closures elsewhere. */
  readonly compile?: CompileMode | undefined;
}

/** What `defineProgram` compiles once per program version; internal to the engine. */
export interface CompiledProgram {
  readonly rules: CompiledConditions;
  readonly segments: CompiledConditions;
  readonly segmentNames: readonly string[];
  readonly lines: CompiledConditions;
  /** Rule indexes per event type, in config order. */
  readonly rulesByType: ReadonlyMap<EventType, readonly number[]>;
  /** Facts the program's rules, segments and limit keys read. */
  readonly factsNeeded: readonly string[];
  readonly lineFactsNeeded: readonly string[];
  readonly registeredFacts: Readonly<Record<string, RegisteredFact>>;
  readonly catalog: FactCatalog;
  readonly operators: Readonly<Record<string, CustomOperator>>;
  readonly excluded: { readonly skus: ReadonlySet<string>; readonly categories: ReadonlySet<string>; readonly tags: ReadonlySet<string> };
}

/** Depth and size limits of a program's conditions (RELIABILITY 17). */
const CONDITION_LIMITS = { maxDepth: 16, maxNodes: 4096 };

const compiledPrograms = new WeakMap<object, CompiledProgram>();

/**
 * A validated, compiled program. `config` is the parsed config (amounts as Decimals); the
 * compiled rules are kept inside the library.
 */
export interface Program<C extends ProgramConfig = ProgramConfig> {
  readonly kind: C['kind'];
  readonly id: string;
  readonly version: number;
  readonly config: C;
  readonly compileMode: 'codegen' | 'closure';
}

/** The compiled side of a program made by `defineProgram`. */
export function compiledOf(program: Program): CompiledProgram {
  const compiled = compiledPrograms.get(program);
  if (!compiled) throw new TypeError('not a program made by defineProgram()');
  return compiled;
}

function collectFacts(condition: TopLevelCondition | Condition | undefined, shared: Readonly<Record<string, TopLevelCondition>>, out: Set<string>, seen: Set<string>): void {
  if (condition === undefined) return;
  if ('all' in condition) for (const c of condition.all) collectFacts(c, shared, out, seen);
  else if ('any' in condition) for (const c of condition.any) collectFacts(c, shared, out, seen);
  else if ('not' in condition) collectFacts(condition.not, shared, out, seen);
  else if ('condition' in condition) {
    if (seen.has(condition.condition)) return;
    seen.add(condition.condition);
    collectFacts(shared[condition.condition], shared, out, seen);
  } else {
    out.add(condition.fact);
    const v: unknown = condition.value;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { fact?: unknown }).fact === 'string') out.add((v as { fact: string }).fact);
  }
}

function semanticIssues(config: ProgramConfig, catalog: FactCatalog, operators: Readonly<Record<string, CustomOperator>>): Issue[] {
  const issues: Issue[] = [];
  const shared = config.conditions;
  const ids = new Map<string, number>();
  config.rules.forEach((rule, i) => {
    const first = ids.get(rule.id);
    if (first !== undefined) issues.push({ code: 'duplicate_rule_id', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is already used by rules[${first}]` });
    else ids.set(rule.id, i);
    if (rule.campaign !== undefined && !(rule.campaign in config.campaigns)) {
      issues.push({ code: 'unknown_campaign', path: ['rules', i, 'campaign'], message: `no campaign "${rule.campaign}" in campaigns` });
    }
    (rule.segments ?? []).forEach((s, j) => {
      if (!(s in config.segments)) issues.push({ code: 'unknown_segment', path: ['rules', i, 'segments', j], message: `no segment "${s}" in segments` });
    });
    rule.limits.forEach((limit, j) => {
      if (limit.key !== undefined && !(limit.key in catalog)) {
        issues.push({ code: 'unknown_fact', path: ['rules', i, 'limits', j, 'key'], message: `limit key "${limit.key}" is not a known fact` });
      }
    });
    const lineAward = rule.award.kind !== 'fixed';
    if (rule.lines !== undefined && !lineAward) {
      issues.push({ code: 'lines_on_fixed_award', path: ['rules', i, 'lines'], message: 'a line filter applies to per_amount, per_item and multiplier awards only' });
    }
  });
  const limits = { limits: CONDITION_LIMITS };
  issues.push(
    ...validateConditions({
      conditions: config.rules.flatMap((rule, i) => (rule.when ? [{ path: ['rules', i, 'when'], condition: rule.when }] : [])),
      shared,
      sharedPath: ['conditions'],
      facts: catalog,
      operators,
    }, limits),
  );
  // Segments read customer facts; they may use shared conditions too.
  issues.push(
    ...validateConditions({
      conditions: Object.entries(config.segments).map(([name, condition]) => ({ path: ['segments', name], condition })),
      shared: {},
      sharedPath: ['conditions'],
      facts: catalog,
      operators,
    }, limits),
  );
  issues.push(
    ...validateConditions({
      conditions: config.rules.flatMap((rule, i) => (rule.lines ? [{ path: ['rules', i, 'lines'], condition: rule.lines }] : [])),
      shared: {},
      sharedPath: ['conditions'],
      facts: LINE_FACTS,
      operators,
    }, limits),
  );
  return issues;
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
export function defineProgram<const I extends ProgramConfigInput>(
  input: I,
  options?: DefineProgramOptions,
): Program<Extract<ProgramConfig, { kind: I['kind'] }>> {
  const parsed = programConfigSchema.safeParse(input);
  if (!parsed.success) throw new ProgramConfigError(issuesFromZod(parsed.error));
  const config = parsed.data;
  const registered = options?.facts ?? {};
  const shadowed = Object.keys(registered).filter((name) => name in BUILTIN_FACTS);
  const operators = options?.operators ?? {};
  const catalog = factCatalog(Object.fromEntries(Object.entries(registered).map(([k, f]) => [k, { type: f.type, description: f.description }])));
  const issues = [
    ...shadowed.map((name): Issue => ({ code: 'fact_shadows_builtin', path: ['options', 'facts', name], message: `"${name}" is a built-in fact` })),
    ...semanticIssues(config, catalog, operators),
  ];
  const list = nonEmpty(issues);
  if (list) throw new ProgramConfigError(list);

  const mode = options?.compile ?? 'auto';
  const shared = config.conditions;
  const common = { operators, mode, limits: CONDITION_LIMITS, sharedPath: ['conditions'] };
  const rules = compileConditions(
    config.rules.map((r) => r.when),
    { ...common, shared, facts: catalog, paths: config.rules.map((_, i) => ['rules', i, 'when']) },
  );
  const segmentNames = Object.keys(config.segments);
  const segments = compileConditions(
    segmentNames.map((n) => config.segments[n]),
    { ...common, facts: catalog, paths: segmentNames.map((n) => ['segments', n]) },
  );
  const lines = compileConditions(
    config.rules.map((r) => r.lines),
    { ...common, facts: LINE_FACTS, paths: config.rules.map((_, i) => ['rules', i, 'lines']) },
  );

  const needed = new Set<string>();
  for (const rule of config.rules) {
    collectFacts(rule.when, shared, needed, new Set());
    for (const limit of rule.limits) if (limit.key !== undefined) needed.add(limit.key);
  }
  for (const name of segmentNames) collectFacts(config.segments[name], {}, needed, new Set());
  const lineNeeded = new Set<string>();
  for (const rule of config.rules) collectFacts(rule.lines, {}, lineNeeded, new Set());

  const rulesByType = new Map<EventType, number[]>();
  config.rules.forEach((rule, i) => {
    for (const type of Array.isArray(rule.on) ? rule.on : [rule.on]) {
      const list = rulesByType.get(type) ?? [];
      list.push(i);
      rulesByType.set(type, list);
    }
  });

  const program = Object.freeze({
    kind: config.kind,
    id: config.id,
    version: config.version,
    config,
    compileMode: rules.mode,
  }) as Program<Extract<ProgramConfig, { kind: I['kind'] }>>;
  compiledPrograms.set(program, {
    rules,
    segments,
    segmentNames,
    lines,
    rulesByType,
    factsNeeded: [...needed].filter((f) => f !== 'customer.segments'),
    lineFactsNeeded: [...lineNeeded],
    registeredFacts: registered,
    catalog,
    operators,
    excluded: {
      skus: new Set(config.eligibility.exclude.skus),
      categories: new Set(config.eligibility.exclude.categories),
      tags: new Set(config.eligibility.exclude.tags),
    },
  });
  return program;
}

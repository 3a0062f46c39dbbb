// What `defineProgram` works out once per program version, so that evaluating an event does no
// work that does not depend on it: the compiled conditions (rules, segments, line filters), the
// facts they read, the rules of each event type, the exclusions as Sets, and the earn plan (award
// parameters as integers, rule ids escaped for lot ids).
import type { ProgramConfig } from '../schema/program';
import type { TopLevelCondition, Condition } from '../schema/condition';
import type { EventType } from '../schema/events';
import { LINE_FACTS } from '../rules/catalog';
import type { FactsInput, RegisteredFact } from '../rules/facts';
import { programFactBuilder } from './facts';
import type { ConditionLimits, CustomOperator, FactCatalog } from '../rules/types';
import { compileConditions, type CompiledConditions, type CompileMode } from '../rules/compile';
import { earnPlanOf, type EarnPlan } from './earn-plan';
import { LimitWindows } from './limits';
import { lineFactBuilder, type LineView } from './order';

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
  /** Builds the facts in `factsNeeded` (no catalog walk per event). */
  readonly buildFacts: (input: FactsInput) => Record<string, unknown>;
  readonly lineFactsNeeded: readonly string[];
  /** Builds the line facts in `lineFactsNeeded` for one order line. */
  readonly lineFacts: (view: LineView) => Record<string, unknown>;
  readonly registeredFacts: Readonly<Record<string, RegisteredFact>>;
  readonly catalog: FactCatalog;
  readonly operators: Readonly<Record<string, CustomOperator>>;
  readonly excluded: { readonly skus: ReadonlySet<string>; readonly categories: ReadonlySet<string>; readonly tags: ReadonlySet<string> };
  /** The awards' parameters as integers, for the integer award path. */
  readonly earn: EarnPlan;
  /** The calendar windows the program's limits count in, worked out once per window. */
  readonly windows: LimitWindows;
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

/** What the compilation reads besides the config: the host's facts and operators, the compiler options. */
export interface CompileInputs {
  readonly registered: Readonly<Record<string, RegisteredFact>>;
  readonly catalog: FactCatalog;
  readonly operators: Readonly<Record<string, CustomOperator>>;
  readonly mode: CompileMode;
  readonly allowUndefinedFacts: boolean | undefined;
  readonly limits: ConditionLimits;
}

/** Compiles a parsed, checked config. */
export function compileProgram(config: ProgramConfig, inputs: CompileInputs): CompiledProgram {
  const { registered, catalog, operators, mode, allowUndefinedFacts, limits } = inputs;
  const shared = config.conditions;
  const common = { operators, mode, limits, sharedPath: ['conditions'], allowUndefinedFacts };
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

  const factsNeeded = [...needed].filter((f) => f !== 'customer.segments');
  const rulesByType = new Map<EventType, number[]>();
  config.rules.forEach((rule, i) => {
    for (const type of Array.isArray(rule.on) ? rule.on : [rule.on]) {
      const list = rulesByType.get(type) ?? [];
      list.push(i);
      rulesByType.set(type, list);
    }
  });

  return {
    rules,
    segments,
    segmentNames,
    lines,
    rulesByType,
    factsNeeded,
    buildFacts: programFactBuilder(factsNeeded, registered),
    lineFactsNeeded: [...lineNeeded],
    lineFacts: lineFactBuilder([...lineNeeded]),
    registeredFacts: registered,
    catalog,
    operators,
    excluded: {
      skus: new Set(config.eligibility.exclude.skus),
      categories: new Set(config.eligibility.exclude.categories),
      tags: new Set(config.eligibility.exclude.tags),
    },
    earn: earnPlanOf(config),
    windows: new LimitWindows(config.timeZone, config.latenessDays),
  };
}

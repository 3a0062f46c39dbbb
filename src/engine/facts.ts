// The full fact catalog: the core facts of the rule language and the facts program kinds declare
// in their folders, merged generically. Every program's rules may read every fact; a program of
// a kind that does not declare one reads its fallback.
import { CORE_FACTS } from '../rules/catalog';
import { CORE_FACT_NAMES, buildFactsWith, factBuilder, type FactsInput, type RegisteredFact } from '../rules/facts';
import type { FactCatalog, FactType } from '../rules/types';
import { KIND_FACTS, type KindFacts } from '../kinds';

type KindFactSpecs = { readonly [K in keyof KindFacts]: { readonly type: KindFacts[K] extends { readonly type: infer T extends FactType } ? T : FactType; readonly description: string } };

// Marked pure, like the catalogue below: a bundle that only evaluates (the service) drops the
// descriptions; defineProgram's checks and the docs keep them.
const KIND_FACT_SPECS = /* @__PURE__ */ Object.fromEntries(Object.entries(KIND_FACTS).map(([name, fact]) => [name, { type: fact.type, description: fact.description }])) as KindFactSpecs;
const KIND_FALLBACKS: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(KIND_FACTS).map(([name, fact]) => [name, fact.fallback]));

/**
 * The built-in facts every rule can read, by flat dotted name: the core facts (event, order,
 * customer, account, time) and the facts program kinds declare. Values are always present (the
 * facts builder fills documented defaults), so a rule never meets an undefined fact: in a program
 * without tiers `customer.tier` is `""`, without membership `membership.active` is `false`.
 *
 * Amount facts are `decimal`: exact, compared exactly against the condition's value.
 *
 * @example
 * ```ts
 * BUILTIN_FACTS['order.eligibleSubtotal'].type; // 'decimal'
 * BUILTIN_FACTS['customer.tier'].type; // 'string' (declared by the tiered kind)
 * ```
 */
export const BUILTIN_FACTS = /* @__PURE__ */ Object.assign({}, CORE_FACTS, KIND_FACT_SPECS);

/** The name of a built-in fact. */
export type BuiltinFactName = keyof typeof BUILTIN_FACTS;

/**
 * Names of every built-in fact, in catalogue order: the core facts, then the kinds' facts.
 *
 * @example
 * ```ts
 * BUILTIN_FACT_NAMES[0]; // 'event.type'
 * BUILTIN_FACT_NAMES.includes('tier.progress'); // true
 * ```
 */
export const BUILTIN_FACT_NAMES = /* @__PURE__ */ (CORE_FACT_NAMES as string[]).concat(Object.keys(KIND_FACT_SPECS)) as BuiltinFactName[];

/**
 * Merges the built-in catalogue with host-registered facts. A registered fact never shadows a
 * built-in: on a name clash the built-in wins (and `defineProgram` reports `fact_shadows_builtin`).
 *
 * @example
 * ```ts
 * const catalog = factCatalog({ 'customer.rfm': { type: 'string', description: 'RFM cell' } });
 * catalog['customer.rfm']?.type; // 'string'
 * catalog['order.subtotal']?.type; // 'decimal'
 * factCatalog({ 'order.subtotal': { type: 'string', description: 'mine' } })['order.subtotal']?.type; // 'decimal': the built-in wins
 * ```
 */
export function factCatalog(registered: FactCatalog = {}): FactCatalog {
  return { ...registered, ...BUILTIN_FACTS };
}

/**
 * Builds the flat fact object a rule evaluator reads: built-in facts from the input (a kind's
 * facts from `input.kindFacts`, their fallbacks without), plus the host's registered facts. With
 * `only`, just those facts are computed (the compiled program passes the facts its conditions
 * read); without it, every fact is, with its default.
 *
 * @example
 * ```ts
 * const facts = buildFacts({ event, customer, account, timeZone: 'America/New_York', customerTimeZone: 'America/New_York' });
 * facts['event.type']; // 'purchase'
 * facts['customer.tier']; // '' (no kindFacts given)
 * ```
 */
export function buildFacts(
  input: FactsInput,
  options?: { readonly registered?: Readonly<Record<string, RegisteredFact>> | undefined; readonly only?: readonly string[] | undefined },
): Record<string, unknown> {
  return buildFactsWith(input, KIND_FALLBACKS, options);
}

/**
 * The facts builder of one program: the facts `names` (those its rules, segments and limit keys
 * read), each one's computation found once, when the program is compiled.
 *
 * @example
 * ```ts
 * const build = programFactBuilder(['event.type', 'customer.tier'], {});
 * build(input)['customer.tier']; // '' (no kindFacts given)
 * ```
 */
export function programFactBuilder(names: readonly string[], registered: Readonly<Record<string, RegisteredFact>>): (input: FactsInput) => Record<string, unknown> {
  return factBuilder(names, KIND_FALLBACKS, registered);
}

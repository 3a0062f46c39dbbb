// The kind registry's hooks: where the engine, the service and simulate learn which program kinds
// exist. Adding a kind is its folder (src/kinds/<kind>/) and one line here, plus a line in the
// other registry files the layers below read (configs.ts, schemas.ts; states.ts, codes.ts, api.ts
// when the kind has state, codes or public readers): docs/architecture.md, "Adding a kind".
import type { Program } from '../engine/program-type';
import type { ProgramKind } from '../schema/program';
import { paidHooks } from './paid/hooks';
import { pointsHooks } from './points/hooks';
import { punchHooks } from './punch/hooks';
import { spendHooks } from './spend/hooks';
import { tieredHooks } from './tiered/hooks';
import type { KindFact, KindFactContext, KindHooks } from './types';

const KINDS = {
  points: pointsHooks,
  spend: spendHooks,
  tiered: tieredHooks,
  paid: paidHooks,
  punch: punchHooks,
} as const satisfies Readonly<Record<ProgramKind, KindHooks>>;

/** The hooks of a program's kind. */
export function hooksOf(program: Program): KindHooks {
  return KINDS[program.config.kind];
}

type Kinds = typeof KINDS;
type FactsOf<K extends keyof Kinds> = Kinds[K] extends { readonly facts: infer F } ? F : Record<never, never>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every kind's facts, merged: `{ 'customer.tier': …, 'membership.active': … }`. */
export type KindFacts = UnionToIntersection<{ [K in keyof Kinds]: FactsOf<K> }[keyof Kinds]>;

/** The facts program kinds declare, all kinds merged (the fact catalog lists them for every program). */
export const KIND_FACTS = Object.assign({}, ...Object.values(KINDS).map((hooks: KindHooks) => hooks.facts ?? {})) as KindFacts & Readonly<Record<string, KindFact>>;

/**
 * The values of the facts the program's kind declares, computed by the kind, as of `ctx.at`:
 * only those in `only` when it is given (the facts the program's rules read). Facts of other
 * kinds are not here: the facts builder gives them their fallbacks.
 */
export function kindFactValues(ctx: KindFactContext, only: readonly string[] | undefined): Record<string, unknown> | undefined {
  const declared = hooksOf(ctx.program).facts;
  if (!declared) return undefined;
  const values: Record<string, unknown> = {};
  for (const [name, fact] of Object.entries(declared)) if (!only || only.includes(name)) values[name] = fact.compute(ctx);
  return values;
}

export { KindCache } from './types';
export type { KindContext, KindEventContext, KindFact, KindFactContext, KindHooks, KindResult } from './types';

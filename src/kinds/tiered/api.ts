// The tiered kind's public readers: literal tier ids, the tier held, its benefits, status for UIs.
import { Decimal, ZERO } from '../../money/decimal';
import { addDaysIn } from '../../time';
import type { AccountState } from '../../ledger/types';
import type { Program } from '../../engine/program-type';
import type { TieredProgramConfig } from './schema';
import { indexOf, periodEnd, tierAt, tieredConfig, tierState, windowAmount, type Config } from './ladder';
import { effectiveIndex } from './caught-up';

// ---------------------------------------------------------------------------------------------
// Public helpers: literal tier ids, status for UIs, benefits
// ---------------------------------------------------------------------------------------------

type InputOf<P> = P extends { readonly '~input'?: infer I } ? I : unknown;
type IdsOf<I> = I extends { readonly tiers: readonly { readonly id: infer Id }[] } ? (Id extends string ? (string extends Id ? string : Id) : string) : string;

/**
 * The tier ids of a tiered program, as literal types when the config was written inline (or
 * `as const`) in `defineProgram`: `'insider' | 'vib' | 'rouge'`; `string` otherwise.
 *
 * @example
 * ```ts
 * const program = defineProgram({ kind: 'tiered', tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 350 }], ... });
 * type Id = TierId<typeof program>; // 'insider' | 'vib'
 * ```
 */
export type TierId<P> = IdsOf<NonNullable<InputOf<P>>>;

/** A tiered program, whatever its input type. */
type TieredProgram = Program<TieredProgramConfig, unknown>;

function requireTiered(program: Program): Config {
  const config = tieredConfig(program);
  if (!config) throw new TypeError(`program "${program.id}" is a ${program.config.kind} program, not a tiered one`);
  return config;
}

/**
 * The tier a customer holds, typed with the program's literal tier ids. As of `at` (default: as
 * the account was last written), with the period-end evaluations due by then applied whether or
 * not `tick` has run; a new account holds the first tier. For an instant before the last tier
 * change, the tier held just before that change (the state keeps one step of history: enough to
 * judge a late event, not to replay the past).
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * const tier = tierOf(program, account, { at: new Date('2028-01-02T00:00:00Z') }); // 'insider' | 'vib' | 'rouge'
 * if (tier === 'vib') console.log('1.5× points');
 * ```
 */
export function tierOf<P extends TieredProgram>(program: P, account: AccountState, options?: { readonly at?: Date | undefined }): TierId<P> {
  const config = requireTiered(program);
  const at = options?.at;
  const stored = tierState(account);
  const index = at ? effectiveIndex(config, account, at).index : stored ? indexOf(config, stored.tier) : 0;
  return tierAt(config, index).id as TierId<P>;
}

/**
 * What a customer's tier gives, for the host to apply: free shipping and early access are the
 * host's to honour; the multiplier and birthday gift are applied by the engine; `rewards` are the
 * tier-only catalog rewards open to this tier (its own and those of the tiers below).
 *
 * @example
 * ```ts
 * const b = tierBenefits(program, account, { at: clock.now() });
 * if (b.freeShipping) order.shipping = '0';
 * ```
 */
export interface TierBenefits<Id extends string = string> {
  readonly tier: Id;
  readonly name: string | undefined;
  readonly multiplier: Decimal;
  readonly freeShipping: boolean;
  readonly earlyAccess: boolean;
  /** Points on the birthday; null when the tier has none. */
  readonly birthdayGift: Decimal | null;
  readonly rewards: readonly string[];
}

/**
 * The benefits of the tier a customer holds as of `at` (see {@link tierOf}).
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * tierBenefits(program, account).freeShipping; // true for VIB and Rouge in the Sephora-like example
 * ```
 */
export function tierBenefits<P extends TieredProgram>(program: P, account: AccountState, options?: { readonly at?: Date | undefined }): TierBenefits<TierId<P>> {
  const config = requireTiered(program);
  const id = tierOf(program, account, options);
  const index = indexOf(config, id);
  const tier = tierAt(config, index);
  return {
    tier: id,
    name: tier.name,
    multiplier: tier.multiplier,
    freeShipping: tier.benefits.freeShipping,
    earlyAccess: tier.benefits.earlyAccess,
    birthdayGift: tier.benefits.birthdayGift ?? null,
    rewards: [...new Set(config.tiers.slice(0, index + 1).flatMap((t) => t.benefits.rewards))],
  };
}

/**
 * Where a customer stands, for UIs ("$120 more to reach VIB").
 *
 * @example
 * ```ts
 * const s: TierStatus = tierStatus(program, account, clock.now());
 * ```
 */
export interface TierStatus<Id extends string = string> {
  readonly tier: Id;
  /** When the tier was reached; null for a new account. */
  readonly since: Date | null;
  /** The amount counted in the current window (this year, the last 12 months, or all time). */
  readonly amount: Decimal;
  /** The next tier up; null at the top. */
  readonly next: Id | null;
  /** The amount still needed to reach `next` (0 at the top). */
  readonly needed: Decimal;
  /** The next period-end evaluation (plus grace); null at the first tier and for lifetime windows. */
  readonly evaluatedAt: Date | null;
  /** The amount still needed in the period under evaluation to keep the tier then (0 when already kept). */
  readonly toKeep: Decimal;
}

/**
 * The tier held at `at`, the next one and the amount still needed for it, and what keeps the
 * tier at the next period end: the same figures as the `tier.next` and `tier.progress` facts.
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * const s = tierStatus(program, account, new Date('2026-05-01T12:00:00Z'));
 * `${s.needed.toFixed(2)} more to reach ${s.next}`; // '120.00 more to reach vib'
 * ```
 */
export function tierStatus<P extends TieredProgram>(program: P, account: AccountState, at: Date): TierStatus<TierId<P>> {
  const config = requireTiered(program);
  const { index, state } = effectiveIndex(config, account, at);
  const tier = tierAt(config, index);
  const next = config.tiers[index + 1];
  const amount = state ? windowAmount(config, state.buckets, at) : ZERO;
  let evaluatedAt: Date | null = null;
  let toKeep = ZERO;
  const end = state && index > 0 && index === indexOf(config, state.tier) ? periodEnd(config, state) : null;
  if (state && end) {
    evaluatedAt = addDaysIn(end, config.retention.graceDays, config.timeZone);
    const earned = state.earnedIn?.getTime() ?? Number.NEGATIVE_INFINITY;
    const secured = earned >= end.getTime() || (config.retention.holdThroughNextPeriod && earned >= state.periodStart.getTime());
    if (!secured) {
      const counted = config.qualification.window === 'calendar_year' ? windowAmount(config, state.buckets, state.periodStart) : windowAmount(config, state.buckets, new Date(Math.min(at.getTime(), end.getTime() - 1)));
      toKeep = Decimal.max(ZERO, tier.threshold.minus(counted));
    }
  }
  return {
    tier: tier.id as TierId<P>,
    since: state?.since ?? null,
    amount,
    next: next ? (next.id as TierId<P>) : null,
    needed: next ? Decimal.max(ZERO, next.threshold.minus(amount)) : ZERO,
    evaluatedAt,
    toKeep,
  };
}

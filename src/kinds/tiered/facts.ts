// The facts a tiered program gives rules; every other kind's programs read the fallbacks.
import { Decimal, ZERO } from '../../money/decimal';
import type { KindFact, KindFactContext } from '../types';
import { tierAt, tieredConfig, windowAmount } from './ladder';
import { effectiveIndex } from './caught-up';

/** The tier held at the event's instant and the next one up, with the amount still needed for it. */
function standing({ program, account, at, cache }: KindFactContext): { tier: string; next: string; progress: Decimal } | null {
  const config = tieredConfig(program);
  if (!config) return null;
  const { index, state } = effectiveIndex(config, account, at, cache);
  const next = config.tiers[index + 1];
  if (!next) return { tier: tierAt(config, index).id, next: '', progress: ZERO };
  const amount = state ? windowAmount(config, state.buckets, at) : ZERO;
  return { tier: tierAt(config, index).id, next: next.id, progress: Decimal.max(ZERO, next.threshold.minus(amount)) };
}

/**
 * The tiered kind's facts: `customer.tier`, `tier.next` and `tier.progress`, as of the event's
 * instant (period-end evaluations due by then applied, whether or not `tick` ran).
 *
 * @example
 * ```ts
 * // $230 spent this year toward VIB's $350, in the Sephora-like example:
 * TIERED_FACTS['customer.tier'].compute(ctx); // 'insider'
 * TIERED_FACTS['tier.progress'].compute(ctx); // Decimal 120
 * TIERED_FACTS['tier.next'].compute(ctxAtTheTop); // '' at the top tier
 * ```
 */
export const TIERED_FACTS = {
  'customer.tier': {
    type: 'string',
    description: 'The tier id in a tiered program; "" otherwise.',
    fallback: '',
    compute: (ctx) => standing(ctx)?.tier ?? '',
  },
  'tier.next': {
    type: 'string',
    description: 'Tiered programs: the next tier up; "" at the top tier and in other programs.',
    fallback: '',
    compute: (ctx) => standing(ctx)?.next ?? '',
  },
  'tier.progress': {
    type: 'decimal',
    description: 'Tiered programs: the amount still needed for the next tier ("$120 more to reach VIB"); 0 at the top and in other programs.',
    fallback: ZERO,
    compute: (ctx) => standing(ctx)?.progress ?? ZERO,
  },
} as const satisfies Readonly<Record<string, KindFact>>;

import type { Decimal } from '../../money/decimal';

/**
 * The qualifying amount counted in one bucket of time: a calendar year (`calendar_year`), a
 * calendar month (`rolling_12_months`) or all time (`lifetime`, one bucket starting at the epoch).
 *
 * @example
 * ```ts
 * const bucket: TierBucket = { start: new Date('2026-01-01T05:00:00Z'), amount: new Decimal('479.99') };
 * ```
 */
export interface TierBucket {
  /** The bucket's first instant, in the program's zone. */
  readonly start: Date;
  /** Spend, points or orders counted in it; never below 0. */
  readonly amount: Decimal;
}

/**
 * A tiered program's status for one customer, kept by `state` entries under the key `tier`; each
 * entry's `reason` says why it changed (an upgrade, a period-end evaluation, a purchase counted).
 * Bounded: at most the buckets a future evaluation or a late event can still reach.
 *
 * @example
 * ```ts
 * const s = account.kinds.tier;
 * if (s?.kind === 'tier') console.log(`${s.tier} since ${s.since.toISOString()}`);
 * ```
 */
export interface TierState {
  readonly kind: 'tier';
  /** The tier held now. */
  readonly tier: string;
  /** When the customer reached the tier held now (an upgrade's event instant, a downgrade's period end plus grace). */
  readonly since: Date;
  /**
   * The start of the qualification period in which the held tier was last earned by qualifying
   * (reaching its threshold); null when it was granted by a downgrade, or is the starting tier.
   * A tier earned in a period holds through the next one (`retention.holdThroughNextPeriod`).
   */
  readonly earnedIn: Date | null;
  /**
   * The start of the period the next period-end evaluation looks at: a 1 January for calendar
   * years, `since` or its last anniversary for a rolling 12 months. Only meaningful above the first tier.
   */
  readonly periodStart: Date;
  /** The qualifying amounts, oldest bucket first. */
  readonly buckets: readonly TierBucket[];
  /** The tier held before the last change and until when: late events dated before it are judged at it. */
  readonly previous: { readonly tier: string; readonly until: Date } | null;
}

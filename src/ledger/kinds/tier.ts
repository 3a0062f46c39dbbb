import type { Decimal } from '../../money/decimal';

/**
 * A tiered program's status for one customer, kept by `state` entries under the key `tier`.
 * (Owned by the tiered kind; fields grow with it.)
 */
export interface TierState {
  readonly kind: 'tier';
  /** The tier held now. */
  readonly tier: string;
  /** When the customer reached the tier held now. */
  readonly since: Date;
  /** Start of the qualification period being counted. */
  readonly periodStart: Date;
  /** What counts toward qualification in that period (spend, points or orders). */
  readonly periodAmount: Decimal;
}

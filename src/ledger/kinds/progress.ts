import type { Decimal } from '../../money/decimal';

/**
 * Spend progress toward the next fixed-value reward (Kohl's-style), kept by `state` entries under
 * the key `progress`. (Owned by the spend kind; fields grow with it.)
 */
export interface ProgressState {
  readonly kind: 'progress';
  /** Progress carried toward the next threshold. */
  readonly carried: Decimal;
  /** Rewards converted so far. */
  readonly converted: number;
}

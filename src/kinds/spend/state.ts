import type { Decimal } from '../../money/decimal';
import type { LineShare } from '../../ledger/shares';

/**
 * What one `progress` state entry did for one order: the progress a purchase added (with its split
 * over the order's lines, the basis of refunds by line), or the progress a refund took back.
 *
 * @example
 * ```ts
 * const change: ProgressOrderChange = { orderId: 'A-1', progress: new Decimal('-50'), rewardsTaken: 1 };
 * ```
 */
export interface ProgressOrderChange {
  readonly orderId: string;
  /** Progress added by the purchase (positive) or taken back by a refund (negative). */
  readonly progress: Decimal;
  /** On a purchase: the progress each line added (`amount`), with the line's quantity. */
  readonly lines?: readonly LineShare[];
  /** On a purchase: rewards its progress converted. */
  readonly rewardsConverted?: number;
  /** On a refund: converted rewards it took back because the carried progress fell short. */
  readonly rewardsTaken?: number;
}

/**
 * Spend progress toward the next fixed-value reward (Kohl's-style), kept by `state` entries under
 * the key `progress`. The fold keeps the latest value, so the account holds the carried progress,
 * the reward counts, and the last change.
 *
 * Invariant (without reversals): the progress of every purchase less what refunds took back equals
 * `carried + (converted − unwound) × threshold`, with `0 ≤ carried`.
 *
 * @example
 * ```ts
 * const p = account.kinds.progress;
 * if (p?.kind === 'progress') console.log(`${p.carried.toString()} toward the next reward`);
 * ```
 */
export interface ProgressState {
  readonly kind: 'progress';
  /** Progress carried toward the next threshold. */
  readonly carried: Decimal;
  /** Rewards converted so far (lifetime). */
  readonly converted: number;
  /** Converted rewards taken back by refunds so far (lifetime); `converted − unwound` are outstanding. */
  readonly unwound: number;
  /** The order this value's entry changed progress for, and how. */
  readonly order?: ProgressOrderChange;
}

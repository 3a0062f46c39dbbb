import type { Decimal } from '../../money/decimal';

/**
 * A paid membership's state for one customer, kept by `state` entries under the key `membership`.
 * (Owned by the paid kind; fields grow with it.)
 */
export interface MembershipState {
  readonly kind: 'membership';
  readonly status: 'trialing' | 'active' | 'past_due' | 'cancelled' | 'expired';
  /** Benefits hold until this instant (paid through, or the trial's end). */
  readonly paidThrough: Date | null;
  /** Fees paid so far and the value the member received (savings), for value tracking. */
  readonly feesPaid: Decimal;
  readonly valueReceived: Decimal;
}

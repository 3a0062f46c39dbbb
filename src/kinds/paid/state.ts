import type { Decimal } from '../../money/decimal';

/**
 * Where a paid membership stands. The machine is
 * `trialing → active → past_due → cancelled | expired` (see `MEMBERSHIP_TRANSITIONS` in the paid
 * kind for every allowed move):
 *
 * - `trialing`: a free trial runs until `trialEndsAt`; a payment converts it, none expires it.
 * - `active`: paid through `paidThrough` (or, for a join without a trial, the first payment is
 *   due at the join).
 * - `past_due`: a due date passed unpaid (or its payment failed); benefits hold until `graceEndsAt`.
 * - `cancelled`: no more renewals; benefits hold until `endsAt` (the paid-through date, or the
 *   trial's end for a trial cancelled before it converted).
 * - `expired`: benefits are gone; a new start or a successful payment begins a new run.
 *
 * @example
 * ```ts
 * const status: MembershipStatus = 'past_due';
 * ```
 */
export type MembershipStatus = 'trialing' | 'active' | 'past_due' | 'cancelled' | 'expired';

/**
 * The order a purchase (positive amount) or a refund (negative) last credited with member value,
 * so that a later refund of that order can find what the order was credited.
 *
 * @example
 * ```ts
 * const credited: MembershipOrderValue = { orderId: 'A-100', amount: new Decimal('4.50') };
 * ```
 */
export interface MembershipOrderValue {
  readonly orderId: string;
  readonly amount: Decimal;
}

/**
 * A paid membership's state for one customer, kept by `state` entries under the key
 * `membership`, each with the reason of its step. Instants are absolute; the program's zone
 * decides them (calendar days for trials and grace, anchor-day months for renewals).
 *
 * Renewal due dates are always `anchor + n periods` counted from the anchor (never from the
 * previous due date), so a 31 January anchor renews on 28 February, then 31 March.
 *
 * @example
 * ```ts
 * const m = account.kinds.membership;
 * if (m?.kind === 'membership') console.log(m.status, m.paidThrough?.toISOString(), m.feesPaid.toString(), m.valueReceived.toString());
 * ```
 */
export interface MembershipState {
  readonly kind: 'membership';
  readonly status: MembershipStatus;
  /** When the current run of the membership began (a start, or a payment that restarted it). */
  readonly startedAt: Date;
  /**
   * The renewals' anchor: the join instant, or the trial's end for a trial (it becomes the anchor
   * when the trial converts), or the instant of a payment that restarted an expired membership.
   */
  readonly anchor: Date;
  /** Periods paid since the anchor: period k (1-based) is `[anchor + (k−1), anchor + k)`. */
  readonly periodsPaid: number;
  /** The end of the last paid period (`anchor + periodsPaid periods`); null while nothing is paid. */
  readonly paidThrough: Date | null;
  /**
   * When the next unpaid period falls due (`anchor + periodsPaid periods`: the trial's end while
   * trialing, the join for a join without a trial); null once cancelled or expired.
   */
  readonly nextDueAt: Date | null;
  /** The end of the free trial of this run (null without one). */
  readonly trialEndsAt: Date | null;
  /** Whether this customer ever had a free trial (a trial is given once per customer). */
  readonly trialUsed: boolean;
  /** While past due: the end of the grace period (the unpaid due date + graceDays). */
  readonly graceEndsAt: Date | null;
  /**
   * When a payment failure was reported for the period now due (null otherwise). A past-due
   * membership recovers with `membership.activated` only after a reported failure; a due date that
   * merely passed before its payment arrived is the ordinary course of a renewal.
   */
  readonly paymentFailedAt: Date | null;
  /** When the member cancelled (null unless cancelled). */
  readonly cancelledAt: Date | null;
  /** While cancelled: when benefits end (the paid-through date, or the trial's end). */
  readonly endsAt: Date | null;
  /** When the membership last expired (null if it never did in this run). */
  readonly expiredAt: Date | null;
  /** `membership.trial_ending` was sent for this run's trial. */
  readonly trialNoticeSent: boolean;
  /** The due date whose `membership.renewal_due` notice was sent last. */
  readonly renewalNoticeFor: Date | null;
  /** Fees paid so far by this customer (every run), in the program's currency. */
  readonly feesPaid: Decimal;
  /** The value the member received (savings from the member discount), net of refunds. */
  readonly valueReceived: Decimal;
  /** What the step that wrote this state credited to an order's value, if it did (see `MembershipOrderValue`). */
  readonly orderValue: MembershipOrderValue | null;
}

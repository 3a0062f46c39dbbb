// The notifications the paid kind sends (composed into `Notification` by src/kinds/states.ts).
import type { Decimal } from '../../money/decimal';

/** The membership machine's notices: the trial ending, a renewal due, and each status change. */
export type MembershipNotification =
  | { readonly type: 'membership.trial_ending'; readonly trialEndsAt: Date }
  | { readonly type: 'membership.renewal_due'; readonly dueAt: Date; readonly fee: Decimal; readonly currency: string }
  | { readonly type: 'membership.past_due' | 'membership.expired' | 'membership.activated' | 'membership.cancelled'; readonly status: string; readonly paidThrough: Date | null };

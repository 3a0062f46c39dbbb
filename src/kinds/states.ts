// The registry's type-level lists: what each kind keeps in the account (its state), the ledger
// units it adds, and the notifications it sends. One entry per kind that has any; the generic
// types (AccountState, Unit, Notification) are composed from these, so they never name a kind.
import type { CardPunches, CardState } from './punch/state';
import type { PunchNotification, PunchUnit } from './punch/notifications';
import type { MembershipOrderValue, MembershipState, MembershipStatus } from './paid/state';
import type { MembershipNotification } from './paid/notifications';
import type { ProgressOrderChange, ProgressState } from './spend/state';
import type { CreditNotification } from './spend/notifications';
import type { TierBucket, TierState } from './tiered/state';
import type { TierNotification } from './tiered/notifications';

/** The state a program kind keeps beside the lots: a tier, a membership, a punch card, spend progress. */
export type KindState = TierState | MembershipState | CardState | ProgressState;

/** The ledger units kinds add to `points` and store credit (`credit:<currency>`). */
export type KindUnit = PunchUnit;

/** The notification bodies kinds send, beside the core ones (`src/engine/notifications.ts`). */
export type KindNotificationBody = CreditNotification | TierNotification | MembershipNotification | PunchNotification;

export type { CardPunches, CardState, TierBucket, MembershipOrderValue, MembershipState, MembershipStatus, ProgressOrderChange, ProgressState, TierState };

import type { CardPunches, CardState } from './punch/state';
import type { MembershipOrderValue, MembershipState, MembershipStatus } from './paid/state';
import type { ProgressOrderChange, ProgressState } from './spend/state';
import type { TierBucket, TierState } from './tiered/state';

/** The state a program kind keeps beside the lots: a tier, a membership, a punch card, spend progress. */
export type KindState = TierState | MembershipState | CardState | ProgressState;
export type { CardPunches, CardState, TierBucket, MembershipOrderValue, MembershipState, MembershipStatus, ProgressOrderChange, ProgressState, TierState };

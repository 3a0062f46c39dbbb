import type { CardPunches, CardState } from './card';
import type { MembershipOrderValue, MembershipState, MembershipStatus } from './membership';
import type { ProgressOrderChange, ProgressState } from './progress';
import type { TierBucket, TierState } from './tier';

/** The state a program kind keeps beside the lots: a tier, a membership, a punch card, spend progress. */
export type KindState = TierState | MembershipState | CardState | ProgressState;
export type { CardPunches, CardState, TierBucket, MembershipOrderValue, MembershipState, MembershipStatus, ProgressOrderChange, ProgressState, TierState };

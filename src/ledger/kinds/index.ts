import type { CardState } from './card';
import type { MembershipState } from './membership';
import type { ProgressState } from './progress';
import type { TierState } from './tier';

/** The state a program kind keeps beside the lots: a tier, a membership, a punch card, spend progress. */
export type KindState = TierState | MembershipState | CardState | ProgressState;
export type { CardState, MembershipState, ProgressState, TierState };

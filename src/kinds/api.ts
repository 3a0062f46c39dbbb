// The kinds' public readers and state types, re-exported by 'loyalty-engine/core' (src/core.ts):
// the generic entry points never name a kind. One line per kind with a public API.
export { tierOf, tierStatus, tierBenefits, type TierId, type TierStatus, type TierBenefits } from './tiered';
export { MEMBERSHIP_TRANSITIONS, membershipOf, membershipStatusAt, benefitsHold, memberBenefits, type MemberBenefits } from './paid';
export type { KindState, TierState, MembershipState, MembershipStatus, MembershipOrderValue, CardState, CardPunches, TierBucket, ProgressState, ProgressOrderChange } from './states';

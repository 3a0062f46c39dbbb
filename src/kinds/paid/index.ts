// The paid kind's public API (re-exported by loyalty-engine/core).
export { membershipOf, membershipStatusAt, benefitsHold, memberBenefits } from './api';
export { MEMBERSHIP_TRANSITIONS, type MemberBenefits } from './machine';
export type { MembershipState, MembershipStatus, MembershipOrderValue } from './state';

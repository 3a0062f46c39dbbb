// The tiered kind's public API (re-exported by loyalty-engine/core).
export { tierOf, tierStatus, tierBenefits, type TierId, type TierStatus, type TierBenefits } from './api';
export type { TierState, TierBucket } from './state';

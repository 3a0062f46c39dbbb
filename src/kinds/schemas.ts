// The kinds' public config schemas and types, and the public schemas of the events a kind adds
// to the event union, re-exported by 'loyalty-engine/schemas' (src/schemas.ts) and by
// src/schema/program/index.ts. One line per kind (and one per kind with events).
export { pointsProgramSchema, type PointsProgramConfig } from './points/schema';
export { spendProgramSchema, type SpendProgramConfig } from './spend/schema';
export { tieredProgramSchema, tierSchema, type TieredProgramConfig, type Tier } from './tiered/schema';
export { paidProgramSchema, type PaidProgramConfig } from './paid/schema';
export { punchProgramSchema, cardSchema, type PunchProgramConfig, type PunchCard } from './punch/schema';
export { membershipStartedEventSchema, membershipPaymentEventSchema, membershipCancelledEventSchema } from './paid/events';

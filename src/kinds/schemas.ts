// The kinds' public config schemas and types, re-exported by 'loyalty-engine/schemas'
// (src/schemas.ts) and by src/schema/program/index.ts. One line per kind.
export { pointsProgramSchema, type PointsProgramConfig } from './points/schema';
export { spendProgramSchema, type SpendProgramConfig } from './spend/schema';
export { tieredProgramSchema, tierSchema, type TieredProgramConfig, type Tier } from './tiered/schema';
export { paidProgramSchema, type PaidProgramConfig } from './paid/schema';
export { punchProgramSchema, cardSchema, type PunchProgramConfig, type PunchCard } from './punch/schema';

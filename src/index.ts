// The public face of loyalty-engine: what a service user needs, and nothing else (docs/api.md).
// Pure functions live in ./core ('loyalty-engine/core'), zod schemas in ./schemas
// ('loyalty-engine/schemas'); time and money helpers are internal.
// test/exports.test.ts pins this list: a name added here is a decision, not a side effect.
export { createLoyalty, type Loyalty, type LoyaltyOptions, type ProcessResult, type RequestResult, type AccountView, type TickDueResult } from './service/loyalty';
export { defineProgram, type Program } from './engine/program';
export { memoryStore } from './store/memory';
export { fixedClock, systemClock, type Clock } from './time/clock';
export { isLoyaltyError, LoyaltyError, ProgramConfigError, type Issue } from './errors';
export type { ProgramConfigInput } from './schema/program';
export type { Customer, CustomerInput } from './schema/customer';
export type { LoyaltyEvent, LoyaltyEventInput } from './schema/events';
export type { Transaction, Entry, Lot } from './ledger/types';
export type { Notification } from './engine/notifications';
export type { Store, StoreSession } from './store/types';
// A type only: amounts come back as Decimals; pass amounts in as strings or numbers.
export type { Decimal } from './money/decimal';
export type { DecimalInput, InstantInput } from './schema/primitives';

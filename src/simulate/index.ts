// 'loyalty-engine/simulate': backtests. Replay a history under a program, or two side by side,
// and a seeded generator of synthetic histories. Pure: no clock, no store, no node:* module.
// Re-exports only.
export { simulate, type Source } from './simulate';
export { compare, differences } from './compare';
export { generateHistory, type HistoryOptions, type History } from './generate';
export type { SimulateOptions, SimulationResult, SimulationRun, UnitTotals, CustomerOutcome, CustomerDifference, Comparison } from './types';

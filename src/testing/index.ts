// 'loyalty-engine/testing': the store conformance kit. Adapter authors run `runStoreConformance`
// in their own vitest suite; the fault wrappers are exported for their own tests. Re-exports only.
export { runStoreConformance, runConformanceCase } from './run';
export { conformanceCases } from './cases';
export { ConformanceFailure } from './assert';
export { failAtWrite, loseAcknowledgement, InjectedWriteFault, LostAcknowledgement, WRITE_METHODS } from './faults';
export type { FailAtWriteOptions, WriteFaultStore, LostAcknowledgementStore, WriteMethod } from './faults';
export type { ConformanceCase, ConformanceContext, ConformanceOptions } from './types';

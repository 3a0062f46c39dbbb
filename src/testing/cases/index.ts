import type { ConformanceCase } from '../types';
import { faultCases } from './faults';
import { isolationCases } from './isolation';
import { readCases } from './reads';
import { serviceCases } from './service';
import { serviceReadCases } from './service-reads';
import { sessionCases } from './session';

/**
 * Every check of the store conformance suite, in the order `runStoreConformance` runs them: the
 * raw `StoreSession` contract first, then the service over the store, races, faults and isolation.
 * Ids are stable (`session.version-conflict`, `service.overdraft-race`, …), so a test can pick one.
 *
 * @example
 * ```ts
 * for (const check of conformanceCases) console.log(check.id, check.promises);
 * ```
 */
export const conformanceCases: readonly ConformanceCase[] = [...sessionCases, ...readCases, ...serviceCases, ...serviceReadCases, ...faultCases, ...isolationCases];

// What simulateSharded and its workers say to each other. Everything here crosses a
// worker_threads boundary, so it is structured-cloneable: ledger values go as encodeLedgerJson.
import { defineProgram, isProgram, type Program } from '../engine/program';
import { decodeLedgerJson, encodeLedgerJson } from '../ledger/codec';
import type { MetricsSnapshot } from '../metrics';
import type { SimulateOptions } from '../simulate/types';
import { loadProgram } from './validate';

/** Where a worker finds the program: a config file's path, or a config (encoded). */
export type ProgramSpec = { readonly path: string } | { readonly config: unknown };

/** The options a worker's replay takes (no callbacks: they cannot cross threads). */
export type WorkerOptions = Omit<SimulateOptions, 'onTransaction' | 'start' | 'until'>;

export interface WorkerData {
  readonly program: ProgramSpec;
  readonly options: WorkerOptions;
}

/** Main thread to worker. */
export type ToWorker =
  | { readonly type: 'customers'; readonly items: readonly unknown[] }
  | { readonly type: 'start'; readonly at: Date }
  | { readonly type: 'events'; readonly items: readonly unknown[] }
  | { readonly type: 'finish'; readonly until: Date };

/** Worker to main thread. */
export type FromWorker =
  | { readonly type: 'ack' }
  | { readonly type: 'result'; readonly result: unknown; readonly metrics: MetricsSnapshot }
  | { readonly type: 'error'; readonly message: string; readonly issues?: unknown };

/**
 * A program as a worker can rebuild it: a config file's path as is; a program made by
 * `defineProgram` by its parsed config (encoded; custom facts and operators cannot travel and
 * make `defineProgram` fail in the worker, loudly); a config input as is.
 */
export function programSpecOf(program: string | Program | object): ProgramSpec {
  if (typeof program === 'string') return { path: program };
  // By shape too: a program made by another copy of the library (src and dist in tests, say) is not `isProgram` here.
  if (isProgram(program) || ('config' in program && 'compileMode' in program)) return { config: encodeLedgerJson((program as Program).config) };
  return { config: encodeLedgerJson(program) };
}

/** The program a spec names. */
export function programOf(spec: ProgramSpec): Program {
  if ('path' in spec) return loadProgram(spec.path);
  return defineProgram(decodeLedgerJson(spec.config) as Parameters<typeof defineProgram>[0]);
}

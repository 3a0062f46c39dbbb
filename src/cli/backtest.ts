// Running a backtest for the command line: the replay (src/simulate) on this thread, or sharded
// over worker threads (`--workers`), with the metrics by month it computes in the same pass.
import type { Program } from '../engine/program';
import { simulate, type SimulationResult } from '../simulate';
import type { MetricsOptions } from '../metrics';
import type { LoyaltyEventInput } from '../schema/events';
import type { History } from './read/history';
import { simulateSharded } from './shard';

/** A replay's program and result (its `metrics` by month included). */
export interface Backtest {
  readonly program: Program;
  readonly result: SimulationResult;
  /** The result's metrics, by month. */
  readonly metrics: SimulationResult['metrics'];
}

/** Options of a backtest run. */
export interface BacktestOptions {
  /** Worker threads (1: replay on this thread). */
  readonly workers?: number | undefined;
  /** Called after each event is read by the replay (the progress bar). */
  readonly onEvent?: ((done: number) => void) | undefined;
}

/** The replay's refund entries carry what was refunded; a refund event by lines has no price of its own. */
const METRICS: Partial<MetricsOptions> = { refundsFrom: 'transactions' };

/** Yields the events, reporting progress. */
function* counted(events: readonly LoyaltyEventInput[], onEvent: ((done: number) => void) | undefined): Generator<LoyaltyEventInput> {
  let done = 0;
  for (const event of events) {
    yield event;
    done += 1;
    onEvent?.(done);
  }
}

/**
 * Replays the history under a program. `file` is the program's config file: worker threads load
 * it themselves (a program object cannot cross threads).
 */
export async function runBacktest(file: string, program: Program, history: History, options: BacktestOptions = {}): Promise<Backtest> {
  const events = counted(history.eventInputs, options.onEvent);
  const workers = options.workers ?? 1;
  const result =
    workers > 1
      ? await simulateSharded(file, events, history.customerInputs, { workers, metrics: METRICS })
      : await simulate(program, events, history.customerInputs, { metrics: METRICS });
  return { program, result, metrics: result.metrics };
}

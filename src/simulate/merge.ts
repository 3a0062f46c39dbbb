import type { Program } from '../engine/program';
import { hooksOf } from '../kinds';
import { metricsAccumulator, type MetricsSnapshot } from '../metrics';
import { sumBooks } from './books';
import { metricsOptionsOf } from './replay';
import { tierMixOf, totalsOf } from './result';
import type { SimulateOptions, SimulationResult } from './types';

/** One shard's result, with its metrics state (the report alone cannot be merged). */
export interface SimulationShard {
  readonly result: SimulationResult;
  /** The shard's metrics state as a snapshot (plain JSON: it crosses threads). */
  readonly metrics: MetricsSnapshot;
}

const minDate = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null || a <= b ? a : b);
const maxDate = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null || a >= b ? a : b);

/**
 * Merges the results of shards of one history (each shard replayed a disjoint set of customers
 * with the same `start`, `until` and metrics options) into the result of the whole: sums are
 * added exactly, customers gathered, the tier mix recounted, the liability valued again from the
 * total, the metrics states merged before the report is read.
 */
export function mergeResults(program: Program, shards: readonly SimulationShard[], options?: SimulateOptions): SimulationResult {
  const parts = shards.map((s) => s.result);
  const first = parts[0];
  if (first === undefined) throw new TypeError('mergeResults needs at least one result');
  const refused: Record<string, number> = {};
  let events = 0, transactions = 0, boundaries = 0, ticked = 0, tickFailures = 0;
  let start: Date | null = null;
  let end: Date | null = null;
  for (const part of parts) {
    for (const [code, n] of Object.entries(part.run.refused)) refused[code] = (refused[code] ?? 0) + n;
    events += part.run.events;
    transactions += part.run.transactions;
    // Every shard ticks the same day boundaries.
    boundaries = Math.max(boundaries, part.run.boundaries);
    ticked += part.run.ticked;
    tickFailures += part.run.tickFailures;
    start = minDate(start, part.run.start);
    end = maxDate(end, part.run.end);
  }
  const books = sumBooks(first.totals.unit, parts.map((p) => p.totals));
  const metrics = metricsAccumulator(metricsOptionsOf(program, hooksOf(program).unit(program), options?.metrics));
  const merged = metrics.empty();
  for (const shard of shards) metrics.merge(merged, metrics.restore(shard.metrics));
  const customers = parts.flatMap((p) => p.customers).sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  return {
    programId: first.programId,
    programVersion: first.programVersion,
    totals: totalsOf(program, books, customers),
    tierMix: tierMixOf(program, customers),
    customers,
    metrics: metrics.result(merged),
    run: { events, transactions, refused: Object.fromEntries(Object.entries(refused).sort((a, b) => (a[0] < b[0] ? -1 : 1))), boundaries, ticked, tickFailures, start, end },
  };
}

// simulateSharded: the backtest over worker_threads. Customers are split across workers by a hash
// of their id; the main thread reads the history once and sends each worker its customers'
// events in batches; the workers' results and metrics states are merged exactly.
import { Worker } from 'node:worker_threads';
import { LoyaltyError } from '../errors';
import type { Program } from '../engine/program';
import { decodeLedgerJson } from '../ledger/codec';
import type { CustomerInput } from '../schema/customer';
import type { LoyaltyEventInput } from '../schema/events';
import type { ProgramConfigInput } from '../schema/program';
import { instantSchema } from '../schema/primitives';
import { mergeResults, type SimulationShard } from '../simulate/merge';
import { dayBoundaryAfter, outOfOrder } from '../simulate/replay';
import type { Source } from '../simulate/simulate';
import type { SimulationResult } from '../simulate/types';
import { programOf, programSpecOf, type FromWorker, type ToWorker, type WorkerOptions } from './shard-protocol';

/** Options of `simulateSharded`: those of `simulate` that can cross threads, and the worker count. */
export interface ShardOptions extends WorkerOptions {
  /** Worker threads to replay on (at least 1). */
  readonly workers: number;
  readonly start?: Date | string | undefined;
  readonly until?: Date | string | undefined;
  /** Events per message to a worker (default 2000). */
  readonly batch?: number | undefined;
}

/** At most this many batches wait in a worker's queue: the reader never runs far ahead of the replays. */
const IN_FLIGHT = 4;

/** FNV-1a of a customer id: which worker replays the customer. */
export function shardOf(customerId: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) h = Math.imul(h ^ customerId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % workers;
}

/** One worker, with a queue of batches sent and not yet acknowledged. */
class ShardWorker {
  private readonly worker: Worker;
  private pending = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private onResult: ((shard: SimulationShard) => void) | null = null;
  private onError: ((error: Error) => void) | null = null;
  buffer: unknown[] = [];

  constructor(file: URL, workerData: unknown) {
    this.worker = new Worker(file, { workerData });
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`a simulate worker exited with code ${code}`));
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ack') {
      this.pending -= 1;
      this.wake?.();
    } else if (message.type === 'result') {
      this.onResult?.({ result: decodeLedgerJson(message.result) as SimulationResult, metrics: message.metrics });
    } else {
      const issues = message.issues === undefined ? null : (decodeLedgerJson(message.issues) as LoyaltyError['issues']);
      this.fail(issues && issues.length > 0 ? new LoyaltyError(issues as ConstructorParameters<typeof LoyaltyError>[0]) : new Error(message.message));
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
    this.onError?.(error);
  }

  /** Sends a message that the worker acknowledges, waiting while too many are queued. */
  async send(message: ToWorker, acknowledged: boolean): Promise<void> {
    while (this.failure === null && this.pending >= IN_FLIGHT) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    if (acknowledged) this.pending += 1;
    this.worker.postMessage(message);
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    await this.send({ type: 'events', items }, true);
  }

  /** Finishes the replay at `until` and waits for the result. */
  async finish(until: Date): Promise<SimulationShard> {
    const result = new Promise<SimulationShard>((resolve, reject) => {
      this.onResult = resolve;
      this.onError = reject;
    });
    await this.send({ type: 'finish', until }, false);
    return result;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function checkOptions(options: ShardOptions): void {
  if (!Number.isSafeInteger(options.workers) || options.workers < 1) {
    throw new LoyaltyError([{ code: 'invalid_value', path: ['options', 'workers'], message: 'workers is a whole number, at least 1' }]);
  }
}

/**
 * `simulate` over `workers` worker threads: customers are split by a hash of their id, each
 * worker replays its share with the same day boundaries and end, and the results and metrics are
 * merged exactly, so the result equals the one-thread `simulate`. Event and order ids are
 * checked for repeats per worker: exact when no two customers share an event or order id.
 *
 * @param program - a program config file's path (JSON), a config, or a program from `defineProgram` (without custom facts or operators: they cannot cross threads)
 * @example
 * ```ts
 * const { customers, events } = generateHistory({ seed: 1, customers: 100_000, months: 12, start: '2027-01-01T05:00:00Z' });
 * const result = await simulateSharded('program.json', events, customers, { workers: 4 });
 * ```
 */
export async function simulateSharded(
  program: string | Program | ProgramConfigInput,
  events: Source<LoyaltyEventInput>,
  customers: Source<CustomerInput>,
  options: ShardOptions,
): Promise<SimulationResult> {
  checkOptions(options);
  const spec = programSpecOf(program);
  const here = programOf(spec);
  const { workers: count, start, until, batch = 2000, ...rest } = options;
  const file = new URL('./shard-worker.js', import.meta.url);
  const workers = Array.from({ length: count }, () => new ShardWorker(file, { program: spec, options: rest }));
  try {
    await sendCustomers(workers, customers);
    const last = await sendEvents(workers, events, batch, start === undefined ? undefined : instantSchema.parse(start));
    const end = until !== undefined ? instantSchema.parse(until) : last === null ? new Date(0) : dayBoundaryAfter(here, last);
    const shards = await Promise.all(workers.map((w) => w.finish(end)));
    return mergeResults(here, shards, rest);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function sendCustomers(workers: readonly ShardWorker[], customers: Source<CustomerInput>): Promise<void> {
  const parts: CustomerInput[][] = workers.map(() => []);
  for await (const c of customers) parts[shardOf(c.id, workers.length)]?.push(c);
  await Promise.all(workers.map((w, i) => w.send({ type: 'customers', items: parts[i] ?? [] }, true)));
}

/** Sends every event to its customer's worker; returns the last event's instant (null: none). */
async function sendEvents(workers: readonly ShardWorker[], events: Source<LoyaltyEventInput>, batch: number, start: Date | undefined): Promise<Date | null> {
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastId = '';
  for await (const event of events) {
    const at = new Date(event.occurredAt).getTime();
    if (at < lastAt) throw outOfOrder(event.id, at, lastId, lastAt);
    if (lastAt === Number.NEGATIVE_INFINITY) {
      // Every worker ticks from the same first day, whatever its own first event.
      await Promise.all(workers.map((w) => w.send({ type: 'start', at: start ?? new Date(at) }, false)));
    }
    lastAt = at;
    lastId = event.id;
    const worker = workers[shardOf(event.customerId, workers.length)];
    if (!worker) continue;
    worker.buffer.push(event);
    if (worker.buffer.length >= batch) await worker.flush();
  }
  await Promise.all(workers.map((w) => w.flush()));
  return lastAt === Number.NEGATIVE_INFINITY ? null : new Date(lastAt);
}

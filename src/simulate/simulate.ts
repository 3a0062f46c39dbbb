import type { Program } from '../engine/program';
import type { CustomerInput } from '../schema/customer';
import type { LoyaltyEventInput } from '../schema/events';
import { Replay } from './replay';
import { resultOf } from './result';
import type { SimulateOptions, SimulationResult } from './types';

/**
 * A list, a generator or a stream: anything `for await` reads.
 *
 * @example
 * ```ts
 * async function* fromFile(): AsyncGenerator<LoyaltyEventInput> { for await (const line of lines) yield JSON.parse(line); }
 * const events: Source<LoyaltyEventInput> = fromFile();
 * ```
 */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Replays a history through a program with the pure engine: time comes from the events (a
 * history spans months, so the service's lateness window does not apply), and every account is
 * ticked at each day boundary of the program's zone as the replay passes it, and at the end.
 * The ledger is the one `createLoyalty` over `memoryStore()` would write for the same events with
 * its clock at each event's instant and `tickDue` at each day boundary. Customers are enrolled
 * before the first event. Events must be sorted by `occurredAt`: an event out of order is thrown
 * as `events_out_of_order`, naming it. Holds per-customer state only; pass `onTransaction` to
 * see the transactions as they are written.
 *
 * @param program - the program to replay under (from `defineProgram`)
 * @param events - the history, sorted by time, as the host would send it to `process`
 * @param customers - every customer the events name (as `upsertCustomer` takes them)
 * @returns the books, the tier mix, every customer's end state, and how the run went
 * @example
 * ```ts
 * const { customers, events } = generateHistory({ seed: 7, customers: 100, months: 3, start: '2027-01-01T00:00:00Z' });
 * const result = await simulate(program, events, customers);
 * console.log(`issued ${result.totals.issued}, liability ${result.totals.liability.toFixed(2)} USD`);
 * ```
 */
export async function simulate(
  program: Program,
  events: Source<LoyaltyEventInput>,
  customers: Source<CustomerInput>,
  options?: SimulateOptions,
): Promise<SimulationResult> {
  const replay = new Replay(program, options);
  await feed(customers, (customer) => replay.addCustomer(customer));
  await feed(events, (event) => replay.push(event));
  const end = replay.finish();
  return resultOf(replay, end);
}

/**
 * Reads a source into `take`. A list or a generator is read with a plain loop: `for await` over
 * a synchronous iterable wraps every item in a promise and a microtask, which costs more per
 * event than much of the replay.
 *
 * @example
 * ```ts
 * await feed(history.events, (event) => replay.push(event));
 * ```
 */
export async function feed<T>(source: Source<T>, take: (item: T) => void): Promise<void> {
  if (Symbol.asyncIterator in source) {
    for await (const item of source) take(item);
  } else {
    for (const item of source) take(item);
  }
}

export { Replay };

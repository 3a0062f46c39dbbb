/*
 * Target 4's memory, part by part: the live heap a replay holds per customer at the end of the
 * bench history, and what each part of it costs, found by dropping the parts one at a time and
 * collecting garbage after each.
 *
 *   node --expose-gc --import tsx bench/simulate-heap.ts [customers=2000] [retentionDays=45]
 *
 * The history is materialised first (so event and order id strings are counted with the history,
 * not the replay: in the bench's own run they are the replay's); Float64Array caches (zone
 * offsets) are outside the JS heap and not counted.
 */
import { lotCount } from '../src/ledger/lot-index';
import { Replay } from '../src/simulate/replay';
import { feed } from '../src/simulate/simulate';
import { benchHistory, benchProgram } from './simulate-phase';

type Gc = () => void;
/** The replay's private parts this bench drops (read through a cast, for measuring only). */
interface Parts {
  seenEvents: Set<string>;
  claimedOrders: Set<string>;
  metricsState: Record<string, unknown>;
  retained: { queue: unknown[] };
  schedule: { heap: unknown[] };
}

function collect(gc: Gc): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const [customersText = '2000', retentionText = '45'] = process.argv.slice(2);
  const history = benchHistory(Number(customersText));
  const customers = [...history.customers];
  const events = [...history.events];
  const before = collect(gc);
  const replay = new Replay(benchProgram, { orderRetentionDays: Number(retentionText) });
  await feed(customers, (c) => replay.addCustomer(c));
  await feed(events, (e) => replay.push(e));
  replay.finish();
  const n = customers.length;
  let last = collect(gc);
  let lots = 0;
  // Counted from the index: reading `state.lots` would build (and keep) every lot as a `Lot`.
  for (const slot of replay.slots.values()) lots += lotCount(slot.state);
  console.log(`${n} customers, ${events.length} events, ${lots} open lots at the end (${(lots / n).toFixed(1)} a customer)`);
  console.log(`live heap: ${Math.round((last - before) / n)} B a customer`);
  const parts = replay as unknown as Parts;
  const drop = (name: string, act: () => void): void => {
    act();
    const now = collect(gc);
    console.log(`  ${name.padEnd(40)} ${String(Math.round((last - now) / n)).padStart(6)} B a customer`);
    last = now;
  };
  drop('event ids (idempotency)', () => parts.seenEvents.clear());
  drop('order ids (order claims)', () => parts.claimedOrders.clear());
  drop('metrics records', () => {
    for (const key of Object.keys(parts.metricsState)) parts.metricsState[key] = null;
  });
  drop('retained orders (transactions for refunds)', () => {
    parts.retained.queue = [];
    for (const slot of replay.slots.values()) slot.orders = null;
  });
  drop('schedule heap', () => {
    parts.schedule.heap = [];
  });
  // The lots live in the indexes, as compact records (a copy of a state has no index).
  drop('lots and their indexes', () => {
    for (const slot of replay.slots.values()) slot.state = { ...slot.state, lots: [] };
  });
  drop('rest of the slots (state, books, birthdays)', () => replay.slots.clear());
}

if (process.argv[1]?.endsWith('simulate-heap.ts')) await main();

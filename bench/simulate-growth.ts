/*
 * Target 4: why the cost per event grows with the number of customers. Replays the bench history
 * of `customers` customers (≈ 10 events each, so sizes differ only in customers) and reports, in
 * tenths of the run, the CPU time per event, the time spent in each part of the replay, the
 * garbage collector's pauses by kind and the heap, as one JSON line per tenth and one in all.
 *
 *   node --import tsx bench/simulate-growth.ts [customers=10000] [retentionDays=45]
 *
 * Parts (wall time, exclusive, by wrapping the replay's methods; on a loaded machine read their
 * shares, not their µs): parse (`push` less the rest), tick (day boundaries, their writes
 * included), evaluate (`process` less its writes), write (`applyTransaction`, orders, books,
 * metrics of a transaction written by an event). GC pauses come from the `gc` performance
 * entries: with `--single-threaded-gc` they hold all of the collector's work.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Replay } from '../src/simulate/replay';
import { feed } from '../src/simulate/simulate';
import { benchHistory, benchProgram } from './simulate-phase';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

type Totals = Record<string, number>;
const parts: Totals = { push: 0, tick: 0, process: 0, write: 0, writeInTick: 0 };
const gc: Totals = { minor: 0, major: 0, incremental: 0, weakcb: 0, count: 0, majorCount: 0 };

function wrap(proto: Record<string, unknown>, name: string, part: string, inner?: () => boolean): void {
  const original = proto[name] as (...args: unknown[]) => unknown;
  proto[name] = function (this: unknown, ...args: unknown[]): unknown {
    const t = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const d = performance.now() - t;
      if (inner?.() === true) parts.writeInTick = (parts.writeInTick ?? 0) + d;
      else parts[part] = (parts[part] ?? 0) + d;
    }
  };
}

async function main(): Promise<void> {
  const [customersText = '10000', retentionText = '45'] = process.argv.slice(2);
  const history = benchHistory(Number(customersText));
  // Counted on a second copy of the history: the replay reads its events one by one, as the bench
  // does (a materialised list of a million events would be a gigabyte of heap for the GC to mark).
  let n = 0;
  for (const e of benchHistory(Number(customersText)).events) if (e.id !== '') n += 1;
  const proto = Replay.prototype as unknown as Record<string, unknown>;
  let inTick = false;
  const tickAll = proto.tickAll as (...args: unknown[]) => unknown;
  proto.tickAll = function (this: unknown, ...args: unknown[]): unknown {
    inTick = true;
    try {
      return tickAll.apply(this, args);
    } finally {
      inTick = false;
    }
  };
  wrap(proto, 'push', 'push');
  wrap(proto, 'tickThrough', 'tick');
  wrap(proto, 'process', 'process');
  wrap(proto, 'write', 'write', () => inTick);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[(e as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      gc[kind] = (gc[kind] ?? 0) + e.duration;
      gc.count = (gc.count ?? 0) + 1;
      if (kind === 'major') gc.majorCount = (gc.majorCount ?? 0) + 1;
    }
  }).observe({ entryTypes: ['gc'] });
  const replay = new Replay(benchProgram, { orderRetentionDays: Number(retentionText) });
  await feed(history.customers, (c) => replay.addCustomer(c));
  const step = Math.ceil(n / 10);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let cpuLast = cpu0;
  let lastParts = { ...parts };
  let lastGc = { ...gc };
  const per = (a: Totals, b: Totals, k: string, count: number): number => Math.round((((a[k] ?? 0) - (b[k] ?? 0)) * 1000) / count);
  const report = (label: string, count: number, cpu: NodeJS.CpuUsage, p0: Totals, g0: Totals): void => {
    const cpuUs = (cpu.user + cpu.system) / count;
    const exclusive = { ...parts, push: (parts.push ?? 0) - (parts.tick ?? 0) - (parts.process ?? 0), process: (parts.process ?? 0) - (parts.write ?? 0), tick: (parts.tick ?? 0) };
    const ex0 = { ...p0, push: (p0.push ?? 0) - (p0.tick ?? 0) - (p0.process ?? 0), process: (p0.process ?? 0) - (p0.write ?? 0) };
    console.log(JSON.stringify({
      label, customers: history.customers.length, events: count,
      cpuUsPerEvent: Math.round(cpuUs * 10) / 10,
      wallUsPerEvent: { parse: per(exclusive, ex0, 'push', count), tick: per(exclusive, ex0, 'tick', count), evaluate: per(exclusive, ex0, 'process', count), write: per(exclusive, ex0, 'write', count) },
      gcUsPerEvent: { minor: per(gc, g0, 'minor', count), major: per(gc, g0, 'major', count), incremental: per(gc, g0, 'incremental', count) },
      gcs: (gc.count ?? 0) - (g0.count ?? 0), majors: (gc.majorCount ?? 0) - (g0.majorCount ?? 0),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    }));
  };
  let i = -1;
  for (const event of history.events) {
    i += 1;
    replay.push(event);
    if ((i + 1) % step === 0 || i + 1 === n) {
      // Let the observer deliver this tenth's gc entries.
      await new Promise((r) => setImmediate(r));
      const count = ((i + 1) % step) || step;
      const now = process.cpuUsage();
      report(`tenth ${Math.ceil((i + 1) / step)}`, count, { user: now.user - cpuLast.user, system: now.system - cpuLast.system }, lastParts, lastGc);
      cpuLast = now;
      lastParts = { ...parts };
      lastGc = { ...gc };
    }
  }
  replay.finish();
  await new Promise((r) => setTimeout(r, 10));
  report('all', n, process.cpuUsage(cpu0), { push: 0, tick: 0, process: 0, write: 0, writeInTick: 0 }, { minor: 0, major: 0, incremental: 0, weakcb: 0, count: 0, majorCount: 0 });
  console.log(JSON.stringify({ wallS: (performance.now() - wall0) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, transactions: replay.transactions, writeInTickUsPerEvent: Math.round(((parts.writeInTick ?? 0) * 1000) / n) }));
}

if (process.argv[1]?.endsWith('simulate-growth.ts')) await main();

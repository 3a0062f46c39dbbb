/*
 * `npm run bench:profile`: where the time and the bytes of each unmet PERFORMANCE.md target go.
 * For targets 2, 4, 6 and 7 it runs that target's own workload (imported from its bench module,
 * not copied) under `node:inspector`'s CPU profiler and sampling heap profiler, and prints, per
 * workload, a table of self-time shares grouped into named buckets (bench/lib/profile-buckets.ts:
 * by source file under src/, builtins charged to their caller), CPU-µs and bytes allocated per
 * operation for each bucket, GC pauses, and the top 10 functions by self time.
 *
 *   npx tsx bench/profile.ts [--only 2,7] [--quick] [--pg] [--markdown] [--json <file>]
 *
 * --quick     small sizes (about 19 CPU-s in all: 58 s of wall time at load 24); target 6 only
 *             with --pg (it starts a PostgreSQL server).
 * --only      targets to profile (default 2,4,6,7).
 * --markdown  tables as Markdown (default: plain text).
 * --json      also writes every figure to <file>.
 * --tiny      the smallest sizes (test/bench/profile.test.ts: checks the shape, not the figures).
 *
 * Profiling costs time: the CPU per operation printed here is 5–15 % above an unprofiled run's, so
 * read the shares, not the absolute µs; the rates to judge come from `npm run bench`. This is not
 * one of bench/index.ts's timed modules for that reason (`bench/index.ts --profile` runs it after them).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../src/core';
import type { LoyaltyEvent } from '../src';
import { simulate } from '../src/simulate';
import { findPgBin, startThrowawayServer } from './lib/pg-server';
import { serverCpuMs } from './lib/profile-server';
import { purchases, twentyRuleProgram } from './lib/programs';
import { GC, IDLE, OTHER, PROFILER, shares } from './lib/profile-buckets';
import { profiled, type Measured, type TopFunction } from './lib/profile-session';
import { customer, historyAccount, HISTORY_PURCHASES } from './pipeline';
import { prepareService, serviceRound, settings } from './postgres';
import { rawPurchases, serviceWithHistory } from './service';
import { benchHistory, benchProgram } from './simulate-phase';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

type Size = 'tiny' | 'quick' | 'full';

/** One bucket's row: its share of the CPU samples (idle excluded) and of the bytes allocated. */
export interface BucketRow {
  readonly name: string;
  readonly cpuShare: number;
  readonly cpuMicrosPerOp: number;
  readonly bytesPerOp: number;
  readonly byteShare: number;
}

/** One profiled workload, as printed and written to JSON. */
export interface WorkloadProfile {
  readonly target: number;
  readonly workload: string;
  readonly op: string;
  readonly ops: number;
  readonly wallMs: number;
  readonly cpuMicrosPerOp: number;
  readonly bytesPerOp: number;
  readonly gc: { readonly microsPerOp: number; readonly shareOfCpu: number; readonly minor: number; readonly major: number };
  readonly heapGrowthPerOp: number;
  /** Share of the wall time the event loop sat idle (waiting on the network); target 6. */
  readonly idleShareOfWall?: number;
  readonly buckets: readonly BucketRow[];
  readonly top: readonly (TopFunction & { readonly share: number })[];
  /** Extra figures (target 4's live heap per customer by part, target 6's per-event CPU). */
  readonly extra?: Readonly<Record<string, number>>;
  readonly note: string;
}

/** What a target's workload hands back: skipped (with why) or measured. */
export type TargetProfile = { readonly target: number; readonly skipped: string } | WorkloadProfile;

/** Buckets shown first for each target (always, even at 0 %), then any other above 0.5 %. */
const NAMED: Record<number, readonly string[]> = {
  2: ['evaluate · facts', 'evaluate · rules', 'evaluate · awards', 'evaluate · allocation and entries', 'evaluate · limits', 'evaluate · order view', 'evaluate · event checks', 'evaluate · the call (evaluate.ts, decision, outcome)', 'evaluate · other engine code', 'ledger: fold, lot index', 'time zones and calendar', 'money: decimal.js and src/money', GC],
  4: ['simulate: generating the history', 'parsing and validation', 'evaluate · facts', 'evaluate · rules', 'evaluate · awards', 'evaluate · allocation and entries', 'evaluate · limits', 'evaluate · order view', 'evaluate · schedule and tick', 'evaluate · the call (evaluate.ts, decision, outcome)', 'evaluate · other engine code', 'ledger: fold, lot index', 'simulate: replay, books, schedule', 'metrics accumulators', 'time zones and calendar', GC],
  6: ['PostgreSQL adapter (SQL, codec)', 'pg driver (node-postgres)', 'Node runtime (sockets, streams, promises)', 'service: process, idempotency', 'service: fingerprint (canonical text, SHA-256)', 'parsing and validation', 'evaluate · other engine code', 'ledger: fold, lot index', GC],
  7: ['parsing and validation', 'service: fingerprint (canonical text, SHA-256)', 'service: process, idempotency', 'memory store', 'evaluate · facts', 'evaluate · rules', 'evaluate · awards', 'evaluate · allocation and entries', 'evaluate · limits', 'evaluate · order view', 'evaluate · the call (evaluate.ts, decision, outcome)', 'evaluate · other engine code', 'ledger: fold, lot index', GC],
};

/** Turns one profiled run into its table: buckets under 0.5 % (and not named) fold into "other". */
export function summarize(target: number, workload: string, op: string, m: Measured, note: string, extra?: Record<string, number>): WorkloadProfile {
  const cpu = new Map(m.cpuByBucket);
  const idle = cpu.get(IDLE) ?? 0;
  cpu.delete(IDLE);
  cpu.delete(PROFILER);
  let sampled = 0;
  for (const v of cpu.values()) sampled += v;
  const cpuMicrosPerOp = (m.cpuMs * 1000) / m.ops;
  let bytes = 0;
  for (const [k, v] of m.bytesByBucket) if (k !== PROFILER) bytes += v;
  const named = NAMED[target] ?? [];
  const byCpu = shares(cpu, named);
  const allocated = new Map(m.bytesByBucket);
  allocated.delete(PROFILER);
  const byBytes = new Map(shares(allocated, named).map((s) => [s.name, s]));
  const rows: BucketRow[] = [];
  let otherCpu = 0;
  let otherBytes = 0;
  for (const s of byCpu) {
    const b = byBytes.get(s.name);
    byBytes.delete(s.name);
    if (named.includes(s.name) || (s.name !== OTHER && (s.share >= 0.005 || (b?.share ?? 0) >= 0.02))) rows.push({ name: s.name, cpuShare: s.share, cpuMicrosPerOp: s.share * cpuMicrosPerOp, bytesPerOp: (b?.amount ?? 0) / m.ops, byteShare: b?.share ?? 0 });
    else {
      otherCpu += s.share;
      otherBytes += b?.amount ?? 0;
    }
  }
  for (const b of byBytes.values()) otherBytes += b.amount;
  rows.push({ name: OTHER, cpuShare: otherCpu, cpuMicrosPerOp: otherCpu * cpuMicrosPerOp, bytesPerOp: otherBytes / m.ops, byteShare: bytes > 0 ? otherBytes / bytes : 0 });
  const gcMicros = cpu.get(GC) ?? 0;
  return {
    target,
    workload,
    op,
    ops: m.ops,
    wallMs: m.wallMs,
    cpuMicrosPerOp,
    bytesPerOp: bytes / m.ops,
    gc: { microsPerOp: (m.gc.ms * 1000) / m.ops, shareOfCpu: sampled > 0 ? gcMicros / sampled : 0, minor: m.gc.minor, major: m.gc.major },
    heapGrowthPerOp: m.heapGrowth / m.ops,
    ...(idle > 0 && target === 6 ? { idleShareOfWall: idle / (idle + sampled) } : {}),
    buckets: rows,
    top: m.top.map((t) => ({ ...t, share: sampled > 0 ? t.micros / sampled : 0 })),
    ...(extra ? { extra } : {}),
    note,
  };
}

// ---- the workloads: each target's own bench code ------------------------------------------------

async function target2(size: Size): Promise<WorkloadProfile[]> {
  const n = { tiny: 2_000, quick: 30_000, full: 200_000 }[size];
  const program = twentyRuleProgram();
  const stream = purchases(HISTORY_PURCHASES + (size === 'tiny' ? 100 : 2_000));
  const account = historyAccount(program, stream.slice(0, HISTORY_PURCHASES));
  const events = stream.slice(HISTORY_PURCHASES);
  const once = (i: number): void => {
    // Results are dropped at once, as in bench/pipeline.ts (kept, V8 would pretenure them).
    if (!evaluate(program, account, events[i % events.length] as LoyaltyEvent, { customer }).ok) throw new Error('evaluate refused');
  };
  for (let i = 0; i < Math.min(n, 10_000); i++) once(i);
  const loop = (count: number) => (): number => {
    for (let i = 0; i < count; i++) once(i);
    return count;
  };
  const m = await profiled(root, loop(n), loop(Math.min(n, 20_000)));
  return [summarize(2, 'evaluate, 5-line purchase, 20-rule program (bench/pipeline.ts)', 'event', m, `${n} evaluate calls over ${events.length} distinct purchases, account with ${account.lots.length} open lots; warmed up first`)];
}

/** Target 4's live heap per customer, part by part: bench/simulate-heap.ts in a child with --expose-gc. */
function heapParts(customers: number): Record<string, number> {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'simulate-heap.ts'), String(customers), '45'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 22 });
  if (child.status !== 0) {
    console.warn(`bench/simulate-heap.ts failed (${String(child.status)}): no live heap by part\n${child.stderr}`);
    return {};
  }
  const out: Record<string, number> = {};
  for (const line of child.stdout.split('\n')) {
    const all = /^live heap: (\d+) B a customer/.exec(line);
    if (all) out['live heap, B a customer'] = Number(all[1]);
    const part = /^ {2}(.+?)\s+(-?\d+) B a customer$/.exec(line);
    if (part?.[1] !== undefined) out[`${part[1]}, B a customer`] = Number(part[2]);
  }
  return out;
}

async function target4(size: Size): Promise<WorkloadProfile[]> {
  const customers = { tiny: 100, quick: 1_000, full: 10_000 }[size];
  const history = benchHistory(customers);
  let events = 0;
  const replay = (h: typeof history) => async (): Promise<number> => (await simulate(benchProgram, h.events, h.customers, { orderRetentionDays: 45 })).run.events;
  const m = await profiled(
    root,
    async () => (events = await replay(history)()),
    // The allocation pass at up to 1,000 customers: bytes per event barely depend on the size.
    replay(customers > 1_000 ? benchHistory(1_000) : size === 'quick' ? benchHistory(300) : history),
  );
  const extra = size === 'tiny' ? undefined : heapParts(size === 'quick' ? 500 : 4_000);
  return [summarize(4, `simulate, ${customers} customers over 12 months (bench/simulate-phase.ts)`, 'event', m, `${events} events replayed once (generation included, as in the bench's simulate phase); orders kept 45 days; a cold run, as the bench's`, extra)];
}

async function target6(size: Size, pg: boolean): Promise<TargetProfile[]> {
  if (size !== 'full' && !pg) return [{ target: 6, skipped: '--quick without --pg: target 6 starts a PostgreSQL server' }];
  const bin = findPgBin();
  if (bin === undefined) return [{ target: 6, skipped: 'no PostgreSQL binaries (looked under /usr/lib/postgresql/*/bin and BENCH_PG_BIN)' }];
  const server = await startThrowawayServer(bin);
  try {
    const s = settings(size !== 'full');
    const b = await prepareService(server, s);
    await serviceRound(b, 1);
    const seconds = size === 'full' ? 20 : 5;
    let cpuMsPerEvent = 0;
    let serverMsPerEvent: number | undefined;
    const round = (s: number, keep: boolean) => async (): Promise<number> => {
      const before = b.acknowledged.length;
      const serverBefore = serverCpuMs(server.dir);
      const r = await serviceRound(b, s);
      const serverAfter = serverCpuMs(server.dir);
      const events = b.acknowledged.length - before;
      if (keep) {
        cpuMsPerEvent = r.cpuMsPerEvent;
        if (serverBefore !== undefined && serverAfter !== undefined) serverMsPerEvent = (serverAfter - serverBefore) / events;
      }
      return events;
    };
    const m = await profiled(root, round(seconds, true), round(Math.min(seconds, 5), false)).finally(() => b.pool.end());
    const p = summarize(6, 'service over PostgreSQL, 8 clients (bench/postgres.ts)', 'event', m, `${m.ops} events in ${seconds} s on a throwaway server (prepared statements); shares are of this Node process's busy time; the server's CPU is measured beside them, not in them`, {
      'events/s': m.ops / (m.wallMs / 1000),
      'Node CPU-ms per event (this process, in the profiled round)': cpuMsPerEvent,
      ...(serverMsPerEvent === undefined ? {} : { 'server CPU-ms per event (postmaster and backends, from /proc)': serverMsPerEvent }),
    });
    return [p];
  } finally {
    server.stop();
  }
}

async function target7(size: Size): Promise<WorkloadProfile[]> {
  const n = { tiny: 300, quick: 2_000, full: 10_000 }[size];
  const program = twentyRuleProgram();
  const loyalty = await serviceWithHistory(program, size === 'full' ? 20 : 5);
  for (const e of rawPurchases(Math.min(n, 1_000), 'warm', 3)) await loyalty.process(e);
  // Fresh event ids in every pass: a repeated id would be an idempotent replay, not the workload.
  // The inputs are made before the profiled pass, as bench/service.ts makes them before timing.
  const one = (tag: string, count: number): (() => Promise<number>) => {
    const events = rawPurchases(count, tag, 5);
    return async () => {
      for (const e of events) await loyalty.process(e);
      return count;
    };
  };
  const many = (tag: string, count: number): (() => Promise<number>) => {
    const events = rawPurchases(count, tag, 6);
    return async () => {
      for (let i = 0; i < events.length; i += 1_000) await loyalty.processMany(events.slice(i, i + 1_000));
      return count;
    };
  };
  const third = Math.max(100, Math.round(n / 3));
  const a = await profiled(root, one('profile-one', n), one('alloc-one', third));
  const b = await profiled(root, many('profile-many', n), many('alloc-many', third));
  return [
    summarize(7, '`process`, one at a time, raw 5-line purchases over memoryStore (bench/service.ts)', 'event', a, `${n} events over 100 customers with history; the store keeps what it writes`),
    summarize(7, '`processMany`, batches of 1,000 (bench/service.ts)', 'event', b, `${n} events over 100 customers with history`),
  ];
}

// ---- output -------------------------------------------------------------------------------------

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const num = (x: number, digits = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One workload's tables (buckets, then the top functions) as Markdown or plain text. */
export function formatProfile(p: TargetProfile, markdown: boolean): string {
  if ('skipped' in p) return `${markdown ? '### ' : ''}Target ${p.target}: skipped (${p.skipped})\n`;
  const head = `${markdown ? '### ' : ''}Target ${p.target}: ${p.workload}`;
  const gcLine = `GC ${num(p.gc.microsPerOp, 2)} µs per ${p.op} in pauses (${p.gc.minor} scavenges, ${p.gc.major} mark-compacts)`;
  const summary = [
    `${num(p.ops, 0)} ${p.op}s, ${num(p.wallMs / 1000, 2)} s wall, ${num(p.cpuMicrosPerOp, 2)} CPU-µs per ${p.op} (profiled), ${num(p.bytesPerOp / 1000, 1)} KB allocated per ${p.op}, heap growth ${num(p.heapGrowthPerOp / 1000, 2)} KB per ${p.op}; ${gcLine}${p.idleShareOfWall === undefined ? '' : `; event loop idle ${pct(p.idleShareOfWall)} of the wall time`}.`,
    p.note,
    ...Object.entries(p.extra ?? {}).map(([k, v]) => `- ${k}: ${num(v, Number.isInteger(v) ? 0 : 2)}`),
  ];
  const header = ['part (by source file)', 'CPU share', `CPU-µs per ${p.op}`, `bytes per ${p.op}`, 'share of bytes'];
  const rows = p.buckets.map((b) => [b.name, pct(b.cpuShare), num(b.cpuMicrosPerOp, 2), num(b.bytesPerOp, 0), pct(b.byteShare)]);
  const topHeader = ['top functions by self time', 'file', 'bucket', 'CPU share'];
  const topRows = p.top.map((t) => [t.name, t.file || '(builtin)', t.bucket, pct(t.share)]);
  return [head, '', ...summary, '', table(header, rows, markdown), '', table(topHeader, topRows, markdown), ''].join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], markdown: boolean): string {
  if (markdown) return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** What the command line asks for. */
export interface ProfileOptions {
  readonly size: Size;
  readonly only: readonly number[];
  readonly pg: boolean;
}

/** Profiles the chosen targets, in order, and returns every workload's figures. */
export async function run(options: ProfileOptions, onEach: (p: TargetProfile) => void = () => undefined): Promise<TargetProfile[]> {
  const out: TargetProfile[] = [];
  const add = (ps: readonly TargetProfile[]): void => {
    for (const p of ps) {
      out.push(p);
      onEach(p);
    }
  };
  for (const target of options.only) {
    if (target === 2) add(await target2(options.size));
    else if (target === 4) add(await target4(options.size));
    else if (target === 6) add(await target6(options.size, options.pg));
    else if (target === 7) add(await target7(options.size));
    else add([{ target, skipped: 'no profile for this target (it holds: see npm run bench)' }]);
  }
  return out;
}

function parseArgs(argv: readonly string[]): ProfileOptions & { readonly markdown: boolean; readonly json: string | undefined } {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const only = (value('--only') ?? '2,4,6,7').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const size: Size = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  return { size, only, pg: argv.includes('--pg'), markdown: argv.includes('--markdown'), json: value('--json') };
}

if (process.argv[1]?.endsWith('bench/profile.ts')) {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  console.log(`profiles of targets ${args.only.join(', ')} (${args.size} size), node ${process.version}; CPU shares exclude idle time; bytes are sampled allocations (objects since collected included)\n`);
  const results = await run(args, (p) => console.log(formatProfile(p, args.markdown)));
  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify({ node: process.version, size: args.size, seconds: (performance.now() - started) / 1000, profiles: results }, null, 2)}\n`);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s${args.json === undefined ? '' : `; written to ${args.json}`})`);
}

/*
 * Target 7, the service over the memory store, end to end: `loyalty.process` one event at a time
 * from raw inputs (as a host gets them from JSON: dates and prices as strings; parsing,
 * idempotency, account load, evaluation and the write all inside the timed loop), on accounts that
 * already have a history; and `loyalty.processMany` in batches (1,000 events over 100 customers).
 * Context in the same run: `evaluate` alone on pre-parsed events against an account with the same
 * history. Memory (KiB the store holds per event, KB allocated per event) is measured in a child
 * process started with --expose-gc and a large young generation, so no collection blurs it.
 *
 * Why `evaluate` alone runs slower here than in target 2's bench (same program, same purchases):
 * not the accounts (their lot index travels with the stored state, and evaluate costs the same on
 * 50 or 5,600 open lots), but the heap. The store keeps what evaluate makes (transactions, lots,
 * Decimals), so V8 marks those allocation sites long-lived and from then on allocates them in the
 * old generation ("pretenuring"); evaluate's results here are dropped, so they are old garbage
 * that points at young objects, and each scavenge is slower and promotes more. Run with
 * `node --no-allocation-site-pretenuring` and it times as target 2's does.
 * Each line also prints CPU µs per event: on a shared machine wall time mostly measures the others.
 */
import { execFileSync } from 'node:child_process';
import { createLoyalty, fixedClock, memoryStore } from '../src';
import type { Loyalty, LoyaltyEventInput, Program } from '../src';
import { evaluate, parseEvent } from '../src/core';
import { eventSchema } from '../src/schemas';
import type { AccountState } from '../src/ledger/types';
import { rawPurchases as rawPurchaseStream, twentyRuleProgram } from './lib/programs';
import { describe, fmt, median, type BenchOptions, type TargetFigure } from './lib/report';

export const CUSTOMERS = 100;
const BATCH = 1_000;
const NOW = '2027-03-30T00:00:00Z';
/** A seeded stream of raw 5-line purchases, round-robin over the customers, ids prefixed by `tag`. */
export function rawPurchases(n: number, tag: string, seed = 7): LoyaltyEventInput[] {
  return rawPurchaseStream(n, { seed, prefix: `${tag}-`, customerOf: (i) => `c${i % CUSTOMERS}` });
}

/** A service over a fresh memory store, its customers enrolled, each account given `history` purchases. */
export async function serviceWithHistory(program: Program, history: number): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock(NOW) });
  for (let c = 0; c < CUSTOMERS; c++) await loyalty.upsertCustomer({ customer: { id: `c${c}`, enrolledAt: '2026-01-01T00:00:00Z' } });
  for (const e of rawPurchases(history * CUSTOMERS, 'history', 11)) await loyalty.process(e);
  return loyalty;
}

/** Wall and CPU seconds of a body (CPU time is less blurred by the other processes of a shared machine). */
interface Took {
  readonly wall: number;
  readonly cpu: number;
}

async function took(body: () => Promise<void> | void): Promise<Took> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await body();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function timeProcess(loyalty: Loyalty, events: readonly LoyaltyEventInput[]): Promise<Took> {
  return took(async () => {
    for (const e of events) await loyalty.process(e);
  });
}

async function timeProcessMany(loyalty: Loyalty, events: readonly LoyaltyEventInput[]): Promise<Took> {
  return took(async () => {
    for (let i = 0; i < events.length; i += BATCH) await loyalty.processMany(events.slice(i, i + BATCH));
  });
}

/** `evaluate` alone: the same events pre-parsed, each on the stored account of its own customer. */
async function timeEvaluate(loyalty: Loyalty, program: Program, events: readonly LoyaltyEventInput[]): Promise<Took> {
  const parsed = events.map((e) => parseEvent(e));
  const states = new Map<string, AccountState>();
  for (const e of parsed) if (!states.has(e.customerId)) states.set(e.customerId, (await loyalty.account({ programId: program.id, customerId: e.customerId })).state);
  const customers = new Map([...states.keys()].map((id) => [id, { id, enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: [], attributes: {} }]));
  const now = new Date(NOW);
  return took(() => {
    for (const e of parsed) {
      const state = states.get(e.customerId);
      const customer = customers.get(e.customerId);
      if (!state || !customer || !evaluate(program, state, e, { customer, now }).ok) throw new Error(`evaluate refused ${e.id}`);
    }
  });
}

/** CPU µs per iteration of `body` over `n` iterations (user + system: less blurred than wall time on a shared machine). */
function cpuMicros(n: number, body: (i: number) => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) body(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

/** Context: parsing a raw purchase, the fast path (parseEvent) against zod alone, interleaved, in CPU µs. */
function parsingFigures(quick: boolean): { fast: number; zod: number } {
  const inputs = rawPurchases(quick ? 500 : 2_000, 'parse');
  const fast: number[] = [];
  const zod: number[] = [];
  for (let p = 0; p < (quick ? 5 : 9); p++) {
    const runFast = (): number => fast.push(cpuMicros(inputs.length, (i) => parseEvent(inputs[i])));
    const runZod = (): number => zod.push(cpuMicros(inputs.length, (i) => eventSchema.parse(inputs[i])));
    // The order alternates, so neither side always runs on the warmer JIT.
    for (const run of p % 2 === 0 ? [runFast, runZod] : [runZod, runFast]) run();
  }
  return { fast: median(fast), zod: median(zod) };
}

/**
 * Runs in a child with --expose-gc: KiB the store holds per event (heap after a full collection,
 * before and after `events` more events, inputs made per chunk so they are not counted) and KB
 * allocated per event (a few events with no collection in between: a young generation fixed at 64 MiB; without the minimum, V8 starts it small and collects inside the measurement).
 */
async function memoryProbe(events: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory probe needs --expose-gc');
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const program = twentyRuleProgram();
  const loyalty = await serviceWithHistory(program, 5);
  const few = rawPurchases(200, 'probe-few');
  const before = heap();
  for (const e of few) await loyalty.process(e);
  const allocated = (process.memoryUsage().heapUsed - before) / few.length;
  const heldBefore = heap();
  for (let done = 0; done < events; done += 500) for (const e of rawPurchases(500, `probe${done}`, done + 1)) await loyalty.process(e);
  const held = (heap() - heldBefore) / events;
  // The store must still be reachable here, or the collection above would have freed it.
  const view = await loyalty.account({ programId: program.id, customerId: 'c0' });
  console.log(JSON.stringify({ allocatedBytes: allocated, heldBytes: held, events, version: view.state.version }));
}

function measureMemory(quick: boolean): { allocatedBytes: number; heldBytes: number; events: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', '--import', 'tsx', new URL(import.meta.url).pathname, '--memory-probe', quick ? '2000' : '20000'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as { allocatedBytes: number; heldBytes: number; events: number };
}

/** Target 7: `process` ≥ 30,000 events/s one at a time, `processMany` ≥ 100,000 events/s. */
export async function run(options: BenchOptions = { quick: false }): Promise<TargetFigure[]> {
  const program = twentyRuleProgram();
  const n = options.quick ? 2_000 : 10_000;
  const passes = options.quick ? 3 : 5;
  const history = options.quick ? 5 : 20;
  console.log(`SERVICE (target 7): 5-line purchases from raw inputs over memoryStore, ${CUSTOMERS} customers with ${history} purchases of history each, ${fmt(n)} events per pass, ${passes} passes interleaved`);
  const loyalty = await serviceWithHistory(program, history);
  const one: Took[] = [];
  const many: Took[] = [];
  const alone: Took[] = [];
  for (let p = 0; p < passes; p++) {
    const a = rawPurchases(n, `p${p}a`, 100 + p);
    const b = rawPurchases(n, `p${p}b`, 200 + p);
    one.push(await timeProcess(loyalty, a));
    many.push(await timeProcessMany(loyalty, b));
    alone.push(await timeEvaluate(loyalty, program, a));
  }
  const rate = (t: readonly Took[]): number => median(t.map((x) => n / x.wall));
  const cpuMicrosOf = (t: readonly Took[]): number => median(t.map((x) => (x.cpu * 1e6) / n));
  const perSecond = { one: rate(one), many: rate(many), alone: rate(alone) };
  const cpu = { one: cpuMicrosOf(one), many: cpuMicrosOf(many), alone: cpuMicrosOf(alone) };
  const mem = measureMemory(options.quick);
  const parsing = parsingFigures(options.quick);
  console.log(`  parsing a raw purchase: parseEvent (fast path) ${fmt(parsing.fast, 2)} CPU-µs, zod alone ${fmt(parsing.zod, 2)} CPU-µs (${fmt(parsing.zod / parsing.fast, 1)}× faster)`);
  console.log(`  evaluate alone (pre-parsed)   ${fmt(perSecond.alone).padStart(9)} events/s (${fmt(cpu.alone, 1)} CPU-µs/event)`);
  console.log(`  process, one at a time        ${fmt(perSecond.one).padStart(9)} events/s (${fmt(1e6 / perSecond.one, 1)} µs/event, ${fmt(cpu.one, 1)} CPU-µs/event)`);
  console.log(`  processMany, batches of ${fmt(BATCH)} ${fmt(perSecond.many).padStart(9)} events/s (${fmt(1e6 / perSecond.many, 1)} µs/event, ${fmt(cpu.many, 1)} CPU-µs/event)`);
  console.log(`  memory store holds ${fmt(mem.heldBytes / 1024, 2)} KiB per event (${fmt(mem.events)} events); process allocates ${fmt(mem.allocatedBytes / 1000, 1)} KB per event`);
  const baseline = { name: 'evaluate alone, pre-parsed', value: perSecond.alone, unit: 'events/s' };
  const figures: TargetFigure[] = [
    { target: 7, name: 'process one at a time, raw 5-line purchases, accounts with history', value: perSecond.one, unit: 'events/s', baseline, ratio: perSecond.alone / perSecond.one, goal: '≥ 30,000 events/s', holds: perSecond.one >= 30_000, note: 'ratio: time of process / time of evaluate alone' },
    { target: 7, name: `processMany, batches of ${fmt(BATCH)} over ${CUSTOMERS} customers`, value: perSecond.many, unit: 'events/s', baseline, ratio: perSecond.alone / perSecond.many, goal: '≥ 100,000 events/s', holds: perSecond.many >= 100_000 },
  ];
  for (const f of figures) console.log(describe(f));
  return figures;
}

const memoryArg = process.argv.indexOf('--memory-probe');
if (memoryArg !== -1) await memoryProbe(Number(process.argv[memoryArg + 1] ?? 2000));
else if (process.argv[1]?.endsWith('bench/service.ts')) await run({ quick: process.argv.includes('--quick') });

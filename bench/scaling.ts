/*
 * PERFORMANCE.md target 3: costs that do not grow with history or with open lots. For each of
 * evaluate, redeem, quote, tick (quiet and busy), applyEntries and nextDueAt: the cost per
 * operation on accounts with 10, 1,000 and 100,000 past entries, and with 10, 100 and 1,000 open
 * lots, each size timed interleaved (`timePair`) against the 10 of its axis in the same run.
 *
 * Every account has the same due work, whatever its size: at `now` (after a tick) nothing is due;
 * at `busy` (a day later) exactly 3 lots expire, 3 pending lots are released and 3 lots get an
 * expiring-soon notice. Lots stay open: the open-lot accounts hold 10/100/1,000 lots with an
 * expiry, a tenth of them pending; the history accounts hold the same 10 open lots after rounds
 * of (a purchase, a redemption of its points; every 10th redemption cancelled and done again),
 * so their marks grow with history. Environment: BENCH_HISTORY_ENTRIES (default 100,000).
 */
import { defineProgram } from '../src';
import { applyEntries, cancelRedemption, evaluate, nextDueAt, openAccount, parseEvent, quote, redeem, tick } from '../src/core';
import { cancelRequestSchema, quoteRequestSchema, redeemRequestSchema } from '../src/schemas';
import type { LoyaltyEvent, Program, Transaction } from '../src';
import type { AccountState, Decision } from '../src/core';
import { describe, fmt, median, timePair, type BenchOptions, type TargetFigure } from './lib/report';
import { LOTS_CONFIG } from './lib/ab-programs';

const MIN = 60_000;
const DAY = 86_400_000;
/** The instant of the quiet operations; the account was ticked at it. */
const NOW = Date.UTC(2030, 5, 1, 12);
/** A day later: 3 lots expire, 3 are released, 3 get a notice. */
const BUSY = NOW + DAY;
const DUE = 3;

/** Points, 1 per dollar, gone 365 days after earning, pending 14 days, notices 30 days ahead. */
function lotsProgram(): Program {
  return defineProgram(LOTS_CONFIG);
}

function purchase(id: string, at: number, dollars: number): LoyaltyEvent {
  return parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: new Date(at).toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: String(dollars) }] });
}

/**
 * The instants of `lots` open lots, so that at BUSY exactly DUE expire, DUE are released and DUE
 * get a notice, whatever `lots` is: the rest expire later than BUSY + 30 days or release later.
 */
function lotInstants(lots: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < DUE; i++) out.push(BUSY - 365 * DAY - i); // expire by BUSY (noticed at NOW)
  for (let i = 0; i < DUE; i++) out.push(BUSY + 30 * DAY - 365 * DAY - MIN + i); // notice due at BUSY
  for (let i = 0; i < DUE; i++) out.push(NOW - 13.5 * DAY + i); // released by BUSY
  const rest = Math.max(0, lots - 3 * DUE);
  const pending = Math.floor(rest / 10);
  for (let i = 0; i < pending; i++) out.push(NOW - 12 * DAY + Math.floor((i * 12 * DAY) / pending)); // released after BUSY
  for (let i = 0; i < rest - pending; i++) out.push(BUSY - 320 * DAY + Math.floor((i * 300 * DAY) / (rest - pending)));
  return out.sort((a, b) => a - b);
}

/** An account: `rounds` of history (long before), then `lots` open lots, then a tick at NOW. */
function account(program: Program, rounds: number, lots: number): { state: AccountState; entries: number } {
  let state = openAccount(program, 'c1');
  let entries = 0;
  const apply = (d: Decision, what: string): Transaction | null => {
    if (!d.ok) throw new Error(`scaling: ${what} failed: ${JSON.stringify(d.issues)}`);
    if (d.transaction) {
      state = applyEntries(state, d.transaction);
      entries += d.transaction.entries.length;
    }
    return d.transaction;
  };
  const start = NOW - 2000 * DAY;
  for (let i = 0; i < rounds; i++) {
    const at = start + i * MIN;
    apply(evaluate(program, state, purchase(`h${i}`, at, 10)), 'history purchase');
    const spendAt = at + 15 * DAY;
    const r = apply(redeem(program, state, redeemRequestSchema.parse({ requestId: `hr${i}`, points: 10, at: new Date(spendAt) })), 'history redemption');
    if (i % 10 === 0 && r) {
      apply(cancelRedemption(program, state, cancelRequestSchema.parse({ requestId: `hc${i}`, transactionId: r.id, at: new Date(spendAt) }), r), 'history cancel');
      apply(redeem(program, state, redeemRequestSchema.parse({ requestId: `hr${i}b`, points: 10, at: new Date(spendAt) })), 'history redemption again');
    }
  }
  lotInstants(lots).forEach((at, j) => apply(evaluate(program, state, purchase(`l${j}`, at, 10)), 'lot purchase'));
  apply(tick(program, state, new Date(NOW)), 'tick at now');
  return { state, entries };
}

/** Rounds of history for about `entries` past entries (3.4 entries a round on average). */
const roundsFor = (entries: number): number => Math.max(0, Math.round(entries / 3.4));

type Op = (state: AccountState, i: number) => unknown;

function operations(program: Program, sample: AccountState): [string, Op][] {
  const now = new Date(NOW);
  const events = Array.from({ length: 16 }, (_, i) => purchase(`new${i}`, NOW + MIN + i, 25 + i));
  const redeems = Array.from({ length: 16 }, (_, i) => redeemRequestSchema.parse({ requestId: `r${i}`, points: 25, at: now }));
  const quoteRequest = quoteRequestSchema.parse({ order: { currency: 'USD', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '40' }] }, points: 'max', at: now });
  // The transactions applied: a purchase and a redemption, alternately (decided on each account).
  const writes = new WeakMap<AccountState, Transaction[]>();
  const writesOf = (s: AccountState): Transaction[] => {
    let list = writes.get(s);
    if (!list) {
      list = [evaluate(program, s, events[0] as LoyaltyEvent), redeem(program, s, redeems[0] as ReturnType<typeof redeemRequestSchema.parse>)].map((d) => {
        if (!d.ok || !d.transaction) throw new Error('scaling: a write to time failed');
        return d.transaction;
      });
      writes.set(s, list);
    }
    return list;
  };
  writesOf(sample);
  return [
    ['evaluate', (s, i) => evaluate(program, s, events[i % 16] as LoyaltyEvent)],
    ['redeem', (s, i) => redeem(program, s, redeems[i % 16] as ReturnType<typeof redeemRequestSchema.parse>)],
    ['quote', (s) => quote(program, s, quoteRequest)],
    ['tick (quiet)', (s) => tick(program, s, now)],
    ['tick (busy: 3 expire, 3 release, 3 notices)', (s) => tick(program, s, new Date(BUSY))],
    ['applyEntries', (s, i) => applyEntries(s, writesOf(s)[i % 2] as Transaction)],
    ['nextDueAt', (s) => nextDueAt(program, s, now)],
  ];
}

/** Checks that every operation does what it should on an account (the comparison means nothing otherwise). */
function checkWork(program: Program, state: AccountState, label: string): void {
  const quiet = tick(program, state, new Date(NOW));
  const busy = tick(program, state, new Date(BUSY));
  const count = (d: Decision, kind: string): number => (d.ok && d.transaction ? d.transaction.entries.filter((e) => e.kind === kind).reduce((n, e) => n + ('draws' in e && e.kind === 'expire' ? e.draws.length : 1), 0) : 0);
  if (!quiet.ok || quiet.transaction) throw new Error(`scaling: the quiet tick on ${label} is not quiet`);
  if (count(busy, "expire") !== DUE || count(busy, 'release') !== DUE || count(busy, 'mark') !== DUE) throw new Error(`scaling: the busy tick on ${label} does not do 3 + 3 + 3`);
  // The first release, half a day after NOW, comes before the first expiry and notice (at BUSY).
  if (nextDueAt(program, state, new Date(NOW))?.getTime() !== NOW + DAY / 2) throw new Error(`scaling: nextDueAt on ${label} is not the first release`);
}

interface Row {
  readonly op: string;
  /** µs per operation on the axis's smallest account: the median over its pairs. */
  readonly base: number;
  /** µs per operation on each larger account, from its pair against the smallest. */
  readonly cost: number[];
  /** Each larger account's cost over the smallest's in the same interleaved pair. */
  readonly ratio: number[];
  /** The smallest account's cost in the pair of the largest (the judged baseline). */
  readonly lastBase: number;
}

function measureAxis(ops: readonly [string, Op][], accounts: readonly AccountState[], n: number, passes: number): Row[] {
  const [base, ...others] = accounts;
  if (!base) return [];
  return ops.map(([op, body]) => {
    const bases: number[] = [];
    const cost: number[] = [];
    const ratio: number[] = [];
    for (const other of others) {
      const pair = timePair(n, (i) => body(base, i), (i) => body(other, i), passes);
      bases.push(pair.a);
      cost.push(pair.b);
      ratio.push(pair.b / pair.a);
    }
    return { op, base: median(bases), cost, ratio, lastBase: bases[bases.length - 1] ?? Number.NaN };
  });
}

function printAxis(title: string, sizes: readonly number[], unit: string, rows: readonly Row[]): void {
  console.log(`\n  ${title} (µs per operation; × = over the smallest account in the same interleaved pair)`);
  console.log(`  ${'operation'.padEnd(46)}${sizes.map((s) => `${fmt(s)} ${unit}`.padStart(20)).join('')}   growth`);
  for (const row of rows) {
    const cells = [`${fmt(row.base, 2)}`.padStart(20), ...row.cost.map((c, i) => `${fmt(c, 2)} (${fmt(row.ratio[i] ?? 0, 2)}×)`.padStart(20))].join('');
    const first = sizes[0] ?? 0;
    const last = sizes[sizes.length - 1] ?? 0;
    const top = row.ratio[row.ratio.length - 1] ?? 1;
    // The slope from the pair of the largest: its extra cost spread over the extra size.
    const slope = ((top - 1) * row.lastBase * 1000) / (last - first);
    console.log(`  ${row.op.padEnd(46)}${cells}   ${top <= 1.25 ? 'flat' : 'grows'} (${fmt(slope, 3)} ns per ${unit === 'entries' ? 'entry' : 'lot'})`);
  }
}

export async function run(options: BenchOptions = { quick: false }): Promise<TargetFigure[]> {
  const quick = options.quick;
  const program = lotsProgram();
  const historyTarget = quick ? 10_000 : Number(process.env.BENCH_HISTORY_ENTRIES ?? 100_000);
  console.log('\nPERFORMANCE 3: cost per operation vs past entries and vs open lots (interleaved pairs against the smallest account)');
  const built = performance.now();
  const history = [10, 1_000, historyTarget].map((e) => account(program, roundsFor(e), 10));
  const lots = [10, 100, 1_000].map((l) => account(program, 0, l));
  for (const [i, a] of [...history, ...lots].entries()) checkWork(program, a.state, `account ${i}`);
  console.log(
    `  history accounts: ${history.map((h) => fmt(h.entries)).join(' / ')} past entries, ${history.map((h) => h.state.lots.length).join(' / ')} open lots, ` +
      `${history.map((h) => Object.keys(h.state.marks).length).join(' / ')} marks; open-lot accounts: ${lots.map((l) => l.state.lots.length).join(' / ')} lots ` +
      `(${lots.map((l) => l.state.lots.filter((x) => x.account === 'pending').length).join(' / ')} pending); built in ${fmt((performance.now() - built) / 1000, 1)} s`,
  );
  const ops = operations(program, lots[0]?.state ?? openAccount(program, 'c1'));
  const n = quick ? 200 : 2_000;
  const passes = quick ? 3 : 7;
  const historyRows = measureAxis(ops, history.map((h) => h.state), n, passes);
  printAxis('by history (10 open lots each)', history.map((h) => h.entries), 'entries', historyRows);
  const lotRows = measureAxis(ops, lots.map((l) => l.state), n, passes);
  printAxis('by open lots', [10, 100, 1_000], 'lots', lotRows);

  const figures: TargetFigure[] = [];
  const judge = (rows: readonly Row[], axis: string, big: string, small: string, goal: number): void => {
    for (const row of rows) {
      const ratio = row.ratio[row.ratio.length - 1] ?? Number.NaN;
      figures.push({
        target: 3,
        name: `${row.op}, ${big} vs ${small}`,
        value: row.cost[row.cost.length - 1] ?? Number.NaN,
        unit: 'µs/op',
        baseline: { name: small, value: row.lastBase, unit: 'µs/op' },
        ratio,
        goal: `≤ ${goal}× (${axis})`,
        holds: ratio <= goal,
        note: 'interleaved pair (timePair)',
      });
    }
  };
  judge(historyRows, 'history', `${fmt(history[2]?.entries ?? 0)} past entries`, `${fmt(history[0]?.entries ?? 0)} past entries`, 1.2);
  judge(lotRows, 'open lots', '1,000 open lots', '10 open lots', 1.5);
  for (const f of figures) console.log(describe(f));
  return figures;
}

if (process.argv[1]?.endsWith('bench/scaling.ts')) await run({ quick: process.argv.includes('--quick') });

/*
 * The whole pure pipeline (PERFORMANCE.md targets 2 and 3):
 *   2. `evaluate` of a 5-line purchase on a 20-rule points program (facts, rules, awards with
 *      decimal math, line allocation, entries) against the rule matching alone on the same facts;
 *   3. `evaluate`, `redeem` and `tick` on an account with ~100,000 past entries against one with
 *      ~10, both folded under a one-rule program whose every past lot was spent in full, so the
 *      two states hold the same 3 open lots and differ only in how much history went into them.
 * Every figure is a ratio against a baseline measured in the same run.
 * Environment: BENCH_PIPELINE_N (events per sample, default 50,000), BENCH_HISTORY_ENTRIES
 * (past entries of the big account, default 100,000).
 */
import { defineProgram } from '../src';
import { applyEntries, evaluate, openAccount, parseEvent, redeem, tick } from '../src/core';
import { redeemRequestSchema } from '../src/schemas';
import type { LoyaltyEvent, Program } from '../src';
import type { AccountState, Decision } from '../src/core';
import type { RedeemRequest } from '../src/schemas';
import { compiledOf } from '../src/engine/program';
import { buildFacts } from '../src/engine/facts';

const N = Number(process.env.BENCH_PIPELINE_N ?? 50_000);

function time(label: string, n: number, body: (i: number) => void, reps = 5): number {
  for (let i = 0; i < Math.min(n, 5000); i++) body(i); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) body(i);
    samples.push(((performance.now() - start) * 1000) / n);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  console.log(`  ${label.padEnd(58)} ${median.toFixed(3).padStart(9)} µs/op  ${Math.round(1e6 / median).toLocaleString('en-US').padStart(12)} ops/s`);
  return median;
}

const c = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
export function twentyRuleProgram(): Program {
  return defineProgram({
    kind: 'points',
    id: 'bench',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    eligibility: { exclude: { categories: ['gift-cards', 'tobacco'] } },
    segments: { vip: { any: [c('customer.tags', 'contains', 'vip'), c('customer.lifetimeSpend', 'greaterThanInclusive', 10_000)] } },
    conditions: { bigBasket: { all: [c('order.eligibleSubtotal', 'greaterThanInclusive', 100)] } },
    rules: [
      { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
      { id: 'electronics-3x', on: 'purchase', lines: { all: [c('line.categories', 'contains', 'electronics')] }, award: { kind: 'multiplier', factor: 3 } },
      { id: 'vip-2x', on: 'purchase', segments: ['vip'], award: { kind: 'multiplier', factor: 2 } },
      { id: 'weekend-2x', on: 'purchase', when: { all: [c('time.dayOfWeek', 'in', [0, 6])] }, award: { kind: 'multiplier', factor: 2 } },
      { id: 'big-basket', on: 'purchase', when: { all: [{ condition: 'bigBasket' }] }, award: { kind: 'fixed', points: 50 } },
      { id: 'fifty', on: 'purchase', award: { kind: 'per_amount', points: 10, per: 50, whole: true } },
      { id: 'app', on: 'purchase', channels: ['app'], award: { kind: 'fixed', points: 10 } },
      { id: 'store-pilot', on: 'purchase', when: { all: [c('event.storeId', 'in', ['101', '102', '103'])] }, award: { kind: 'fixed', points: 70 } },
      { id: 'first', on: 'purchase', when: { all: [c('customer.isFirstPurchase', 'equal', true)] }, award: { kind: 'fixed', points: 200 } },
      { id: 'multi-item', on: 'purchase', when: { all: [c('order.itemCount', 'greaterThanInclusive', 5)] }, award: { kind: 'fixed', points: 35 } },
      { id: 'clearance', on: 'purchase', when: { all: [c('order.tags', 'contains', 'clearance')] }, award: { kind: 'fixed', points: 5 } },
      { id: 'night-owl', on: 'purchase', when: { any: [c('time.hour', 'greaterThanInclusive', 22), c('time.hour', 'lessThan', 5)] }, award: { kind: 'fixed', points: 12 } },
      { id: 'grocery', on: 'purchase', when: { all: [c('order.categories', 'contains', 'grocery'), c('order.subtotal', 'lessThan', 100)] }, award: { kind: 'fixed', points: 15 } },
      { id: 'apparel-items', on: 'purchase', lines: { all: [c('line.categories', 'contains', 'apparel')] }, award: { kind: 'per_item', points: 5 } },
      { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 } },
      { id: 'review-photo', on: 'review', when: { all: [c('event.hasPhoto', 'equal', true)] }, award: { kind: 'fixed', points: 30 } },
      { id: 'signup', on: 'signup', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1 }] },
      { id: 'referral', on: 'referral', award: { kind: 'fixed', points: 300 }, limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }] },
      { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
      { id: 'daily-cap', on: 'purchase', when: { all: [c('order.total', 'greaterThan', 500)] }, award: { kind: 'fixed', points: 100 }, limits: [{ per: 'day', points: 100 }] },
    ],
  });
}

const CATS = [['electronics'], ['apparel'], ['grocery'], ['home'], ['gift-cards'], ['toys'], ['beauty']];
function purchases(n: number): LoyaltyEvent[] {
  let s = 7;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const out: LoyaltyEvent[] = [];
  for (let i = 0; i < n; i++) {
    const lines = Array.from({ length: 5 }, (_, j) => ({
      lineId: `l${j}`,
      sku: `sku${(r() * 1000) | 0}`,
      categories: CATS[(r() * CATS.length) | 0] ?? [],
      tags: r() < 0.1 ? ['clearance'] : [],
      quantity: 1 + ((r() * 3) | 0),
      unitPrice: `${(r() * 200) | 0}.${String((r() * 100) | 0).padStart(2, '0')}`,
    }));
    out.push(
      parseEvent({
        id: `e${i}`,
        customerId: 'c1',
        type: 'purchase',
        orderId: `o${i}`,
        currency: 'USD',
        channel: r() < 0.3 ? 'app' : 'web',
        occurredAt: new Date(Date.UTC(2027, 2, 1 + (i % 28), (r() * 24) | 0)).toISOString(),
        lines,
        ...(r() < 0.2 ? { storeId: String(100 + ((r() * 10) | 0)) } : {}),
      }),
    );
  }
  return out;
}

export async function run(): Promise<void> {
  const program = twentyRuleProgram();
  const compiled = compiledOf(program);
  const events = purchases(2000);
  const account = openAccount(program, 'c1');
  const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: ['vip'], attributes: {} };
  console.log(`PERFORMANCE 2: a 5-line purchase on a 20-rule points program (${program.compileMode} mode), ${N.toLocaleString('en-US')} events per sample`);
  const facts = events.map((e) => {
    const f = buildFacts({ event: e, customer, account, timeZone: 'America/New_York', customerTimeZone: 'America/New_York' }, { only: compiled.factsNeeded });
    f['customer.segments'] = [];
    return f;
  });
  const out: boolean[] = [];
  const rules = time('rule matching alone (compiled evaluator, pre-built facts)', N, (i) => {
    compiled.rules.evaluate(facts[i % facts.length] ?? {}, out);
  });
  const whole = time('whole pipeline: evaluate(program, account, purchase)', N, (i) => {
    evaluate(program, account, events[i % events.length] as LoyaltyEvent, { customer });
  });
  const perSec = 1e6 / whole;
  console.log(`  → ${Math.round(perSec).toLocaleString('en-US')} events/s (target ≥ 300,000): ${perSec >= 300_000 ? 'met' : 'NOT met'}`);
  console.log(`  → pipeline / rule matching = ${(whole / rules).toFixed(1)}× (target ≤ 10×): ${whole / rules <= 10 ? 'met' : 'NOT met'}`);

  console.log('\nPERFORMANCE 3: cost per operation with ~100,000 past entries vs ~10 (a one-rule program: state is a fold cache)');
  const hp = historyProgram();
  const built = performance.now();
  const small = history(hp, 10);
  const big = history(hp, HISTORY_ENTRIES);
  console.log(
    `  accounts: ${small.entries} and ${big.entries.toLocaleString('en-US')} past entries; open lots ${small.state.lots.length} and ${big.state.lots.length}; ` +
      `balance ${available(small.state)} and ${available(big.state)} (built in ${((performance.now() - built) / 1000).toFixed(1)} s)`,
  );
  const at = new Date('2030-01-01T00:00:00Z');
  // parsed up front, so the timed loop measures redeem itself, not the request schema
  const requests = Array.from({ length: 64 }, (_, i) => redeemRequestSchema.parse({ requestId: `r${i}`, points: 5, at }));
  const ops: [string, (s: AccountState, i: number) => boolean][] = [
    ['evaluate', (s, i) => evaluate(hp, s, events[i % events.length] as LoyaltyEvent, { customer }).ok],
    ['redeem', (s, i) => redeem(hp, s, requests[i % requests.length] as RedeemRequest).ok],
    ['tick', (s) => tick(hp, s, at, { customer }).ok],
  ];
  for (const [name, op] of ops) {
    // Each operation must succeed on both accounts, or the comparison means nothing.
    if (!op(small.state, 0) || !op(big.state, 0)) throw new Error(`${name} failed on a history account`);
    const a = time(`${name}, ${small.entries} past entries`, 20_000, (i) => op(small.state, i));
    const b = time(`${name}, ${big.entries.toLocaleString('en-US')} past entries`, 20_000, (i) => op(big.state, i));
    console.log(`  → ${name}: ${(b / a).toFixed(2)}× (target ≤ 1.2×): ${b / a <= 1.2 ? 'met' : 'NOT met'}`);
  }
}

/** Past entries of the big account. */
const HISTORY_ENTRIES = Number(process.env.BENCH_HISTORY_ENTRIES ?? 100_000);

/** The program the history accounts live under: one per-amount purchase rule, no pending, no expiry. */
export function historyProgram(): Program {
  return defineProgram({
    kind: 'points',
    id: 'bench-history',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

function available(state: AccountState): string {
  return state.lots.reduce((sum, lot) => sum + Number(lot.remaining.toString()), 0).toLocaleString('en-US');
}

function purchase(id: string, at: Date, price: string): LoyaltyEvent {
  return parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at.toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: price }] });
}

/**
 * An account of about `target` past entries: rounds of (a $10 purchase, then a redemption of
 * exactly the 10 points it earned), so each round's lot is spent in full and closes, then a tail
 * of 3 purchases whose lots stay open (the same tail for every account): the state holds 3 open
 * lots however long the history is.
 */
function history(program: Program, target: number): { state: AccountState; entries: number } {
  let state = openAccount(program, 'c1');
  let entries = 0;
  const apply = (d: Decision, what: string): void => {
    if (!d.ok || !d.transaction) throw new Error(`history: ${what} failed${d.ok ? ' (nothing written)' : `: ${JSON.stringify(d.issues)}`}`);
    state = applyEntries(state, d.transaction);
    entries += d.transaction.entries.length;
  };
  const start = Date.UTC(2027, 0, 1);
  const TAIL = 3;
  let rounds = 0;
  for (let i = 0; entries < target - 2 * TAIL; i++, rounds++) {
    const at = new Date(start + i * 60_000);
    apply(evaluate(program, state, purchase(`h${i}`, at, '10')), `purchase ${i}`);
    apply(redeem(program, state, redeemRequestSchema.parse({ requestId: `hr${i}`, points: 10, at: new Date(at.getTime() + 1000) })), `redemption ${i}`);
  }
  for (let j = 0; j < TAIL; j++) {
    apply(evaluate(program, state, purchase(`tail${j}`, new Date(start + rounds * 60_000 + j * 1000), '1000')), `tail purchase ${j}`);
  }
  return { state, entries };
}

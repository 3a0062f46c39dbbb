/*
 * The whole pure pipeline (PERFORMANCE.md targets 2 and 3):
 *   2. `evaluate` of a 5-line purchase on a 20-rule points program (facts, rules, awards with
 *      decimal math, line allocation, entries) against the rule matching alone on the same facts;
 *   3. `evaluate`, `redeem` and `tick` on an account with 100,000 past entries against one with 10.
 * Every figure is a ratio against a baseline measured in the same run.
 */
import { applyEntries, defineProgram, evaluate, openAccount, parseEvent, redeem, redeemRequestSchema, tick, adjust, adjustRequestSchema } from '../src';
import type { AccountState, LoyaltyEvent, Program } from '../src';
import { compiledOf } from '../src/engine/program';
import { buildFacts } from '../src/rules/facts';

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

  console.log('\nPERFORMANCE 3: cost per operation with 100,000 past entries vs 10');
  const small = history(program, 3);
  const big = history(program, 25_000);
  console.log(`  accounts: ${small.entries} and ${big.entries.toLocaleString('en-US')} past entries; open lots ${small.state.lots.length} and ${big.state.lots.length}`);
  const at = new Date('2030-01-01T00:00:00Z');
  const ops: [string, (s: AccountState, i: number) => void][] = [
    ['evaluate', (s, i) => evaluate(program, s, events[i % events.length] as LoyaltyEvent, { customer })],
    ['redeem', (s, i) => redeem(program, s, redeemRequestSchema.parse({ requestId: `r${i}`, points: 5, at }))],
    ['tick', (s) => tick(program, s, at, { customer })],
  ];
  for (const [name, op] of ops) {
    const a = time(`${name}, 10 past entries`, 20_000, (i) => op(small.state, i));
    const b = time(`${name}, 100,000 past entries`, 20_000, (i) => op(big.state, i));
    console.log(`  → ${name}: ${(b / a).toFixed(2)}× (target ≤ 1.2×): ${b / a <= 1.2 ? 'met' : 'NOT met'}`);
  }
}

/** An account folded from `rounds` × (purchase + redemption) — 4 entries a round. */
function history(program: Program, rounds: number): { state: AccountState; entries: number } {
  let state = openAccount(program, 'c1');
  let entries = 0;
  state = applyEntries(state, seedTx(program, state));
  entries += 1;
  for (let i = 0; i < rounds; i++) {
    const at = new Date(Date.UTC(2027, 0, 1) + i * 60_000);
    const e = parseEvent({ id: `h${i}`, customerId: 'c1', type: 'purchase', orderId: `h${i}`, currency: 'USD', occurredAt: at.toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '10' }] });
    const d = evaluate(program, state, e);
    if (d.ok && d.transaction) {
      state = applyEntries(state, d.transaction);
      entries += d.transaction.entries.length;
    }
    const r = redeem(program, state, redeemRequestSchema.parse({ requestId: `hr${i}`, points: 10, at: new Date(at.getTime() + 1000) }));
    if (r.ok && r.transaction) {
      state = applyEntries(state, r.transaction);
      entries += r.transaction.entries.length;
    }
  }
  return { state, entries };
}

function seedTx(program: Program, state: AccountState) {
  const d = adjust(program, state, adjustRequestSchema.parse({ requestId: 'seed', points: 100_000, actor: 'bench', reason: 'balance', at: '2026-12-01T00:00:00Z' }));
  if (!d.ok || !d.transaction) throw new Error('seed failed');
  return d.transaction;
}

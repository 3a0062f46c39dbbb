/*
 * Rule matching (PERFORMANCE.md target 1): the 20-rule loyalty set of the reference measurement
 * (shared/reference/jre-20-rules-bench.cjs), re-expressed over library-style dotted facts, run by
 *   - the generated-code evaluator, the closure evaluator (compileConditions),
 *   - json-rules-engine 7.3.1 `engine.run()` through the adapter,
 *   - a hand-written evaluator of the same rules over the same fact objects (the floor),
 * on the same pre-built facts. All four must agree on every event before anything is timed.
 *
 * Two representations of amounts: Decimal (the library's real one; the hand-written floor then
 * compares Decimals too) and plain JS numbers (comparable with the reference table).
 */
import { runJsonRulesEngine, toAlmanacFacts, toJsonRulesEngine } from '../src/adapters/json-rules-engine';
import { Decimal } from '../src/money/decimal';
import { compileConditions } from '../src/rules';
import type { CompiledConditions, FactCatalog, Facts } from '../src/rules';
import type { Condition, TopLevelCondition } from '../src/schema/condition';
import { describe, median, type BenchOptions, type TargetFigure } from './lib/report';

/** Events and passes of one run: BENCH_N and BENCH_N_JRE override the event counts. */
interface Sizes {
  readonly fast: number;
  readonly jre: number;
  readonly repsFast: number;
  readonly repsJre: number;
}

function sizes(quick: boolean): Sizes {
  return {
    fast: Number(process.env.BENCH_N ?? (quick ? 20_000 : 100_000)),
    jre: Number(process.env.BENCH_N_JRE ?? (quick ? 1_000 : 10_000)),
    repsFast: quick ? 3 : 5,
    repsJre: 3,
  };
}

// ---- the bench's fact catalogue ---------------------------------------------------------------
function catalog(amountType: 'decimal' | 'unknown'): FactCatalog {
  return {
    'event.type': { type: 'string', description: 'purchase, review, referral, signup, return' },
    'event.channel': { type: 'string', description: 'web, app, store' },
    'event.storeId': { type: 'integer', description: 'store number' },
    'order.subtotal': { type: amountType, description: 'order amount in major units' },
    'order.category': { type: 'string', description: 'main category of the order' },
    'order.itemCount': { type: 'integer', description: 'items in the order' },
    'order.tags': { type: 'string[]', description: 'order tags' },
    'customer.tier': { type: 'string', description: 'tier id' },
    'customer.birthMonth': { type: 'integer', description: '1-12' },
    'customer.isFirstPurchase': { type: 'boolean', description: 'no earlier purchase' },
    'customer.lifetimeSpend': { type: amountType, description: 'lifetime spend in major units' },
    'customer.country': { type: 'string', description: 'ISO country' },
    'customer.ordersThisMonth': { type: 'integer', description: 'orders this calendar month' },
    'review.hasPhoto': { type: 'boolean', description: 'the review has a photo' },
    'referral.count': { type: 'integer', description: 'customers referred' },
    'time.month': { type: 'integer', description: '1-12' },
    'time.dayOfWeek': { type: 'integer', description: '0 (Sunday) - 6' },
    'time.hour': { type: 'integer', description: '0-23' },
  };
}

// ---- the 20 rules -------------------------------------------------------------------------------
const c = (fact: string, operator: string, value: unknown): Condition => ({ fact, operator, value });
const P = c('event.type', 'equal', 'purchase');
const amount = (operator: string, value: number): Condition => c('order.subtotal', operator, value);
const SHARED: Record<string, TopLevelCondition> = { isPurchase: { all: [P] } };
const RULES: readonly { readonly id: string; readonly condition: TopLevelCondition }[] = [
  { id: 'base-points', condition: { all: [P, { not: c('order.category', 'in', ['gift-cards', 'tobacco']) }, amount('greaterThanInclusive', 1)] } },
  { id: 'big-electronics', condition: { all: [P, amount('greaterThanInclusive', 500), c('order.category', 'in', ['electronics', 'computers']), c('customer.tier', 'equal', 'gold')] } },
  { id: 'gold-plus', condition: { all: [P, c('customer.tier', 'in', ['gold', 'platinum']), amount('greaterThanInclusive', 50)] } },
  { id: 'review', condition: { all: [c('event.type', 'equal', 'review')] } },
  { id: 'review-photo', condition: { all: [c('event.type', 'equal', 'review'), c('review.hasPhoto', 'equal', true)] } },
  { id: 'birthday-month', condition: { all: [P, c('customer.birthMonth', 'equal', { fact: 'time.month' })] } },
  { id: 'first-purchase', condition: { all: [P, c('customer.isFirstPurchase', 'equal', true)] } },
  { id: 'weekend', condition: { all: [P, c('time.dayOfWeek', 'in', [0, 6]), amount('greaterThanInclusive', 20)] } },
  { id: 'app-channel', condition: { all: [P, c('event.channel', 'equal', 'app')] } },
  { id: 'grocery-basket', condition: { all: [P, c('order.category', 'equal', 'grocery'), amount('greaterThanInclusive', 10), amount('lessThan', 100)] } },
  { id: 'referral', condition: { all: [c('event.type', 'equal', 'referral'), c('referral.count', 'greaterThanInclusive', 1)] } },
  { id: 'signup', condition: { all: [c('event.type', 'equal', 'signup')] } },
  { id: 'platinum-or-lifetime', condition: { any: [c('customer.tier', 'equal', 'platinum'), c('customer.lifetimeSpend', 'greaterThanInclusive', 10000)] } },
  { id: 'multi-item', condition: { all: [P, c('order.itemCount', 'greaterThanInclusive', 5)] } },
  { id: 'na-apparel', condition: { all: [P, c('customer.country', 'in', ['US', 'CA']), c('order.category', 'equal', 'apparel')] } },
  { id: 'clearance', condition: { all: [P, c('order.tags', 'contains', 'clearance')] } },
  {
    id: 'silver-upsell',
    condition: { all: [P, c('customer.tier', 'equal', 'silver'), amount('greaterThan', 200), { any: [c('order.category', 'equal', 'electronics'), c('order.category', 'equal', 'home')] }] },
  },
  { id: 'store-pilot', condition: { all: [P, c('event.channel', 'equal', 'store'), c('event.storeId', 'in', [101, 102, 103, 104, 105])] } },
  { id: 'night-owl', condition: { all: [P, { any: [c('time.hour', 'greaterThanInclusive', 22), c('time.hour', 'lessThan', 5)] }] } },
  { id: 'frequent-buyer', condition: { all: [{ condition: 'isPurchase' }, c('customer.ordersThisMonth', 'greaterThanInclusive', 10), c('customer.tier', 'notIn', ['bronze'])] } },
];

// ---- deterministic facts (same generator as the reference) -------------------------------------
function makeFacts(n: number, decimals: boolean): Facts[] {
  let s = 42;
  const r = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(a: readonly T[]): T => a[(r() * a.length) | 0] as T;
  const CATS = ['electronics', 'computers', 'grocery', 'apparel', 'home', 'gift-cards', 'tobacco', 'toys', 'beauty', 'sports'];
  const out: Facts[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    const type = x < 0.8 ? 'purchase' : x < 0.9 ? 'review' : x < 0.94 ? 'referral' : x < 0.97 ? 'signup' : 'return';
    r(); // the reference draws a customer id here
    const cents = Math.round(r() * r() * 150000);
    const category = pick(CATS);
    const tier = pick(['bronze', 'bronze', 'bronze', 'silver', 'silver', 'gold', 'platinum']);
    const birthMonth = 1 + ((r() * 12) | 0);
    const month = 1 + ((r() * 12) | 0);
    const hasPhoto = r() < 0.3;
    const isFirstPurchase = r() < 0.05;
    const dayOfWeek = (r() * 7) | 0;
    const hour = (r() * 24) | 0;
    const channel = pick(['web', 'app', 'store']);
    const storeId = 100 + ((r() * 20) | 0);
    const referred = (r() * 4) | 0;
    const lifetime = (r() * 20000) | 0;
    const itemCount = 1 + ((r() * 10) | 0);
    const country = pick(['US', 'CA', 'GB', 'DE', 'FR']);
    const tags = [pick(['clearance', 'new', 'bundle', 'promo', 'none'])];
    const ordersThisMonth = (r() * 16) | 0;
    out.push({
      'event.type': type,
      'event.channel': channel,
      'event.storeId': storeId,
      'order.subtotal': decimals ? new Decimal(cents).div(100) : cents / 100,
      'order.category': category,
      'order.itemCount': itemCount,
      'order.tags': tags,
      'customer.tier': tier,
      'customer.birthMonth': birthMonth,
      'customer.isFirstPurchase': isFirstPurchase,
      'customer.lifetimeSpend': decimals ? new Decimal(lifetime) : lifetime,
      'customer.country': country,
      'customer.ordersThisMonth': ordersThisMonth,
      'review.hasPhoto': hasPhoto,
      'referral.count': referred,
      'time.month': month,
      'time.dayOfWeek': dayOfWeek,
      'time.hour': hour,
    });
  }
  return out;
}

// ---- hand-written evaluators of the same rules (the floor) -------------------------------------
type Evaluate = (f: Facts, out: boolean[]) => boolean[];

const K1 = new Decimal(1);
const K10 = new Decimal(10);
const K20 = new Decimal(20);
const K50 = new Decimal(50);
const K100 = new Decimal(100);
const K200 = new Decimal(200);
const K500 = new Decimal(500);
const K10000 = new Decimal(10000);

const handWrittenDecimal: Evaluate = (f, out) => {
  const type = f['event.type'];
  const p = type === 'purchase';
  const a = f['order.subtotal'] as Decimal;
  const cat = f['order.category'];
  const t = f['customer.tier'];
  const channel = f['event.channel'];
  const dow = f['time.dayOfWeek'] as number;
  const hour = f['time.hour'] as number;
  const storeId = f['event.storeId'] as number;
  out[0] = p && cat !== 'gift-cards' && cat !== 'tobacco' && a.cmp(K1) >= 0;
  out[1] = p && a.cmp(K500) >= 0 && (cat === 'electronics' || cat === 'computers') && t === 'gold';
  out[2] = p && (t === 'gold' || t === 'platinum') && a.cmp(K50) >= 0;
  out[3] = type === 'review';
  out[4] = type === 'review' && f['review.hasPhoto'] === true;
  out[5] = p && f['customer.birthMonth'] === f['time.month'];
  out[6] = p && f['customer.isFirstPurchase'] === true;
  out[7] = p && (dow === 0 || dow === 6) && a.cmp(K20) >= 0;
  out[8] = p && channel === 'app';
  out[9] = p && cat === 'grocery' && a.cmp(K10) >= 0 && a.cmp(K100) < 0;
  out[10] = type === 'referral' && (f['referral.count'] as number) >= 1;
  out[11] = type === 'signup';
  out[12] = t === 'platinum' || (f['customer.lifetimeSpend'] as Decimal).cmp(K10000) >= 0;
  out[13] = p && (f['order.itemCount'] as number) >= 5;
  out[14] = p && (f['customer.country'] === 'US' || f['customer.country'] === 'CA') && cat === 'apparel';
  out[15] = p && (f['order.tags'] as string[]).includes('clearance');
  out[16] = p && t === 'silver' && a.cmp(K200) > 0 && (cat === 'electronics' || cat === 'home');
  out[17] = p && channel === 'store' && storeId >= 101 && storeId <= 105;
  out[18] = p && (hour >= 22 || hour < 5);
  out[19] = p && (f['customer.ordersThisMonth'] as number) >= 10 && t !== 'bronze';
  return out;
};

const handWrittenNumber: Evaluate = (f, out) => {
  const type = f['event.type'];
  const p = type === 'purchase';
  const a = f['order.subtotal'] as number;
  const cat = f['order.category'];
  const t = f['customer.tier'];
  const channel = f['event.channel'];
  const dow = f['time.dayOfWeek'] as number;
  const hour = f['time.hour'] as number;
  const storeId = f['event.storeId'] as number;
  out[0] = p && cat !== 'gift-cards' && cat !== 'tobacco' && a >= 1;
  out[1] = p && a >= 500 && (cat === 'electronics' || cat === 'computers') && t === 'gold';
  out[2] = p && (t === 'gold' || t === 'platinum') && a >= 50;
  out[3] = type === 'review';
  out[4] = type === 'review' && f['review.hasPhoto'] === true;
  out[5] = p && f['customer.birthMonth'] === f['time.month'];
  out[6] = p && f['customer.isFirstPurchase'] === true;
  out[7] = p && (dow === 0 || dow === 6) && a >= 20;
  out[8] = p && channel === 'app';
  out[9] = p && cat === 'grocery' && a >= 10 && a < 100;
  out[10] = type === 'referral' && (f['referral.count'] as number) >= 1;
  out[11] = type === 'signup';
  out[12] = t === 'platinum' || (f['customer.lifetimeSpend'] as number) >= 10000;
  out[13] = p && (f['order.itemCount'] as number) >= 5;
  out[14] = p && (f['customer.country'] === 'US' || f['customer.country'] === 'CA') && cat === 'apparel';
  out[15] = p && (f['order.tags'] as string[]).includes('clearance');
  out[16] = p && t === 'silver' && a > 200 && (cat === 'electronics' || cat === 'home');
  out[17] = p && channel === 'store' && storeId >= 101 && storeId <= 105;
  out[18] = p && (hour >= 22 || hour < 5);
  out[19] = p && (f['customer.ordersThisMonth'] as number) >= 10 && t !== 'bronze';
  return out;
};

// ---- measuring ---------------------------------------------------------------------------------
/** One pass of a sync evaluator over the facts; µs per event. */
function passSync(evaluate: Evaluate, facts: readonly Facts[], n: number): number {
  const out: boolean[] = [];
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    evaluate(facts[i] as Facts, out);
    if (out[i % 20] === true) hits++;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (hits < 0) console.log(hits); // keeps the loop observable
  return us;
}

async function passJre(run: (i: number) => Promise<number>, n: number): Promise<number> {
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) hits += await run(i);
  const us = ((performance.now() - t0) * 1000) / n;
  if (hits < 0) console.log(hits);
  return us;
}

function sameResults(label: string, a: readonly boolean[], b: readonly boolean[], event: number): void {
  for (let k = 0; k < a.length; k++) {
    if (a[k] !== b[k]) throw new Error(`MISMATCH on event ${event}, rule ${RULES[k]?.id}: ${label}`);
  }
}

interface Variant {
  readonly name: string;
  readonly evaluate: Evaluate;
}

/** µs per event of each way of matching the 20 rules, on one representation of amounts. */
interface Timings {
  readonly codegen: number;
  readonly closures: number;
  readonly handWritten: number;
  readonly jre: number;
}

/** Checks that codegen, closures, the hand-written floor and json-rules-engine agree on every event. */
async function checkAgreement(variants: readonly Variant[], engine: ReturnType<typeof toJsonRulesEngine>, facts: readonly Facts[], n: Sizes): Promise<number> {
  const outs = variants.map(() => [] as boolean[]);
  let matches = 0;
  for (let i = 0; i < n.fast; i++) {
    const f = facts[i] as Facts;
    variants.forEach((v, j) => v.evaluate(f, outs[j] as boolean[]));
    const base = outs[2] as boolean[];
    sameResults('codegen vs hand-written', outs[0] as boolean[], base, i);
    sameResults('closures vs hand-written', outs[1] as boolean[], base, i);
    matches += base.filter(Boolean).length;
    if (i < n.jre) {
      const ids = new Set(await runJsonRulesEngine(engine, f));
      sameResults('json-rules-engine vs hand-written', RULES.map((r) => ids.has(r.id)), base, i);
    }
  }
  return matches;
}

/** engine.run() on facts already converted by the adapter: the run alone is timed. */
async function timeJre(engine: ReturnType<typeof toJsonRulesEngine>, facts: readonly Facts[], n: Sizes): Promise<number> {
  const almanac = facts.slice(0, n.jre).map(toAlmanacFacts);
  const runOne = async (i: number): Promise<number> => (await engine.run(almanac[i])).results.length;
  await passJre(runOne, Math.min(n.jre, 1000));
  const jreTimes: number[] = [];
  for (let rep = 0; rep < n.repsJre; rep++) jreTimes.push(await passJre(runOne, n.jre));
  return median(jreTimes);
}

async function runRepresentation(label: string, decimals: boolean, n: Sizes, jreUs: number | undefined): Promise<Timings> {
  const cat = catalog(decimals ? 'decimal' : 'unknown');
  const list = RULES.map((r) => r.condition);
  const codegen: CompiledConditions = compileConditions(list, { facts: cat, shared: SHARED, mode: 'codegen' });
  const closures: CompiledConditions = compileConditions(list, { facts: cat, shared: SHARED, mode: 'closure' });
  const facts = makeFacts(n.fast, decimals);
  const variants: readonly Variant[] = [
    { name: 'codegen', evaluate: (f, out) => codegen.evaluate(f, out) },
    { name: 'closures', evaluate: (f, out) => closures.evaluate(f, out) },
    { name: 'hand-written', evaluate: decimals ? handWrittenDecimal : handWrittenNumber },
  ];
  // Agreement first: all sync variants on every event, jre on its share.
  const engine = toJsonRulesEngine({ conditions: RULES, shared: SHARED });
  const matches = await checkAgreement(variants, engine, facts, n);
  console.log(`\n### ${label}`);
  console.log(`  agreement: codegen, closures, hand-written on ${n.fast} events; json-rules-engine on the first ${n.jre}; ${matches} rule matches in all`);

  // Time: warm up, then interleave repetitions so drift hits every variant alike.
  for (const v of variants) passSync(v.evaluate, facts, Math.min(n.fast, 20_000));
  const times = variants.map(() => [] as number[]);
  for (let rep = 0; rep < n.repsFast; rep++) variants.forEach((v, j) => (times[j] as number[]).push(passSync(v.evaluate, facts, n.fast)));
  const [cg = Number.NaN, cl = Number.NaN, hw = Number.NaN] = times.map(median);
  const jre = jreUs ?? (await timeJre(engine, facts, n));
  console.log(`  µs per event (median of ${n.repsFast} passes over ${n.fast} events; jre ${n.repsJre} over ${n.jre}):`);
  console.log(`    generated code (codegen)   ${cg.toFixed(3)}`);
  console.log(`    closures                   ${cl.toFixed(3)}`);
  console.log(`    hand-written               ${hw.toFixed(3)}`);
  console.log(`    json-rules-engine run()    ${jre.toFixed(1)}${jreUs === undefined ? '' : ' (same converted facts as above)'}`);
  console.log(`    closures / hand-written    ${(cl / hw).toFixed(1)}× (context)`);
  return { codegen: cg, closures: cl, handWritten: hw, jre };
}

/** Target 1's three judged ratios for one representation of amounts. */
function figures(t: Timings, amounts: string): TargetFigure[] {
  const jre = { name: 'json-rules-engine run()', value: t.jre, unit: 'µs/event' };
  return [
    {
      target: 1,
      name: `codegen evaluator, 20 rules, amounts as ${amounts}`,
      value: t.codegen,
      unit: 'µs/event',
      baseline: { name: 'hand-written', value: t.handWritten, unit: 'µs/event' },
      ratio: t.codegen / t.handWritten,
      goal: '≤ 2× hand-written',
      holds: t.codegen / t.handWritten <= 2,
    },
    { target: 1, name: `json-rules-engine / codegen, amounts as ${amounts}`, value: t.codegen, unit: 'µs/event', baseline: jre, ratio: t.jre / t.codegen, goal: '≥ 200× faster', holds: t.jre / t.codegen >= 200 },
    { target: 1, name: `json-rules-engine / closures, amounts as ${amounts}`, value: t.closures, unit: 'µs/event', baseline: jre, ratio: t.jre / t.closures, goal: '≥ 50× faster', holds: t.jre / t.closures >= 50 },
  ];
}

/**
 * Runs the rule-matching benchmark (target 1): checks that the four evaluators agree, prints
 * µs/event, and returns the target's ratios for both representations of amounts.
 *
 * @example
 * ```ts
 * const figures = await run({ quick: true }); // npx tsx bench/rules.ts --quick
 * ```
 */
export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const n = sizes(options.quick);
  console.log(`rule matching: 20 rules, node ${process.version}${options.quick ? ' (--quick)' : ''}`);
  const decimal = await runRepresentation("amounts as Decimal (the library's representation; hand-written floor compares Decimals too)", true, n, undefined);
  const numbers = await runRepresentation('amounts as JS numbers (as in the reference table)', false, n, decimal.jre);
  const all = [...figures(decimal, 'Decimal'), ...figures(numbers, 'numbers')];
  console.log('  target 1:');
  for (const f of all) console.log(describe(f));
  return all;
}

if (process.argv[1]?.endsWith('bench/rules.ts')) await run({ quick: process.argv.includes('--quick') });

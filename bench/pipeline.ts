/*
 * PERFORMANCE.md target 2: what users run, `evaluate(program, account, event, { customer })` of
 * a parsed 5-line purchase on the 20-rule points program, on an account with history (open lots,
 * limit counters and stats folded from real evaluate results), facts built inside the timed call.
 * The baseline is bench/baseline-points.ts, a hand-written integer implementation of the same
 * program, checked equal to evaluate's awards on every event of the stream before timing; the
 * two are timed interleaved (timePair). The rule matching alone on pre-built facts (the old
 * baseline) is printed as context. Environment: BENCH_PIPELINE_N (events per pass).
 */
import { applyEntries, evaluate, openAccount } from '../src/core';
import type { AccountState } from '../src/core';
import type { LoyaltyEvent, Program } from '../src';
import { compiledOf } from '../src/engine/program';
import { buildFacts } from '../src/engine/facts';
import type { Customer } from '../src/schema/customer';
import { purchases, twentyRuleProgram } from './lib/programs';
import { describe, fmt, timePair, type BenchOptions, type TargetFigure } from './lib/report';
import { awardsOf, baselineAwards, sameAwards } from './baseline-points';

/** Purchases folded into the account before timing: ~50 open lots, daily-cap counters, order stats. */
export const HISTORY_PURCHASES = 8;

export const customer: Customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: [], attributes: {} };

/** The account after `events`, each evaluated on the account the ones before it made. */
export function historyAccount(program: Program, events: readonly LoyaltyEvent[]): AccountState {
  let account = openAccount(program, 'c1');
  for (const event of events) {
    const d = evaluate(program, account, event, { customer });
    if (!d.ok) throw new Error(`history event ${event.id} refused`);
    if (d.transaction) account = applyEntries(account, d.transaction);
  }
  return account;
}

/** Rule matching alone on pre-built facts, µs per event: the old target 2 baseline, context only. */
function ruleMatchingAlone(program: Program, account: AccountState, events: readonly LoyaltyEvent[], n: number, passes: number): { rules: number; evaluate: number } {
  const compiled = compiledOf(program);
  const facts = events.map((e) => {
    const f = buildFacts({ event: e, customer, account, timeZone: program.config.timeZone, customerTimeZone: program.config.timeZone }, { only: compiled.factsNeeded });
    f['customer.segments'] = [];
    return f;
  });
  const out: boolean[] = [];
  const t = timePair(
    n,
    (i) => compiled.rules.evaluate(facts[i % facts.length] ?? {}, out),
    (i) => evaluate(program, account, events[i % events.length] as LoyaltyEvent, { customer }),
    passes,
  );
  return { rules: t.a, evaluate: t.b };
}

export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const n = Number(process.env.BENCH_PIPELINE_N ?? (options.quick ? 5_000 : 50_000));
  const passes = options.quick ? 3 : 9;
  const program = twentyRuleProgram();
  const stream = purchases(HISTORY_PURCHASES + (options.quick ? 500 : 2000));
  const account = historyAccount(program, stream.slice(0, HISTORY_PURCHASES));
  const events = stream.slice(HISTORY_PURCHASES);
  console.log(
    `PERFORMANCE 2: evaluate of a 5-line purchase on a 20-rule points program (${program.compileMode} mode), account with ` +
      `${account.lots.length} open lots, ${Object.keys(account.counters).length} counters, ${account.stats.orderCount} orders; ${fmt(n)} events per pass`,
  );
  // The baseline must make the same awards as evaluate on every event, or the ratio means nothing.
  for (const event of events) {
    const d = evaluate(program, account, event, { customer });
    if (!d.ok) throw new Error(`evaluate refused ${event.id}`);
    sameAwards(event.id, awardsOf(d.transaction), baselineAwards(event, account, customer));
  }
  console.log(`  baseline checked equal to evaluate on all ${fmt(events.length)} events (lots, amounts, line shares, the daily cap's counter)`);
  const t = timePair(
    n,
    (i) => evaluate(program, account, events[i % events.length] as LoyaltyEvent, { customer }),
    (i) => baselineAwards(events[i % events.length] as LoyaltyEvent, account, customer),
    passes,
  );
  const perSecond = 1e6 / t.a;
  const ratio = t.a / t.b;
  console.log(`  evaluate                                ${fmt(t.a, 3).padStart(9)} µs/event  ${fmt(perSecond).padStart(10)} events/s`);
  console.log(`  hand-written integer baseline           ${fmt(t.b, 3).padStart(9)} µs/event  ${fmt(1e6 / t.b).padStart(10)} events/s`);
  const context = ruleMatchingAlone(program, account, events, n, options.quick ? 3 : 5);
  console.log(`  context: rule matching alone on pre-built facts ${fmt(context.rules, 3)} µs/event; evaluate / rule matching = ${fmt(context.evaluate / context.rules, 1)}×`);
  const note = `interleaved with the baseline, ${passes} passes of ${fmt(n)} events; evaluate / rule matching alone ${fmt(context.evaluate / context.rules, 1)}× (context)`;
  const figures: TargetFigure[] = [
    { target: 2, name: 'evaluate, 5-line purchase, 20 rules, account with history', value: perSecond, unit: 'events/s', goal: '≥ 150,000 events/s', holds: perSecond >= 150_000, note },
    {
      target: 2,
      name: 'evaluate vs the hand-written integer baseline',
      value: t.a,
      unit: 'µs/event',
      baseline: { name: 'baseline-points', value: t.b, unit: 'µs/event' },
      ratio,
      goal: '≤ 5× the baseline',
      holds: ratio <= 5,
      note,
    },
  ];
  for (const f of figures) console.log(describe(f));
  return figures;
}

if (process.argv[1]?.endsWith('bench/pipeline.ts')) await run({ quick: process.argv.includes('--quick') });

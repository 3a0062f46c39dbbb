/*
 * The whole pure pipeline (PERFORMANCE.md target 2): `evaluate` of a 5-line purchase on a
 * 20-rule points program (facts, rules, awards with decimal math, line allocation, entries)
 * against the rule matching alone on the same facts. Target 3 is in bench/scaling.ts.
 * Environment: BENCH_PIPELINE_N (events per sample, default 50,000).
 */
import { evaluate, openAccount } from '../src/core';
import type { LoyaltyEvent } from '../src';
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

import { purchases, twentyRuleProgram } from './lib/programs';

export { twentyRuleProgram } from './lib/programs';

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

}

if (process.argv[1]?.endsWith('bench/pipeline.ts')) await run();

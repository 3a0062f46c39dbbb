/*
 * One phase of the backtest bench (target 4), run in its own process so that its peak RSS is its
 * own: `node --import tsx bench/simulate-phase.ts <phase> <customers>`, printing one JSON line.
 *   generate: generate the history and iterate its events (the floor of any replay);
 *   parse:    the same, each event read as `simulate` reads it (the hand-written validator, zod for
 *             what it leaves): what any replay pays first;
 *   simulate: `simulate` of the same history under a realistic points program.
 */
import { defineProgram } from '../src';
import { eventSchema } from '../src/schema/events';
import { fastEvent } from '../src/schema/fast/event';
import { generateHistory, simulate } from '../src/simulate';

export const benchProgram = defineProgram({
  kind: 'points',
  id: 'bench',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
  expiry: { kind: 'rolling', months: 12 },
  pending: { purchaseDays: 14 },
  birthday: { points: 200 },
  rules: [
    { id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'weekend-double', on: 'purchase', when: { all: [{ fact: 'time.dayOfWeek', operator: 'in', value: [0, 6] }] }, award: { kind: 'multiplier', factor: 2 } },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 50 }, limits: [{ per: 'month', count: 2 }] },
    { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
  ],
});

/** 100,000 customers over 12 months at 0.8 purchases a month give about a million events. */
export function benchHistory(customers: number): ReturnType<typeof generateHistory> {
  return generateHistory({ seed: 4, customers, months: 12, start: '2027-01-01T12:00:00Z', purchasesPerCustomerPerMonth: 0.8 });
}

async function main(): Promise<void> {
  const [phase = 'generate', customersText = '100000', retentionText = ''] = process.argv.slice(2);
  const history = benchHistory(Number(customersText));
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let events = 0;
  let extra: Record<string, unknown> = {};
  if (phase === 'generate') {
    for (const e of history.events) if (e.id !== '') events += 1;
  } else if (phase === 'parse') {
    for (const e of history.events) if ((fastEvent(e) ?? eventSchema.parse(e)).id !== '') events += 1;
  } else {
    // The generator refunds orders within 30 days: keeping 45 days of orders is exact for it. '' keeps every order.
    const options = retentionText === '' ? {} : { orderRetentionDays: Number(retentionText) };
    const result = await simulate(benchProgram, history.events, history.customers, options);
    events = result.run.events;
    extra = { retentionDays: retentionText === '' ? null : Number(retentionText), transactions: result.run.transactions, ticked: result.run.ticked, issued: result.totals.issued.toString() };
  }
  const ms = performance.now() - started;
  // CPU time is what the machine's other jobs do not inflate: the figure to read on a shared host.
  const cpu = process.cpuUsage(cpuStarted);
  console.log(JSON.stringify({ phase, customers: history.customers.length, events, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...extra }));
}

if (process.argv[1]?.endsWith('simulate-phase.ts')) await main();

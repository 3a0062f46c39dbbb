// Backtest a change before publishing it: "1 point per $1" today against "2 points per $1 on
// weekends" tomorrow, over a generated year of a small shop (200 customers), side by side.
// Run: npx tsx examples/backtest.ts
import { defineProgram } from '../src';
import { compare, generateHistory, type SimulationResult } from '../src/simulate';

const shared = {
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  // 100 points = $1.00; points last 6 months.
  redemption: { pointsPerUnit: 100 },
  expiry: { kind: 'rolling', months: 6 },
} as const;

const today = defineProgram({
  ...shared,
  kind: 'points',
  id: 'today',
  rules: [{ id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

const weekends = defineProgram({
  ...shared,
  kind: 'points',
  id: 'weekends',
  rules: [
    { id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    // Saturday and Sunday in the shop's zone.
    { id: 'weekend-double', on: 'purchase', when: { all: [{ fact: 'time.dayOfWeek', operator: 'in', value: [0, 6] }] }, award: { kind: 'multiplier', factor: 2 } },
  ],
});

const history = generateHistory({ seed: 2027, customers: 200, months: 12, start: '2027-01-01T12:00:00Z' });
const c = await compare(today, weekends, history.events, history.customers);

const row = (name: string, r: SimulationResult): string =>
  [
    name.padEnd(22),
    r.totals.issued.toString().padStart(9),
    r.totals.expired.toString().padStart(8),
    r.totals.clawedBack.toString().padStart(8),
    r.totals.outstanding.toString().padStart(12),
    `$${r.totals.liability.toFixed(2)}`.padStart(11),
    `${r.metrics.totals.points.breakageRate ?? '-'}%`.padStart(9),
  ].join(' ');

console.log(`A year of ${c.a.run.events} events (${c.a.metrics.totals.orders.count} orders, AOV $${c.a.metrics.totals.orders.aov}) over ${c.a.customers.length} customers`);
console.log(['program'.padEnd(22), 'issued'.padStart(9), 'expired'.padStart(8), 'clawed'.padStart(8), 'outstanding'.padStart(12), 'liability'.padStart(11), 'breakage'.padStart(9)].join(' '));
console.log(row('1 point per $1', c.a));
console.log(row('2 per $1 on weekends', c.b));
console.log(`\nWeekend doubling issues ${c.issued.toString()} more points and adds $${c.liability.toFixed(2)} of liability.`);
console.log(`${c.gainers} customers end with more points, ${c.losers} with fewer; the five who gain most:`);
for (const d of [...c.customers].sort((x, y) => y.balance.comparedTo(x.balance)).slice(0, 5)) {
  console.log(`  ${d.customerId}  +${d.issued.toString()} issued, +${d.balance.toString()} at year end`);
}

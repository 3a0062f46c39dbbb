// Program metrics (SPEC §11) with loyalty-engine/metrics: the spec's worked numbers from the
// closed-form formulas, then every metric of a small dataset (four customers, January–March 2027,
// months in New York; the same data as test/metrics/dataset.ts, where each figure is computed by
// hand), printed as tables. The accumulator is fed in two shards and merged, as workers would.
// Run: npx tsx examples/metrics.ts
import { parseCustomer, parseEvent } from '../src/core';
import { adoptionRate, metricsAccumulator, retentionRate, type MetricsInput, type MetricsRow } from '../src/metrics';

console.log('SPEC §11 worked numbers');
console.log(`  adoption rate, 1,000 members of 10,000 customers: ${adoptionRate(1000, 10000)?.toString()} %`);
console.log(`  retention rate, S = 200, N = 40, E = 210:          ${retentionRate({ start: 200, new: 40, end: 210 })?.toString()} %`);

let seq = 0;
const purchase = (customerId: string, at: string, amount: string): MetricsInput => {
  seq += 1;
  const lines = [{ lineId: 'l1', sku: 'sku', quantity: 1, unitPrice: amount }];
  return { kind: 'event', event: parseEvent({ type: 'purchase', id: `p${seq}`, customerId, occurredAt: at, orderId: `o${seq}`, currency: 'USD', lines }) };
};
const points = (customerId: string, at: string, account: 'issued' | 'redeemed' | 'expired', amount: number): MetricsInput => ({ kind: 'points', customerId, at: Date.parse(at), account, amount });
const member = (id: string, enrolledAt: string, region: string): MetricsInput => ({ kind: 'customer', customer: parseCustomer({ id, enrolledAt, attributes: { region } }) });

// ben's second order is at 22:00 on 31 January in New York (03:00Z on 1 February): January's.
const items: MetricsInput[] = [
  member('ana', '2027-01-02T12:00:00Z', 'north'),
  purchase('ana', '2027-01-05T15:00:00Z', '100.00'),
  points('ana', '2027-01-05T15:00:00Z', 'issued', 100),
  member('ben', '2027-01-10T12:00:00Z', 'south'),
  purchase('ben', '2027-01-20T15:00:00Z', '40.00'),
  points('ben', '2027-01-20T15:00:00Z', 'issued', 100),
  purchase('ben', '2027-02-01T03:00:00Z', '60.00'),
  purchase('ana', '2027-02-10T15:00:00Z', '50.00'),
  points('ana', '2027-02-10T15:00:00Z', 'issued', 50),
  points('ana', '2027-02-11T15:00:00Z', 'redeemed', 80),
  purchase('cy', '2027-02-14T15:00:00Z', '80.00'), // cy never enrols: a non-member
  member('dee', '2027-02-15T12:00:00Z', 'south'),
  purchase('ana', '2027-03-03T15:00:00Z', '30.00'),
  points('ana', '2027-03-03T15:00:00Z', 'issued', 30),
  purchase('dee', '2027-03-05T15:00:00Z', '90.00'),
  points('dee', '2027-03-05T15:00:00Z', 'issued', 90),
  points('ana', '2027-03-10T15:00:00Z', 'expired', 20),
  points('ben', '2027-03-10T15:00:00Z', 'expired', 50),
  purchase('cy', '2027-03-20T15:00:00Z', '20.00'),
  { kind: 'event', event: parseEvent({ type: 'refund', id: 'r1', customerId: 'cy', occurredAt: '2027-03-25T15:00:00Z', orderId: 'o-cy', amount: '10.00', currency: 'USD' }) },
];

const acc = metricsAccumulator({ timeZone: 'America/New_York', period: 'month', currency: 'USD', segment: 'region', margin: '0.25', valuePerPoint: '0.01' });
// Two shards (odd and even items), merged: the report is the same as one pass over all items.
const [odd, even] = [acc.empty(), acc.empty()];
items.forEach((item, i) => acc.add(i % 2 === 0 ? even : odd, item));
const report = acc.result(acc.merge(even, odd));

const show = (value: string | number | null | undefined): string => (value === null || value === undefined ? '—' : String(value));
const figures: readonly [string, (r: MetricsRow) => string | number | null | undefined][] = [
  ['orders', (r) => r.orders.count],
  ['revenue $', (r) => r.orders.revenue],
  ['AOV $', (r) => r.orders.aov],
  ['purchase frequency', (r) => r.orders.frequency],
  ['customer value $', (r) => r.orders.customerValue],
  ['lifespan, first-to-last span (months)', (r) => r.lifespan.span],
  ['lifespan, 1 / churn rate (months)', (r) => r.lifespan.churn],
  ['CLV, span $', (r) => r.clv.span],
  ['CLV, churn $', (r) => r.clv.churn],
  ['CLV at 25 % margin, span $', (r) => r.clv.marginSpan],
  ['adoption rate %', (r) => r.customers.adoptionRate],
  ['customers lost', (r) => r.churn.lost],
  ['customers lost %', (r) => r.churn.lostRate],
  ['recurring value lost $', (r) => r.churn.valueLost],
  ['recurring value lost %', (r) => r.churn.valueLostRate],
  ['retention rate (CRR) %', (r) => r.churn.retentionRate],
  ['points issued', (r) => r.points.issued],
  ['redemption rate %', (r) => r.points.redemptionRate],
  ['breakage rate %', (r) => r.points.breakageRate],
  ['outstanding points', (r) => r.points.outstanding],
  ['liability $ (gross / net of breakage)', (r) => (r.liability ? `${r.liability.gross} / ${show(r.liability.net)}` : null)],
  ['members AOV $ / frequency', (r) => `${show(r.lift.members.aov)} / ${show(r.lift.members.frequency)}`],
  ['non-members AOV $ / frequency', (r) => `${show(r.lift.nonMembers.aov)} / ${show(r.lift.nonMembers.frequency)}`],
];

const columns: [string, MetricsRow][] = [...report.periods.map((p): [string, MetricsRow] => [p.label, p.all]), ['total', report.totals]];
console.log(`\nMetrics by month in ${report.timeZone} (${report.currency})`);
console.log(`  ${''.padEnd(40)}${columns.map(([label]) => label.padStart(14)).join('')}`);
for (const [name, read] of figures) console.log(`  ${name.padEnd(40)}${columns.map(([, row]) => show(read(row)).padStart(14)).join('')}`);

console.log('\nBy segment (attribute "region"; cy has no profile)');
for (const [label, row] of Object.entries(report.segments)) {
  console.log(`  ${label.padEnd(8)} orders ${show(row.orders.count).padStart(2)}  revenue $${row.orders.revenue.padStart(4)}  AOV $${show(row.orders.aov).padStart(8)}  points outstanding ${row.points.outstanding}`);
}

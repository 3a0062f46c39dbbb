// A paid membership, end to end over the in-memory store: "Plus" costs $12.99 a month after a
// 30-day free trial, and gives members 10% off, free shipping and double points while its
// benefits hold (trialing, active, past due within a 7-day grace, cancelled until the paid-through
// date — never after expiry). Payment events drive it; tickDue does what time does.
// Run: npx tsx examples/paid.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../src';
// The paid kind's readers (free shipping and the like) live with the pure core.
import { benefitsHold, pointsEarned, type MembershipState } from '../src/core';
import type { CheckoutOrderInput } from '../src/schemas';

const program = defineProgram({
  kind: 'paid',
  id: 'plus',
  version: 1,
  name: 'Plus',
  currency: 'USD',
  timeZone: 'America/New_York',
  membership: {
    fee: '12.99',
    period: 'month',
    trialDays: 30,
    graceDays: 7,
    trialNoticeDays: 3,
    benefits: { discountPercent: 10, freeShipping: true, pointsMultiplier: 2 },
  },
  rules: [{ id: 'dollar-a-point', name: '$1 = 1 point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

const clock = fixedClock('2027-01-31T15:00:00Z');
const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: '2027-01-31T15:00:00Z' } });
await loyalty.upsertCustomer({ customer: { id: 'ben', enrolledAt: '2027-01-31T15:00:00Z' } });

const ny = (d: Date | null | undefined): string =>
  d ? d.toLocaleString('en-US', { timeZone: 'America/New_York', dateStyle: 'medium', timeStyle: 'short' }) : '-';
function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}
async function membership(customerId: string): Promise<MembershipState> {
  const m = (await loyalty.account({ customerId, programId: program.id })).state.kinds.membership;
  if (m?.kind !== 'membership') throw new Error(`${customerId} has no membership`);
  return m;
}
let seq = 0;
async function send(customerId: string, at: string, body: Record<string, unknown>) {
  clock.set(at);
  seq += 1;
  return loyalty.process({ id: `ev-${seq}`, customerId, occurredAt: at, ...body } as Parameters<typeof loyalty.process>[0]);
}
const payment = (status: 'succeeded' | 'failed') => ({ type: 'membership_payment', status, amount: '12.99', currency: 'USD' });
/** Runs tickDue whenever the account falls due, up to `until`, as a scheduler would. */
async function timePasses(customerId: string, until: string): Promise<void> {
  const end = Date.parse(until);
  for (let due = (await loyalty.account({ customerId, programId: program.id })).nextDueAt; due !== null && due.getTime() <= end; due = (await loyalty.account({ customerId, programId: program.id })).nextDueAt) {
    clock.set(due);
    await loyalty.tickDue({ now: due });
  }
  clock.set(until);
}
const basket: CheckoutOrderInput = { currency: 'USD', lines: [{ lineId: 'coat', sku: 'coat', quantity: 1, unitPrice: '80.00' }], shipping: '6.95', tax: '0' };
async function memberPrice(customerId: string, at: string): Promise<string> {
  // A quote happens at the service clock: move the example's clock to the checkout instant.
  clock.set(at);
  const q = await loyalty.quote({ customerId, programId: program.id, order: basket, points: 'max' });
  const view = await loyalty.account({ customerId, programId: program.id, at: new Date(at) });
  const shipping = benefitsHold(program, view.state, new Date(at)) ? 'free shipping' : 'shipping $6.95';
  return q.memberDiscount ? `${q.memberDiscount.percent.toString()}% off: -$${q.memberDiscount.amount.toFixed(2)}, ${shipping}` : `no member discount, ${shipping}`;
}

// --- Ana: a free trial that converts -----------------------------------------------------------
console.log('Ana starts a 30-day free trial on 31 January 2027 at 10:00 in New York.');
await send('ana', '2027-01-31T15:00:00Z', { type: 'membership_started', trial: true });
let ana = await membership('ana');
console.log(`  The trial ends ${ny(ana.trialEndsAt)} (the start day is day 1 of 30).`);
check('trial end', ana.trialEndsAt?.toISOString(), '2027-03-02T05:00:00.000Z');

console.log(`  At checkout on 10 February her $80.00 coat quotes: ${await memberPrice('ana', '2027-02-10T17:00:00Z')}.`);
check('trial discount', await memberPrice('ana', '2027-02-10T17:00:00Z'), '10% off: -$8.00, free shipping');
const coat = await send('ana', '2027-02-10T17:00:00Z', { type: 'purchase', orderId: 'A-1', currency: 'USD', lines: [{ lineId: 'coat', sku: 'coat', quantity: 1, unitPrice: '72.00' }] });
console.log(`  She pays $72.00 for it and earns ${pointsEarned(coat.outcomes[0]!).toString()} points (double points for members).`);
check('member points', pointsEarned(coat.outcomes[0]!).toString(), '144');

await timePasses('ana', '2027-03-01T12:00:00Z');
for (const row of await loyalty.outbox({ limit: 100 })) {
  if (row.notification.type === 'membership.trial_ending') console.log(`  ${ny(row.notification.at)}: "your trial ends ${ny(row.notification.trialEndsAt)}".`);
}
await send('ana', '2027-03-01T12:00:00Z', payment('succeeded'));
ana = await membership('ana');
console.log(`  Her first payment on 1 March converts the trial: ${ana.status}, paid through ${ny(ana.paidThrough)}; renewals fall on the trial end's anniversary.`);
check('converted', ana.paidThrough?.toISOString(), '2027-04-02T04:00:00.000Z');

// --- A failed renewal, grace, recovery --------------------------------------------------------
await timePasses('ana', '2027-04-04T12:00:00Z');
console.log(`\nThe 2 April renewal falls due (renewal_due notice); the charge fails and is reported on 4 April.`);
await send('ana', '2027-04-04T12:00:00Z', payment('failed'));
ana = await membership('ana');
console.log(`  Past due: grace ends ${ny(ana.graceEndsAt)} — 7 days after the due date, not after the report.`);
check('grace end', ana.graceEndsAt?.toISOString(), '2027-04-09T04:00:00.000Z');
console.log(`  During grace, on 6 April, her quote still shows: ${await memberPrice('ana', '2027-04-06T12:00:00Z')}.`);
await send('ana', '2027-04-06T12:00:00Z', payment('succeeded'));
ana = await membership('ana');
console.log(`  The retried payment succeeds: ${ana.status} again, paid through ${ny(ana.paidThrough)}.`);
check('recovered', ana.paidThrough?.toISOString(), '2027-05-02T04:00:00.000Z');

// --- Cancellation: benefits until the paid-through date ---------------------------------------
await send('ana', '2027-04-20T12:00:00Z', { type: 'membership_cancelled' });
console.log(`\nAna cancels on 20 April. On 1 May her quote shows: ${await memberPrice('ana', '2027-05-01T12:00:00Z')}.`);
check('cancelled discount', await memberPrice('ana', '2027-05-01T12:00:00Z'), '10% off: -$8.00, free shipping');
await timePasses('ana', '2027-05-03T12:00:00Z');
ana = await membership('ana');
console.log(`  On ${ny(ana.expiredAt)} the membership is ${ana.status}. On 3 May her quote shows: ${await memberPrice('ana', '2027-05-03T12:00:00Z')}.`);
check('expired', ana.status, 'expired');
check('no discount after expiry', await memberPrice('ana', '2027-05-03T12:00:00Z'), 'no member discount, shipping $6.95');
console.log(`  Value received against fees paid: $${ana.valueReceived.toFixed(2)} saved for $${ana.feesPaid.toFixed(2)} in fees.`);
check('value', ana.valueReceived.toFixed(2), '7.20');
check('fees', ana.feesPaid.toFixed(2), '25.98');

console.log('\nEverything the host was told about Ana, in order:');
for (const row of await loyalty.outbox({ limit: 100 })) {
  const n = row.notification;
  if (n.customerId === 'ana' && n.type.startsWith('membership.')) console.log(`  ${ny(n.at)}  ${n.type}`);
}

// --- Ben: joins without a trial on 31 January -------------------------------------------------
console.log('\nBen joins without a trial on 31 January at 10:00 and pays at once; each renewal keeps the 31st where it can:');
await send('ben', '2027-01-31T15:00:00Z', { type: 'membership_started', trial: false });
await send('ben', '2027-01-31T15:00:00Z', payment('succeeded'));
const renewals: string[] = [];
for (const at of ['2027-02-28T15:00:00Z', '2027-03-31T14:00:00Z']) {
  const due = (await membership('ben')).nextDueAt;
  renewals.push(due?.toISOString() ?? '');
  console.log(`  renewal due ${ny(due)}`);
  await send('ben', at, payment('succeeded'));
}
console.log(`  and the next on ${ny((await membership('ben')).nextDueAt)}.`);
check('Ben renewals', renewals.join(' '), '2027-02-28T15:00:00.000Z 2027-03-31T14:00:00.000Z');
check('Ben third renewal', (await membership('ben')).nextDueAt?.toISOString(), '2027-04-30T14:00:00.000Z');

for (const who of ['ana', 'ben']) {
  const issues = await loyalty.verify({ customerId: who, programId: program.id });
  if (issues.length !== 0) throw new Error(`the ledger of ${who} does not check: ${JSON.stringify(issues)}`);
}
console.log('\nBoth ledgers check: every stored state is the fold of its transactions.');

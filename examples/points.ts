// The seeds' points program, end to end over the in-memory store:
// "$1 = 1 point" (gift cards excluded), welcome 500, referral 300, review 100, newsletter 500,
// 100 per social network (once each), and double points on a purchase on the customer's birthday.
// Run: npx tsx examples/points.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore, type DecimalInput, type ProcessResult } from '../src';
import { pointsEarned } from '../src/core';
import type { CheckoutOrderInput } from '../src/schemas';

const program = defineProgram({
  kind: 'points',
  id: 'nine-rewards',
  version: 1,
  name: 'Nine Rewards',
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
  // 100 points = $1.00 at checkout, up to half of the order, in steps of 100.
  redemption: { pointsPerUnit: 100, maxShare: '0.5', step: 100, exclude: { categories: ['gift-card'] } },
  // Points are usable through the end of the quarter twelve months after they were earned.
  expiry: { kind: 'end_of_period', period: 'quarter', afterMonths: 12 },
  expiringNoticeDays: 30,
  rewards: [{ id: 'tote', name: 'Canvas tote bag', cost: 400, kind: 'free_product', sku: 'TOTE-01', stock: 100, codePrefix: 'TOTE' }],
  rules: [
    { id: 'dollar-a-point', name: '$1 = 1 point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    {
      id: 'birthday-double',
      name: 'Double points on your birthday',
      on: 'purchase',
      when: { all: [{ fact: 'customer.isBirthday', operator: 'equal', value: true }] },
      award: { kind: 'multiplier', factor: 2 },
    },
    { id: 'welcome', name: 'Create an account', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    {
      id: 'referral',
      name: 'Refer a friend',
      on: 'referral',
      award: { kind: 'fixed', points: 300 },
      limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }],
    },
    { id: 'review', name: 'Write a review', on: 'review', award: { kind: 'fixed', points: 100 } },
    { id: 'newsletter', name: 'Join the newsletter', on: 'newsletter_subscribed', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    {
      id: 'social-follow',
      name: 'Follow us',
      on: 'social_follow',
      when: { all: [{ fact: 'event.network', operator: 'in', value: ['twitter', 'instagram', 'facebook'] }] },
      award: { kind: 'fixed', points: 100 },
      limits: [{ per: 'lifetime', count: 1, key: 'event.network' }],
    },
  ],
});

const clock = fixedClock('2027-03-20T12:00:00Z');
const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: '2027-03-01T09:00:00Z', birthday: '1990-03-15', timeZone: 'America/New_York' } });

const line = (lineId: string, unitPrice: DecimalInput, categories: string[] = [], quantity = 1) => ({ lineId, sku: lineId, unitPrice, quantity, categories });
const events = [
  { what: 'Ana creates an account', event: { id: 'ev-1', type: 'signup', occurredAt: '2027-03-01T09:00:00Z' } },
  { what: 'Ana subscribes to the newsletter', event: { id: 'ev-2', type: 'newsletter_subscribed', occurredAt: '2027-03-01T09:05:00Z' } },
  { what: 'Ana follows on Twitter', event: { id: 'ev-3', type: 'social_follow', network: 'twitter', occurredAt: '2027-03-02T10:00:00Z' } },
  { what: 'Ana follows on Twitter again (once per network)', event: { id: 'ev-4', type: 'social_follow', network: 'twitter', occurredAt: '2027-03-02T10:01:00Z' } },
  { what: 'Ana follows on Instagram', event: { id: 'ev-5', type: 'social_follow', network: 'instagram', occurredAt: '2027-03-02T10:02:00Z' } },
  {
    what: 'Ana buys $60.00 of shoes and a $20.00 gift card',
    event: { id: 'ev-6', type: 'purchase', orderId: 'A-100', currency: 'USD', occurredAt: '2027-03-05T16:00:00Z', lines: [line('shoes', '60.00'), line('gift', '20.00', ['gift-card'])] },
  },
  { what: 'Ana refers her friend Ben', event: { id: 'ev-7', type: 'referral', referredCustomerId: 'ben', stage: 'signed_up', occurredAt: '2027-03-06T12:00:00Z' } },
  { what: 'Ben makes his first purchase (the referral pays once per friend)', event: { id: 'ev-8', type: 'referral', referredCustomerId: 'ben', stage: 'first_purchase', occurredAt: '2027-03-08T12:00:00Z' } },
  { what: 'Ana reviews her shoes', event: { id: 'ev-9', type: 'review', platform: 'onsite', rating: 5, hasPhoto: true, occurredAt: '2027-03-09T12:00:00Z' } },
  {
    what: 'On her birthday (15 March in New York) Ana buys a $45.50 bag: double points',
    event: { id: 'ev-10', type: 'purchase', orderId: 'A-101', currency: 'USD', occurredAt: '2027-03-15T14:00:00Z', lines: [line('bag', '45.50')] },
  },
];

function describeOutcome(result: ProcessResult): string {
  const outcome = result.outcomes[0];
  if (!outcome) return 'reached no program';
  if (!outcome.ok) return `refused: ${outcome.issues.map((i) => i.message).join('; ')}`;
  const earns = (outcome.transaction?.entries ?? []).flatMap((e) => (e.kind === 'earn' ? [`${e.lot.amount.toString()} points from rule "${e.ruleId}"`] : []));
  return earns.length > 0 ? `earned ${earns.join(' and ')}` : 'earned nothing';
}

for (const { what, event } of events) {
  clock.set(event.occurredAt);
  const result = await loyalty.process({ ...event, customerId: 'ana', channel: 'web' } as Parameters<typeof loyalty.process>[0]);
  const view = await loyalty.account({ customerId: 'ana', programId: program.id });
  const total = result.outcomes[0] ? pointsEarned(result.outcomes[0]).toString() : '0';
  console.log(`${what}: ${describeOutcome(result)} (+${total}). Balance: ${view.balance.available.toString()} points.`);
}

const replay = await loyalty.process({ ...events[0]!.event, customerId: 'ana', channel: 'web' } as Parameters<typeof loyalty.process>[0]);
console.log(`Delivering the sign-up again is a replay (${String(replay.replayed)}): nothing is credited twice.`);

const earnedPart = await loyalty.account({ customerId: 'ana', programId: program.id });
console.log(`After the earning events: ${earnedPart.balance.available.toString()} points in ${earnedPart.lots.length} lots.`);
if (earnedPart.balance.available.toString() !== '1751') throw new Error(`expected 1751 points, got ${earnedPart.balance.available.toString()}`);

// --- Checkout with the points slider -------------------------------------------------------
const basket: CheckoutOrderInput = { currency: 'USD', lines: [line('jacket', '120.00'), line('socks', '9.00', [], 2)], shipping: '7.95', tax: '10.80' };
const who = { customerId: 'ana', programId: program.id };
clock.set('2027-03-20T12:00:00Z');
const slider = await loyalty.quote({ ...who, order: basket, points: 'max', at: '2027-03-20T12:00:00Z' });
console.log(
  `\nCheckout: Ana can burn at most ${slider.points.toString()} points for $${slider.discount.toFixed(2)} off a $${slider.eligibleAmount.toFixed(2)} basket` +
    ` (clamped by ${slider.clamps.map((c) => `${c.reason}: ${c.message}`).join('; ') || 'nothing'}).`,
);
const paid = await loyalty.redeem({ ...who, requestId: 'checkout-A-102', points: 1000, orderId: 'A-102', order: basket, at: '2027-03-20T12:00:00Z' });
console.log(`She burns 1000 points ($10.00 off): ${paid.outcome.ok ? 'done' : 'refused'}. Balance: ${(await loyalty.account({ customerId: 'ana', programId: program.id })).balance.available.toString()} points.`);
clock.set('2027-03-20T12:01:00Z');
const order = await loyalty.process({ id: 'ev-11', customerId: 'ana', type: 'purchase', orderId: 'A-102', currency: 'USD', occurredAt: '2027-03-20T12:01:00Z', channel: 'web', pointsRedeemed: '1000', lines: basket.lines, shipping: basket.shipping, tax: basket.tax });
console.log(`The $138.00 order, $10.00 of it paid with points, earns ${pointsEarned(order.outcomes[0]!).toString()} points (net of the points used). Balance: ${(await loyalty.account({ customerId: 'ana', programId: program.id })).balance.available.toString()} points.`);

// --- A partial refund ----------------------------------------------------------------------
clock.set('2027-03-25T15:00:00Z');
const refunded = await loyalty.process({ id: 'ev-12', customerId: 'ana', type: 'refund', orderId: 'A-102', occurredAt: '2027-03-25T15:00:00Z', lines: [{ lineId: 'socks', quantity: 1 }] });
const refundTx = refunded.outcomes[0]?.ok ? refunded.outcomes[0].transaction : null;
for (const entry of refundTx?.entries ?? []) {
  if (entry.kind === 'clawback') console.log(`\nOne pair of socks goes back: ${entry.against.map((a) => a.amount.toString()).join(' + ')} points it earned are clawed back.`);
  if (entry.kind === 'restore') console.log(`Its share of the points that paid the order comes back: ${entry.draws.map((d) => `${d.amount.toString()} (still expiring ${d.terms.expiresAt?.toISOString().slice(0, 10) ?? 'never'})`).join(', ')}.`);
}
console.log(`Balance: ${(await loyalty.account({ customerId: 'ana', programId: program.id })).balance.available.toString()} points.`);

// --- A catalog reward ----------------------------------------------------------------------
clock.set('2027-04-01T12:00:00Z');
const tote = await loyalty.redeemReward({ ...who, requestId: 'tote-1', rewardId: 'tote', at: '2027-04-01T12:00:00Z' });
const issued = (await loyalty.outbox({ limit: 1000 })).map((r) => r.notification).find((n) => n.type === 'reward.issued');
if (issued?.type === 'reward.issued') console.log(`\nAna trades 400 points for a ${issued.reward.name}: code ${issued.reward.code}, ship SKU ${issued.reward.sku ?? '-'} (${tote.outcome.ok ? 'issued' : 'refused'}).`);

// --- A year of expiry ----------------------------------------------------------------------
console.log('\nA year passes; a scheduler runs tickDue whenever an account falls due:');
const end = new Date('2028-04-02T00:00:00Z');
for (let due = (await loyalty.account({ customerId: 'ana', programId: program.id })).nextDueAt; due !== null && due <= end; due = (await loyalty.account({ customerId: 'ana', programId: program.id })).nextDueAt) {
  clock.set(due);
  await loyalty.tickDue({ now: due });
}
clock.set(end);
for (const row of await loyalty.outbox({ limit: 1000 })) {
  const n = row.notification;
  if (n.type === 'points.expiring') console.log(`  ${n.at.toISOString().slice(0, 10)}: ${n.points.toString()} points will expire on ${n.expiresAt.toISOString().slice(0, 10)}.`);
  if (n.type === 'points.expired') console.log(`  ${n.at.toISOString().slice(0, 10)}: ${n.points.toString()} points expired.`);
  if (n.type === 'customer.lapsed') console.log(`  ${n.at.toISOString().slice(0, 10)}: no purchase for ${n.days} days: a win-back message is due.`);
}

const final = await loyalty.account({ customerId: 'ana', programId: program.id });
const issues = await loyalty.verify({ customerId: 'ana', programId: program.id });
console.log(`\nOn 2 April 2028: ${final.balance.available.toString()} points left; ledger check: ${issues.length === 0 ? 'sound' : JSON.stringify(issues)}.`);
if (issues.length !== 0) throw new Error('the ledger does not balance');

// The seeds' points program, end to end over the in-memory store:
// "$1 = 1 point" (gift cards excluded), welcome 500, referral 300, review 100, newsletter 500,
// 100 per social network (once each), and double points on a purchase on the customer's birthday.
// Run: npx tsx examples/points.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore, pointsEarned, type ProcessResult } from '../src';

const program = defineProgram({
  kind: 'points',
  id: 'nine-rewards',
  version: 1,
  name: 'Nine Rewards',
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
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
await loyalty.upsertCustomer({ id: 'ana', enrolledAt: '2027-03-01T09:00:00Z', birthday: '1990-03-15', timeZone: 'America/New_York' });

const line = (lineId: string, unitPrice: string, categories: string[] = [], quantity = 1) => ({ lineId, sku: lineId, unitPrice, quantity, categories });
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
  const result = await loyalty.process({ ...event, customerId: 'ana', channel: 'web' });
  const view = await loyalty.account('ana', program.id);
  const total = result.outcomes[0] ? pointsEarned(result.outcomes[0]).toString() : '0';
  console.log(`${what}: ${describeOutcome(result)} (+${total}). Balance: ${view.balance.available.toString()} points.`);
}

const replay = await loyalty.process({ ...events[0]!.event, customerId: 'ana', channel: 'web' });
console.log(`Delivering the sign-up again is a replay (${String(replay.replayed)}): nothing is credited twice.`);

const final = await loyalty.account('ana', program.id);
const issues = await loyalty.verify('ana', program.id);
console.log(`Final balance: ${final.balance.available.toString()} points in ${final.lots.length} lots; ledger check: ${issues.length === 0 ? 'sound' : JSON.stringify(issues)}.`);
if (final.balance.available.toString() !== '1751' || issues.length !== 0) {
  throw new Error(`expected 1751 points and a sound ledger, got ${final.balance.available.toString()}`);
}

// A Hotels.com-style stamp card, end to end over the in-memory store: every hotel night is a punch;
// 10 nights earn 1 free night worth their average price. Extra nights carry to the next card, at
// most 3 nights a day count (anti-fraud), a card expires a year after its first night, and a
// refunded night leaves the card (once a card is completed, the return policy decides).
// (At most 3 nights a day here, so that a 3-night stay counts whole.)
// Run: npx tsx examples/punch.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore, type DecimalInput, type Notification } from '../src';
import type { CardState } from '../src/core';
import type { CheckoutOrderInput } from '../src/schemas';

const program = defineProgram({
  kind: 'punch',
  id: 'hotel-rewards',
  version: 1,
  name: 'Hotel Rewards',
  currency: 'USD',
  timeZone: 'America/New_York',
  cards: [
    {
      id: 'night',
      name: '10 nights = 1 free night',
      required: 10,
      qualifying: { categories: ['hotel-night'] },
      countBy: 'quantity',
      reward: { kind: 'value', of: 'average' },
      limits: { perDay: 3 },
      expiryDays: 365,
    },
  ],
  // When a refunded night was already used by a completed card, the customer owes the punch.
  returns: { whenSpent: 'allow_negative' },
  // Punches are not points: no "points expiring" notice for them.
  expiringNoticeDays: 0,
});

const clock = fixedClock('2027-03-01T12:00:00Z');
const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: '2027-03-01T09:00:00Z' } });

function check(what: string, actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

async function card(): Promise<CardState> {
  const state = (await loyalty.account({ customerId: 'ana', programId: program.id })).state.kinds['card:night'];
  if (state?.kind !== 'card') throw new Error('no card yet');
  return state;
}

function told(notifications: readonly Notification[]): string {
  return notifications
    .map((n) => {
      if (n.type === 'card.completed') return ` → card completed: a free night worth $${n.reward.value?.toFixed(2) ?? '?'}`;
      if (n.type === 'punch.refused') return ` → refused: ${n.reason}`;
      return '';
    })
    .join('');
}

let seq = 0;
/** Ana books `nights` nights at `price` a night, on March `day` (2027). */
async function book(day: number, price: DecimalInput, nights = 1): Promise<readonly Notification[]> {
  seq += 1;
  const at = new Date(Date.UTC(2027, 2, day, 12, seq));
  clock.set(at);
  const result = await loyalty.process({
    id: `booking-${seq}`,
    customerId: 'ana',
    type: 'purchase',
    orderId: `H-${seq}`,
    currency: 'USD',
    occurredAt: at,
    lines: [{ lineId: 'room', sku: 'deluxe-king', categories: ['hotel-night'], quantity: nights, unitPrice: price }],
  });
  const outcome = result.outcomes[0];
  if (!outcome?.ok) throw new Error('booking refused');
  const c = await card();
  console.log(`${at.toISOString().slice(0, 10)}  ${nights} night(s) at $${price}: card ${c.count}/10${told(outcome.notifications)}`);
  return outcome.notifications;
}

// --- Card 1: 10 nights at $100, $110, …, $190, two a day over five days -------------------------
console.log('Card 1');
let last: readonly Notification[] = [];
for (let i = 0; i < 10; i++) last = await book(1 + Math.floor(i / 2), (100 + 10 * i).toFixed(2) as DecimalInput);
const first = last.find((n) => n.type === 'card.completed');
check('card 1 is worth the average of its nights', first?.type === 'card.completed' ? (first.reward.value?.toFixed(2) ?? '') : 'none', '145.00');

// A fourth night on one day does not count (the other three do, on card 2).
console.log('\nCard 2');
await book(6, '120.00');
await book(6, '120.00');
await book(6, '120.00');
const fourth = await book(6, '120.00');
check('the 4th night of a day is refused', fourth.map((n) => n.type).join(), 'punch.refused');

// --- Card 2: 8 nights so far, then one stay of 3 nights: it completes the card, 1 night carries ----
for (const [d, n] of [[7, 3], [8, 2]] as const) for (let i = 0; i < n; i++) await book(d, '120.00');
check('nights on card 2', String((await card()).count), '8');
const stay = await book(10, '150.00', 3);
const second = stay.find((n) => n.type === 'card.completed');
// 8 nights at $120 and 2 of the 3 nights at $150: $1,260 / 10.
check('card 2 is worth its own nights', second?.type === 'card.completed' ? (second.reward.value?.toFixed(2) ?? '') : 'none', '126.00');
check('the 3rd night of the stay carries to card 3', String((await card()).count), '1');

let view = await loyalty.account({ customerId: 'ana', programId: program.id });
console.log(`\nAna holds $${view.balance.available.toFixed(2)} of free-night credit and ${view.balances['punch:night']?.available.toString() ?? '0'} punch on card 3.`);
check('credit from two cards', view.balance.available.toFixed(2), '271.00');

// --- The free night at checkout ------------------------------------------------------------------
clock.set('2027-03-20T12:00:00Z');
const basket: CheckoutOrderInput = { currency: 'USD', lines: [{ lineId: 'room', sku: 'deluxe-king', categories: ['hotel-night'], quantity: 1, unitPrice: '160.00' }] };
const slider = await loyalty.quote({ customerId: 'ana', programId: program.id, order: basket, points: '145.00', at: '2027-03-20T12:00:00Z' });
await loyalty.redeem({ customerId: 'ana', programId: program.id, requestId: 'free-night-1', points: slider.points, orderId: 'H-free', at: '2027-03-20T12:00:00Z' });
view = await loyalty.account({ customerId: 'ana', programId: program.id });
console.log(`She spends $${slider.discount.toFixed(2)} of it on a $160.00 night; $${view.balance.available.toFixed(2)} is left.`);
check('credit after the free night', view.balance.available.toFixed(2), '126.00');

// --- A cancelled stay ----------------------------------------------------------------------------
// The 3-night stay is refunded: its carried night leaves card 3; its other 2 nights were already
// used by card 2, so under allow_negative Ana owes 2 punches, repaid by her next 2 nights.
clock.set('2027-03-21T12:00:00Z');
const refund = await loyalty.process({ id: 'refund-1', customerId: 'ana', type: 'refund', orderId: `H-${seq}`, occurredAt: '2027-03-21T12:00:00Z', lines: [{ lineId: 'room', quantity: 3 }] });
const reason = refund.outcomes[0]?.ok ? refund.outcomes[0].transaction?.entries.flatMap((e) => (e.kind === 'state' ? [e.reason] : [])).join('') : '';
console.log(`\nThe 3-night stay is cancelled: ${reason}.`);
view = await loyalty.account({ customerId: 'ana', programId: program.id });
check('punches owed after the refund', view.state.debt['punch:night']?.toString() ?? '0', '2');
console.log(`Ana owes ${view.state.debt['punch:night']?.toString() ?? '0'} punches; her next nights repay them first.`);
await book(22, '130.00');
await book(22, '130.00');
await book(23, '130.00');
check('after repaying 2 punches, 1 night is on card 3', String((await card()).count), '1');

// --- A year later --------------------------------------------------------------------------------
const c3 = await card();
console.log(`\nCard 3 started on ${c3.startedAt?.toISOString().slice(0, 10) ?? '?'} and expires at ${c3.expiresAt?.toISOString() ?? 'never'}.`);
clock.set('2028-03-24T12:00:00Z');
const ticked = await loyalty.tickDue({ now: new Date('2028-03-24T12:00:00Z') });
const expired = await card();
console.log(`A year on, tickDue ran on ${ticked.changed} account: card 3 now holds ${expired.count} punches (${expired.completed} cards completed in all).`);
check('card 3 expired', String(expired.count), '0');

const issues = await loyalty.verify({ customerId: 'ana', programId: program.id });
check('the ledger folds to the stored state, and balances', JSON.stringify(issues), '[]');
const outbox = (await loyalty.outbox({ limit: 1000 })).map((r) => r.notification.type);
console.log(`\nOutbox: ${outbox.filter((t) => t === 'card.completed').length} × card.completed, ${outbox.filter((t) => t === 'punch.refused').length} × punch.refused.`);

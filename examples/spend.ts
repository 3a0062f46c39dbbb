// Store credit kept in money (the `spend` kind), end to end over the in-memory store:
// 5% cash-back with a 14-day return window, spent on a later order; a refund that claws it back;
// the JPY rounding example; and a Kohl's-style program where every 100 of progress becomes $5.
// Run: npx tsx examples/spend.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore, type Decimal, type DecimalInput, type Loyalty, type ProcessResult } from '../src';
import { pointsEarned, type ProgressState } from '../src/core';
import type { CheckoutOrderInput } from '../src/schemas';
import type { InstantInput } from '../src';

/** Throws when a figure is not what the story says. */
function check(what: string, got: string, want: string): void {
  if (got !== want) throw new Error(`${what}: expected ${want}, got ${got}`);
}

/** The credit an event earned (cash-back and rewards). */
const creditOf = (result: ProcessResult): Decimal => {
  const outcome = result.outcomes[0];
  if (!outcome?.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return pointsEarned(outcome); // every earned lot, whatever its unit: here the credit
};

const line = (lineId: string, unitPrice: DecimalInput, categories: string[] = [], quantity = 1) => ({ lineId, sku: lineId, unitPrice, quantity, categories });

async function sound(loyalty: Loyalty, customerId: string, programId: string): Promise<void> {
  const issues = await loyalty.verify({ customerId, programId });
  if (issues.length > 0) throw new Error(`the ledger does not balance: ${JSON.stringify(issues)}`);
}

// --- 1. Cash-back: 5% back, 2% on electronics, gift cards never earn ------------------------------
const cashBack = defineProgram({
  kind: 'spend',
  id: 'cash-back',
  version: 1,
  name: 'Cash Back Club',
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
  credit: { percent: 5, categoryPercents: { electronics: 2 }, pendingDays: 14, expiry: { kind: 'rolling', months: 12 } },
});

const clock = fixedClock('2027-03-01T15:00:00Z');
const shop = createLoyalty({ programs: [cashBack], store: memoryStore(), clock });
await shop.upsertCustomer({ customer: { id: 'mia', enrolledAt: '2027-03-01T09:00:00Z' } });
const balance = async (at?: InstantInput) => (await shop.account({ customerId: 'mia', programId: 'cash-back', ...at ? { at } : undefined })).balance;

console.log('Cash Back Club: 5% back (2% on electronics), credit spendable after a 14-day return window.');
const shoes = await shop.process({ id: 'm-1', customerId: 'mia', type: 'purchase', orderId: 'M-100', currency: 'USD', occurredAt: '2027-03-01T15:00:00Z', lines: [line('shoes', '80.00')] });
console.log(`Mia buys $80.00 of shoes: she earns $${creditOf(shoes).toFixed(2)} of credit, pending until 15 March.`);
check('5% of $80.00', creditOf(shoes).toFixed(2), '4.00');

clock.set('2027-03-02T15:00:00Z');
const tv = await shop.process({
  id: 'm-2',
  customerId: 'mia',
  type: 'purchase',
  orderId: 'M-101',
  currency: 'USD',
  occurredAt: '2027-03-02T15:00:00Z',
  lines: [line('tv', '300.00', ['electronics']), line('gift', '50.00', ['gift-card'])],
});
console.log(`She buys a $300.00 TV (2%) and a $50.00 gift card (never earns): $${creditOf(tv).toFixed(2)} more, pending.`);
check('2% of $300.00, the gift card excluded', creditOf(tv).toFixed(2), '6.00');
let b = await balance();
console.log(`Balance: $${b.available.toFixed(2)} available, $${b.pending.toFixed(2)} pending.`);
check('pending', b.pending.toFixed(2), '10.00');

clock.set('2027-03-05T15:00:00Z');
const back = await shop.process({ id: 'm-3', customerId: 'mia', type: 'refund', orderId: 'M-101', occurredAt: '2027-03-05T15:00:00Z', lines: [{ lineId: 'tv', quantity: 1 }] });
const clawed = back.outcomes[0]?.ok ? (back.outcomes[0].transaction?.entries ?? []).flatMap((e) => (e.kind === 'clawback' ? e.against.map((a) => a.amount.toFixed(2)) : [])) : [];
console.log(`She returns the TV inside the window: the $${clawed.join(' + ')} it earned is clawed back.`);
check('clawback', clawed.join(), '6.00');

console.log('A scheduler runs tickDue whenever the account falls due:');
for (let due = (await shop.account({ customerId: 'mia', programId: 'cash-back' })).nextDueAt; due !== null && due <= new Date('2027-03-20T00:00:00Z'); due = (await shop.account({ customerId: 'mia', programId: 'cash-back' })).nextDueAt) {
  clock.set(due);
  await shop.tickDue({ now: due });
  b = await balance();
  console.log(`  ${due.toISOString().slice(0, 16)}Z: the return window of the shoes is over; $${b.available.toFixed(2)} is now spendable.`);
}
check('released', b.available.toFixed(2), '4.00');

clock.set('2027-03-20T16:00:00Z');
const basket: CheckoutOrderInput = { currency: 'USD', lines: [line('socks', '3.00')], shipping: '4.95' };
const slider = await shop.quote({ customerId: 'mia', programId: 'cash-back', order: basket, points: 'max', at: '2027-03-20T16:00:00Z' });
console.log(`Checkout of $3.00 socks (+ $4.95 shipping): of her $${slider.available.toFixed(2)}, she may use $${slider.discount.toFixed(2)} (clamped: ${slider.clamps.map((c) => c.reason).join(', ')}; shipping is outside).`);
check('quote capped by the order', `${slider.discount.toFixed(2)} ${slider.clamps.map((c) => c.reason).join()}`, '3.00 order_amount');
const paid = await shop.redeem({ customerId: 'mia', programId: 'cash-back', requestId: 'M-102-pay', points: slider.points, orderId: 'M-102', order: basket, at: '2027-03-20T16:00:00Z' });
b = await balance();
console.log(`She pays the socks with credit (${paid.outcome.ok ? 'done' : 'refused'}); $${b.available.toFixed(2)} is left for next time.`);
check('left', b.available.toFixed(2), '1.00');
await sound(shop, 'mia', 'cash-back');

// --- 2. Rounding in a currency without cents -----------------------------------------------------
console.log('\nIn JPY, 5% of ¥1,999 is ¥99.95; the rounding mode is config:');
for (const rounding of ['half-up', 'floor'] as const) {
  const yen = defineProgram({ kind: 'spend', id: `yen-${rounding}`, version: 1, currency: 'JPY', timeZone: 'Asia/Tokyo', credit: { percent: 5, rounding } });
  const store = createLoyalty({ programs: [yen], store: memoryStore(), clock: fixedClock('2027-03-01T03:00:00Z') });
  await store.upsertCustomer({ customer: { id: 'ken', enrolledAt: '2027-03-01T00:00:00Z' } });
  const r = await store.process({ id: 'k-1', customerId: 'ken', type: 'purchase', orderId: 'K-1', currency: 'JPY', occurredAt: '2027-03-01T03:00:00Z', lines: [line('bento', '1999')] });
  console.log(`  ${rounding}: ¥${creditOf(r).toFixed(0)}`);
  check(`¥1,999 at 5%, ${rounding}`, creditOf(r).toFixed(0), rounding === 'half-up' ? '100' : '99');
}

// --- 3. Kohl's-style: spend builds progress, every 100 becomes a $5 reward ------------------------
const kohls = defineProgram({ kind: 'spend', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/Chicago', progress: { per: 1, threshold: 100, reward: 5 } });
const kohlsClock = fixedClock('2027-04-01T18:00:00Z');
const store = createLoyalty({ programs: [kohls], store: memoryStore(), clock: kohlsClock });
await store.upsertCustomer({ customer: { id: 'ben', enrolledAt: '2027-04-01T00:00:00Z' } });
const progress = async (): Promise<ProgressState> => {
  const p = (await store.account({ customerId: 'ben', programId: 'rewards' })).state.kinds.progress;
  if (p?.kind !== 'progress') throw new Error('no progress yet');
  return p;
};

console.log("\nKohl's-style rewards: 1 progress per $1; every 100 converts into a $5 reward, the rest carries over.");
const first = await store.process({ id: 'b-1', customerId: 'ben', type: 'purchase', orderId: 'B-1', currency: 'USD', occurredAt: '2027-04-01T18:00:00Z', lines: [line('jacket', '100.00')] });
console.log(`Ben spends $100.00: a $${creditOf(first).toFixed(2)} reward appears automatically; ${(await progress()).carried.toString()} carried.`);
check('$100 makes $5', creditOf(first).toFixed(2), '5.00');
kohlsClock.set('2027-04-01T18:05:00Z');
const second = await store.process({ id: 'b-2', customerId: 'ben', type: 'purchase', orderId: 'B-2', currency: 'USD', occurredAt: '2027-04-01T18:05:00Z', lines: [line('boots', '150.00'), line('coat', '100.00')] });
const rewards = second.outcomes[0]?.ok ? (second.outcomes[0].transaction?.entries ?? []).filter((e) => e.kind === 'earn').length : 0;
console.log(`He spends $250.00: ${rewards} more rewards ($${creditOf(second).toFixed(2)}), and ${(await progress()).carried.toString()} is carried over.`);
check('$250 makes two', String(rewards), '2');
check('carried', (await progress()).carried.toString(), '50');

kohlsClock.set('2027-04-02T18:00:00Z');
const returned = await store.process({ id: 'b-3', customerId: 'ben', type: 'refund', orderId: 'B-2', occurredAt: '2027-04-02T18:00:00Z', lines: [{ lineId: 'coat', quantity: 1 }] });
const taken = returned.outcomes[0]?.ok ? (returned.outcomes[0].transaction?.entries ?? []).flatMap((e) => (e.kind === 'clawback' ? e.against.map((a) => a.lot) : [])) : [];
const after = await progress();
console.log(`He returns the $100.00 coat: 100 progress goes back; the 50 carried cannot cover it, so one reward (${taken.join()}) is taken back and 50 is carried again.`);
check('after the return', `${after.carried.toString()} carried, ${after.converted - after.unwound} rewards`, '50 carried, 2 rewards');
const view = await store.account({ customerId: 'ben', programId: 'rewards' });
console.log(`Ben holds $${view.balance.available.toFixed(2)} of rewards.`);
check('rewards held', view.balance.available.toFixed(2), '10.00');
await sound(store, 'ben', 'rewards');
console.log('\nEvery ledger checked: sound.');

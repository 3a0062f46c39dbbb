// Work due before the account's last tick, of the kinds' own schedules (the class of the
// backdated-release bug, test/service/backdated-tick.test.ts): `nextDueAt` must report what `tick`
// would write at any later instant, even when its instant is at or before `after` (the last tick);
// else `tickDue` never writes it, or writes it only if some unrelated work happens to wake the account.
//
// - Birthdays (the core bonus, schedule-birthdays.ts, and the tiered kind's gift): a birthday
//   given, a zone changed or an enrolment moved back by `upsertCustomer` after the last tick can
//   put this year's birthday start before that tick, unpaid. `tick` at any later instant of the
//   same year pays it (start ≤ now, start ≥ enrolment, year not paid), so it is due at once,
//   `after` + 1 ms. Behaviour chosen: it is paid this year, late, rather than skipped; a year
//   whose birthday `tick` no longer reaches (now in a later year) is not owed, as before.
// - Punch cards: a card whose expiry (a late punch's) is at or before `after`. Through the
//   service its punch lots carry the same expiry and are owed since the backdated-release fix,
//   so the card is expired; the kind's own `nextDueAt` must say so too (its contract with onTick).
// Each scenario runs over the memory store and PGlite.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore, type Loyalty, type Program, type Store } from '../../src';
import { applyTransaction, emptyAccountState, evaluate, nextDueAt, parseCustomer, parseEvent, tick, type AccountState, type FixedClock } from '../../src/core';
import { postgresStore, type SqlDriver } from '../../src/adapters/postgres';
import { punchHooks } from '../../src/kinds/punch/hooks';
import { tieredHooks } from '../../src/kinds/tiered/hooks';
import { sharedPGlite } from '../adapters/pglite-shared';

const iso = (ms: number): string => new Date(ms).toISOString();
/** The account's last tick: 1 June 2027, after the birthday (10 May) and the late card's expiry. */
const T = Date.parse('2027-06-01T12:00:00Z');

const bonus: Program = defineProgram({
  kind: 'points',
  id: 'bday',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  lapseDays: 30,
  birthday: { points: 100 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

const gifts: Program = defineProgram({
  kind: 'tiered',
  id: 'gifts',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  lapseDays: 30,
  tiers: [
    { id: 'insider', threshold: 0, benefits: { birthdayGift: 40 } },
    { id: 'vib', threshold: 350, benefits: { birthdayGift: 250 } },
  ],
  qualification: { basis: 'spend', window: 'calendar_year' },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

const nights: Program = defineProgram({
  kind: 'punch',
  id: 'nights',
  version: 1,
  currency: 'USD',
  timeZone: 'UTC',
  expiringNoticeDays: 0,
  lapseDays: 3650,
  cards: [{ id: 'night', required: 10, expiryDays: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' } }],
});

const programs = [bonus, gifts, nights];

interface Harness {
  readonly loyalty: Loyalty;
  readonly clock: FixedClock;
}

async function buy(h: Harness, programId: string, id: string, at: number, category = 'x'): Promise<void> {
  await h.loyalty.process(parseEvent({ id, customerId: 'c1', programId, type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: iso(at), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '100', categories: [category] }] }));
}

/** `tickDue` at `at` writes for `changed` accounts; a second one at the same instant writes nothing. */
async function tickDueAt(h: Harness, at: number, changed: number): Promise<void> {
  h.clock.set(iso(at));
  const first = await h.loyalty.tickDue();
  expect(first.failed).toEqual([]);
  expect(first.changed, `tickDue at ${iso(at)}`).toBe(changed);
  expect((await h.loyalty.tickDue()).changed, `a second tickDue at ${iso(at)}`).toBe(0);
}

/** The birthday earns of an account: [lot id, amount]. */
async function birthdayEarns(h: Harness, programId: string): Promise<[string, string][]> {
  const page = await h.loyalty.history({ customerId: 'c1', programId, limit: 1000 });
  return page.transactions.flatMap((tx) => tx.entries.flatMap((e): [string, string][] => (e.kind === 'earn' && e.ruleId.includes('birthday') ? [[e.lot.id, e.lot.amount.toString()]] : [])));
}

/**
 * Enrolled on 1 January without a birthday; a purchase on 2 January makes the lapse due on
 * 1 February, so `tickDue` on 1 June ticks the account (its last tick). Then the customer gives
 * their birthday, 10 May: before that tick, this year's, unpaid.
 */
async function birthdayAfterTheLastTick(h: Harness, programId: string, expected: [string, string][]): Promise<void> {
  h.clock.set('2027-01-02T15:00:00Z');
  await h.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }, programs: [programId] });
  await buy(h, programId, 'p1', Date.parse('2027-01-02T15:00:00Z'));
  await tickDueAt(h, T, 1);
  await h.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '1990-05-10' }, programs: [programId] });
  // A tick at any later instant of 2027 pays it; so `nextDueAt` says at once, not May 2028.
  expect((await h.loyalty.account({ customerId: 'c1', programId })).nextDueAt?.toISOString()).toBe(iso(T + 1));
  await tickDueAt(h, T + 86_400_000, 1);
  expect(await birthdayEarns(h, programId)).toEqual(expected);
  expect(await h.loyalty.verify({ customerId: 'c1', programId })).toEqual([]);
  // Paid: next year's birthday is the next thing due (10 May 2028, 00:00 in New York).
  const next = (await h.loyalty.account({ customerId: 'c1', programId })).nextDueAt?.toISOString();
  expect(next).toBe('2028-05-10T04:00:00.000Z');
}

/** A punch 100 days late (from 20 Feb) on 1 June: its card expires on 2 March, before the last tick. */
async function lateCardPastItsExpiry(h: Harness): Promise<void> {
  h.clock.set('2027-01-02T15:00:00Z');
  await h.loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['nights'] });
  await buy(h, 'nights', 'p1', Date.parse('2027-01-02T15:00:00Z'), 'night');
  await tickDueAt(h, T - 20 * 86_400_000, 1); // the first card expires (12 January)
  h.clock.set(iso(T));
  await buy(h, 'nights', 'late', Date.parse('2027-05-20T15:00:00Z'), 'night');
  const card = (await h.loyalty.account({ customerId: 'c1', programId: 'nights' })).state.kinds['card:night'];
  expect(card?.kind === 'card' && [card.count, card.expiresAt?.toISOString()]).toEqual([1, '2027-05-30T15:00:00.000Z']);
  await tickDueAt(h, T + 1000, 1);
  const after = (await h.loyalty.account({ customerId: 'c1', programId: 'nights' })).state.kinds['card:night'];
  expect(after?.kind === 'card' && [after.count, after.expiresAt]).toEqual([0, null]);
  expect(await h.loyalty.verify({ customerId: 'c1', programId: 'nights' })).toEqual([]);
}

const scenarios: [string, (h: Harness) => Promise<void>][] = [
  ['the core birthday bonus, given after the last tick, is paid at the next tickDue', (h) => birthdayAfterTheLastTick(h, 'bday', [['birthday:2027', '100']])],
  ['the tiered birthday gift, given after the last tick, is paid at the next tickDue', (h) => birthdayAfterTheLastTick(h, 'gifts', [['tier-birthday:2027', '40']])],
  ['a late punch whose card expired before the last tick: the card is expired at the next tickDue', lateCardPastItsExpiry],
];

describe('work due before the last tick, over the memory store', () => {
  test.each(scenarios)('%s', async (_, scenario) => {
    const clock = fixedClock('2027-01-01T00:00:00Z');
    await scenario({ loyalty: createLoyalty({ programs, store: memoryStore(), clock }), clock });
  });
});

let tenants = 0;
describe('work due before the last tick, on PGlite', () => {
  let driver: SqlDriver;
  sharedPGlite((opened) => (driver = opened));
  test.each(scenarios)('%s', async (_, scenario) => {
    const clock = fixedClock('2027-01-01T00:00:00Z');
    const store: Store = postgresStore({ driver, tenantId: `overdue-${(tenants += 1)}` });
    await scenario({ loyalty: createLoyalty({ programs, store, clock }), clock });
  });
});

describe('the kinds’ nextDueAt reports what their onTick would write after `after`', () => {
  const customer = parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '--05-10' });

  test('punch: a card whose expiry is at or before `after` is due at once, and tick empties it', () => {
    const account = accountWithCard(nights);
    const after = new Date(T);
    expect(punchHooks.nextDueAt?.({ program: nights, account, customer: undefined, after })?.toISOString()).toBe(iso(T + 1));
    // Before the expiry the card's own instant is due, as before.
    expect(punchHooks.nextDueAt?.({ program: nights, account, customer: undefined, after: new Date('2027-05-21T00:00:00Z') })?.toISOString()).toBe('2027-05-30T15:00:00.000Z');
    const d = tick(nights, account, new Date(T + 1));
    expect(d.ok && d.transaction?.entries.some((e) => e.kind === 'state' && e.reason.startsWith('the card expired'))).toBe(true);
  });

  test('tiered: this year’s birthday, started before `after` and unpaid, is due at once; paid or of a past year, it is not', () => {
    const account = emptyAccount('gifts');
    const at = (after: string): string | undefined => tieredHooks.nextDueAt({ program: gifts, account, customer, after: new Date(after) })?.toISOString();
    expect(at('2027-06-01T12:00:00Z')).toBe('2027-06-01T12:00:00.001Z');
    expect(at('2027-05-01T00:00:00Z')).toBe('2027-05-10T04:00:00.000Z');
    // The customer's last instant of 2027 (New York): a tick 1 ms later is in 2028 and pays only 2028's.
    expect(at('2028-01-01T04:59:59.999Z')).toBe('2028-05-10T04:00:00.000Z');
    const d = tick(gifts, account, new Date('2027-06-01T12:00:00.001Z'), { customer });
    expect(d.ok && d.transaction?.entries.some((e) => e.kind === 'earn' && e.lot.id === 'tier-birthday:2027')).toBe(true);
  });

  test('core: nextDueAt of this year’s unpaid birthday started before `after` is `after` + 1 ms', () => {
    const account = emptyAccount('bday');
    expect(nextDueAt(bonus, account, new Date(T), { customer })?.toISOString()).toBe(iso(T + 1));
    expect(nextDueAt(bonus, account, new Date('2028-01-01T04:59:59.999Z'), { customer })?.toISOString()).toBe('2028-05-10T04:00:00.000Z');
  });
});

function emptyAccount(programId: string): AccountState {
  return emptyAccountState(programId, 'c1');
}

/** One punch on 20 May 2027 (a card that expires on 30 May), evaluated through the core. */
function accountWithCard(program: Program): AccountState {
  const event = parseEvent({ id: 'late', customerId: 'c1', type: 'purchase', orderId: 'o-late', currency: 'USD', occurredAt: '2027-05-20T15:00:00Z', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '100', categories: ['night'] }] });
  const d = evaluate(program, emptyAccount(program.id), event);
  if (!d.ok || !d.transaction) throw new Error('the punch was refused');
  return applyTransaction(emptyAccount(program.id), d.transaction);
}

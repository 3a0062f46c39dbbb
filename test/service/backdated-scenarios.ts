// Backdated purchases with a pending period, over any store: a late event (offline POS) whose
// pending release, and maybe its expiry, fall before the account's last tick. `tickDue` must still
// write them down, once, in time order (release, then expiry); a second `tickDue` writes nothing.
// Shared by the memory-store test (test/service/backdated-tick.test.ts) and the PostgreSQL ones
// (test/adapters/postgres-backdated.test.ts), which add an audit of the SQL ledger.
import { expect } from 'vitest';
import { defineProgram, type Loyalty, type Program } from '../../src';
import { parseEvent, type FixedClock } from '../../src/core';

const DAY = 86_400_000;
/** The account's last tick before the late purchase arrives. */
export const T = Date.parse('2027-06-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** Pending 14 days, expiry after a year: a late purchase's release can be past, its expiry not. */
export const lateRelease: Program = defineProgram({
  kind: 'points',
  id: 'late-release',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  pending: { purchaseDays: 14 },
  expiry: { kind: 'rolling', days: 365 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

/** Pending 14 days, expiry after 20: a purchase 30 days late is past both its release and its expiry. */
export const lateExpiry: Program = defineProgram({
  kind: 'points',
  id: 'late-expiry',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  pending: { purchaseDays: 14 },
  expiry: { kind: 'rolling', days: 20 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

export const backdatedPrograms: readonly Program[] = [lateRelease, lateExpiry];

/** What a scenario needs: the service, its clock, and a check run after each `tickDue` (the SQL audit, say). */
export interface Harness {
  readonly loyalty: Loyalty;
  readonly clock: FixedClock;
  readonly check?: (customerId: string, programId: string) => Promise<void>;
}

async function buy(h: Harness, customerId: string, programId: string, id: string, dollars: number, at: number): Promise<string> {
  await h.loyalty.process(parseEvent({ id, customerId, programId, type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: iso(at), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: String(dollars) }] }));
  const view = await h.loyalty.account({ customerId, programId });
  const lot = view.state.lots.find((l) => l.cause.eventId === id);
  if (!lot) throw new Error(`no lot for ${id}`);
  return lot.id;
}

/** The kinds of the entries that name `lotId` (a release, or a draw of it), in ledger order. */
async function entriesOf(h: Harness, customerId: string, programId: string, lotId: string): Promise<string[]> {
  const page = await h.loyalty.history({ customerId, programId, limit: 1000 });
  const kinds: string[] = [];
  for (const tx of [...page.transactions].reverse()) {
    for (const e of tx.entries) {
      if (e.kind === 'release' && e.lot === lotId) kinds.push('release');
      else if (e.kind === 'earn' && e.lot.id === lotId) kinds.push('earn');
      else if ((e.kind === 'expire' || e.kind === 'redeem') && e.draws.some((d) => d.lot === lotId)) kinds.push(`${e.kind} from ${e.draws.find((d) => d.lot === lotId)?.from ?? '?'}`);
    }
  }
  return kinds;
}

/** `tickDue` at `at`: it must write for exactly `changed` accounts; then a second one writes nothing. */
async function tickTwice(h: Harness, customerId: string, programId: string, at: number, changed: number): Promise<void> {
  h.clock.set(iso(at));
  const first = await h.loyalty.tickDue();
  expect(first.failed).toEqual([]);
  expect(first.changed, `tickDue at ${iso(at)}`).toBe(changed);
  const before = (await h.loyalty.history({ customerId, programId, limit: 1000 })).transactions.length;
  const again = await h.loyalty.tickDue();
  expect(again.changed, `a second tickDue at ${iso(at)}`).toBe(0);
  expect((await h.loyalty.history({ customerId, programId, limit: 1000 })).transactions.length).toBe(before);
  expect(await h.loyalty.verify({ customerId, programId })).toEqual([]);
  await h.check?.(customerId, programId);
}

async function balances(h: Harness, customerId: string, programId: string): Promise<{ available: string; pending: string }> {
  const { balance } = await h.loyalty.account({ customerId, programId });
  return { available: balance.available.toString(), pending: balance.pending.toString() };
}

/** The account is ticked at T; then a purchase dated T − 30 d arrives (released at T − 16 d). */
export async function releaseBeforeLastTick(h: Harness, customerId: string): Promise<void> {
  const programId = lateRelease.id;
  h.clock.set(iso(T - 20 * DAY));
  await h.loyalty.upsertCustomer({ customer: { id: customerId, enrolledAt: '2027-01-01T00:00:00Z' }, programs: [programId] });
  await buy(h, customerId, programId, `${customerId}-p0`, 10, T - 20 * DAY);
  await tickTwice(h, customerId, programId, T, 1);
  const late = await buy(h, customerId, programId, `${customerId}-late`, 100, T - 30 * DAY);
  // Reads as of an instant already count it available.
  expect(await balances(h, customerId, programId)).toEqual({ available: '110', pending: '0' });
  await tickTwice(h, customerId, programId, T + DAY, 1);
  expect(await entriesOf(h, customerId, programId, late)).toEqual(['earn', 'release']);
  expect(await balances(h, customerId, programId)).toEqual({ available: '110', pending: '0' });
  expect((await h.loyalty.account({ customerId, programId })).state.lots.every((l) => l.account === 'available')).toBe(true);
}

/** Ticks at T and T + 5 d; then a purchase dated T − 12 d arrives, released at T + 2 d, between them. */
export async function releaseBetweenTicks(h: Harness, customerId: string): Promise<void> {
  const programId = lateRelease.id;
  h.clock.set(iso(T - 20 * DAY));
  await h.loyalty.upsertCustomer({ customer: { id: customerId, enrolledAt: '2027-01-01T00:00:00Z' }, programs: [programId] });
  await buy(h, customerId, programId, `${customerId}-p0`, 10, T - 20 * DAY);
  h.clock.set(iso(T - 9 * DAY));
  await buy(h, customerId, programId, `${customerId}-p1`, 20, T - 9 * DAY);
  await tickTwice(h, customerId, programId, T, 1);
  await tickTwice(h, customerId, programId, T + 5 * DAY, 1);
  const late = await buy(h, customerId, programId, `${customerId}-late`, 100, T - 12 * DAY);
  expect(await balances(h, customerId, programId)).toEqual({ available: '130', pending: '0' });
  await tickTwice(h, customerId, programId, T + 6 * DAY, 1);
  expect(await entriesOf(h, customerId, programId, late)).toEqual(['earn', 'release']);
  expect(await balances(h, customerId, programId)).toEqual({ available: '130', pending: '0' });
}

/** Ticked at T; then a purchase dated T − 30 d arrives, released at T − 16 d and expired at T − 10 d. */
export async function releaseAndExpiryBeforeLastTick(h: Harness, customerId: string): Promise<void> {
  const programId = lateExpiry.id;
  h.clock.set(iso(T - 15 * DAY));
  await h.loyalty.upsertCustomer({ customer: { id: customerId, enrolledAt: '2027-01-01T00:00:00Z' }, programs: [programId] });
  await buy(h, customerId, programId, `${customerId}-p0`, 10, T - 15 * DAY);
  await tickTwice(h, customerId, programId, T, 1);
  const late = await buy(h, customerId, programId, `${customerId}-late`, 100, T - 30 * DAY);
  // As of T the late lot is gone: released at T − 16 d, expired at T − 10 d.
  expect(await balances(h, customerId, programId)).toEqual({ available: '10', pending: '0' });
  await tickTwice(h, customerId, programId, T + DAY, 1);
  expect(await entriesOf(h, customerId, programId, late)).toEqual(['earn', 'release', 'expire from available']);
  expect(await balances(h, customerId, programId)).toEqual({ available: '10', pending: '0' });
  expect((await h.loyalty.account({ customerId, programId })).state.lots.map((l) => l.cause.eventId)).toEqual([`${customerId}-p0`]);
}

/** Every scenario, by name, for `test.each`. */
export const backdatedScenarios: readonly (readonly [string, (h: Harness, customerId: string) => Promise<void>])[] = [
  ['a late purchase whose release is before the last tick is released by the next tickDue, once', releaseBeforeLastTick],
  ['a late purchase whose release falls between two earlier ticks is released by the next tickDue, once', releaseBetweenTicks],
  ['a late purchase whose release and expiry are both before the last tick is released, then expired, once', releaseAndExpiryBeforeLastTick],
];

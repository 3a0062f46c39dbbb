// RELIABILITY 6, 7, 8 and 13 with late events: purchases dated up to the program's lateness back
// (offline POS), so their pending release and their expiry can fall before the account's last
// tick, mixed with refunds, redemptions and `tickDue` as the clock moves. After every `tickDue` at
// `now`, no lot is still pending at or after its release, none still open at or after its expiry,
// the stored state is the fold of the ledger (`verify` = []), and a second `tickDue` at `now`
// writes nothing; the same after a final tick far in the future, and the books sum to zero.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore, type Loyalty, type Program, type Transaction } from '../../src';
import { ledgerBalances, parseEvent, type FixedClock } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import { announce, FC_SEED, runsFor } from './seed';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2027-03-01T12:00:00Z');
const CUSTOMERS = ['c0', 'c1'] as const;

type Command =
  | { readonly kind: 'purchase'; readonly who: number; readonly lateHours: number; readonly dollars: number }
  | { readonly kind: 'refund'; readonly who: number; readonly pick: number }
  | { readonly kind: 'redeem'; readonly who: number; readonly points: number }
  | { readonly kind: 'advance'; readonly hours: number };

const who = fc.integer({ min: 0, max: CUSTOMERS.length - 1 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  // Up to the program's default lateness, 30 calendar days in its zone: 719 hours whatever DST does.
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('purchase' as const), who, lateHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 * 24 - 1 })), dollars: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), who, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeem' as const), who, points: fc.integer({ min: 1, max: 150 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 20 * 24 }) }) },
);

function programOf(pendingDays: number, expiryDays: number | null): Program {
  return defineProgram({
    kind: 'points',
    id: 'late',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    pending: { purchaseDays: pendingDays },
    expiry: expiryDays === null ? { kind: 'never' } : { kind: 'rolling', days: expiryDays },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

/** `tickDue` at the clock, then the promises of a tick for every account, and a second tickDue that writes nothing. */
async function tickAndCheck(loyalty: Loyalty, clock: FixedClock, program: Program): Promise<void> {
  const first = await loyalty.tickDue({ limit: 100 });
  expect(first.failed).toEqual([]);
  const now = clock.now().getTime();
  for (const customerId of CUSTOMERS) {
    const { state } = await loyalty.account({ customerId, programId: program.id });
    const owed = state.lots.filter((l) => (l.account === 'pending' && l.availableAt.getTime() <= now) || (l.expiresAt !== null && l.expiresAt.getTime() <= now));
    expect(owed.map((l) => l.id), `${customerId}: lots past their release or expiry after tickDue at ${clock.now().toISOString()}`).toEqual([]);
    expect(await loyalty.verify({ customerId, programId: program.id })).toEqual([]);
  }
  const again = await loyalty.tickDue({ limit: 100 });
  expect(again.changed, 'a second tickDue at the same instant').toBe(0);
}

async function run(program: Program, commands: readonly Command[]): Promise<number> {
  const clock = fixedClock(new Date(START));
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  for (const id of CUSTOMERS) await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2027-01-01T00:00:00Z' } });
  const orders: { customerId: string; orderId: string; at: number }[] = [];
  let n = 0;
  let ticks = 0;
  for (const c of commands) {
    n += 1;
    const now = clock.now().getTime();
    if (c.kind === 'advance') {
      clock.advance(c.hours * HOUR);
      await tickAndCheck(loyalty, clock, program);
      ticks += 1;
    } else if (c.kind === 'purchase') {
      const customerId = CUSTOMERS[c.who] ?? 'c0';
      const at = now - c.lateHours * HOUR;
      const event = parseEvent({ id: `p${n}`, customerId, type: 'purchase', orderId: `o${n}`, currency: 'USD', occurredAt: new Date(at).toISOString(), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: String(c.dollars) }] });
      await loyalty.process(event);
      orders.push({ customerId, orderId: `o${n}`, at });
    } else if (c.kind === 'refund') {
      const mine = orders.filter((o) => o.customerId === CUSTOMERS[c.who]);
      const order = mine[c.pick % Math.max(1, mine.length)];
      if (!order) continue;
      // Refunds may be late too, but never before the order.
      const at = Math.max(order.at, now - (c.pick % 10) * DAY);
      await loyalty.process(parseEvent({ id: `r${n}`, customerId: order.customerId, type: 'refund', orderId: order.orderId, occurredAt: new Date(at).toISOString(), lines: [{ lineId: 'l1', quantity: 1 }] }));
    } else {
      await loyalty.redeem({ customerId: CUSTOMERS[c.who] ?? 'c0', programId: program.id, requestId: `b${n}`, points: c.points });
    }
  }
  // A final tick far in the future: everything released, then expired (where the program expires).
  clock.advance(800 * DAY);
  await tickAndCheck(loyalty, clock, program);
  for (const customerId of CUSTOMERS) {
    const page = await loyalty.history({ customerId, programId: program.id, limit: 1000 });
    const books = ledgerBalances(page.transactions as Transaction[]).get('points');
    const sum = [...(books?.values() ?? [])].reduce((s, v) => s.plus(v), new Decimal(0));
    expect(sum.isZero(), `${customerId}: the books sum to zero`).toBe(true);
    const { balance, state } = await loyalty.account({ customerId, programId: program.id });
    expect(balance.pending.isZero()).toBe(true);
    expect(state.lots.every((l) => l.account === 'available')).toBe(true);
  }
  return ticks + 1;
}

describe('late purchases with pending periods, and tickDue (RELIABILITY 6, 7, 8, 13)', () => {
  const runs = runsFor(40);
  test('after every tickDue nothing past its release or expiry is left, verify is clean, and a second tickDue writes nothing', async () => {
    announce('backdated tick', runs);
    let sequences = 0;
    let ticks = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 21 }), fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }), fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (pendingDays, expiryDays, commands) => {
        ticks += await run(programOf(pendingDays, expiryDays), commands);
        sequences += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] backdated tick: ${sequences} command sequences, ${ticks} tickDue calls passed`);
  });
});

// Once per birthday means once, whatever the profile does: switching the customer's zone between
// ticks (Kiritimati, UTC+14, then Etc/GMT+12, UTC−12) must not pay a year's bonus again.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, memoryStore } from '../../src';
import { balanceAt, nextDueAt, tick } from '../../src/core';
import type { CustomerInput, InstantInput } from '../../src';
import { customer, pointsProgram } from '../fixtures';
import { LedgerCore } from '../harness';

const program = pointsProgram({ timeZone: 'UTC', birthday: { points: 100 } });
const withPending = pointsProgram({ timeZone: 'UTC', birthday: { points: 100 }, pending: { purchaseDays: 10 }, rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
const kiritimati = customer({ enrolledAt: '2026-06-01T00:00:00Z', birthday: '--01-01', timeZone: 'Pacific/Kiritimati' });
const bakerIsland = customer({ enrolledAt: '2026-06-01T00:00:00Z', birthday: '--01-01', timeZone: 'Etc/GMT+12' });

describe('the birthday bonus is paid once per birthday', () => {
  test('2027 paid at +14, 2028 paid at +14, then the zone switched to −12 (back in 2027 there): no second 2027 bonus', () => {
    const book = new LedgerCore(program, { who: null, checkEachStep: true });
    const at = (iso: string, who: typeof kiritimati) => book.apply(tick(program, book.account, new Date(iso), { customer: who }));
    at('2027-01-01T00:00:00Z', kiritimati); // 1 January 2027, 14:00 in Kiritimati
    at('2027-12-31T10:00:00Z', kiritimati); // 1 January 2028, 00:00 in Kiritimati
    expect(book.account.lots.map((l) => l.id).sort()).toEqual(['birthday:2027', 'birthday:2028']);
    const d = at('2027-12-31T11:00:00Z', bakerIsland); // 30 December 2027, 23:00 at −12
    expect(d.ok && d.transaction === null).toBe(true);
    expect(balanceAt(book.account, new Date('2027-12-31T12:00:00Z')).available.toString()).toBe('200');
    // Nor is a tick scheduled for a year already passed.
    expect(nextDueAt(program, book.account, new Date('2027-12-31T11:00:00Z'), { customer: bakerIsland })?.toISOString()).not.toBe('2027-01-01T12:00:00.000Z');
    book.check();
  });

  test('through the service: 2027 and 2028 paid at +14, then the profile moves to −12 (back in 2027 there): tickDue pays nothing more', async () => {
    let now: InstantInput = '2027-01-01T00:00:00Z';
    const loyalty = createLoyalty({ programs: [withPending], store: memoryStore(), clock: { now: () => new Date(now) } });
    const profile: CustomerInput = { id: 'c1', enrolledAt: '2026-06-01T00:00:00Z', birthday: '--01-01' };
    await loyalty.upsertCustomer({ customer: { ...profile, timeZone: 'Pacific/Kiritimati' } });
    await loyalty.tickDue({ now });
    now = '2027-12-21T11:00:00Z';
    // A purchase whose points are released at 2027-12-31T11:00Z, so the account is due then.
    await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: now, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '10' }] });
    now = '2027-12-31T10:00:00Z';
    await loyalty.tickDue({ now });
    await loyalty.upsertCustomer({ customer: { ...profile, timeZone: 'Etc/GMT+12' } });
    now = '2027-12-31T11:00:00Z';
    expect((await loyalty.tickDue({ now })).ticked).toBe(1);
    now = '2028-01-01T12:00:00Z'; // 1 January 2028 at −12: the 2028 birthday, already paid
    await loyalty.tickDue({ now });
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.state.lots.map((l) => l.id).sort()).toEqual(['birthday:2027', 'birthday:2028', 'p1:base']);
    expect(view.balance.available.toString()).toBe('210');
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });

  test('a tier’s birthday gift, too: no second 2027 gift after the zone moves back a year', () => {
    const tiered = defineProgram({
      kind: 'tiered',
      id: 'beauty',
      version: 1,
      currency: 'USD',
      timeZone: 'UTC',
      lapseDays: 3650,
      tiers: [{ id: 'insider', threshold: 0, benefits: { birthdayGift: 250 } }],
      qualification: { basis: 'spend', window: 'calendar_year' },
    });
    const book = new LedgerCore(tiered, { who: null, checkEachStep: true });
    const at = (iso: string, who: typeof kiritimati) => book.apply(tick(tiered, book.account, new Date(iso), { customer: who }));
    at('2027-01-01T00:00:00Z', kiritimati);
    at('2027-12-31T10:00:00Z', kiritimati);
    at('2027-12-31T11:00:00Z', bakerIsland);
    const gifts = book.txs.flatMap((tx) => tx.entries.flatMap((e) => (e.kind === 'earn' ? [e.lot.id] : [])));
    expect(gifts).toEqual(['tier-birthday:2027', 'tier-birthday:2028']);
  });
});

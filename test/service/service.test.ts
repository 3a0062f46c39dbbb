import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import { pointsEarned, verifyFold, emptyAccountState, applyEntries } from '../../src/core';
import type { Loyalty, Program } from '../../src';
import { rejection } from '../rejection';

const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };
const earnRules = [
  { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } },
  { id: 'welcome', on: 'signup' as const, award: { kind: 'fixed' as const, points: 500 }, limits: [{ per: 'lifetime' as const, count: 1 }] },
];
const rewards = defineProgram({ ...base, id: 'rewards', rules: earnRules });
const coffee = defineProgram({ ...base, id: 'coffee-club', rules: [{ id: 'coffee', on: 'purchase', award: { kind: 'per_item', points: 10 } }] });

function order(id: string, unitPrice: string | number, extra: Record<string, unknown> = {}) {
  return { id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: '2027-03-10T15:00:00Z', lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice }], ...extra };
}

async function service(programs: Program[] = [rewards]): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs, store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
  await loyalty.upsertCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' });
  return loyalty;
}

async function snapshot(loyalty: Loyalty, programId = 'rewards') {
  const view = await loyalty.account('c1', programId);
  const history = await loyalty.history('c1', programId, { limit: 1000 });
  const outbox = await loyalty.outbox(1000);
  return { balance: view.balance.available.toString(), version: view.state.version, txs: history.transactions.length, outbox: outbox.length };
}

describe('idempotency over the canonical event', () => {
  test('the same id with "80" and then "80.00" is the same payload: the first result comes back', async () => {
    const loyalty = await service();
    const first = await loyalty.process(order('e1', '80'));
    const again = await loyalty.process(order('e1', '80.00'));
    expect(again.replayed).toBe(true);
    expect(again.outcomes).toEqual(first.outcomes);
    expect((await snapshot(loyalty)).balance).toBe('80');
  });

  test('the same id with 80 and then 81 is an idempotency_conflict, and nothing is written', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 80));
    const before = await snapshot(loyalty);
    const error = await rejection(loyalty.process(order('e1', 81)));
    expect(error.code).toBe('idempotency_conflict');
    expect(error.issues[0].path).toEqual(['id']);
    expect(await snapshot(loyalty)).toEqual(before);
  });
});

describe('runtime refusals are typed and write nothing (RELIABILITY 16)', () => {
  test.each([
    ['unknown_customer', order('e9', '10', { customerId: 'nobody' })],
    ['unknown_program', order('e9', '10', { programId: 'no-such-program' })],
    ['event_too_late', order('e9', '10', { occurredAt: '2027-01-01T00:00:00Z' })],
    ['event_in_future', order('e9', '10', { occurredAt: '2027-03-12T00:05:01Z' })],
    ['currency_mismatch', order('e9', '10', { currency: 'EUR' })],
    ['invalid_amount', order('e9', 'ten')],
  ])('%s', async (code, input) => {
    const loyalty = await service();
    await loyalty.process(order('e0', '5'));
    const before = await snapshot(loyalty);
    const error = await rejection(loyalty.process(input));
    expect(error.issues.map((i) => i.code)).toContain(code);
    expect(await snapshot(loyalty)).toEqual(before);
    // Not recorded: the corrected event goes through under the same id.
    const fixed = await loyalty.process(order('e9', '10'));
    expect(fixed.replayed).toBe(false);
  });

  test('instants given to tickDue and account() are validated: a typed error, not a TypeError', async () => {
    const loyalty = await service();
    expect((await rejection(loyalty.tickDue('tomorrow'))).code).toBe('invalid_instant');
    expect((await rejection(loyalty.account('c1', 'rewards', { at: '2027-03-01T00:00' }))).code).toBe('invalid_instant');
    expect((await loyalty.account('c1', 'rewards', { at: '2027-03-01T00:00:00Z' })).at.toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(await loyalty.tickDue('2027-03-12T00:00:00Z')).toEqual({ ticked: 0, changed: 0, failed: [] });
  });

  test('a program the customer is not enrolled in', async () => {
    const loyalty = createLoyalty({ programs: [rewards, coffee], store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
    await loyalty.upsertCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }, { programs: ['rewards'] });
    const error = await rejection(loyalty.process(order('e1', '10', { programId: 'coffee-club' })));
    expect(error.code).toBe('not_enrolled');
  });
});

describe('the service', () => {
  test('one process reaches every program the customer is enrolled in', async () => {
    const loyalty = await service([rewards, coffee]);
    const result = await loyalty.process({ ...order('e1', '4.50'), lines: [{ lineId: 'l1', sku: 'latte', quantity: 2, unitPrice: '4.50' }] });
    expect(result.outcomes.map((o) => [o.programId, pointsEarned(o).toString()])).toEqual([
      ['rewards', '9'],
      ['coffee-club', '20'],
    ]);
    expect((await loyalty.account('c1', 'coffee-club')).balance.available.toString()).toBe('20');
  });

  test('forgetCustomer erases the profile and keeps the ledger under a pseudonym', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', '25'));
    const { pseudonym } = await loyalty.forgetCustomer('c1');
    expect(pseudonym).not.toContain('c1');
    const error = await rejection(loyalty.process(order('e2', '10')));
    expect(error.code).toBe('unknown_customer');
    const kept = await loyalty.account(pseudonym, 'rewards');
    expect(kept.balance.available.toString()).toBe('25');
    const history = await loyalty.history(pseudonym, 'rewards');
    expect(history.transactions.every((tx) => tx.customerId === pseudonym)).toBe(true);
    expect(JSON.stringify(await loyalty.outbox())).not.toContain('"c1"');
    expect(await loyalty.verify(pseudonym, 'rewards')).toEqual([]);
  });

  test('notifications are written to the outbox with the entries, and acknowledged', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', '12'));
    const rows = await loyalty.outbox();
    expect(rows.map((r) => [r.notification.type, r.notification.type === 'points.earned' ? r.notification.points.toString() : ''])).toEqual([['points.earned', '12']]);
    await loyalty.acknowledge(rows.map((r) => r.seq));
    expect(await loyalty.outbox()).toEqual([]);
  });

  test('a failed commit leaves neither entries nor outbox rows', async () => {
    let fail = false;
    const store = memoryStore({
      beforeWrite: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const loyalty = createLoyalty({ programs: [rewards], store, clock: fixedClock('2027-03-12T00:00:00Z') });
    await loyalty.upsertCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' });
    fail = true;
    await expect(loyalty.process(order('e1', '12'))).rejects.toThrow('disk full');
    fail = false;
    expect(await snapshot(loyalty)).toEqual({ balance: '0', version: 0, txs: 0, outbox: 0 });
    expect((await loyalty.process(order('e1', '12'))).replayed).toBe(false);
    expect((await snapshot(loyalty)).balance).toBe('12');
  });

  test('the stored state equals the fold of its ledger; a corrupted state is detected', async () => {
    const loyalty = await service();
    await loyalty.process({ id: 's1', customerId: 'c1', type: 'signup', occurredAt: '2027-03-01T00:00:00Z' });
    await loyalty.process(order('e1', '12'));
    expect(await loyalty.verify('c1', 'rewards')).toEqual([]);
    const { state } = await loyalty.account('c1', 'rewards');
    const txs = [...(await loyalty.history('c1', 'rewards')).transactions].reverse();
    expect(verifyFold(applyEntries(emptyAccountState('rewards', 'c1'), txs), txs)).toEqual([]);
    const [lot, ...rest] = state.lots;
    if (!lot) throw new Error('expected a lot');
    const corrupted = { ...state, lots: [{ ...lot, remaining: lot.remaining.plus(1) }, ...rest] };
    const issues = verifyFold(corrupted, txs);
    expect(issues.map((i) => i.code)).toContain('state_mismatch');
    expect(issues.map((i) => i.code)).toContain('available_mismatch');
  });
});

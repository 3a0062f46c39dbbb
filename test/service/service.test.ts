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
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  return loyalty;
}

async function snapshot(loyalty: Loyalty, programId = 'rewards') {
  const view = await loyalty.account({ customerId: 'c1', programId });
  const history = await loyalty.history({ customerId: 'c1', programId, limit: 1000 });
  const outbox = await loyalty.outbox({ limit: 1000 });
  return { balance: view.balance.available.toString(), version: view.state.version, txs: history.transactions.length, outbox: outbox.length };
}

describe('idempotency over the canonical event', () => {
  test('the same id with "80" and then "80.00" is the same payload: the first result comes back', async () => {
    const loyalty = await service();
    const first = await loyalty.process(order('e1', '80') as Parameters<typeof loyalty.process>[0]);
    const again = await loyalty.process(order('e1', '80.00') as Parameters<typeof loyalty.process>[0]);
    expect(again.replayed).toBe(true);
    expect(again.outcomes).toEqual(first.outcomes);
    expect((await snapshot(loyalty)).balance).toBe('80');
  });

  test('the same id with 80 and then 81 is an idempotency_conflict, and nothing is written', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 80) as Parameters<typeof loyalty.process>[0]);
    const before = await snapshot(loyalty);
    const error = await rejection(loyalty.process(order('e1', 81) as Parameters<typeof loyalty.process>[0]));
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
    await loyalty.process(order('e0', '5') as Parameters<typeof loyalty.process>[0]);
    const before = await snapshot(loyalty);
    const error = await rejection(loyalty.process(input as Parameters<typeof loyalty.process>[0]));
    expect(error.issues.map((i) => i.code)).toContain(code);
    expect(await snapshot(loyalty)).toEqual(before);
    // Not recorded: the corrected event goes through under the same id.
    const fixed = await loyalty.process(order('e9', '10') as Parameters<typeof loyalty.process>[0]);
    expect(fixed.replayed).toBe(false);
  });

  test('instants given to tickDue and account() are validated: a typed error, not a TypeError', async () => {
    const loyalty = await service();
    expect((await rejection(loyalty.tickDue({ now: 'tomorrow' as never }))).code).toBe('invalid_instant');
    expect((await rejection(loyalty.account({ customerId: 'c1', programId: 'rewards', at: '2027-03-01T00:00' }))).code).toBe('invalid_instant');
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards', at: '2027-03-01T00:00:00Z' })).at.toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(await loyalty.tickDue({ now: '2027-03-12T00:00:00Z' })).toEqual({ ticked: 0, changed: 0, failed: [] });
  });

  test('a program the customer is not enrolled in', async () => {
    const loyalty = createLoyalty({ programs: [rewards, coffee], store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['rewards'] });
    const error = await rejection(loyalty.process(order('e1', '10', { programId: 'coffee-club' }) as Parameters<typeof loyalty.process>[0]));
    expect(error.code).toBe('not_enrolled');
  });
});

describe('the service', () => {
  test('one process reaches every program the customer is enrolled in', async () => {
    const loyalty = await service([rewards, coffee]);
    const result = await loyalty.process({ ...order('e1', '4.50'), lines: [{ lineId: 'l1', sku: 'latte', quantity: 2, unitPrice: '4.50' }] } as Parameters<typeof loyalty.process>[0]);
    expect(result.outcomes.map((o) => [o.programId, pointsEarned(o).toString()])).toEqual([
      ['rewards', '9'],
      ['coffee-club', '20'],
    ]);
    expect((await loyalty.account({ customerId: 'c1', programId: 'coffee-club' })).balance.available.toString()).toBe('20');
  });

  test('forgetCustomer erases the profile and keeps the ledger under a pseudonym', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', '25') as Parameters<typeof loyalty.process>[0]);
    const { pseudonym } = await loyalty.forgetCustomer({ customerId: 'c1' });
    expect(pseudonym).not.toContain('c1');
    const error = await rejection(loyalty.process(order('e2', '10') as Parameters<typeof loyalty.process>[0]));
    expect(error.code).toBe('unknown_customer');
    const kept = await loyalty.account({ customerId: pseudonym, programId: 'rewards' });
    expect(kept.balance.available.toString()).toBe('25');
    const history = await loyalty.history({ customerId: pseudonym, programId: 'rewards' });
    expect(history.transactions.every((tx) => tx.customerId === pseudonym)).toBe(true);
    expect(JSON.stringify(await loyalty.outbox())).not.toContain('"c1"');
    expect(await loyalty.verify({ customerId: pseudonym, programId: 'rewards' })).toEqual([]);
  });

  test('notifications are written to the outbox with the entries, and acknowledged', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', '12') as Parameters<typeof loyalty.process>[0]);
    const rows = await loyalty.outbox();
    expect(rows.map((r) => [r.notification.type, r.notification.type === 'points.earned' ? r.notification.points.toString() : ''])).toEqual([['points.earned', '12']]);
    await loyalty.acknowledge({ seqs: rows.map((r) => r.seq) });
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
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    fail = true;
    await expect(loyalty.process(order('e1', '12') as Parameters<typeof loyalty.process>[0])).rejects.toThrow('disk full');
    fail = false;
    expect(await snapshot(loyalty)).toEqual({ balance: '0', version: 0, txs: 0, outbox: 0 });
    expect((await loyalty.process(order('e1', '12') as Parameters<typeof loyalty.process>[0])).replayed).toBe(false);
    expect((await snapshot(loyalty)).balance).toBe('12');
  });

  test('the stored state equals the fold of its ledger; a corrupted state is detected', async () => {
    const loyalty = await service();
    await loyalty.process({ id: 's1', customerId: 'c1', type: 'signup', occurredAt: '2027-03-01T00:00:00Z' });
    await loyalty.process(order('e1', '12') as Parameters<typeof loyalty.process>[0]);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
    const { state } = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    const txs = [...(await loyalty.history({ customerId: 'c1', programId: 'rewards' })).transactions].reverse();
    expect(verifyFold(applyEntries(emptyAccountState('rewards', 'c1'), txs), txs)).toEqual([]);
    const [lot, ...rest] = state.lots;
    if (!lot) throw new Error('expected a lot');
    const corrupted = { ...state, lots: [{ ...lot, remaining: lot.remaining.plus(1) }, ...rest] };
    const issues = verifyFold(corrupted, txs);
    expect(issues.map((i) => i.code)).toContain('state_mismatch');
    expect(issues.map((i) => i.code)).toContain('available_mismatch');
  });
});

describe('one call style, ids in results, one error rule (issue 10)', () => {
  const target = { customerId: 'c1', programId: 'rewards' } as const;

  test('a request result names the transaction it wrote; cancelRedemption and reverse take it', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 1000) as Parameters<typeof loyalty.process>[0]);
    const burn = await loyalty.redeem({ ...target, requestId: 'r1', points: 300 });
    expect(burn.transactionId).toBe(burn.outcome.ok ? burn.outcome.transaction?.id : 'refused');
    expect(typeof burn.transactionId).toBe('string');
    const undo = await loyalty.cancelRedemption({ ...target, requestId: 'c1', transactionId: burn.transactionId as string });
    expect(undo.outcome.ok).toBe(true);
    const credit = await loyalty.adjust({ ...target, requestId: 'a1', points: 50, actor: 'agent:1', reason: 'goodwill' });
    const back = await loyalty.reverse({ ...target, requestId: 'v1', transactionId: credit.transactionId as string });
    expect(back.outcome.ok).toBe(true);
    expect((await loyalty.account(target)).balance.available.toString()).toBe('1000');
    // A replay carries the same id; a refusal wrote nothing, so it has none.
    expect((await loyalty.redeem({ ...target, requestId: 'r1', points: 300 })).transactionId).toBe(burn.transactionId);
    const refused = await loyalty.redeem({ ...target, requestId: 'r2', points: 5000 });
    expect(refused.outcome.ok).toBe(false);
    expect(refused.transactionId).toBeNull();
    expect(refused.holdId).toBeUndefined();
  });

  test('a hold result names the hold; capture and release take it', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 1000) as Parameters<typeof loyalty.process>[0]);
    const held = await loyalty.hold({ ...target, requestId: 'h1', points: 400 });
    expect(held.holdId).toBe('h1');
    expect(held.transactionId).toEqual(expect.any(String));
    const taken = await loyalty.capture({ ...target, requestId: 'k1', holdId: held.holdId as string, points: 100 });
    expect(taken.outcome.ok).toBe(true);
    expect(taken.holdId).toBeUndefined();
    expect((await loyalty.release({ ...target, requestId: 'x1', holdId: held.holdId as string })).outcome.ok).toBe(true);
    expect((await loyalty.account(target)).balance.available.toString()).toBe('900');
    expect((await loyalty.hold({ ...target, requestId: 'h1', points: 400 })).holdId).toBe('h1'); // replay
    expect((await loyalty.hold({ ...target, requestId: 'h2', points: 5000 })).holdId).toBeUndefined(); // refused
  });

  test('an unknown hold id is thrown and not recorded: the same request id works once the hold exists', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 1000) as Parameters<typeof loyalty.process>[0]);
    const error = await rejection(loyalty.capture({ ...target, requestId: 'k1', holdId: 'h1' }));
    expect(error.issues[0]).toMatchObject({ code: 'unknown_hold', path: ['holdId'] });
    expect((await rejection(loyalty.release({ ...target, requestId: 'x1', holdId: 'h1' }))).code).toBe('unknown_hold');
    await loyalty.hold({ ...target, requestId: 'h1', points: 400 });
    expect((await loyalty.capture({ ...target, requestId: 'k1', holdId: 'h1' })).outcome.ok).toBe(true);
  });

  test('a hold that existed but is closed is a recorded refusal, hold_closed (or hold_expired once lapsed)', async () => {
    const loyalty = await service();
    await loyalty.process(order('e1', 1000) as Parameters<typeof loyalty.process>[0]);
    await loyalty.hold({ ...target, requestId: 'h1', points: 400 });
    await loyalty.release({ ...target, requestId: 'x1', holdId: 'h1' });
    const again = await loyalty.capture({ ...target, requestId: 'k1', holdId: 'h1' });
    expect(again.outcome.ok ? 'ok' : again.outcome.issues[0]?.code).toBe('hold_closed');
    expect(again.transactionId).toBeNull();
    expect((await loyalty.capture({ ...target, requestId: 'k1', holdId: 'h1' })).replayed).toBe(true);
  });

  test('every method takes one object argument, validated with paths naming its fields', async () => {
    const loyalty = await service();
    expect((await rejection(loyalty.account({ customerId: 'c1' } as never))).issues[0]?.path).toEqual(['programId']);
    expect((await rejection(loyalty.account('c1' as never))).issues[0]?.path).toEqual([]);
    expect((await rejection(loyalty.history({ ...target, limit: 0 }))).issues[0]?.path).toEqual(['limit']);
    expect((await rejection(loyalty.verify({ ...target, extra: 1 } as never))).issues[0]).toMatchObject({ code: 'unrecognized_keys', path: [] });
    expect((await rejection(loyalty.forgetCustomer({ customerId: '' }))).issues[0]?.path).toEqual(['customerId']);
    expect((await rejection(loyalty.tickDue({ now: 'soon' as never }))).issues[0]?.path).toEqual(['now']);
    expect((await rejection(loyalty.outbox({ limit: -1 }))).issues[0]?.path).toEqual(['limit']);
    expect((await rejection(loyalty.acknowledge({ seqs: [0] }))).issues[0]?.path).toEqual(['seqs', 0]);
    const bad = await rejection(loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: 'never' as never } }));
    expect(bad.issues[0]?.path).toEqual(['customer', 'enrolledAt']);
    expect((await rejection(loyalty.quote({ ...target, points: 'max' } as never))).issues[0]?.path).toEqual(['order']);
    expect(await loyalty.verify(target)).toEqual([]);
    expect(await loyalty.tickDue()).toEqual({ ticked: expect.any(Number), changed: expect.any(Number), failed: [] });
    expect(await loyalty.outbox()).toEqual([]);
  });
});

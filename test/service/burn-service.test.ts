import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import { rewardCode } from '../../src/core';
import type { Loyalty, Notification, ProgramConfigInput, InstantInput } from '../../src';
import { requestsAtTheirInstant } from '../request-clock';

const base = { kind: 'points' as const, id: 'rewards', version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };

async function setup(config: Partial<Extract<ProgramConfigInput, { kind: 'points' }>>, profile: Record<string, unknown> = {}, now = '2027-03-01T00:00:00Z') {
  const program = defineProgram({ ...base, ...config });
  const clock = fixedClock(now);
  const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', ...profile } });
  return { loyalty, clock, program };
}

async function notifications(loyalty: Loyalty): Promise<Notification[]> {
  return (await loyalty.outbox({ limit: 1000 })).map((r) => r.notification);
}

const seed = (loyalty: Loyalty, points: number, at: InstantInput = '2027-02-01T00:00:00Z', requestId = 'seed') =>
  loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId, points, actor: 'test', reason: 'seed', at });

describe('reward catalog', () => {
  const rewards = [{ id: 'tote', name: 'Canvas tote', cost: 500, kind: 'free_product' as const, sku: 'TOTE-1', stock: 2, codePrefix: 'TOTE' }];

  test('stock runs out, and the next request gets the typed rejection', async () => {
    const { loyalty } = await setup({ rewards });
    await seed(loyalty, 5000);
    const ask = (requestId: string) => loyalty.redeemReward({ customerId: 'c1', programId: 'rewards', requestId, rewardId: 'tote', at: '2027-02-10T00:00:00Z' });
    const results = [await ask('r1'), await ask('r2'), await ask('r3')];
    expect(results.map((r) => (r.outcome.ok ? 'ok' : r.outcome.issues[0]?.code))).toEqual(['ok', 'ok', 'out_of_stock']);
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('4000');
    // The refusal is sticky for its request id.
    expect((await ask('r3')).replayed).toBe(true);
  });

  test('issued codes are deterministic from the request id, and reward.issued carries what the host ships', async () => {
    const a = await setup({ rewards });
    const b = await setup({ rewards });
    for (const { loyalty } of [a, b]) {
      await seed(loyalty, 600);
      await loyalty.redeemReward({ customerId: 'c1', programId: 'rewards', requestId: 'req-42', rewardId: 'tote', at: '2027-02-10T00:00:00Z' });
    }
    const issued = async (l: Loyalty) => (await notifications(l)).find((n) => n.type === 'reward.issued');
    const na = await issued(a.loyalty);
    const nb = await issued(b.loyalty);
    if (na?.type !== 'reward.issued' || nb?.type !== 'reward.issued') throw new Error('no reward.issued');
    expect(na.reward.code).toBe(nb.reward.code);
    expect(na.reward.code).toBe(rewardCode('rewards', 'tote', 'req-42', 'TOTE'));
    expect(na.reward.code).toMatch(/^TOTE-[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(rewardCode('rewards', 'tote', 'req-43', 'TOTE')).not.toBe(na.reward.code);
    expect([na.reward.kind, na.reward.sku, na.reward.cost.toString()]).toEqual(['free_product', 'TOTE-1', '500']);
  });

  test('an injected generator makes the codes', async () => {
    const program = defineProgram({ ...base, rewards });
    const clock = fixedClock('2027-03-01T00:00:00Z');
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock, rewardCodes: ({ requestId }) => `HOST-${requestId}` }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await seed(loyalty, 600);
    await loyalty.redeemReward({ customerId: 'c1', programId: 'rewards', requestId: 'q1', rewardId: 'tote', at: '2027-02-10T00:00:00Z' });
    const n = (await notifications(loyalty)).find((x) => x.type === 'reward.issued');
    expect(n?.type === 'reward.issued' && n.reward.code).toBe('HOST-q1');
  });
});

describe('tick and time-driven work', () => {
  test('the birthday bonus comes through tick once a year, on the birthday in the customer zone', async () => {
    // 15 March in Auckland starts at 2027-03-14T11:00Z (NZDT, UTC+13).
    const { loyalty } = await setup({ birthday: { points: 100 } }, { birthday: '1990-03-15', timeZone: 'Pacific/Auckland' });
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.nextDueAt?.toISOString()).toBe('2027-03-14T11:00:00.000Z');
    await loyalty.tickDue({ now: new Date('2027-03-14T10:59:59Z') });
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('0');
    await loyalty.tickDue({ now: new Date('2027-03-14T11:00:00Z') });
    await loyalty.tickDue({ now: new Date('2027-03-14T18:00:00Z') });
    const after = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: new Date('2027-03-15T00:00:00Z') });
    expect(after.balance.available.toString()).toBe('100');
    expect(after.nextDueAt?.toISOString()).toBe('2028-03-14T11:00:00.000Z');
    const births = (await notifications(loyalty)).filter((n) => n.type === 'birthday');
    expect(births.map((n) => n.type === 'birthday' && n.year)).toEqual([2027]);
    await loyalty.tickDue({ now: new Date('2028-03-14T11:00:00Z') });
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards', at: new Date('2028-03-15T00:00:00Z') })).balance.available.toString()).toBe('200');
  });

  test('a customer is lapsed at exactly 60 × 24 h after the last purchase, emitted once', async () => {
    const { loyalty } = await setup({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] }, {}, '2027-03-10T12:00:00Z');
    await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2027-03-10T12:00:00Z', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '5' }] });
    const lapseAt = new Date(Date.parse('2027-03-10T12:00:00Z') + 60 * 86_400_000);
    await loyalty.tickDue({ now: new Date(lapseAt.getTime() - 1) });
    expect((await notifications(loyalty)).filter((n) => n.type === 'customer.lapsed')).toHaveLength(0);
    await loyalty.tickDue({ now: lapseAt });
    await loyalty.tickDue({ now: new Date(lapseAt.getTime() + 86_400_000) });
    const lapsed = (await notifications(loyalty)).filter((n) => n.type === 'customer.lapsed');
    expect(lapsed.map((n) => n.at.toISOString())).toEqual([lapseAt.toISOString()]);
  });

  test('points.expiring is emitted N days ahead, once; points.expired at the instant', async () => {
    const { loyalty } = await setup({ expiry: { kind: 'rolling', days: 60 }, expiringNoticeDays: 14 }, {}, '2027-03-01T00:00:00Z');
    await seed(loyalty, 300, '2027-03-01T05:00:00Z'); // 1 Mar 00:00 EST; expires 30 Apr 00:00 EDT = 04:00Z
    const expiresAt = '2027-04-30T04:00:00.000Z';
    await loyalty.tickDue({ now: new Date('2027-04-16T03:59:59Z') });
    expect((await notifications(loyalty)).filter((n) => n.type === 'points.expiring')).toHaveLength(0);
    await loyalty.tickDue({ now: new Date('2027-04-16T04:00:00Z') });
    await loyalty.tickDue({ now: new Date('2027-04-20T00:00:00Z') });
    const soon = (await notifications(loyalty)).filter((n) => n.type === 'points.expiring');
    expect(soon.map((n) => n.type === 'points.expiring' && [n.points.toString(), n.expiresAt.toISOString()])).toEqual([['300', expiresAt]]);
    await loyalty.tickDue({ now: new Date(expiresAt) });
    const gone = (await notifications(loyalty)).filter((n) => n.type === 'points.expired');
    expect(gone.map((n) => n.type === 'points.expired' && n.points.toString())).toEqual(['300']);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });

  test('tickDue run twice at one instant writes nothing the second time', async () => {
    const { loyalty } = await setup({ expiry: { kind: 'rolling', days: 10 }, pending: { purchaseDays: 5 }, rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] }, { birthday: '--03-20' }, '2027-03-10T12:00:00Z');
    await seed(loyalty, 50, '2027-03-01T00:00:00Z');
    await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2027-03-10T12:00:00Z', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '20' }] });
    const now = new Date('2027-03-25T00:00:00Z');
    const first = await loyalty.tickDue({ now });
    const history = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
    const outbox = await loyalty.outbox({ limit: 1000 });
    const second = await loyalty.tickDue({ now });
    expect(first.changed).toBe(1);
    expect(second).toEqual({ ticked: 0, changed: 0, failed: [] });
    expect((await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 })).transactions).toEqual(history.transactions);
    expect(await loyalty.outbox({ limit: 1000 })).toEqual(outbox);
  });
});

describe('reversal through the service', () => {
  test('reverse applied twice: the second is refused', async () => {
    const { loyalty } = await setup({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] }, {}, '2027-03-11T00:00:00Z');
    const r = await loyalty.process({ id: 'p1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2027-03-10T12:00:00Z', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '20' }] });
    const txId = r.outcomes[0]?.ok ? r.outcomes[0].transaction?.id : undefined;
    if (!txId) throw new Error('no transaction');
    const first = await loyalty.reverse({ customerId: 'c1', programId: 'rewards', requestId: 'rv1', transactionId: txId, at: '2027-03-11T00:00:00Z', actor: 'ops', reason: 'test order' });
    const second = await loyalty.reverse({ customerId: 'c1', programId: 'rewards', requestId: 'rv2', transactionId: txId, at: '2027-03-11T00:00:00Z' });
    expect(first.outcome.ok).toBe(true);
    expect(second.outcome.ok ? 'ok' : second.outcome.issues[0]?.code).toBe('already_reversed');
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('0');
  });
});

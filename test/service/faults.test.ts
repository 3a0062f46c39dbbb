// Faults an adversarial review reproduced through the service (issue "Close the money and identity
// faults"): request instants, pseudonyms, tickDue isolation, argument checks, one order earning
// twice, and cancelled rewards. Each test failed on the code before its fix.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../src';
import type { InstantInput, Loyalty, Program, Store, StoreSession } from '../../src';
import type { CheckoutOrderInput } from '../../src/schemas';
import { rejection } from '../rejection';

const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };
const perDollar = { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } };
const T = '2027-03-10T15:00:00Z';
const day = 86_400_000;
const plus = (ms: number, from: string = T) => new Date(Date.parse(from) + ms).toISOString() as Exclude<InstantInput, Date>;

function purchase(id: string, at: string, amount = '100.00', extra: Record<string, unknown> = {}) {
  return { id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: amount }], ...extra };
}

async function service(program: Program, at = T, store: Store = memoryStore()) {
  const clock = fixedClock(at);
  const loyalty = createLoyalty({ programs: [program], store, clock });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  return { loyalty, clock, store };
}

const target = { customerId: 'c1', programId: 'rewards' };
const available = async (loyalty: Loyalty) => (await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString();

describe("fault 2: a request's `at` cannot reach pending or expired points", () => {
  const pendingProgram = defineProgram({ ...base, id: 'rewards', rules: [perDollar], pending: { purchaseDays: 30 } });
  const expiringProgram = defineProgram({ ...base, id: 'rewards', rules: [perDollar], expiry: { kind: 'rolling', days: 10 } });

  test('with the clock before a pending lot is released, a redeem dated after the release is refused; at the clock it is insufficient', async () => {
    const { loyalty } = await service(pendingProgram);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    const late = await rejection(loyalty.redeem({ ...target, requestId: 'r1', points: 100, at: plus(31 * day) }));
    expect(late.issues[0]).toMatchObject({ code: 'request_in_future', path: ['at'] });
    for (const op of ['redeem', 'hold'] as const) {
      const r = await loyalty[op]({ ...target, requestId: `r-${op}`, points: 100 });
      expect(r.outcome.ok ? 'ok' : r.outcome.issues[0]?.code).toBe('insufficient_points');
    }
    const q = await rejection(loyalty.quote({ ...target, order: { currency: 'USD', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '500.00' }] }, points: 'max', at: plus(31 * day) }));
    expect(q.issues[0]?.code).toBe('request_in_future');
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });

  test('with the clock past an expiry, a redeem dated before it is refused; at the clock nothing is left to spend', async () => {
    const { loyalty, clock } = await service(expiringProgram);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    clock.set(plus(11 * day));
    const early = await rejection(loyalty.redeem({ ...target, requestId: 'r1', points: 100, at: plus(9 * day) }));
    expect(early.issues[0]).toMatchObject({ code: 'request_too_late', path: ['at'] });
    const held = await rejection(loyalty.hold({ ...target, requestId: 'h1', points: 50, at: plus(9 * day) }));
    expect(held.issues[0]?.code).toBe('request_too_late');
    const now = await loyalty.redeem({ ...target, requestId: 'r2', points: 100 });
    expect(now.outcome.ok ? 'ok' : now.outcome.issues[0]?.code).toBe('insufficient_points');
    expect(await available(loyalty)).toBe('0');
  });

  test('an `at` within the clock skew is accepted and judged at the clock; a request without `at` uses the clock', async () => {
    const { loyalty } = await service(expiringProgram);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    const r = await loyalty.redeem({ ...target, requestId: 'r1', points: 30, at: plus(4 * 60_000) });
    expect(r.outcome.ok && r.outcome.transaction?.at.toISOString()).toBe(new Date(T).toISOString());
    const s = await loyalty.redeem({ ...target, requestId: 'r2', points: 30 });
    expect(s.outcome.ok).toBe(true);
    // A retry of a recorded request is a replay whatever its `at`, even outside the skew.
    const again = await loyalty.redeem({ ...target, requestId: 'r1', points: 30, at: plus(2 * day) });
    expect(again.replayed).toBe(true);
    expect(await available(loyalty)).toBe('40');
  });

  test('capture and catalog rewards are judged at the clock too', async () => {
    const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar], pending: { purchaseDays: 30 }, rewards: [{ id: 'mug', name: 'Mug', kind: 'free_product', cost: 50, sku: 'MUG' }] });
    const { loyalty } = await service(program);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    const reward = await rejection(loyalty.redeemReward({ ...target, requestId: 'w1', rewardId: 'mug', at: plus(31 * day) }));
    expect(reward.issues[0]?.code).toBe('request_in_future');
    const capture = await rejection(loyalty.capture({ ...target, requestId: 'c1', holdId: 'h', at: plus(31 * day) }));
    expect(capture.issues[0]?.code).toBe('request_in_future');
  });
});

describe('fault 3: forgetCustomer never overwrites another customer', () => {
  const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar] });

  test('a customer id of the pseudonym form is refused at upsert', async () => {
    const { loyalty } = await service(program);
    const error = await rejection(loyalty.upsertCustomer({ customer: { id: 'forgotten-00000001', enrolledAt: '2027-01-01T00:00:00Z' } }));
    expect(error.issues[0]).toMatchObject({ code: 'reserved_id', path: ['customer', 'id'] });
  });

  test('a pseudonym already in the store (data written before pseudonyms were reserved) is skipped, and its ledger is untouched', async () => {
    const store = memoryStore();
    const { loyalty } = await service(program, T, store);
    // A customer who already has the id the first pseudonym would take, with a ledger of 493.
    await store.unit(async (s: StoreSession) => {
      const c1 = await s.getCustomer('c1');
      if (!c1) throw new Error('c1 missing');
      await s.putCustomer({ profile: { ...c1.profile, id: 'forgotten-00000001' }, programs: ['rewards'] });
    });
    const victim = { id: 'v1', customerId: 'forgotten-00000001', type: 'purchase', orderId: 'ov', currency: 'USD', occurredAt: T, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '493.00' }] };
    await loyalty.process(victim as Parameters<typeof loyalty.process>[0]);
    await loyalty.process(purchase('p1', T, '7.00') as Parameters<typeof loyalty.process>[0]);
    const { pseudonym } = await loyalty.forgetCustomer({ customerId: 'c1' });
    expect(pseudonym).toBe('forgotten-00000002');
    expect((await loyalty.account({ customerId: 'forgotten-00000001', programId: 'rewards' })).balance.available.toString()).toBe('493');
    expect((await loyalty.account({ customerId: 'forgotten-00000002', programId: 'rewards' })).balance.available.toString()).toBe('7');
    // The victim's own refund later takes back what their order earned, no more.
    await loyalty.process({ id: 'v2', customerId: 'forgotten-00000001', type: 'refund', orderId: 'ov', occurredAt: T, lines: [{ lineId: 'l1', quantity: 1 }] });
    expect((await loyalty.account({ customerId: 'forgotten-00000001', programId: 'rewards' })).balance.available.toString()).toBe('0');
    expect(await loyalty.verify({ customerId: 'forgotten-00000001', programId: 'rewards' })).toEqual([]);
    expect(await loyalty.verify({ customerId: 'forgotten-00000002', programId: 'rewards' })).toEqual([]);
  });

  test('the store refuses a pseudonym that names an account, and refuses to append a transaction id twice', async () => {
    const store = memoryStore();
    const { loyalty } = await service(program, T, store);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    const tx = (await loyalty.history({ customerId: 'c1', programId: 'rewards' })).transactions[0];
    if (!tx) throw new Error('no transaction');
    await store.unit(async (s) => {
      expect(await s.forgetCustomer('c1', 'c1')).toBe('pseudonym_taken');
      expect(await s.forgetCustomer('nobody', 'x')).toBe('unknown_customer');
    });
    const account = await store.unit(async (s) => s.getAccount('rewards', 'c1'));
    if (!account) throw new Error('no account');
    const again = await rejection(store.unit(async (s) => s.append([{ programId: 'rewards', customerId: 'c1', expectedVersion: account.version, state: account, transaction: tx }], undefined, [])));
    expect(again.issues[0]?.code).toBe('duplicate_transaction');
  });
});

describe('verify sees a ledger that belongs to someone else', () => {
  test("a transaction of another customer's written into an account is found", async () => {
    const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar] });
    const store = memoryStore();
    const { loyalty } = await service(program, T, store);
    await loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process({ ...purchase('p2', T), customerId: 'c2' } as Parameters<typeof loyalty.process>[0]);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
    // A faulty adapter writes c2's transaction and state into c1's account.
    await store.unit(async (s) => {
      const [tx] = await s.transactions('rewards', 'c2');
      const state = await s.getAccount('rewards', 'c2');
      if (!tx || !state) throw new Error('missing');
      await s.append([{ programId: 'rewards', customerId: 'c1', expectedVersion: 0, state, transaction: tx }], undefined, []);
    });
    const codes = (await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).map((i) => i.code);
    expect(codes).toContain('foreign_transaction');
    expect(codes).toContain('foreign_state');
  });
});

describe('fault 5 (service half): one bad account never blocks tickDue for the others', () => {
  test('the failing account is reported and retried later; the others are ticked', async () => {
    const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar], expiry: { kind: 'rolling', days: 10 } });
    const inner = memoryStore();
    let corrupted = false;
    // A store whose account reads fail for one customer once corrupted, as a bad row would.
    const store: Store = {
      unit: (work) =>
        inner.unit((s) =>
          work({
            ...s,
            getAccount: async (programId, customerId) => {
              if (corrupted && customerId === 'bad') throw new Error('corrupted row');
              return s.getAccount(programId, customerId);
            },
          }),
        ),
    };
    const clock = fixedClock(T);
    const loyalty = createLoyalty({ programs: [program], store, clock });
    await loyalty.upsertCustomer({ customer: { id: 'bad', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    await loyalty.process({ ...purchase('b1', T), customerId: 'bad' } as Parameters<typeof loyalty.process>[0]);
    corrupted = true;
    clock.set(plus(11 * day));
    const result = await loyalty.tickDue();
    expect(result.failed.map((f) => [f.customerId, f.issues[0]?.code])).toEqual([['bad', 'tick_failed']]);
    expect(result.changed).toBe(1);
    expect(await available(loyalty)).toBe('0');
    // Retried after a pause, not at the head of every batch.
    expect((await loyalty.tickDue({ limit: 1 })).ticked).toBe(0);
  });
});

describe('fault 11: every public entry point checks its arguments', () => {
  const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar] });

  test('createLoyalty refuses missing, empty and non-program options with a typed error', () => {
    const cases: [unknown, string, (string | number)[]][] = [
      [undefined, 'invalid_type', []],
      [{}, 'invalid_type', ['programs']],
      [{ programs: 'rewards' }, 'invalid_type', ['programs']],
      [{ programs: [{ kind: 'points', id: 'x' }] }, 'invalid_program', ['programs', 0]],
      [{ programs: [program], store: {} }, 'invalid_store', ['store']],
      [{ programs: [program], clock: 'now' }, 'invalid_clock', ['clock']],
      [{ programs: [program], stroe: memoryStore() }, 'unrecognized_keys', []],
    ];
    for (const [options, code, path] of cases) {
      let error: unknown;
      try {
        createLoyalty(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(LoyaltyError);
      expect((error as LoyaltyError).issues[0], JSON.stringify(options)).toMatchObject({ code, path });
    }
  });

  test('defineProgram refuses an unknown compile mode with the allowed values', () => {
    expect(() => defineProgram({ ...base, id: 'rewards', rules: [perDollar] }, { compile: 'jit' as never })).toThrow(/compile must be one of 'auto', 'codegen', 'closure'/);
  });

  test('null requests, bad pages, outbox limits and acknowledgements are typed errors that name the field', async () => {
    const { loyalty } = await service(program);
    for (const op of ['redeem', 'hold', 'capture', 'release', 'adjust', 'reverse', 'cancelRedemption', 'redeemReward'] as const) {
      const error = await rejection((loyalty[op] as (input: unknown) => Promise<unknown>)(null));
      expect(error.issues[0]?.code, op).toBe('invalid_type');
    }
    expect((await rejection(loyalty.quote(null as never))).issues[0]?.path).toEqual([]);
    for (const before of [-5, 'abc', 1.5]) {
      expect((await rejection(loyalty.history({ customerId: 'c1', programId: 'rewards', before: before as never }))).issues[0]?.path).toEqual(['before']);
    }
    for (const limit of [-1, 'x']) expect((await rejection(loyalty.outbox({ limit: limit as never }))).issues[0]?.path).toEqual(['limit']);
    expect((await rejection(loyalty.acknowledge({ seqs: null as never }))).issues[0]?.path).toEqual(['seqs']);
    expect((await rejection(loyalty.acknowledge({ seqs: 'abc' as never }))).issues[0]?.path).toEqual(['seqs']);
    expect((await rejection(loyalty.account({ customerId: 'c1', programId: 'rewards', at: 'yesterday' as never }))).issues[0]?.path).toEqual(['at']);
    expect((await rejection(loyalty.tickDue({ now: 'soon' as never }))).issues[0]?.path).toEqual(['now']);
    expect((await rejection(loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: T }, programs: 'rewards' as never }))).issues[0]?.path).toEqual(['programs']);
  });
});

describe('fault 6 (remaining amounts): quotes and points paid on an order are whole', () => {
  test('a fractional quote and a fractional pointsRedeemed are input errors', async () => {
    const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar] });
    const { loyalty } = await service(program);
    const order: CheckoutOrderInput = { currency: 'USD', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '10.00' }] };
    expect((await rejection(loyalty.quote({ ...target, order, points: '0.5' }))).issues[0]).toMatchObject({ code: 'invalid_points', path: ['points'] });
    expect((await rejection(loyalty.process(purchase('p1', T, '10.00', { pointsRedeemed: '0.0000001' }) as Parameters<typeof loyalty.process>[0]))).issues[0]).toMatchObject({ code: 'invalid_points', path: ['pointsRedeemed'] });
  });
});

describe('fault 12: one order earns once, whatever its event ids', () => {
  const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar] });

  test('a second purchase event for an order already bought is a typed conflict and writes nothing', async () => {
    const { loyalty } = await service(program);
    await loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process(purchase('p1', T, '100.00', { orderId: 'A-1' }) as Parameters<typeof loyalty.process>[0]);
    const twice = await rejection(loyalty.process(purchase('p2', T, '100.00', { orderId: 'A-1' }) as Parameters<typeof loyalty.process>[0]));
    expect(twice.issues[0]).toMatchObject({ code: 'order_conflict', path: ['orderId'] });
    const other = await rejection(loyalty.process({ ...purchase('p3', T, '100.00', { orderId: 'A-1' }), customerId: 'c2' } as Parameters<typeof loyalty.process>[0]));
    expect(other.issues[0]?.code).toBe('order_conflict');
    expect(await available(loyalty)).toBe('100');
    // The first event's replay is still a replay.
    expect((await loyalty.process(purchase('p1', T, '100.00', { orderId: 'A-1' }) as Parameters<typeof loyalty.process>[0])).replayed).toBe(true);
  });
});

describe('loophole: cancelling an issued reward voids its code and returns its stock', () => {
  test('the points come back, reward.voided carries the code, and the unit of stock can be issued again', async () => {
    const program = defineProgram({ ...base, id: 'rewards', rules: [perDollar], rewards: [{ id: 'mug', name: 'Mug', kind: 'free_product', cost: 50, sku: 'MUG', stock: 1 }] });
    const { loyalty } = await service(program);
    await loyalty.process(purchase('p1', T) as Parameters<typeof loyalty.process>[0]);
    const issued = await loyalty.redeemReward({ ...target, requestId: 'w1', rewardId: 'mug' });
    if (!issued.outcome.ok || !issued.outcome.transaction) throw new Error('reward refused');
    const code = issued.outcome.notifications.find((n) => n.type === 'reward.issued');
    const sold = await loyalty.redeemReward({ ...target, requestId: 'w2', rewardId: 'mug' });
    expect(sold.outcome.ok ? 'ok' : sold.outcome.issues[0]?.code).toBe('out_of_stock');
    const cancel = await loyalty.cancelRedemption({ ...target, requestId: 'x1', transactionId: issued.outcome.transaction.id });
    if (!cancel.outcome.ok) throw new Error('cancel refused');
    const voided = cancel.outcome.notifications.find((n) => n.type === 'reward.voided');
    expect(voided).toMatchObject({ type: 'reward.voided', rewardId: 'mug', requestId: 'w1', transactionId: issued.outcome.transaction.id, code: code?.type === 'reward.issued' ? code.reward.code : 'missing' });
    expect((await loyalty.outbox()).some((row) => row.notification.type === 'reward.voided')).toBe(true);
    expect(await available(loyalty)).toBe('100');
    const again = await loyalty.redeemReward({ ...target, requestId: 'w3', rewardId: 'mug' });
    expect(again.outcome.ok).toBe(true);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });
});

// RELIABILITY 11 and 12 on the memory store, through the service.
// 11 — all or nothing: a failure injected at the k-th write of a unit of work (memoryStore's
// `beforeWrite` hook) leaves no entry, no outbox row, no processed record, no schedule or stock
// change: the snapshot of the store equals the one taken before; the retry with the same id then
// succeeds exactly once, with the result and the state of a twin service that never failed, and a
// further retry replays it.
// 12 — lost acknowledgement: the unit commits and the caller sees an error; the retry with the same
// id returns the original result (`replayed: true`) and never credits or debits twice.
// Operations: a purchase reaching two programs, redeem, hold, adjust (credit and debit), redeemReward.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram, LoyaltyError, memoryStore } from '../../src';
import type { Loyalty, ProcessResult, RequestResult } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { ago, canon, cents, faultyMemoryStore, InjectedFault, lostAckStore, LostAck, makeService, NOW, settle, snapshot, serviceOver } from './harness';
import type { SnapshotScope } from './harness';

const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };
const rewards = defineProgram({
  ...base,
  id: 'rewards',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  rewards: [{ id: 'tote', name: 'Tote bag', cost: 40, kind: 'free_product', sku: 'TOTE', stock: 3 }],
});
const coffee = defineProgram({ ...base, id: 'coffee', rules: [{ id: 'cups', on: 'purchase', award: { kind: 'per_item', points: 10 } }] });
const programs = [rewards, coffee];
const target = { customerId: 'c1', programId: 'rewards' } as const;

type Op =
  | { kind: 'purchase'; cents: number; qty: number }
  | { kind: 'redeem' | 'hold'; points: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'reward' };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('purchase' as const), cents: fc.integer({ min: 0, max: 20_000 }), qty: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hold' as const), points: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -150, max: 300 }).filter((p) => p !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reward' as const) }) },
);

/** Runs op number i; its idempotency key is `i`-derived, so running it again is a retry. */
function run(loyalty: Loyalty, o: Op, i: number): Promise<ProcessResult | RequestResult> {
  const requestId = `q${i}`;
  switch (o.kind) {
    case 'purchase':
      return loyalty.process({ id: `e${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: ago(60 - i), lines: [{ lineId: 'l1', sku: 'latte', quantity: o.qty, unitPrice: cents(o.cents) }] });
    case 'redeem':
      return loyalty.redeem({ ...target, requestId, points: o.points, at: NOW });
    case 'hold':
      return loyalty.hold({ ...target, requestId, points: o.points, at: NOW });
    case 'adjust':
      return loyalty.adjust({ ...target, requestId, points: o.points, actor: 'agent:test', reason: 'test', at: NOW });
    case 'reward':
      return loyalty.redeemReward({ ...target, requestId, rewardId: 'tote', at: NOW });
  }
}
const keyOf = (o: Op, i: number): string => (o.kind === 'purchase' ? `e${i}` : `request:q${i}`);
const scopeFor = (keys: readonly string[]): SnapshotScope => ({
  accounts: [
    ['rewards', 'c1'],
    ['coffee', 'c1'],
  ],
  processed: keys,
  counters: ['stock:rewards:tote'],
});
/** The result without its `replayed` flag, as canonical text. */
const body = (r: ProcessResult | RequestResult): string => canon({ ...r, replayed: undefined });

describe('all or nothing (RELIABILITY 11)', () => {
  test('a failure at the k-th write of any operation leaves the store untouched; the retry succeeds once', async () => {
    const runs = runsFor(250);
    announce('store faults: k-th write', runs);
    let passed = 0;
    let injected = 0;
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 6 }), op, fc.nat(), async (prefix, last, pick) => {
        // The faulty service and a twin that never fails, fed the same history.
        const faulty = faultyMemoryStore();
        const a = await makeService(programs, { store: faulty.store });
        const twin = await makeService(programs, { store: memoryStore() });
        for (const [i, o] of prefix.entries()) {
          await run(a.loyalty, o, i);
          await run(twin.loyalty, o, i);
        }
        const i = prefix.length;
        const keys = [...prefix.map((o, j) => keyOf(o, j)), keyOf(last, i)];
        // How many writes the operation makes: counted on a third copy.
        const counter = faultyMemoryStore();
        const probe = await makeService(programs, { store: counter.store });
        for (const [j, o] of prefix.entries()) await run(probe.loyalty, o, j);
        counter.resetCount();
        await run(probe.loyalty, last, i);
        const writes = counter.maxIndex + 1;
        expect(writes).toBeGreaterThan(0); // at least the processed record
        const k = pick % writes;

        const before = await snapshot(a.store, scopeFor(keys));
        faulty.armAt(k);
        const failed = await settle(run(a.loyalty, last, i));
        expect(faulty.fired).toBe(true);
        expect(failed.ok).toBe(false);
        if (!failed.ok) expect(failed.error).toBeInstanceOf(InjectedFault);
        expect(await snapshot(a.store, scopeFor(keys))).toEqual(before); // nothing of it is visible
        injected += 1;

        // The retry with the same id succeeds exactly once, exactly as if nothing had failed…
        const retried = await run(a.loyalty, last, i);
        const reference = await run(twin.loyalty, last, i);
        expect(retried.replayed).toBe(false);
        expect(body(retried)).toBe(body(reference));
        const after = await snapshot(a.store, scopeFor(keys));
        expect(after).toEqual(await snapshot(twin.store, scopeFor(keys)));
        // …and is then a replay that changes nothing.
        const again = await run(a.loyalty, last, i);
        expect(again.replayed).toBe(true);
        expect(body(again)).toBe(body(retried));
        expect(await snapshot(a.store, scopeFor(keys))).toEqual(after);
        for (const p of ['rewards', 'coffee']) expect(await a.loyalty.verify({ customerId: 'c1', programId: p })).toEqual([]);
        kinds.set(last.kind, (kinds.get(last.kind) ?? 0) + 1);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store faults: ${passed} runs passed, ${injected} faults injected (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  });

  test('every write index of a two-program purchase, one by one', async () => {
    // Deterministic sweep: k = 0 … writes − 1 of the same purchase, each on a fresh store.
    const event = { id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: ago(5), lines: [{ lineId: 'l1', sku: 'latte', quantity: 2, unitPrice: '4.50' }] };
    const counter = faultyMemoryStore();
    const probe = await makeService(programs, { store: counter.store });
    counter.resetCount();
    await probe.loyalty.process(event as Parameters<typeof probe.loyalty.process>[0]);
    const writes = counter.maxIndex + 1;
    expect(writes).toBeGreaterThanOrEqual(5); // 2 schedules, 2 accounts, the processed record, outbox rows
    for (let k = 0; k < writes; k++) {
      const faulty = faultyMemoryStore();
      const a = await makeService(programs, { store: faulty.store });
      const before = await snapshot(a.store, scopeFor(['e1']));
      faulty.armAt(k);
      await expect(a.loyalty.process(event as Parameters<typeof a.loyalty.process>[0])).rejects.toBeInstanceOf(InjectedFault);
      expect(await snapshot(a.store, scopeFor(['e1']))).toEqual(before);
      const retried = await a.loyalty.process(event as Parameters<typeof a.loyalty.process>[0]);
      expect(retried.replayed).toBe(false);
      expect((await a.loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('9');
      expect((await a.loyalty.account({ customerId: 'c1', programId: 'coffee' })).balance.available.toString()).toBe('20');
    }
    console.log(`[store faults] two-program purchase: all ${writes} write indexes failed cleanly and retried once`);
  });
});

describe('lost acknowledgement (RELIABILITY 12)', () => {
  test('the unit commits, the caller sees an error; the retry replays the original result and never applies twice', async () => {
    const runs = runsFor(250);
    announce('store faults: lost ack', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 6 }), op, fc.integer({ min: 1, max: 3 }), async (prefix, last, retries) => {
        const inner = memoryStore();
        const wrapped = lostAckStore(inner);
        await makeService(programs, { store: inner });
        const loyalty = serviceOver(programs, wrapped.store);
        const twin = await makeService(programs);
        for (const [i, o] of prefix.entries()) {
          await run(loyalty, o, i);
          await run(twin.loyalty, o, i);
        }
        const i = prefix.length;
        const keys = [...prefix.map((o, j) => keyOf(o, j)), keyOf(last, i)];

        wrapped.arm();
        const lost = await settle(run(loyalty, last, i));
        expect(lost.ok).toBe(false);
        if (!lost.ok) expect(lost.error).toBeInstanceOf(LostAck);
        expect(wrapped.lost).toBe(1);
        const original = await run(twin.loyalty, last, i); // what the caller would have seen
        const committed = await snapshot(inner, scopeFor(keys));
        expect(committed).toEqual(await snapshot(twin.store, scopeFor(keys))); // it did commit, once

        for (let n = 0; n < retries; n++) {
          const retry = await run(loyalty, last, i);
          expect(retry.replayed).toBe(true);
          expect(body(retry)).toBe(body(original));
          expect(await snapshot(inner, scopeFor(keys))).toEqual(committed); // never applied twice
        }
        for (const p of ['rewards', 'coffee']) expect(await loyalty.verify({ customerId: 'c1', programId: p })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store lost ack: ${passed} runs passed, each with a lost acknowledgement and 1-3 retries`);
  });

  test('a lost acknowledgement then a retry with a different payload is a conflict, not a second write', async () => {
    const inner = memoryStore();
    const wrapped = lostAckStore(inner);
    await makeService(programs, { store: inner });
    const loyalty = serviceOver(programs, wrapped.store);
    await loyalty.adjust({ ...target, requestId: 'seed', points: 500, actor: 'agent:test', reason: 'seed', at: NOW });
    wrapped.arm();
    await expect(loyalty.redeem({ ...target, requestId: 'r1', points: 100, at: NOW })).rejects.toBeInstanceOf(LostAck);
    const committed = await snapshot(inner, scopeFor(['request:r1']));
    const error = await settle(loyalty.redeem({ ...target, requestId: 'r1', points: 120, at: NOW }));
    expect(error.ok).toBe(false);
    if (!error.ok) {
      expect(error.error).toBeInstanceOf(LoyaltyError);
      expect((error.error as LoyaltyError).code).toBe('idempotency_conflict');
    }
    expect(await snapshot(inner, scopeFor(['request:r1']))).toEqual(committed);
    expect((await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe('400');
  });
});

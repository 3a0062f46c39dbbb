// The memory store's synchronous unit (store/memory.ts `syncUnitOf`): the service runs events in
// it when the store is idle. It must be the asynchronous unit's twin: atomic (a throw leaves
// nothing), isolated (it never runs while an asynchronous unit is in flight), and used by
// `process` and `processMany` over a memory store, not over any other store.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import type { LoyaltyEventInput, Store } from '../../src';
import { syncUnitOf } from '../../src/store/memory';
import { eventKey } from '../../src/service/context';
import { failAtWrite } from '../../src/testing';
import { emptyAccountState } from '../../src/ledger/fold';

const program = defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'UTC', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
const purchase = (id: string, orderId = `o-${id}`): LoyaltyEventInput => ({ id, customerId: 'c1', type: 'purchase', occurredAt: '2027-03-01T10:00:00Z', orderId, currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '80' }] });
const failure = async (work: Promise<unknown>): Promise<string> => work.then(() => 'no failure', (e: unknown) => String(e));

async function service(store: Store) {
  const loyalty = createLoyalty({ programs: [program], store, clock: fixedClock('2027-03-02T00:00:00Z') });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  return loyalty;
}

describe('memory store: the synchronous unit', () => {
  test('only a memory store has one', () => {
    const store = memoryStore();
    expect(syncUnitOf(store)).toBeTypeOf('function');
    expect(syncUnitOf({ unit: (work) => store.unit(work) })).toBeUndefined();
    expect(syncUnitOf(failAtWrite(store, 1))).toBeUndefined();
  });

  test('commits when the work returns, and a throw leaves nothing', async () => {
    const store = memoryStore();
    const sync = syncUnitOf(store);
    if (!sync) throw new Error('no synchronous unit');
    expect(sync((s) => (s.addToCounter('n', 2), s.counter('n')))).toEqual({ value: 2 });
    expect(() =>
      sync((s) => {
        s.addToCounter('n', 5);
        s.putAccountIfAbsent(emptyAccountState('rewards', 'c9'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(sync((s) => [s.counter('n'), s.getAccount('rewards', 'c9')])).toEqual({ value: [2, undefined] });
    // The asynchronous unit reads what the synchronous one committed.
    expect(await store.unit(async (s) => s.counter('n'))).toBe(2);
  });

  test('does not run while an asynchronous unit is in flight, nor inside another synchronous unit', async () => {
    const store = memoryStore();
    const sync = syncUnitOf(store);
    if (!sync) throw new Error('no synchronous unit');
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = store.unit(async (s) => {
      await s.addToCounter('n', 1);
      await gate;
    });
    expect(sync((s) => s.counter('n'))).toBeUndefined();
    release();
    await running;
    expect(sync((s) => s.counter('n'))).toEqual({ value: 1 });
    expect(sync(() => sync((s) => s.counter('n')))).toEqual({ value: undefined });
  });

  test('process and processMany over a memory store run in it: the record is there before the promise settles', async () => {
    const store = memoryStore();
    const loyalty = await service(store);
    const seen = (id: string) => syncUnitOf(store)?.((s) => s.getProcessed(eventKey(id)))?.value;
    const one = loyalty.process(purchase('e1'));
    expect(seen('e1')).toBeDefined();
    const many = loyalty.processMany([purchase('e2'), purchase('e3')]);
    // processMany parses first, then runs each unit: the first runs before the first await.
    expect(seen('e2')).toBeDefined();
    expect((await one).replayed).toBe(false);
    expect((await many).every((i) => i.ok)).toBe(true);
  });

  test('while an asynchronous unit is in flight, process waits its turn in the queue', async () => {
    const store = memoryStore();
    const loyalty = await service(store);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The unit in flight reads the event's record after the event was sent: it must not be there yet.
    const running = store.unit(async (s) => {
      await gate;
      return s.getProcessed(eventKey('e1'));
    });
    const queued = loyalty.process(purchase('e1'));
    release();
    expect(await running).toBeUndefined();
    expect((await queued).replayed).toBe(false);
    expect((await loyalty.process(purchase('e1'))).replayed).toBe(true);
  });

  test('a write that fails in the synchronous unit leaves nothing; the retry goes through once', async () => {
    let failAt = -1;
    const store = memoryStore({ beforeWrite: (i) => {
      if (i === failAt) throw new Error('disk full');
    } });
    const loyalty = await service(store);
    for (failAt = 0; failAt < 3; failAt++) {
      expect(await failure(loyalty.process(purchase('e1')))).toContain('disk full');
      expect((await loyalty.account({ programId: 'rewards', customerId: 'c1' })).state.version).toBe(0);
    }
    failAt = -1;
    expect((await loyalty.process(purchase('e1'))).replayed).toBe(false);
    expect((await loyalty.process(purchase('e1'))).replayed).toBe(true);
    expect((await loyalty.account({ programId: 'rewards', customerId: 'c1' })).state.version).toBe(1);
  });
});

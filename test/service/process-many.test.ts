// `processMany`: the same results and the same stored state as `process` one event at a time
// (a property test over random batches with replays, conflicts, refusals and invalid inputs),
// idempotency across and within batches, and all-or-nothing per customer on a failing store. The
// same property holds the memory store's synchronous unit to its asynchronous one.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, isLoyaltyError, memoryStore } from '../../src';
import type { Loyalty, LoyaltyEventInput, Store } from '../../src';
import type { ProcessManyItem } from '../../src/service/loyalty';
import { failAtWrite, InjectedWriteFault } from '../../src/testing';
import { accountStateText, transactionText } from '../../src/ledger/codec';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const NOW = '2027-03-12T00:00:00Z';
const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };
const rewards = defineProgram({
  ...base,
  id: 'rewards',
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'signup', on: 'signup', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1 }] },
  ],
});
const coffee = defineProgram({ ...base, id: 'coffee', rules: [{ id: 'cups', on: 'purchase', award: { kind: 'per_item', points: 10 } }] });
const CUSTOMERS = ['c1', 'c2', 'c3'];

async function service(store: Store = memoryStore()): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs: [rewards, coffee], store, clock: fixedClock(NOW) });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  await loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['rewards'] });
  await loyalty.upsertCustomer({ customer: { id: 'c3', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['coffee'] });
  return loyalty;
}

const at = (minute: number) => new Date(Date.parse('2027-03-10T15:00:00Z') + minute * 60_000).toISOString() as `${number}-${number}-${number}T${string}`;
const purchase = (id: string, customerId: string, orderId: string, price: string, minute = 0): LoyaltyEventInput => ({
  id,
  customerId,
  type: 'purchase',
  occurredAt: at(minute),
  orderId,
  currency: 'USD',
  lines: [{ lineId: 'l1', sku: 's1', quantity: 2, unitPrice: price as `${number}` }],
});
const refund = (id: string, customerId: string, orderId: string, minute = 0): LoyaltyEventInput => ({ id, customerId, type: 'refund', occurredAt: at(minute), orderId, lines: [{ lineId: 'l1', quantity: 1 }] });

/** What an item says, comparable with what `process` did: the result, or the refusal's codes. */
function summary(item: ProcessManyItem | { ok: false; error: unknown }): unknown {
  if (item.ok) return { ok: true, result: JSON.parse(JSON.stringify(item.result)) as unknown };
  return isLoyaltyError(item.error) ? { ok: false, codes: item.error.issues.map((i) => i.code) } : { ok: false, failure: String(item.error) };
}

async function oneAtATime(loyalty: Loyalty, events: readonly unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const e of events) {
    try {
      out.push(summary({ ok: true, result: await loyalty.process(e as LoyaltyEventInput) }));
    } catch (error) {
      out.push(summary({ ok: false, error }));
    }
  }
  return out;
}

/** Each account's state, history and schedule, and the outbox rows of each customer in order. */
async function stored(loyalty: Loyalty): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const customerId of CUSTOMERS) {
    for (const programId of ['rewards', 'coffee']) {
      const view = await loyalty.account({ customerId, programId }).catch(() => undefined);
      if (!view) continue;
      const history = await loyalty.history({ customerId, programId, limit: 1000 });
      out[`${programId}/${customerId}`] = { state: accountStateText(view.state), history: history.transactions.map(transactionText), due: view.nextDueAt?.toISOString() ?? null };
    }
    const rows = await loyalty.outbox({ limit: 10_000 });
    out[`outbox/${customerId}`] = rows.filter((r) => r.notification.customerId === customerId).map((r) => JSON.stringify(r.notification));
  }
  return out;
}

// ---- random batches: purchases, refunds, signups, replays, conflicts, unknown customers, bad input ----
type Step =
  | { kind: 'purchase'; customer: number; order: number; cents: number }
  | { kind: 'refund'; customer: number; order: number }
  | { kind: 'signup'; customer: number }
  | { kind: 'replay'; back: number }
  | { kind: 'conflict'; back: number }
  | { kind: 'stranger' }
  | { kind: 'invalid' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('purchase' as const), customer: fc.nat(2), order: fc.nat(6), cents: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), customer: fc.nat(2), order: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('signup' as const), customer: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), back: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), back: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stranger' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'invalid' as const }) },
);

/** The events of a list of steps; replays and conflicts reuse an earlier event's id. */
function eventsOf(steps: readonly Step[]): unknown[] {
  const out: unknown[] = [];
  steps.forEach((s, i) => {
    const id = `e${i}`;
    const earlier = (back: number) => out.filter((e): e is LoyaltyEventInput => typeof e === 'object' && e !== null && 'id' in e).at(-1 - (back % Math.max(1, out.length)));
    switch (s.kind) {
      case 'purchase':
        return void out.push(purchase(id, CUSTOMERS[s.customer] ?? 'c1', `o${s.order}`, `${Math.floor(s.cents / 100)}.${String(s.cents % 100).padStart(2, '0')}`, i));
      case 'refund':
        return void out.push(refund(id, CUSTOMERS[s.customer] ?? 'c1', `o${s.order}`, i));
      case 'signup':
        return void out.push({ id, customerId: CUSTOMERS[s.customer] ?? 'c1', type: 'signup', occurredAt: at(i) });
      case 'replay': {
        const e = earlier(s.back);
        return void out.push(e ?? { id, customerId: 'c1', type: 'signup', occurredAt: at(i) });
      }
      case 'conflict': {
        const e = earlier(s.back);
        return void out.push(e ? { ...e, occurredAt: at(i + 1000) } : { id, customerId: 'c2', type: 'signup', occurredAt: at(i) });
      }
      case 'stranger':
        return void out.push({ id, customerId: 'nobody', type: 'signup', occurredAt: at(i) });
      case 'invalid':
        return void out.push({ id, customerId: 'c1', type: 'purchase', occurredAt: 'yesterday' });
    }
  });
  return out;
}

describe('processMany', () => {
  test('gives what process gives one at a time, and stores the same, on random batches', async () => {
    const runs = runsFor(60);
    announce('processMany vs process', runs);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 5 }), async (steps, cuts, unitSize) => {
        const events = eventsOf(steps);
        const single = await service();
        const expected = await oneAtATime(single, events);
        const batched = await service();
        const got: unknown[] = [];
        let from = 0;
        for (const size of [...cuts, events.length]) {
          if (from >= events.length) break;
          const batch = events.slice(from, from + size);
          got.push(...(await batched.processMany(batch as LoyaltyEventInput[], { unitSize })).map(summary));
          from += size;
        }
        expect(got).toEqual(expected);
        expect(await stored(batched)).toEqual(await stored(single));
        // The memory store's synchronous unit (which both runs above used) against its asynchronous
        // one: a store that only forwards `unit` has no synchronous unit, so the service awaits each read.
        const inner = memoryStore();
        const awaited = await service({ unit: (work) => inner.unit(work) });
        expect(await oneAtATime(awaited, events)).toEqual(expected);
        expect(await stored(awaited)).toEqual(await stored(single));
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('one result per input, in input order; invalid inputs are refused in place', async () => {
    const loyalty = await service();
    const items = await loyalty.processMany([purchase('a', 'c2', 'o1', '10'), { id: 'b' } as unknown as LoyaltyEventInput, purchase('c', 'c1', 'o2', '5')]);
    expect(items.map((i) => (i.ok ? i.result.eventId : 'refused'))).toEqual(['a', 'refused', 'c']);
    expect(items[1]?.ok === false && isLoyaltyError(items[1].error)).toBe(true);
  });

  test('replays across batches return the recorded results; a changed payload under a known id is refused', async () => {
    const loyalty = await service();
    const batch = [purchase('e1', 'c1', 'o1', '10'), purchase('e2', 'c2', 'o2', '20')];
    const first = await loyalty.processMany(batch);
    const again = await loyalty.processMany(batch);
    expect(again.map((i) => i.ok && i.result.replayed)).toEqual([true, true]);
    expect(again.map((i) => i.ok && i.result.outcomes)).toEqual(first.map((i) => i.ok && i.result.outcomes));
    const [changed] = await loyalty.processMany([purchase('e1', 'c1', 'o1', '11')]);
    expect(changed?.ok === false && isLoyaltyError(changed.error) && changed.error.issues[0]?.code).toBe('idempotency_conflict');
    // The same through process: the records processMany wrote are the ones process reads.
    expect((await loyalty.process(batch[1] as LoyaltyEventInput)).replayed).toBe(true);
  });

  test('duplicates inside one batch behave as in order: a replay, then a conflict', async () => {
    const loyalty = await service();
    const items = await loyalty.processMany([purchase('e1', 'c1', 'o1', '10'), purchase('e1', 'c1', 'o1', '10'), purchase('e1', 'c1', 'o1', '99'), purchase('e9', 'c1', 'o1', '10')]);
    expect(items.map(summary).map((s) => JSON.stringify(s).match(/"replayed":(true|false)|idempotency_conflict|order_conflict/)?.[0])).toEqual(['"replayed":false', '"replayed":true', 'idempotency_conflict', 'order_conflict']);
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.state.version).toBe(1);
  });

  test('events of different customers sharing an event id or an order: the first in input order wins, as with process', async () => {
    // Grouped by customer, c1's later events would run before c2's: the outcomes would differ.
    const events = [purchase('y', 'c1', 'o9', '10'), purchase('x', 'c2', 'o1', '10'), purchase('z', 'c1', 'o1', '10'), purchase('q', 'c2', 'o7', '10'), purchase('q', 'c1', 'o8', '10')];
    const single = await service();
    const batched = await service();
    const expected = await oneAtATime(single, events);
    expect(expected.map((s) => JSON.stringify(s).includes('conflict'))).toEqual([false, false, true, false, true]);
    expect((await batched.processMany(events)).map(summary)).toEqual(expected);
  });

  test('a store failure aborts the whole unit of its customer and nothing else; the retry completes it once', async () => {
    const batch = [purchase('a1', 'c1', 'oa1', '10'), purchase('b1', 'c2', 'ob1', '20'), purchase('a2', 'c1', 'oa2', '30'), refund('a3', 'c1', 'oa1')];
    const twin = await service();
    await twin.processMany(batch);
    // The first unit is c1's (first in input order); fail each of its writes in turn.
    for (let k = 1; k <= 40; k++) {
      const store = memoryStore();
      await service(store);
      const faulty = failAtWrite(store, k);
      const over = createLoyalty({ programs: [rewards, coffee], store: faulty, clock: fixedClock(NOW) });
      const items = await over.processMany(batch);
      if (faulty.fired === 0) {
        // k is past the last write of c1's unit: every k before it was tried.
        expect(k).toBeGreaterThan(4);
        break;
      }
      const failed = items.filter((i) => !i.ok && i.error instanceof InjectedWriteFault).length;
      // All of c1's events failed together; c2's went through.
      expect(items.map((i) => i.ok)).toEqual([false, true, false, false]);
      expect(failed).toBe(3);
      const c1 = await over.account({ customerId: 'c1', programId: 'rewards' });
      expect(c1.state.version).toBe(0);
      expect((await over.history({ customerId: 'c1', programId: 'coffee', limit: 10 })).transactions).toEqual([]);
      // The retry: c1's events go through once, c2's is a replay; the end state is the twin's.
      const retry = await over.processMany(batch);
      expect(retry.map((i) => i.ok && i.result.replayed)).toEqual([false, true, false, false]);
      expect(await stored(over)).toEqual(await stored(twin));
    }
  });
});

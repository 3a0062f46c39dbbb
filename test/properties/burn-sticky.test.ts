// RELIABILITY 3 on the memory store, through the service: a business rejection is sticky for its
// request id (retried after the balance grew, it is replayed, unchanged, and writes nothing);
// invalid input is thrown, never recorded, so the corrected request with the same id goes through.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { LoyaltyError } from '../../src';
import type { Loyalty, RequestResult } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { iso, makeService, perDollarProgram } from './harness';

const program = perDollarProgram;

const target = { customerId: 'c1', programId: 'rewards' } as const;

async function service(): Promise<Loyalty> {
  return (await makeService([program], { now: '2027-03-20T00:00:00Z' })).loyalty;
}

/** The account read just after the requests (minute 12: a 15-minute hold placed at minute 10 still holds). */
async function snapshot(loyalty: Loyalty, minutes = 12) {
  const view = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: new Date(iso(minutes)) });
  const history = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
  return { available: view.balance.available.toString(), held: view.balance.held.toString(), version: view.state.version, txs: history.transactions.length };
}

type Op = 'redeem' | 'hold' | 'debit';

/** A point count, or a raw (invalid) value sent as is. */
type PointsArg = number | { readonly raw: unknown };

/** One request of the kind under test, with the given id and points (a debit sends −points). */
function ask(loyalty: Loyalty, op: Op, requestId: string, points: PointsArg, at: unknown): Promise<RequestResult> {
  const value = typeof points === 'number' ? (op === 'debit' ? -points : points) : points.raw;
  // The wrong-typed inputs are the point of the test: they go through the service's own zod parse.
  const input = { ...target, requestId, points: value, at } as never;
  if (op === 'redeem') return loyalty.redeem(input);
  if (op === 'hold') return loyalty.hold(input);
  return loyalty.adjust({ ...(input as object), actor: 'agent:test', reason: 'correction' } as never);
}

async function grow(loyalty: Loyalty, how: 'adjust' | 'purchase', points: number, id: string, minutes: number): Promise<void> {
  if (how === 'adjust') {
    const r = await loyalty.adjust({ ...target, requestId: id, points, actor: 'agent:test', reason: 'goodwill', at: iso(minutes) });
    expect(r.outcome.ok).toBe(true);
  } else {
    const r = await loyalty.process({ id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: iso(minutes), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: points }] });
    expect(r.outcomes[0]?.ok).toBe(true);
  }
}

async function thrown(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('sticky rejections (RELIABILITY 3)', () => {
  const runs = runsFor(300);

  test('insufficient_points stays refused for its request id after the balance grew', async () => {
    announce('burn sticky: insufficient_points is replayed', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Op>('redeem', 'hold', 'debit'),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom<'adjust' | 'purchase'>('adjust', 'purchase'),
        fc.integer({ min: 1, max: 3 }),
        async (op, start, over, extra, how, retries) => {
          const loyalty = await service();
          if (start > 0) await grow(loyalty, how, start, 'seed', 0);
          const points = start + over; // more than the balance
          const first = await ask(loyalty, op, 'req-1', points, iso(10));
          expect(first.replayed).toBe(false);
          expect(first.outcome.ok).toBe(false);
          if (first.outcome.ok) return;
          expect(first.outcome.issues[0]?.code).toBe('insufficient_points');

          // The balance grows past what was asked.
          await grow(loyalty, how, over + extra, 'grow', 20);
          const grown = await snapshot(loyalty, 25);
          expect(grown.available).toBe(String(points + extra));

          for (let i = 0; i < retries; i++) {
            const again = await ask(loyalty, op, 'req-1', points, iso(10));
            expect(again.replayed).toBe(true);
            expect(again.outcome).toEqual(first.outcome);
            expect(await snapshot(loyalty, 25)).toEqual(grown); // nothing written
          }
          // The same request under a new id now goes through: the refusal above was sticky, not a
          // fresh judgement of the (grown) balance.
          const fresh = await ask(loyalty, op, 'req-2', points, iso(30));
          expect(fresh.outcome.ok).toBe(true);
          expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn sticky: insufficient_points is replayed: ${passed} cases passed`);
  });

  test('invalid input is thrown and not recorded: the corrected request with the same id succeeds', async () => {
    announce('burn sticky: invalid input is not recorded', runs);
    // Invalid for every operation (a negative count is a valid debit for `adjust`, so it is only
    // tried on redeem and hold).
    const badForAll = [{ raw: 'abc' }, { raw: 0 }, { raw: 1.5 }, { raw: '2.25' }, { raw: '' }, { raw: null }, { raw: undefined }, { raw: Number.NaN }, { raw: Number.POSITIVE_INFINITY }, { raw: '1e999' }, { raw: {} }, { raw: [] }, { raw: true }];
    const badPoints = (op: Op) => fc.constantFrom<{ raw: unknown }>(...badForAll, ...(op === 'debit' ? [] : [{ raw: -5 }, { raw: '-5' }]));
    // A missing `at` is not a mistake: the request then happens at the service clock.
    const badAt = fc.constantFrom<unknown>('not a date', '2027-03-10T15:00:00', '', 12, null);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Op>('redeem', 'hold', 'debit').chain((op) =>
          fc.tuple(
            fc.constant(op),
            fc.array(fc.oneof(fc.record({ field: fc.constant('points' as const), value: badPoints(op) }), fc.record({ field: fc.constant('at' as const), value: badAt })), { minLength: 1, maxLength: 3 }),
          ),
        ),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        async ([op, mistakes], balance, wanted) => {
          const loyalty = await service();
          await grow(loyalty, 'adjust', balance, 'seed', 0);
          const points = Math.min(wanted, balance);
          const before = await snapshot(loyalty);
          for (const m of mistakes) {
            const error = await thrown(ask(loyalty, op, 'req-1', m.field === 'points' ? (m.value as { raw: unknown }) : points, m.field === 'at' ? m.value : iso(10)));
            expect(error).toBeInstanceOf(LoyaltyError);
            expect((error as LoyaltyError).issues.some((i) => i.path.includes(m.field))).toBe(true);
            expect(await snapshot(loyalty)).toEqual(before); // nothing written, nothing recorded
          }
          const corrected = await ask(loyalty, op, 'req-1', points, iso(10));
          expect(corrected.replayed).toBe(false);
          expect(corrected.outcome.ok).toBe(true);
          const after = await snapshot(loyalty);
          expect(after.txs).toBe(before.txs + 1);
          expect(op === 'hold' ? after.held : after.available).toBe(op === 'hold' ? String(points) : String(balance - points));
          // And it is now recorded: the same request is a replay.
          const again = await ask(loyalty, op, 'req-1', points, iso(10));
          expect(again.replayed).toBe(true);
          expect(again.outcome).toEqual(corrected.outcome);
          expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn sticky: invalid input is not recorded: ${passed} cases passed`);
  });
});

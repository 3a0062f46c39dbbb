// Requests carry `at` values all around the service clock (issue "Close the money and identity
// faults", fault 2). Purchases earn pending points that expire a few days later while the clock
// moves on; redeems, holds and quotes name instants before, at and after the clock, or none. The
// promise: a request dated outside the clock skew is refused with nothing written; any other is
// judged at the clock, so it never spends more than is available at the clock — pending or
// expired points are never reachable by choosing `at`. The ledger verifies after every step.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import type { IsoInstant } from './harness';

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  pending: { purchaseDays: 2 },
  expiry: { kind: 'rolling', days: 5 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});
const SKEW_MS = program.config.clockSkewMinutes * 60_000;
const START = Date.parse('2027-03-10T15:00:00Z');
const MINUTE = 60_000;

type Command =
  | { kind: 'advance'; minutes: number }
  | { kind: 'purchase'; dollars: number }
  | { kind: 'redeem' | 'hold' | 'quote'; points: number; offset: number | null };

const offsets = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -10, max: 10 }).map((m) => m * MINUTE),
  fc.integer({ min: -5 * 24 * 60, max: 5 * 24 * 60 }).map((m) => m * MINUTE),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 3 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('purchase' as const), dollars: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constantFrom('redeem' as const, 'hold' as const, 'quote' as const), points: fc.integer({ min: 1, max: 300 }), offset: offsets }),
);

describe('request instants around the clock (RELIABILITY 6 and 13 through requests)', () => {
  test('no `at` reaches pending or expired points; outside the skew a request is refused and writes nothing', async () => {
    const runs = runsFor(150);
    announce('request instants around the clock', runs);
    let refusedByClock = 0;
    let judged = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const clock = fixedClock(new Date(START));
        const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
        await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
        const target = { customerId: 'c1', programId: 'rewards' };
        for (const [i, c] of commands.entries()) {
          const now = clock.now();
          if (c.kind === 'advance') {
            clock.advance(c.minutes * MINUTE);
            continue;
          }
          if (c.kind === 'purchase') {
            await loyalty.process({ id: `p${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: now, lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: c.dollars }] });
            continue;
          }
          const before = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: now });
          const spendable = Number(before.balance.available.toString());
          const at = c.offset === null ? {} : { at: new Date(now.getTime() + c.offset).toISOString() as IsoInstant };
          const outside = c.offset !== null && Math.abs(c.offset) > SKEW_MS;
          const call =
            c.kind === 'quote'
              ? loyalty.quote({ ...target, order: { currency: 'USD', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '1000.00' }] }, points: c.points, ...at })
              : loyalty[c.kind]({ ...target, requestId: `r${i}`, points: c.points, ...at });
          const result = await call.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if (outside) {
            expect('error' in result, `request ${i} at ${JSON.stringify(at)} was accepted`).toBe(true);
            const error = (result as { error: unknown }).error;
            expect(error).toBeInstanceOf(LoyaltyError);
            expect((error as LoyaltyError).issues[0]?.code).toBe(c.offset !== null && c.offset > 0 ? 'request_in_future' : 'request_too_late');
            const after = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: now });
            expect(after.state.version).toBe(before.state.version);
            refusedByClock += 1;
            continue;
          }
          if ('error' in result) throw result.error;
          judged += 1;
          const value = result.value;
          if ('outcome' in value) {
            expect(value.outcome.ok, `request ${i}: ${c.points} of ${spendable} available at the clock`).toBe(c.points <= spendable);
          } else {
            // A quote never offers more than is available at the clock.
            expect(Number(value.points.toString())).toBeLessThanOrEqual(spendable);
          }
          const after = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: now });
          expect(Number(after.balance.available.toString())).toBeGreaterThanOrEqual(0);
        }
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[request instants] ${refusedByClock} requests refused by the clock window, ${judged} judged at the clock`);
    expect(refusedByClock).toBeGreaterThan(0);
    expect(judged).toBeGreaterThan(0);
  });
});

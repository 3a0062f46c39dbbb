// RELIABILITY 1, 2, 7, 8, 9 and 15 on the memory store: model runs over random event sequences
// that include duplicate and conflicting deliveries.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../src';
import { transactionText, ledgerBalances } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import type { Loyalty, ProcessResult, Transaction } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { cents } from './harness';

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'day', points: 40 }] },
  ],
});

type Command =
  | { kind: 'purchase'; cents: number[]; giftCard: boolean; day: number }
  | { kind: 'signup'; day: number }
  | { kind: 'follow'; network: string; day: number }
  | { kind: 'review'; day: number }
  | { kind: 'replay'; pick: number }
  | { kind: 'conflict'; pick: number };

const day = fc.integer({ min: 0, max: 20 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('purchase' as const), cents: fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 4 }), giftCard: fc.boolean(), day }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('signup' as const), day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('follow' as const), network: fc.constantFrom('twitter', 'instagram', 'facebook'), day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('review' as const), day }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), pick: fc.nat() }) },
);

const at = (d: number, i: number) => new Date(Date.UTC(2027, 2, 1 + d, 15, 0, i)).toISOString();

function toEvent(c: Exclude<Command, { kind: 'replay' | 'conflict' }>, i: number): Record<string, unknown> {
  const base = { id: `ev-${i}`, customerId: 'c1', occurredAt: at(c.day, i) };
  switch (c.kind) {
    case 'purchase':
      return { ...base, type: 'purchase', orderId: `o-${i}`, currency: 'USD', lines: c.cents.map((n, j) => ({ lineId: `l${j}`, sku: `s${j}`, quantity: 1, unitPrice: cents(n), categories: c.giftCard && j === 0 ? ['gift-card'] : [] })) };
    case 'signup':
      return { ...base, type: 'signup' };
    case 'follow':
      return { ...base, type: 'social_follow', network: c.network };
    case 'review':
      return { ...base, type: 'review', platform: 'google', rating: 5 };
  }
}

/** An independent model of what the program pays. */
class Model {
  balance = 0n;
  signedUp = false;
  networks = new Set<string>();
  reviewsByDay = new Map<string, number>();
  award(c: Exclude<Command, { kind: 'replay' | 'conflict' }>, occurredAt: string): bigint {
    let p = 0n;
    if (c.kind === 'purchase') {
      const eligible = c.cents.reduce((s, n, j) => (c.giftCard && j === 0 ? s : s + n), 0);
      p = BigInt(Math.floor(eligible / 100));
    } else if (c.kind === 'signup') {
      p = this.signedUp ? 0n : 500n;
      this.signedUp = true;
    } else if (c.kind === 'follow') {
      p = this.networks.has(c.network) ? 0n : 100n;
      this.networks.add(c.network);
    } else {
      // Day in New York: 15:00Z is 10:00 or 11:00 there, so the UTC date is the local date.
      const key = occurredAt.slice(0, 10);
      const used = this.reviewsByDay.get(key) ?? 0;
      p = BigInt(Math.max(0, Math.min(20, 40 - used)));
      this.reviewsByDay.set(key, used + Number(p));
    }
    this.balance += p;
    return p;
  }
}

async function texts(loyalty: Loyalty): Promise<string[]> {
  const page = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
  return [...page.transactions].reverse().map(transactionText);
}

async function runSequence(commands: Command[]): Promise<{ texts: string[]; balance: string }> {
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-03-25T00:00:00Z') });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const model = new Model();
  const sent: { event: Record<string, unknown>; result: ProcessResult }[] = [];
  let i = 0;
  for (const c of commands) {
    i += 1;
    const before = await texts(loyalty);
    if (c.kind === 'replay' || c.kind === 'conflict') {
      const earlier = sent[c.pick % Math.max(1, sent.length)];
      if (!earlier) continue;
      if (c.kind === 'replay') {
        const again = await loyalty.process(earlier.event as Parameters<typeof loyalty.process>[0]);
        expect(again.replayed).toBe(true); // RELIABILITY 1
        expect(again.outcomes).toEqual(earlier.result.outcomes);
      } else {
        const changed = { ...earlier.event, occurredAt: new Date(Date.parse(String(earlier.event.occurredAt)) + 1000).toISOString() };
        const error = await loyalty.process(changed as Parameters<typeof loyalty.process>[0]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(LoyaltyError); // RELIABILITY 2
        expect((error as LoyaltyError).code).toBe('idempotency_conflict');
      }
      expect(await texts(loyalty)).toEqual(before); // nothing written
    } else {
      const event = toEvent(c, i);
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      sent.push({ event, result });
      model.award(c, String(event.occurredAt));
      const after = await texts(loyalty);
      expect(after.slice(0, before.length)).toEqual(before); // RELIABILITY 9: append-only
    }
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.balance.available.toString()).toBe(model.balance.toString());
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]); // RELIABILITY 7 and 8
  }
  // Conservation across the books, system accounts included: the sum is zero, issued = held by the customer.
  const page = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
  const books = ledgerBalances(page.transactions as Transaction[]).get('points');
  const sum = [...(books?.values() ?? [])].reduce((s, v) => s.plus(v), new Decimal(0));
  expect(sum.isZero()).toBe(true);
  expect((books?.get('issued') ?? new Decimal(0)).neg().toString()).toBe(model.balance.toString());
  return { texts: await texts(loyalty), balance: model.balance.toString() };
}

describe('points service model runs (RELIABILITY 1, 2, 7, 8, 9, 15)', () => {
  const runs = runsFor(60);
  test('random event sequences with duplicates and conflicts keep every promise', async () => {
    announce('points service model', runs);
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        sequences += 1;
        const first = await runSequence(commands);
        const second = await runSequence(commands);
        expect(second.texts).toEqual(first.texts); // RELIABILITY 15: deterministic
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] points service model: ${sequences} command sequences passed`);
  });
});

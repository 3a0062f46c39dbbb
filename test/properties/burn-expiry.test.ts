// RELIABILITY 13 in the pure core: expiry takes what is left of the lots whose instant has come —
// never points already spent, which are always the soonest-expiring ones — against an independent
// model of lots; tick twice at one instant is a no-op; an event exactly at the expiry instant cannot
// spend the expiring points; expiry instants keep the wall-clock time across DST and fall at 00:00 on
// the 1st in the program's zone.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram } from '../../src';
import {
  adjust,
  balanceAt,
  evaluate,
  ledgerBalances,
  openAccount,
  parseEvent,
  redeem,
  tick,
  verifyFold,
} from '../../src/core';
import { adjustRequestSchema, redeemRequestSchema } from '../../src/schemas';
import type { Program, Transaction } from '../../src';
import type { Decision } from '../../src/core';
import { announce, FC_SEED, runsFor } from './seed';
import { fold, instantOfWall, offsetOf, pts, wallOf } from './harness';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// ---- An independent calendar (Intl only). ----

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based: day 0 of the next month
}
/** SPEC §2b expiry instants, computed independently of src/time. */
const model = {
  rollingDays(t: number, n: number, zone: string): number {
    return instantOfWall(t + offsetOf(t, zone) + n * DAY, zone);
  },
  rollingMonths(t: number, n: number, zone: string): number {
    const w = wallOf(t, zone);
    const y = w.y + Math.floor((w.mo - 1 + n) / 12);
    const m = ((w.mo - 1 + n) % 12) + 1;
    return instantOfWall(Date.UTC(y, m - 1, Math.min(w.d, daysIn(y, m)), w.h, w.mi, w.s) + (t % 1000), zone);
  },
  /** Gone at 00:00 on the first day of the month after the month of t + n months. */
  endOfMonth(t: number, n: number, zone: string): number {
    const w = wallOf(t, zone);
    return instantOfWall(Date.UTC(w.y, w.mo - 1 + n + 1, 1, 0, 0, 0), zone);
  },
};

// ---- Random sequences of earns with different expiries, redemptions and ticks. ----

const ZONE = 'America/New_York';
type Bucket = 'd3' | 'd12' | 'm1' | 'eom1' | 'never';
const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: ZONE,
  // Adjustment credits take the program's policy: gone at 00:00 on the 1st of next month.
  expiry: { kind: 'end_of_period', period: 'month', afterMonths: 0 },
  rules: (
    [
      ['d3', { kind: 'rolling', days: 3 }],
      ['d12', { kind: 'rolling', days: 12 }],
      ['m1', { kind: 'rolling', months: 1 }],
      ['eom1', { kind: 'end_of_period', period: 'month', afterMonths: 1 }],
      ['never', { kind: 'never' }],
    ] as const
  ).map(([id, expiry]) => ({
    id,
    on: 'purchase' as const,
    lines: { all: [{ fact: 'line.categories', operator: 'contains', value: id }] },
    award: { kind: 'per_amount' as const, points: 1, per: 1 },
    expiry,
  })),
});
function expectedExpiry(bucket: Bucket | 'adjust', t: number): number | null {
  switch (bucket) {
    case 'd3':
      return model.rollingDays(t, 3, ZONE);
    case 'd12':
      return model.rollingDays(t, 12, ZONE);
    case 'm1':
      return model.rollingMonths(t, 1, ZONE);
    case 'eom1':
      return model.endOfMonth(t, 1, ZONE);
    case 'adjust':
      return model.endOfMonth(t, 0, ZONE);
    case 'never':
      return null;
  }
}

type Step =
  | { kind: 'earn'; bucket: Bucket; points: number; wait: number }
  | { kind: 'credit'; points: number; wait: number }
  | { kind: 'redeem'; points: number | 'all'; wait: number }
  | { kind: 'tick'; wait: number }
  | { kind: 'atExpiry'; then: 'redeem_all' | 'redeem_expiring' | 'tick' };

// Waits from a minute to a few days; the runs start late February and cross the DST change and month ends.
const wait = fc.oneof(fc.integer({ min: 1, max: 59 }).map((m) => m * MIN), fc.integer({ min: 1, max: 30 }).map((h) => h * HOUR), fc.integer({ min: 1, max: 6 }).map((d) => d * DAY + 7 * MIN));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('earn' as const), bucket: fc.constantFrom<Bucket>('d3', 'd12', 'm1', 'eom1', 'never'), points: fc.integer({ min: 1, max: 300 }), wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('credit' as const), points: fc.integer({ min: 1, max: 300 }), wait }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constant('all' as const)), wait }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), wait }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('atExpiry' as const), then: fc.constantFrom<'redeem_all' | 'redeem_expiring' | 'tick'>('redeem_all', 'redeem_expiring', 'tick') }) },
);

interface ModelLot {
  id: string;
  earnedAt: number;
  expiresAt: number | null;
  remaining: number;
}

/** Spending order: soonest-expiring first (never last), then oldest, then by id. */
function byOrder(a: ModelLot, b: ModelLot): number {
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  if (a.earnedAt !== b.earnedAt) return a.earnedAt - b.earnedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

describe('expiry against a model of lots (RELIABILITY 13)', () => {
  const runs = runsFor(1000);

  test('expired at t = remaining of lots with expiresAt ≤ t; redemptions spend soonest-expiring first; tick twice is a no-op', async () => {
    announce('burn expiry: model of lots', runs);
    let passed = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        let now = Date.UTC(2027, 1, 24, 14, 30, 0); // 24 Feb 2027, 09:30 in New York
        let account = openAccount(program, 'c1');
        const txs: Transaction[] = [];
        const lots: ModelLot[] = [];
        let expiredTotal = 0;
        const spendable = (t: number) => lots.filter((l) => l.remaining > 0 && (l.expiresAt === null || l.expiresAt > t)).sort(byOrder);
        const availableAt = (t: number) => spendable(t).reduce((s, l) => s + l.remaining, 0);
        const push = (d: Decision): Transaction | null => {
          const r = fold(account, d);
          account = r.account;
          if (r.tx) txs.push(r.tx);
          return r.tx;
        };
        const doRedeem = (points: number, id: string) => {
          const want = spendable(now);
          const d = redeem(program, account, redeemRequestSchema.parse({ requestId: id, points, at: new Date(now) }));
          if (availableAt(now) < points) {
            expect(d.ok ? 'ok' : d.issues[0]?.code).toBe('insufficient_points');
            return;
          }
          expect(d.ok).toBe(true);
          const tx = push(d);
          const draws = (tx?.entries ?? []).flatMap((e) => (e.kind === 'redeem' ? e.draws : [])).map((x) => [x.lot, pts(x.amount)] as const);
          const expected: (readonly [string, number])[] = [];
          let left = points;
          for (const l of want) {
            if (left === 0) break;
            const take = Math.min(l.remaining, left);
            expected.push([l.id, take]);
            l.remaining -= take;
            left -= take;
          }
          expect(draws).toEqual(expected);
        };
        const doTick = () => {
          const due = lots.filter((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now);
          const tx = push(tick(program, account, new Date(now)));
          const expired = (tx?.entries ?? []).flatMap((e) => (e.kind === 'expire' ? e.draws : [])).map((x) => [x.lot, pts(x.amount)] as const);
          expect([...expired].sort()).toEqual(due.map((l) => [l.id, l.remaining] as const).sort());
          for (const l of due) {
            expiredTotal += l.remaining;
            l.remaining = 0;
          }
          const again = tick(program, account, new Date(now));
          expect(again.ok && again.transaction).toBe(null); // running it twice at one instant changes nothing
        };

        steps.forEach((s, i) => {
          if (s.kind === 'atExpiry') {
            const next = lots.filter((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt > now).sort(byOrder)[0];
            if (!next?.expiresAt) return;
            now = next.expiresAt; // exactly the expiry instant
            if (s.then === 'tick') doTick();
            else if (s.then === 'redeem_all') doRedeem(availableAt(now) + (availableAt(now) === 0 ? 1 : 0), `r${i}`);
            else {
              // Ask for the expiring points on top of everything else: must be refused.
              const expiring = lots.filter((l) => l.expiresAt === now).reduce((s2, l) => s2 + l.remaining, 0);
              doRedeem(availableAt(now) + expiring, `r${i}`);
            }
          } else {
            now += s.wait;
            if (s.kind === 'earn') {
              const e = parseEvent({ id: `e${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: new Date(now).toISOString(), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: `${s.points}.00`, categories: [s.bucket] }] });
              push(evaluate(program, account, e));
              lots.push({ id: `e${i}:${s.bucket}`, earnedAt: now, expiresAt: expectedExpiry(s.bucket, now), remaining: s.points });
            } else if (s.kind === 'credit') {
              push(adjust(program, account, adjustRequestSchema.parse({ requestId: `a${i}`, points: s.points, actor: 'agent:test', reason: 'goodwill', at: new Date(now) })));
              lots.push({ id: `adjust:a${i}`, earnedAt: now, expiresAt: expectedExpiry('adjust', now), remaining: s.points });
            } else if (s.kind === 'redeem') doRedeem(s.points === 'all' ? Math.max(1, availableAt(now)) : s.points, `r${i}`);
            else doTick();
          }
          // Reads as of now exclude lots expired by now, ticked or not.
          expect(pts(balanceAt(account, new Date(now)).available)).toBe(availableAt(now));
          // Every lot in the state has the model's remaining and expiry instant.
          for (const lot of account.lots) {
            const m = lots.find((l) => l.id === lot.id);
            expect(m && pts(lot.remaining)).toBe(m?.remaining);
            expect(lot.expiresAt?.getTime() ?? null).toBe(m?.expiresAt);
          }
          expect(account.lots.length).toBe(lots.filter((l) => l.remaining > 0).length);
          const books = ledgerBalances(txs).get('points');
          expect(pts(books?.get('expired') ?? 0)).toBe(expiredTotal);
        });
        expect(verifyFold(account, txs)).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn expiry: model of lots: ${passed} command sequences passed`);
  });
});

// ---- DST and zone boundaries. ----

function single(zone: string, expiry: Parameters<typeof defineProgram>[0]['expiry']): Program {
  return defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: zone, expiry });
}

/** Credits `points` at `earnedAt`; checks the lot expires at `gone`, not a millisecond before, in reads, redemptions and tick. */
function checkGoneAt(prog: Program, earnedAt: number, gone: number, points: number): void {
  let account = openAccount(prog, 'c1');
  account = fold(account, adjust(prog, account, adjustRequestSchema.parse({ requestId: 'a1', points, actor: 't', reason: 'r', at: new Date(earnedAt) }))).account;
  expect(account.lots[0]?.expiresAt?.toISOString()).toBe(new Date(gone).toISOString());
  const before = new Date(gone - 1);
  const at = new Date(gone);
  expect(pts(balanceAt(account, before).available)).toBe(points);
  expect(pts(balanceAt(account, at).available)).toBe(0);
  // An event at the expiry instant cannot spend the expiring points; a millisecond before, it can.
  const late = redeem(prog, account, redeemRequestSchema.parse({ requestId: 'r1', points, at }));
  expect(late.ok ? 'ok' : late.issues[0]?.code).toBe('insufficient_points');
  expect(redeem(prog, account, redeemRequestSchema.parse({ requestId: 'r2', points, at: before })).ok).toBe(true);
  // Tick a millisecond before expires nothing; at the instant, everything; again, nothing.
  const early = tick(prog, account, before);
  expect(early.ok && early.transaction ? early.transaction.entries.filter((e) => e.kind === 'expire').length : 0).toBe(0);
  const d = tick(prog, account, at);
  const expired = d.ok && d.transaction ? d.transaction.entries.flatMap((e) => (e.kind === 'expire' ? e.draws : [])) : [];
  expect(expired.reduce((s, x) => s + pts(x.amount), 0)).toBe(points);
  account = fold(account, d).account;
  const again = tick(prog, account, at);
  expect(again.ok && again.transaction).toBe(null);
}

describe('expiry across DST and time-zone day boundaries (RELIABILITY 13, SPEC §2b)', () => {
  const runs = runsFor(200);

  test('rolling { days: 1 } earned the day before a DST change keeps the wall-clock time (23 h in New York in March, 25 h in Berlin in October)', async () => {
    announce('burn expiry: rolling 1 day across DST', runs);
    let passed = 0;
    // [zone, day before the change (UTC fields of the local date), offset before, offset after] in hours.
    const cases = [
      { zone: 'America/New_York', y: 2027, m: 3, d: 13, before: -5, after: -4 },
      { zone: 'Europe/Berlin', y: 2027, m: 10, d: 30, before: 2, after: 1 },
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        // Hour 2 is skipped: it does not exist (New York) or happens twice (Berlin) on the day of the change.
        fc.integer({ min: 0, max: 23 }).filter((h) => h !== 2),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 1000 }),
        (c, hour, minute, points) => {
          const earnedAt = Date.UTC(c.y, c.m - 1, c.d, hour, minute) - c.before * HOUR;
          // Same wall-clock time the next day: before 02:00 the old offset still holds, from 03:00 the new one.
          const gone = Date.UTC(c.y, c.m - 1, c.d + 1, hour, minute) - (hour < 2 ? c.before : c.after) * HOUR;
          expect(gone - earnedAt).toBe(hour < 2 ? DAY : DAY - (c.after - c.before) * HOUR);
          checkGoneAt(single(c.zone, { kind: 'rolling', days: 1 }), earnedAt, gone, points);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn expiry: rolling 1 day across DST: ${passed} cases passed`);
  });

  test('end_of_period month is gone at 00:00 on the 1st in the program zone (Pacific/Auckland, America/Los_Angeles)', async () => {
    announce('burn expiry: end of month in two zones', runs);
    let passed = 0;
    // Month earned in (2027) → the instant of 00:00 local on the 1st of the next month, worked out by hand.
    const cases = [
      { zone: 'Pacific/Auckland', month: 1, gone: '2027-01-31T11:00:00Z' }, // 1 Feb 00:00 NZDT (+13)
      { zone: 'Pacific/Auckland', month: 3, gone: '2027-03-31T11:00:00Z' }, // 1 Apr 00:00 NZDT (DST ends 4 Apr)
      { zone: 'Pacific/Auckland', month: 4, gone: '2027-04-30T12:00:00Z' }, // 1 May 00:00 NZST (+12)
      { zone: 'Pacific/Auckland', month: 9, gone: '2027-09-30T11:00:00Z' }, // 1 Oct 00:00 NZDT (DST began 26 Sep)
      { zone: 'America/Los_Angeles', month: 2, gone: '2027-03-01T08:00:00Z' }, // 1 Mar 00:00 PST (−8)
      { zone: 'America/Los_Angeles', month: 3, gone: '2027-04-01T07:00:00Z' }, // 1 Apr 00:00 PDT (DST began 14 Mar)
      { zone: 'America/Los_Angeles', month: 10, gone: '2027-11-01T07:00:00Z' }, // 1 Nov 00:00 PDT (DST ends 7 Nov)
      { zone: 'America/Los_Angeles', month: 11, gone: '2027-12-01T08:00:00Z' }, // 1 Dec 00:00 PST
      { zone: 'America/Los_Angeles', month: 12, gone: '2028-01-01T08:00:00Z' }, // 1 Jan 2028 00:00 PST
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 2, max: 27 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 1000 }), (c, day, hour, minute, points) => {
        // Days 2-27 in UTC are the same month in both zones (offsets are under 14 h).
        const earnedAt = Date.UTC(2027, c.month - 1, day, hour, minute);
        const gone = Date.parse(c.gone);
        expect(model.endOfMonth(earnedAt, 0, c.zone)).toBe(gone); // the hand-worked table agrees with the Intl model
        checkGoneAt(single(c.zone, { kind: 'end_of_period', period: 'month', afterMonths: 0 }), earnedAt, gone, points);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn expiry: end of month in two zones: ${passed} cases passed`);
  });
});

// RELIABILITY 6 in the pure core: pending points never count as available before their instant and
// become available exactly at it, once (`tick` writes one `release`; a second tick at the same
// instant writes nothing). Holds count against the available balance; capture and release move
// exactly what they say; a hold past its timeout gives its points back, in reads as of t even
// before `tick`, and `tick` writes the restore.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram } from '../../src';
import {
  adjust,
  balanceAt,
  capture,
  evaluate,
  hold,
  openAccount,
  parseEvent,
  redeem,
  release,
  tick,
  verifyFold,
} from '../../src/core';
import {
  adjustRequestSchema,
  captureRequestSchema,
  holdRequestSchema,
  redeemRequestSchema,
  releaseRequestSchema,
} from '../../src/schemas';
import type { Entry, Program, Transaction } from '../../src';
import type { AccountState, Decision } from '../../src/core';
import { announce, FC_SEED, runsFor } from './seed';
import { fold, instantOfWall, offsetOf, pts } from './harness';

const ZONE = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 86_400_000;

// ---- An independent calendar (Intl only), to state when pending points are due. ----

/** `n` calendar days after `t` in `zone`, same wall-clock time. */
function plusCalendarDays(t: number, n: number, zone: string): number {
  return instantOfWall(t + offsetOf(t, zone) + n * DAY, zone);
}

// ---- Pure-core helpers. ----

function credit(program: Program, account: AccountState, points: number, at: number, id: string): AccountState {
  return fold(account, adjust(program, account, adjustRequestSchema.parse({ requestId: id, points, actor: 'agent:test', reason: 'seed', at: new Date(at) }))).account;
}

describe('pending points (RELIABILITY 6)', () => {
  const runs = runsFor(300);

  test('pending lots are never available before their instant, become available exactly at it, and are released once', async () => {
    announce('burn pending: release exactly once at availableAt', runs);
    let passed = 0;
    const purchases = fc.array(
      fc.record({
        // Days after 2027-02-20 and a local business hour (never inside a DST gap).
        day: fc.integer({ min: 0, max: 40 }),
        hour: fc.integer({ min: 9, max: 20 }),
        minute: fc.integer({ min: 0, max: 59 }),
        dollars: fc.integer({ min: 1, max: 500 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), purchases, fc.array(fc.integer({ min: -2 * DAY, max: 90 * DAY }), { maxLength: 8 }), (programDays, list, probes) => {
        const program = defineProgram({
          kind: 'points',
          id: 'rewards',
          version: 1,
          currency: 'USD',
          timeZone: ZONE,
          pending: { purchaseDays: programDays },
          rules: [
            { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
            // A rule-level override with its own return window on top of the program's.
            { id: 'extra', on: 'purchase', when: { all: [{ fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 250 }] }, award: { kind: 'fixed', points: 7 }, pendingDays: 3 },
          ],
        });
        const sorted = list
          .map((p) => ({ ...p, at: instantOfWall(Date.UTC(2027, 1, 20 + p.day, p.hour, p.minute), ZONE) }))
          .sort((a, b) => a.at - b.at);
        let account = openAccount(program, 'c1');
        const txs: Transaction[] = [];
        const expected: { lot: string; amount: number; earnedAt: number; availableAt: number }[] = [];
        sorted.forEach((p, i) => {
          const event = parseEvent({ id: `e${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: new Date(p.at).toISOString(), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: `${p.dollars}.00` }] });
          const step = fold(account, evaluate(program, account, event));
          account = step.account;
          if (step.tx) txs.push(step.tx);
          expected.push({ lot: `e${i}:base`, amount: p.dollars, earnedAt: p.at, availableAt: plusCalendarDays(p.at, programDays, ZONE) });
          if (p.dollars >= 250) expected.push({ lot: `e${i}:extra`, amount: 7, earnedAt: p.at, availableAt: plusCalendarDays(p.at, 3, ZONE) });
        });
        // Every lot is pending with the independently computed instant.
        for (const e of expected) {
          const lot = account.lots.find((l) => l.id === e.lot);
          expect(lot?.account).toBe('pending');
          expect(lot?.availableAt.toISOString()).toBe(new Date(e.availableAt).toISOString());
        }
        // Reads as of any instant: available = lots due by t, pending = the rest (no tick needed).
        const first = sorted[0]?.at ?? 0;
        const instants = [...probes.map((o) => first + o), ...expected.flatMap((e) => [e.availableAt - 1, e.availableAt])];
        for (const t of instants) {
          const b = balanceAt(account, new Date(t));
          const due = expected.filter((e) => e.availableAt <= t).reduce((s, e) => s + e.amount, 0);
          const notYet = expected.filter((e) => e.availableAt > t).reduce((s, e) => s + e.amount, 0);
          expect(pts(b.available)).toBe(due);
          expect(pts(b.pending)).toBe(notYet);
        }
        // Tick just before and exactly at every instant, in order: one release per lot, at its instant.
        const released = new Map<string, number>();
        const ticks = [...new Set(expected.flatMap((e) => [e.availableAt - 1, e.availableAt]))].sort((a, b) => a - b);
        for (const t of ticks) {
          const step = fold(account, tick(program, account, new Date(t)));
          account = step.account;
          if (step.tx) txs.push(step.tx);
          for (const entry of step.tx?.entries ?? []) {
            if (entry.kind !== 'release') continue;
            const e = expected.find((x) => x.lot === entry.lot);
            expect(e?.availableAt).toBe(t); // released exactly at its instant, not before
            expect(pts(entry.amount)).toBe(e?.amount);
            released.set(entry.lot, (released.get(entry.lot) ?? 0) + 1);
          }
          const again = tick(program, account, new Date(t));
          expect(again.ok && again.transaction).toBe(null); // a second tick at the same instant writes nothing
        }
        for (const e of expected) expect(released.get(e.lot)).toBe(1);
        expect(account.lots.every((l) => l.account === 'available')).toBe(true);
        expect(verifyFold(account, txs)).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn pending: release exactly once at availableAt: ${passed} cases passed`);
  });
});

const never = defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: ZONE });
const T0 = Date.UTC(2027, 2, 10, 15, 0, 0);

type Ending = { kind: 'release' } | { kind: 'capture_all' } | { kind: 'lapse' };

describe('holds (RELIABILITY 6: holds count against the available balance)', () => {
  const runs = runsFor(300);

  test('hold h lowers available by h; capture c and release move exactly c and h − c; a lapsed hold gives h − c back, before and at tick', async () => {
    announce('burn holds: hold / capture / release / lapse', runs);
    let passed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1600 }),
        fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 1600 }), { nil: undefined }),
        fc.constantFrom<Ending>({ kind: 'release' }, { kind: 'capture_all' }, { kind: 'lapse' }),
        (credits, wanted, timeout, captureWanted, ending) => {
          let account = openAccount(never, 'c1');
          const txs: Transaction[] = [];
          const push = (d: Decision): Transaction | null => {
            const step = fold(account, d);
            account = step.account;
            if (step.tx) txs.push(step.tx);
            return step.tx;
          };
          credits.forEach((p, i) => push(adjust(never, account, adjustRequestSchema.parse({ requestId: `a${i}`, points: p, actor: 't', reason: 'seed', at: new Date(T0 - (credits.length - i) * HOUR) }))));
          const B = credits.reduce((s, p) => s + p, 0);
          const h = Math.min(wanted, B);
          const minutes = timeout ?? 15; // the program's default holdMinutes
          const lapse = T0 + minutes * 60_000;
          const at = (t: number) => balanceAt(account, new Date(t));

          push(hold(never, account, holdRequestSchema.parse({ requestId: 'h1', points: h, at: new Date(T0), ...(timeout !== undefined ? { timeoutMinutes: timeout } : {}) })));
          expect(pts(at(T0).available)).toBe(B - h);
          expect(pts(at(T0).held)).toBe(h);
          expect(pts(at(lapse - 1).available)).toBe(B - h);
          expect(pts(at(lapse - 1).held)).toBe(h);
          // Asking for more than is left after the hold is refused.
          const over = redeem(never, account, redeemRequestSchema.parse({ requestId: 'r-over', points: B - h + 1, at: new Date(T0) }));
          expect(over.ok).toBe(false);

          // An optional partial capture inside the hold's time.
          const c = captureWanted === undefined ? 0 : Math.min(captureWanted, h);
          const mid = T0 + Math.floor((lapse - T0) / 2);
          if (c > 0 && ending.kind !== 'capture_all') {
            const tx = push(capture(never, account, captureRequestSchema.parse({ requestId: 'c1', holdId: 'h1', points: c, at: new Date(mid) })));
            const captured = (tx?.entries ?? []).flatMap((e: Entry) => (e.kind === 'capture' ? e.draws : [])).reduce((s, d) => s + pts(d.amount), 0);
            expect(captured).toBe(c);
            expect(pts(at(mid).available)).toBe(B - h);
            expect(pts(at(mid).held)).toBe(h - c);
          }
          const taken = ending.kind === 'capture_all' ? h : c;
          if (ending.kind === 'capture_all') {
            push(capture(never, account, captureRequestSchema.parse({ requestId: 'c-all', holdId: 'h1', at: new Date(mid) })));
            expect(pts(at(mid).available)).toBe(B - h);
            expect(pts(at(mid).held)).toBe(0);
          } else if (ending.kind === 'release') {
            if (h - c > 0) push(release(never, account, releaseRequestSchema.parse({ requestId: 'x1', holdId: 'h1', at: new Date(mid + 1) })));
            expect(pts(at(mid + 1).available)).toBe(B - c);
            expect(pts(at(mid + 1).held)).toBe(0);
          } else {
            // Lapse: read as of the timeout, before any tick: the rest is back.
            expect(pts(at(lapse).available)).toBe(B - c);
            expect(pts(at(lapse).held)).toBe(0);
            const late = capture(never, account, captureRequestSchema.parse({ requestId: 'c-late', holdId: 'h1', at: new Date(lapse) }));
            if (h - c > 0) expect(late.ok ? 'ok' : late.issues[0]?.code).toBe('hold_expired');
            // Tick at the timeout writes the restore of exactly h − c, from `held`.
            const tx = push(tick(never, account, new Date(lapse)));
            const restores = (tx?.entries ?? []).filter((e: Entry) => e.kind === 'restore');
            if (h - c > 0) {
              expect(restores.length).toBe(1);
              const r = restores[0];
              expect(r?.kind === 'restore' && r.source).toBe('held');
              expect(r?.kind === 'restore' ? r.draws.reduce((s, d) => s + pts(d.amount), 0) : -1).toBe(h - c);
            } else expect(restores.length).toBe(0);
            expect(account.holds.length).toBe(0);
            expect(pts(at(lapse).available)).toBe(B - c);
            const again = tick(never, account, new Date(lapse));
            expect(again.ok && again.transaction).toBe(null);
          }
          // Far later the balance is what was not captured, and the books agree with the fold.
          expect(pts(at(lapse + DAY).available)).toBe(B - taken);
          expect(pts(at(lapse + DAY).held)).toBe(0);
          expect(verifyFold(account, txs)).toEqual([]);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn holds: hold / capture / release / lapse: ${passed} cases passed`);
  });

  test('what reads show as available after a hold lapsed (before tick) can be spent', async () => {
    announce('burn holds: lapsed hold points are spendable before tick', runs);
    let passed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1200 }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (credits, wanted, after) => {
          let account = openAccount(never, 'c1');
          credits.forEach((p, i) => (account = credit(never, account, p, T0 - (i + 1) * HOUR, `a${i}`)));
          const B = credits.reduce((s, p) => s + p, 0);
          const h = Math.min(wanted, B);
          account = fold(account, hold(never, account, holdRequestSchema.parse({ requestId: 'h1', points: h, at: new Date(T0) }))).account;
          const t = new Date(T0 + 15 * 60_000 + after); // at or after the default 15-minute timeout, no tick
          const available = balanceAt(account, t).available;
          expect(pts(available)).toBe(B);
          const d = redeem(never, account, redeemRequestSchema.parse({ requestId: 'r1', points: pts(available), at: t }));
          expect(d.ok ? 'ok' : d.issues[0]?.code).toBe('ok');
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn holds: lapsed hold points are spendable before tick: ${passed} cases passed`);
  });

  test('a hold on a due-but-unreleased pending lot, lapsing before the tick that releases the lot, folds and conserves', async () => {
    announce('burn holds: lapse + release in one tick', runs);
    let passed = 0;
    const program = defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: ZONE, pending: { purchaseDays: 2 }, rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 1, max: 499 }),
        fc.integer({ min: 0, max: DAY }),
        fc.integer({ min: 15 * 60_000, max: 2 * DAY }),
        (dollars, wanted, holdAfter, tickAfter) => {
          let account = openAccount(program, 'c1');
          const txs: Transaction[] = [];
          const push = (d: Decision): void => {
            const step = fold(account, d);
            account = step.account;
            if (step.tx) txs.push(step.tx);
          };
          push(evaluate(program, account, parseEvent({ id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: new Date(T0).toISOString(), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: `${dollars}.00` }] })));
          const lot = account.lots[0];
          if (!lot) throw new Error('no lot');
          const due = lot.availableAt.getTime();
          // Due but not ticked: the lot still sits in `pending`, yet it can be held.
          const h = Math.min(wanted, dollars - 1);
          const holdAt = due + holdAfter;
          push(hold(program, account, holdRequestSchema.parse({ requestId: 'h1', points: h, at: new Date(holdAt) })));
          expect(pts(balanceAt(account, new Date(holdAt)).available)).toBe(dollars - h);
          // One tick after the hold lapsed: it releases the lot and returns the hold together.
          const t = new Date(holdAt + tickAfter);
          const d = tick(program, account, t);
          push(d);
          expect(verifyFold(account, txs)).toEqual([]);
          expect(pts(balanceAt(account, t).available)).toBe(dollars);
          passed += 1;
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn holds: lapse + release in one tick: ${passed} cases passed`);
  });
});

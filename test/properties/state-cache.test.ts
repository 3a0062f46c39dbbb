// The lot indexes kept beside an account state (src/ledger/lot-index.ts) are caches: after any
// random sequence of transactions, (1) the fold gives exactly the state the fold before them gave
// (same lots in the same order, same marks and counters, counters in the same key order: the same
// canonical text),
// (2) the index the fold maintained equals one built from scratch from the state, and (3) every
// read of it — balances, spending order, what tick finds due, the next due instant — equals a
// scan of all lots.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram } from '../../src';
import { accountStateText, adjust, applyEntries, balanceAt, capture, evaluate, hold, openAccount, parseEvent, redeem, release, spendableLots, tick } from '../../src/core';
import { adjustRequestSchema, captureRequestSchema, holdRequestSchema, redeemRequestSchema, releaseRequestSchema } from '../../src/schemas';
import type { AccountState, Decision, Unit } from '../../src/core';
import type { Lot } from '../../src/ledger/types';
import type { Program } from '../../src';
import { Decimal, ZERO } from '../../src/money/decimal';
import { lotIndexOf, noticeKey, type LotIndex } from '../../src/ledger/lot-index';
import { toArray, ChunkEditor, chunksOf, type ChunkList } from '../../src/ledger/chunks';
import { lotsExpiredAt, lotsReleasedAt, lotsToNotice, nextLotInstant } from '../../src/engine/due-lots';
import { referenceApply } from './reference-fold';
import { announce, FC_SEED, runsFor } from './seed';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2027, 0, 4, 12);

function programOf(expiryDays: number, pendingDays: number, noticeDays: number): Program {
  return defineProgram({
    kind: 'points',
    id: 'cache',
    version: 1,
    currency: 'USD',
    timeZone: 'UTC',
    expiry: { kind: 'rolling', days: expiryDays },
    pending: { purchaseDays: pendingDays },
    expiringNoticeDays: noticeDays,
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

type Op =
  | { readonly kind: 'purchase'; readonly step: number; readonly dollars: number }
  | { readonly kind: 'redeem' | 'hold' | 'adjust'; readonly step: number; readonly points: number }
  | { readonly kind: 'tick' | 'capture' | 'release'; readonly step: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('purchase' as const), step: fc.integer({ min: 0, max: 36 * 60 }), dollars: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('redeem' as const, 'hold' as const, 'adjust' as const), step: fc.integer({ min: 0, max: 36 * 60 }), points: fc.integer({ min: -40, max: 90 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('tick' as const, 'capture' as const, 'release' as const), step: fc.integer({ min: 0, max: 3 * 24 * 60 }) }) },
);

/** The decision of one op at `at` (holds are named h<n>; capture and release take the latest). */
function decide(program: Program, state: AccountState, op: Op, at: Date, n: number, holds: string[]): Decision {
  switch (op.kind) {
    case 'purchase':
      return evaluate(program, state, parseEvent({ id: `e${n}`, customerId: 'c1', type: 'purchase', orderId: `o${n}`, currency: 'USD', occurredAt: at.toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: String(op.dollars) }] }));
    case 'redeem':
      return redeem(program, state, redeemRequestSchema.parse({ requestId: `r${n}`, points: Math.max(1, op.points), at }));
    case 'hold':
      holds.push(`h${n}`);
      return hold(program, state, holdRequestSchema.parse({ requestId: `h${n}`, points: Math.max(1, op.points), at, timeoutMinutes: 600 }));
    case 'adjust':
      return adjust(program, state, adjustRequestSchema.parse({ requestId: `a${n}`, points: op.points === 0 ? 1 : op.points, actor: 'agent', reason: 'test', at }));
    case 'capture':
      return capture(program, state, captureRequestSchema.parse({ requestId: `c${n}`, holdId: holds.at(-1) ?? 'none', at }));
    case 'release':
      return release(program, state, releaseRequestSchema.parse({ requestId: `x${n}`, holdId: holds.at(-1) ?? 'none', at }));
    case 'tick':
      return tick(program, state, at);
  }
}

/** A copy of a state as a store would hand it back: plain fields, no index beside it. */
const plain = (state: AccountState): AccountState => ({ ...state, lots: [...state.lots] });

const ids = (list: ChunkList<{ readonly lot: Lot }>): string[] => toArray(list).map((r) => r.lot.id);

function sameIndex(kept: LotIndex, built: LotIndex): void {
  expect(ids(kept.byId)).toEqual(ids(built.byId));
  expect(ids(kept.bySeq)).toEqual(ids(built.bySeq));
  expect(ids(kept.pending)).toEqual(ids(built.pending));
  expect(toArray(kept.bySeq).map((r) => [r.lot, r.notice])).toEqual(toArray(built.bySeq).map((r) => [r.lot, r.notice]));
  const units = new Set<Unit>([...kept.draw.keys(), ...built.draw.keys(), ...kept.sums.keys(), ...built.sums.keys()]);
  for (const unit of units) {
    expect(ids(kept.draw.get(unit) ?? { chunks: [], size: 0 })).toEqual(ids(built.draw.get(unit) ?? { chunks: [], size: 0 }));
    for (const part of ['available', 'pending'] as const) {
      expect((kept.sums.get(unit)?.[part] ?? ZERO).toString()).toBe((built.sums.get(unit)?.[part] ?? ZERO).toString());
    }
  }
  expect(kept.minKeepUntil).toBe(built.minKeepUntil);
}

/** The reads of the lots, each against a scan of every lot (what the engine did before the indexes). */
function sameReads(state: AccountState, t: number, ahead: number): void {
  const at = new Date(t);
  let available = ZERO;
  let pending = ZERO;
  for (const lot of state.lots) {
    if (lot.unit !== 'points' || (lot.expiresAt !== null && lot.expiresAt.getTime() <= t)) continue;
    if (lot.availableAt.getTime() <= t) available = available.plus(lot.remaining);
    else pending = pending.plus(lot.remaining);
  }
  const held = state.holds.filter((h) => h.expiresAt.getTime() > t).flatMap((h) => h.draws).reduce((s, d) => s.plus(d.amount), ZERO);
  const lapsed = state.holds.filter((h) => h.expiresAt.getTime() <= t).flatMap((h) => h.draws).filter((d) => d.terms.expiresAt === null || d.terms.expiresAt.getTime() > t);
  for (const d of lapsed) {
    if (d.terms.availableAt.getTime() <= t) available = available.plus(d.amount);
    else pending = pending.plus(d.amount);
  }
  const b = balanceAt(state, at);
  expect([b.available.toString(), b.pending.toString(), b.held.toString()]).toEqual([available.minus(state.debt.points ?? ZERO).toString(), pending.toString(), held.toString()]);
  const spendable = state.lots
    .filter((l) => l.unit === 'points' && l.availableAt.getTime() <= t && (l.expiresAt === null || l.expiresAt.getTime() > t))
    .sort((a, b2) => (a.expiresAt?.getTime() ?? Infinity) - (b2.expiresAt?.getTime() ?? Infinity) || a.earnedAt.getTime() - b2.earnedAt.getTime() || (a.id < b2.id ? -1 : 1));
  expect(spendableLots(state, at).map((l) => l.id)).toEqual(spendable.map((l) => l.id));
  const expired = state.lots.filter((l) => l.expiresAt !== null && l.expiresAt.getTime() <= t);
  expect(lotsExpiredAt(state, t).map((l) => l.id)).toEqual(expired.map((l) => l.id));
  const gone = new Set(expired.map((l) => l.id));
  expect(lotsReleasedAt(state, t, gone).map((l) => l.id)).toEqual(state.lots.filter((l) => l.account === 'pending' && !gone.has(l.id) && l.availableAt.getTime() <= t).map((l) => l.id));
  const noticed = new Map<number, string[]>();
  for (const l of state.lots) {
    if (l.unit !== 'points' || gone.has(l.id) || l.expiresAt === null || state.marks[noticeKey(l.id)] !== undefined || l.expiresAt.getTime() - ahead > t) continue;
    noticed.set(l.expiresAt.getTime(), [...(noticed.get(l.expiresAt.getTime()) ?? []), l.id]);
  }
  expect(lotsToNotice(state, t, ahead, gone).map(([i, lots]) => [i, lots.map((l) => l.id)])).toEqual([...noticed].sort((a, b2) => a[0] - b2[0]));
  let next = Number.POSITIVE_INFINITY;
  for (const l of state.lots) {
    const candidates = [l.expiresAt?.getTime(), l.account === 'pending' ? l.availableAt.getTime() : undefined];
    if (l.unit === 'points' && l.expiresAt && state.marks[noticeKey(l.id)] === undefined) candidates.push(Math.max(l.expiresAt.getTime() - ahead, t + 1));
    // A lot still open at its expiry, or still pending at its release, is owed: due at once, t + 1.
    for (const c of candidates) if (c !== undefined) next = Math.min(next, Math.max(c, t + 1));
  }
  expect(nextLotInstant(state, t, ahead)).toBe(next);
}

describe('account state caches (lot indexes) equal a recomputation', () => {
  test('random sequences of earn, redeem, hold, capture, release, adjust and tick', () => {
    const runs = runsFor(60);
    announce('state cache', runs);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(opArb, { minLength: 1, maxLength: 160 }),
        fc.integer({ min: -2 * DAY, max: 4 * DAY }),
        (expiryDays, pendingDays, noticeDays, ops, probe) => {
          const program = programOf(expiryDays, pendingDays, noticeDays);
          let state = openAccount(program, 'c1');
          let reference = state;
          let t = T0;
          const holds: string[] = [];
          ops.forEach((op, n) => {
            t += op.step * MIN;
            const d = decide(program, state, op, new Date(t), n, holds);
            if (!d.ok || !d.transaction) return;
            state = applyEntries(state, d.transaction);
            reference = referenceApply(reference, d.transaction);
            expect(accountStateText(state)).toBe(accountStateText(reference));
            expect(state.lots.map((l) => l.id)).toEqual(reference.lots.map((l) => l.id));
            // Marks are the same set (their key order is not kept: notices live with their lots; the codec and stores sort keys).
            expect(Object.entries(state.marks).sort()).toEqual(Object.entries(reference.marks).sort());
            expect(Object.keys(state.counters)).toEqual(Object.keys(reference.counters));
          });
          sameIndex(lotIndexOf(state), lotIndexOf(plain(state)));
          for (const at of [t, t + probe, t + expiryDays * DAY]) sameReads(state, at, noticeDays * DAY);
          // A state without an index (from a store) reads and folds the same.
          sameReads(plain(state), t + probe, noticeDays * DAY);
          const d = tick(program, plain(state), new Date(t + probe));
          expect(JSON.stringify(d)).toBe(JSON.stringify(tick(program, state, new Date(t + probe))));
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('chunk lists: inserts, removals and replacements equal a sorted array', () => {
    const runs = runsFor(200);
    announce('chunk lists', runs);
    const order = (a: { k: number }, b: { k: number }): number => a.k - b.k;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom('insert', 'remove', 'replace')), { maxLength: 400 }), (initial, edits) => {
        const sorted = [...initial].sort((a, b) => a - b).map((k) => ({ k, v: 0 }));
        let list = chunksOf(sorted);
        let model = [...sorted];
        const before = toArray(list);
        edits.forEach(([k, what], i) => {
          const editor = new ChunkEditor(list, order);
          const at = model.findIndex((x) => x.k === k);
          if (what === 'insert' && at < 0) {
            editor.insert({ k, v: i });
            model = [...model, { k, v: i }].sort(order);
          } else if (what === 'remove') expect(editor.remove({ k, v: 0 })).toBe(at >= 0);
          else if (what === 'replace') expect(editor.replace({ k, v: i })).toBe(at >= 0);
          if (what === 'remove' && at >= 0) model = model.filter((x) => x.k !== k);
          if (what === 'replace' && at >= 0) model = model.map((x) => (x.k === k ? { k, v: i } : x));
          list = editor.done();
          expect(toArray(list)).toEqual(model);
          expect(list.size).toBe(model.length);
          for (const chunk of list.chunks) expect(chunk.length).toBeGreaterThan(0);
        });
        // The first list was never modified.
        expect(toArray(chunksOf(sorted))).toEqual(before);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('a decimal sum kept across writes never drifts from the lots (large amounts)', () => {
    let state = openAccount(programOf(30, 0, 0), 'c1');
    const program = programOf(30, 0, 0);
    for (let i = 0; i < 50; i++) {
      const d = evaluate(program, state, parseEvent({ id: `e${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', occurredAt: new Date(T0 + i * MIN).toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '987654321.99' }] }));
      if (d.ok && d.transaction) state = applyEntries(state, d.transaction);
    }
    const total = state.lots.reduce((s, l) => s.plus(l.remaining), new Decimal(0));
    expect(balanceAt(state, new Date(T0 + DAY)).available.toString()).toBe(total.toString());
  });
});

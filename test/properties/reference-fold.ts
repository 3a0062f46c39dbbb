// The fold as it was before the lot indexes (every write copied the lots into a Map, all marks and
// all counters): the reference the property test in state-cache.test.ts compares the new fold to.
import { Decimal, ZERO } from '../../src/money/decimal';
import { LoyaltyError, UnreachableError } from '../../src/errors';
import type { KindState } from '../../src/ledger';
import type { AccountState, Counter, Entry, Hold, Lot, LotDraw, Transaction, Unit } from '../../src/ledger/types';


function corrupt(message: string, path: (string | number)[]): never {
  throw new LoyaltyError([{ code: 'ledger_inconsistent', path, message }]);
}

/** Mutable working copy used inside one fold step; never escapes. */
interface Draft {
  lots: Map<string, Lot>;
  debt: Partial<Record<Unit, Decimal>>;
  counters: Record<string, Counter>;
  holds: Map<string, Hold>;
  marks: Record<string, string>;
  kinds: Record<string, KindState>;
  orderCount: number;
  lifetimeSpend: Decimal;
  lifetimeEarned: Decimal;
  lastPurchaseAt: Date | null;
}

function drawFrom(draft: Draft, draws: readonly LotDraw[], at: number): void {
  draws.forEach((draw, i) => {
    const lot = draft.lots.get(draw.lot);
    if (!lot) corrupt(`draw from unknown lot ${draw.lot}`, ['entries', at, 'draws', i]);
    if (lot.account !== draw.from) corrupt(`draw from ${draw.from} but lot ${lot.id} is ${lot.account}`, ['entries', at, 'draws', i]);
    const remaining = lot.remaining.minus(draw.amount);
    if (remaining.isNegative() || !draw.amount.gt(0)) corrupt(`draw of ${draw.amount.toString()} from lot ${lot.id} holding ${lot.remaining.toString()}`, ['entries', at, 'draws', i]);
    if (remaining.isZero()) draft.lots.delete(lot.id);
    else draft.lots.set(lot.id, { ...lot, remaining });
  });
}

/** Gives drawn points back to their lots, re-creating a lot that had left the state. */
function recredit(draft: Draft, draws: readonly LotDraw[], at: number): void {
  for (const draw of draws) {
    const lot = draft.lots.get(draw.lot);
    if (lot && lot.account !== draw.from) corrupt(`restore to ${draw.from} but lot ${lot.id} is ${lot.account}`, ['entries', at, 'draws']);
    const remaining = (lot?.remaining ?? ZERO).plus(draw.amount);
    // Points come back only as far as they left: a lot never holds more than it was given.
    if (remaining.gt(lot?.amount ?? draw.terms.amount)) corrupt(`restore of ${draw.amount.toString()} would leave lot ${draw.lot} holding ${remaining.toString()} of ${(lot?.amount ?? draw.terms.amount).toString()}`, ['entries', at, 'draws']);
    if (lot) draft.lots.set(lot.id, { ...lot, remaining });
    else draft.lots.set(draw.lot, { id: draw.lot, ...draw.terms, remaining, account: draw.from });
  }
}

/** Takes amounts out of a hold's reserved draws, lot by lot; drops the hold when nothing is left. */
function reduceHold(draft: Draft, holdId: string, taken: readonly LotDraw[], at: number): void {
  const hold = draft.holds.get(holdId);
  if (!hold) corrupt(`no hold ${holdId}`, ['entries', at, 'holdId']);
  const left = new Map(hold.draws.map((d) => [d.lot, d]));
  for (const t of taken) {
    const d = left.get(t.lot);
    if (!d || t.amount.gt(d.amount)) corrupt(`hold ${holdId} does not reserve ${t.amount.toString()} of lot ${t.lot}`, ['entries', at, 'draws']);
    const rest = d.amount.minus(t.amount);
    if (rest.isZero()) left.delete(t.lot);
    else left.set(t.lot, { ...d, amount: rest });
  }
  if (left.size === 0) draft.holds.delete(holdId);
  else draft.holds.set(holdId, { ...hold, draws: [...left.values()] });
}

function addLot(draft: Draft, lot: Lot, at: number): void {
  if (draft.lots.has(lot.id)) corrupt(`lot ${lot.id} created twice`, ['entries', at, 'lot']);
  if (lot.remaining.gt(0)) draft.lots.set(lot.id, lot);
}

function applyEntry(draft: Draft, entry: Entry, index: number): void {
  switch (entry.kind) {
    case 'earn': {
      if (entry.repaid.gt(0)) {
        const owed = draft.debt[entry.unit] ?? ZERO;
        if (entry.repaid.gt(owed)) corrupt('repaid more than the debt', ['entries', index, 'repaid']);
        draft.debt[entry.unit] = owed.minus(entry.repaid);
      }
      addLot(draft, entry.lot, index);
      if (entry.unit === 'points') draft.lifetimeEarned = draft.lifetimeEarned.plus(entry.lot.amount);
      return;
    }
    case 'release': {
      const lot = draft.lots.get(entry.lot);
      if (!lot || lot.account !== 'pending') corrupt(`release of lot ${entry.lot} that is not pending`, ['entries', index, 'lot']);
      if (!lot.remaining.eq(entry.amount)) corrupt(`release of ${entry.amount.toString()} from a lot holding ${lot.remaining.toString()}`, ['entries', index, 'amount']);
      draft.lots.set(lot.id, { ...lot, account: 'available' });
      return;
    }
    case 'expire':
    case 'redeem':
      drawFrom(draft, entry.draws, index);
      return;
    case 'clawback':
      drawFrom(draft, entry.draws, index);
      if (entry.debt.gt(0)) draft.debt[entry.unit] = (draft.debt[entry.unit] ?? ZERO).plus(entry.debt);
      return;
    case 'adjust':
      if (entry.direction === 'credit') {
        if (!entry.lot) corrupt('credit adjustment without a lot', ['entries', index]);
        addLot(draft, entry.lot, index);
      } else drawFrom(draft, entry.draws ?? [], index);
      return;
    case 'restore':
      if (entry.source === 'held') {
        if (entry.holdId === undefined) corrupt('restore from held without a hold', ['entries', index]);
        reduceHold(draft, entry.holdId, [...entry.draws, ...entry.expired], index);
      }
      recredit(draft, entry.draws, index);
      if (entry.of !== undefined) {
        // How much of a transaction's draws has come back: cancellation, reversal and refunds
        // all read it, so points never come back twice.
        const key = `restored:${entry.of}`;
        const back = [...entry.draws, ...entry.expired].reduce((sum, d) => sum.plus(d.amount), new Decimal(draft.marks[key] ?? 0));
        draft.marks[key] = back.toString();
      }
      return;
    case 'hold':
      if (draft.holds.has(entry.hold.id)) corrupt(`hold ${entry.hold.id} placed twice`, ['entries', index, 'hold']);
      drawFrom(draft, entry.hold.draws, index);
      draft.holds.set(entry.hold.id, entry.hold);
      return;
    case 'capture':
      reduceHold(draft, entry.holdId, entry.draws, index);
      return;
    case 'mark':
      if (entry.value === null) delete draft.marks[entry.key];
      else draft.marks[entry.key] = entry.value;
      return;
    case 'state':
      if (entry.value === null) delete draft.kinds[entry.key];
      else draft.kinds[entry.key] = entry.value;
      return;
    case 'refund':
      draft.lifetimeSpend = draft.lifetimeSpend.minus(entry.net);
      return;
    case 'usage':
      for (const change of entry.counters) {
        const prev = draft.counters[change.key];
        // Giving back to a counter whose window has closed (and was dropped) changes nothing.
        if (prev === undefined && (change.count < 0 || change.points.isNegative())) continue;
        const count = (prev?.count ?? 0) + change.count;
        const points = (prev?.points ?? ZERO).plus(change.points);
        if (count < 0 || points.isNegative()) corrupt(`counter ${change.key} below zero`, ['entries', index, 'counters']);
        if (count === 0 && points.isZero()) delete draft.counters[change.key];
        else draft.counters[change.key] = { count, points, keepUntil: change.keepUntil };
      }
      return;
    case 'activity':
      draft.orderCount += entry.orders;
      draft.lifetimeSpend = draft.lifetimeSpend.plus(entry.spend);
      if (entry.purchaseAt && (draft.lastPurchaseAt === null || entry.purchaseAt > draft.lastPurchaseAt)) draft.lastPurchaseAt = entry.purchaseAt;
      return;
    default: {
      void (entry satisfies never);
      throw new UnreachableError(entry);
    }
  }
}

/**
 * Folds one transaction into an account state and returns the new state; the argument is never
 * mutated. Throws `LoyaltyError` (`ledger_inconsistent`) if the transaction does not fit the state
 * (a draw from a lot that is not there, a counter below zero…).
 *
 * @example
 * ```ts
 * const next = applyTransaction(emptyAccountState('rewards', 'c1'), decision.transaction);
 * ```
 */
export function referenceApply(state: AccountState, tx: Transaction): AccountState {
  if (tx.programId !== state.programId || tx.customerId !== state.customerId) {
    corrupt(`transaction ${tx.id} is for ${tx.programId}/${tx.customerId}, not ${state.programId}/${state.customerId}`, []);
  }
  const draft: Draft = {
    lots: new Map(state.lots.map((l) => [l.id, l])),
    debt: { ...state.debt },
    counters: {},
    holds: new Map(state.holds.map((h) => [h.id, h])),
    marks: { ...state.marks },
    kinds: { ...state.kinds },
    orderCount: state.stats.orderCount,
    lifetimeSpend: state.stats.lifetimeSpend,
    lifetimeEarned: state.stats.lifetimeEarned,
    lastPurchaseAt: state.stats.lastPurchaseAt,
  };
  // Window counters no late event can reach any more are dropped, so state does not grow with history.
  const at = tx.at.getTime();
  for (const [key, counter] of Object.entries(state.counters)) {
    if (counter.keepUntil === null || counter.keepUntil.getTime() > at) draft.counters[key] = counter;
  }
  tx.entries.forEach((entry, i) => applyEntry(draft, entry, i));
  for (const [unit, owed] of Object.entries(draft.debt) as [Unit, Decimal][]) if (owed.isZero()) delete draft.debt[unit];
  // A notice about a lot ends with the lot.
  for (const key of Object.keys(draft.marks)) {
    if (key.startsWith('expiring:') && !draft.lots.has(key.slice('expiring:'.length))) delete draft.marks[key];
  }
  const lastActivity = state.stats.lastActivityAt;
  return {
    programId: state.programId,
    customerId: state.customerId,
    version: state.version + 1,
    lots: [...draft.lots.values()],
    debt: draft.debt,
    counters: draft.counters,
    holds: [...draft.holds.values()],
    marks: draft.marks,
    kinds: draft.kinds,
    stats: {
      orderCount: draft.orderCount,
      lifetimeSpend: draft.lifetimeSpend,
      lifetimeEarned: draft.lifetimeEarned,
      lastPurchaseAt: draft.lastPurchaseAt,
      lastActivityAt: tx.cause.kind === 'tick' ? lastActivity : lastActivity === null || tx.at > lastActivity ? tx.at : lastActivity,
    },
    lastTransactionAt: state.lastTransactionAt === null || tx.at > state.lastTransactionAt ? tx.at : state.lastTransactionAt,
  };
}

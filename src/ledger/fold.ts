import { Decimal, ZERO } from '../money/decimal';
import { LoyaltyError, UnreachableError } from '../errors';
import type { KindState } from '../kinds/states';
import type { AccountState, Counter, Entry, Hold, Lot, LotDraw, Transaction, Unit } from './types';
import { LotDraft } from './lot-draft';
import { foldedState, lotIndexOf, minKeepUntilOf, NOTICE, type LotIndex } from './lot-index';


/**
 * The state of an account with no history.
 *
 * @example
 * ```ts
 * const state = emptyAccountState('rewards', 'c1');
 * state.version; // 0
 * ```
 */
export function emptyAccountState(programId: string, customerId: string): AccountState {
  return {
    programId,
    customerId,
    version: 0,
    lots: [],
    debt: {},
    counters: {},
    holds: [],
    marks: {},
    kinds: {},
    stats: { orderCount: 0, lifetimeSpend: ZERO, lifetimeEarned: ZERO, lastPurchaseAt: null, lastActivityAt: null },
    lastTransactionAt: null,
  };
}

function corrupt(message: string, path: (string | number)[]): never {
  throw new LoyaltyError([{ code: 'ledger_inconsistent', path, message }]);
}

/**
 * Working copy used inside one fold step; never escapes. Lots go through a `LotDraft` (the
 * changes over the old state's index); the other parts are copied on their first write only, so
 * a transaction pays for what it changes, not for the size of the account.
 */
class Draft {
  readonly lots: LotDraft;
  readonly #state: AccountState;
  #debt: Partial<Record<Unit, Decimal>> | null = null;
  #counters: Record<string, Counter> | null = null;
  #holds: Map<string, Hold> | null = null;
  /** Marks other than notices, copied on their first write. */
  #others: Record<string, string> | null = null;
  readonly #baseOthers: Readonly<Record<string, string>>;
  #kinds: Record<string, KindState> | null = null;
  /** Notice marks (`expiring:<lot>`) this step set (a value) or cleared (null), by lot. */
  readonly noticed = new Map<string, string | null>();
  orderCount: number;
  lifetimeSpend: Decimal;
  lifetimeEarned: Decimal;
  lastPurchaseAt: Date | null;

  constructor(state: AccountState, index: LotIndex) {
    this.#state = state;
    this.lots = new LotDraft(index);
    this.#baseOthers = index.others;
    this.orderCount = state.stats.orderCount;
    this.lifetimeSpend = state.stats.lifetimeSpend;
    this.lifetimeEarned = state.stats.lifetimeEarned;
    this.lastPurchaseAt = state.stats.lastPurchaseAt;
  }

  debtRead(): Readonly<Partial<Record<Unit, Decimal>>> {
    return this.#debt ?? this.#state.debt;
  }
  debt(): Partial<Record<Unit, Decimal>> {
    return (this.#debt ??= { ...this.#state.debt });
  }
  countersChanged(): boolean {
    return this.#counters !== null;
  }
  /** The counters to change, the closed windows dropped on the first write. */
  counters(at: number): Record<string, Counter> {
    if (this.#counters) return this.#counters;
    const kept: Record<string, Counter> = {};
    for (const [key, counter] of Object.entries(this.#state.counters)) {
      if (counter.keepUntil === null || counter.keepUntil.getTime() > at) kept[key] = counter;
    }
    return (this.#counters = kept);
  }
  holds(): Map<string, Hold> {
    return (this.#holds ??= new Map(this.#state.holds.map((h) => [h.id, h])));
  }
  /** A mark other than a notice. */
  mark(key: string): string | undefined {
    return (this.#others ?? this.#baseOthers)[key];
  }
  setMark(key: string, value: string | null): void {
    const others = this.#others ?? this.#baseOthers;
    if (value === null && others[key] === undefined) return;
    this.#others ??= { ...this.#baseOthers };
    if (value === null) delete this.#others[key];
    else this.#others[key] = value;
  }
  /** The marks other than notices after the step. */
  others(): Readonly<Record<string, string>> {
    return this.#others ?? this.#baseOthers;
  }
  kinds(): Record<string, KindState> {
    return (this.#kinds ??= { ...this.#state.kinds });
  }

  /** The state's parts after the step: the old objects where nothing changed. */
  parts(): Pick<AccountState, 'debt' | 'counters' | 'holds' | 'kinds'> {
    let debt = this.#debt ?? this.#state.debt;
    for (const unit in debt) {
      if (debt[unit as Unit]?.isZero()) {
        if (debt === this.#state.debt) debt = this.debt();
        delete (debt as Partial<Record<Unit, Decimal>>)[unit as Unit];
      }
    }
    return {
      debt,
      counters: this.#counters ?? this.#state.counters,
      holds: this.#holds ? [...this.#holds.values()] : this.#state.holds,
      kinds: this.#kinds ?? this.#state.kinds,
    };
  }
}

function drawFrom(draft: Draft, draws: readonly LotDraw[], at: number): void {
  draws.forEach((draw, i) => {
    const lot = draft.lots.record(draw.lot);
    if (!lot) corrupt(`draw from unknown lot ${draw.lot}`, ['entries', at, 'draws', i]);
    if (lot.account !== draw.from) corrupt(`draw from ${draw.from} but lot ${lot.id} is ${lot.account}`, ['entries', at, 'draws', i]);
    const remaining = lot.remaining.minus(draw.amount);
    if (remaining.isNegative() || !draw.amount.gt(0)) corrupt(`draw of ${draw.amount.toString()} from lot ${lot.id} holding ${lot.remaining.toString()}`, ['entries', at, 'draws', i]);
    if (remaining.isZero()) draft.lots.delete(lot.id);
    else draft.lots.setRemaining(lot, remaining);
  });
}

/** Gives drawn points back to their lots, re-creating a lot that had left the state. */
function recredit(draft: Draft, draws: readonly LotDraw[], at: number): void {
  for (const draw of draws) {
    const lot = draft.lots.record(draw.lot);
    if (lot && lot.account !== draw.from) corrupt(`restore to ${draw.from} but lot ${lot.id} is ${lot.account}`, ['entries', at, 'draws']);
    const remaining = (lot?.remaining ?? ZERO).plus(draw.amount);
    // Points come back only as far as they left: a lot never holds more than it was given.
    if (remaining.gt(lot?.amount ?? draw.terms.amount)) corrupt(`restore of ${draw.amount.toString()} would leave lot ${draw.lot} holding ${remaining.toString()} of ${(lot?.amount ?? draw.terms.amount).toString()}`, ['entries', at, 'draws']);
    if (lot) draft.lots.setRemaining(lot, remaining);
    else draft.lots.set({ id: draw.lot, ...draw.terms, remaining, account: draw.from });
  }
}

/** Takes amounts out of a hold's reserved draws, lot by lot; drops the hold when nothing is left. */
function reduceHold(draft: Draft, holdId: string, taken: readonly LotDraw[], at: number): void {
  const holds = draft.holds();
  const hold = holds.get(holdId);
  if (!hold) corrupt(`no hold ${holdId}`, ['entries', at, 'holdId']);
  const left = new Map(hold.draws.map((d) => [d.lot, d]));
  for (const t of taken) {
    const d = left.get(t.lot);
    if (!d || t.amount.gt(d.amount)) corrupt(`hold ${holdId} does not reserve ${t.amount.toString()} of lot ${t.lot}`, ['entries', at, 'draws']);
    const rest = d.amount.minus(t.amount);
    if (rest.isZero()) left.delete(t.lot);
    else left.set(t.lot, { ...d, amount: rest });
  }
  if (left.size === 0) holds.delete(holdId);
  else holds.set(holdId, { ...hold, draws: [...left.values()] });
}

function addLot(draft: Draft, lot: Lot, at: number): void {
  if (draft.lots.has(lot.id)) corrupt(`lot ${lot.id} created twice`, ['entries', at, 'lot']);
  if (lot.remaining.gt(0)) draft.lots.set(lot);
}

function earn(draft: Draft, entry: Extract<Entry, { kind: 'earn' }>, index: number): void {
  if (entry.repaid.gt(0)) {
    const owed = draft.debtRead()[entry.unit] ?? ZERO;
    if (entry.repaid.gt(owed)) corrupt('repaid more than the debt', ['entries', index, 'repaid']);
    draft.debt()[entry.unit] = owed.minus(entry.repaid);
  }
  addLot(draft, entry.lot, index);
  if (entry.unit === 'points') draft.lifetimeEarned = draft.lifetimeEarned.plus(entry.lot.amount);
}

function releaseLot(draft: Draft, entry: Extract<Entry, { kind: 'release' }>, index: number): void {
  const lot = draft.lots.record(entry.lot);
  if (!lot || lot.account !== 'pending') corrupt(`release of lot ${entry.lot} that is not pending`, ['entries', index, 'lot']);
  if (!lot.remaining.eq(entry.amount)) corrupt(`release of ${entry.amount.toString()} from a lot holding ${lot.remaining.toString()}`, ['entries', index, 'amount']);
  draft.lots.setAccount(lot, 'available');
}

function restore(draft: Draft, entry: Extract<Entry, { kind: 'restore' }>, index: number): void {
  if (entry.source === 'held') {
    if (entry.holdId === undefined) corrupt('restore from held without a hold', ['entries', index]);
    reduceHold(draft, entry.holdId, [...entry.draws, ...entry.expired], index);
  }
  recredit(draft, entry.draws, index);
  if (entry.of !== undefined) {
    // How much of a transaction's draws has come back: cancellation, reversal and refunds
    // all read it, so points never come back twice.
    const key = `restored:${entry.of}`;
    const back = [...entry.draws, ...entry.expired].reduce((sum, d) => sum.plus(d.amount), new Decimal(draft.mark(key) ?? 0));
    draft.setMark(key, back.toString());
  }
}

function mark(draft: Draft, entry: Extract<Entry, { kind: 'mark' }>): void {
  if (entry.key.startsWith(NOTICE)) draft.noticed.set(entry.key.slice(NOTICE.length), entry.value);
  else draft.setMark(entry.key, entry.value);
}

function usage(draft: Draft, entry: Extract<Entry, { kind: 'usage' }>, index: number, at: number): void {
  const counters = draft.counters(at);
  for (const change of entry.counters) {
    const prev = counters[change.key];
    // Giving back to a counter whose window has closed (and was dropped) changes nothing.
    if (prev === undefined && (change.count < 0 || change.points.isNegative())) continue;
    const count = (prev?.count ?? 0) + change.count;
    const points = (prev?.points ?? ZERO).plus(change.points);
    if (count < 0 || points.isNegative()) corrupt(`counter ${change.key} below zero`, ['entries', index, 'counters']);
    if (count === 0 && points.isZero()) delete counters[change.key];
    else counters[change.key] = { count, points, keepUntil: change.keepUntil };
  }
}

/** The entries that only draw lots or move figures. */
function applyMovement(draft: Draft, entry: Extract<Entry, { kind: 'expire' | 'redeem' | 'clawback' | 'adjust' | 'hold' | 'capture' | 'refund' | 'activity' }>, index: number): void {
  switch (entry.kind) {
    case 'expire':
    case 'redeem':
      return drawFrom(draft, entry.draws, index);
    case 'clawback':
      drawFrom(draft, entry.draws, index);
      if (entry.debt.gt(0)) draft.debt()[entry.unit] = (draft.debtRead()[entry.unit] ?? ZERO).plus(entry.debt);
      return;
    case 'adjust':
      if (entry.direction === 'debit') return drawFrom(draft, entry.draws ?? [], index);
      if (!entry.lot) corrupt('credit adjustment without a lot', ['entries', index]);
      return addLot(draft, entry.lot, index);
    case 'hold':
      if (draft.holds().has(entry.hold.id)) corrupt(`hold ${entry.hold.id} placed twice`, ['entries', index, 'hold']);
      drawFrom(draft, entry.hold.draws, index);
      draft.holds().set(entry.hold.id, entry.hold);
      return;
    case 'capture':
      return reduceHold(draft, entry.holdId, entry.draws, index);
    case 'refund':
      draft.lifetimeSpend = draft.lifetimeSpend.minus(entry.net);
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

function applyEntry(draft: Draft, entry: Entry, index: number, at: number): void {
  switch (entry.kind) {
    case 'earn':
      return earn(draft, entry, index);
    case 'release':
      return releaseLot(draft, entry, index);
    case 'restore':
      return restore(draft, entry, index);
    case 'mark':
      return mark(draft, entry);
    case 'state':
      if (entry.value === null) delete draft.kinds()[entry.key];
      else draft.kinds()[entry.key] = entry.value;
      return;
    case 'usage':
      return usage(draft, entry, index, at);
    default:
      return applyMovement(draft, entry, index);
  }
}

/**
 * A notice about a lot ends with the lot: a lot's notice mark is the last one this step wrote, or
 * the one it had; a lot that is gone takes its notice with it. Only the lots this step touched
 * are looked at.
 */
function settleNotices(draft: Draft): void {
  // (Settling a written lot changes its record, never the set of written lots.)
  for (const id of draft.lots.touched()) settleNotice(draft, id);
  for (const id of draft.noticed.keys()) if (!draft.lots.wasTouched(id)) settleNotice(draft, id);
}

function settleNotice(draft: Draft, id: string): void {
  if (!draft.lots.has(id)) return;
  const written = draft.noticed.get(id);
  draft.lots.setNotice(id, written === undefined ? draft.lots.noticeBefore(id) : (written ?? undefined));
}

/**
 * Folds one transaction into an account state and returns the new state; the argument is never
 * mutated. Throws `LoyaltyError` (`ledger_inconsistent`) if the transaction does not fit the state
 * (a draw from a lot that is not there, a counter below zero…). The cost is that of the entries:
 * the lots, counters and marks the transaction does not touch are shared with the old state.
 *
 * @example
 * ```ts
 * const next = applyTransaction(emptyAccountState('rewards', 'c1'), decision.transaction);
 * ```
 */
export function applyTransaction(state: AccountState, tx: Transaction): AccountState {
  if (tx.programId !== state.programId || tx.customerId !== state.customerId) {
    corrupt(`transaction ${tx.id} is for ${tx.programId}/${tx.customerId}, not ${state.programId}/${state.customerId}`, []);
  }
  const index = lotIndexOf(state);
  const draft = new Draft(state, index);
  // Window counters no late event can reach any more are dropped, so state does not grow with history.
  const at = tx.at.getTime();
  if (index.minKeepUntil <= at) draft.counters(at);
  tx.entries.forEach((entry, i) => applyEntry(draft, entry, i, at));
  settleNotices(draft);
  const parts = draft.parts();
  const lastActivity = state.stats.lastActivityAt;
  const minKeepUntil = draft.countersChanged() ? minKeepUntilOf(parts.counters) : index.minKeepUntil;
  return foldedState({
    programId: state.programId,
    customerId: state.customerId,
    version: state.version + 1,
    ...parts,
    stats: {
      orderCount: draft.orderCount,
      lifetimeSpend: draft.lifetimeSpend,
      lifetimeEarned: draft.lifetimeEarned,
      lastPurchaseAt: draft.lastPurchaseAt,
      lastActivityAt: tx.cause.kind === 'tick' ? lastActivity : lastActivity === null || tx.at > lastActivity ? tx.at : lastActivity,
    },
    lastTransactionAt: state.lastTransactionAt === null || tx.at > state.lastTransactionAt ? tx.at : state.lastTransactionAt,
  }, draft.lots.commit(minKeepUntil, draft.others()));
}

/**
 * Folds transactions, in order, into an account state: `AccountState` is a cache of this fold.
 *
 * @example
 * ```ts
 * const state = applyEntries(emptyAccountState('rewards', 'c1'), [tx1, tx2]);
 * ```
 */
export function applyEntries(state: AccountState, transactions: Transaction | readonly Transaction[]): AccountState {
  const list: readonly Transaction[] = Array.isArray(transactions) ? transactions : [transactions as Transaction];
  let next = state;
  for (const tx of list) next = applyTransaction(next, tx);
  return next;
}

import type { Decimal} from '../money/decimal';
import { ZERO } from '../money/decimal';
import type { Issue } from '../errors';
import { isCurrencyCode, minorUnits } from '../money/currencies';
import { accountStateText } from './codec';
import { applyEntries, emptyAccountState } from './fold';
import { ledgerBalances } from './postings';
import type { AccountState, Lot, Transaction, Unit } from './types';


/** The decimal places a unit's amounts may have: none for points and punches, the currency's minor units for credit. */
function placesOf(unit: string): number | null {
  if (!unit.startsWith('credit:')) return 0;
  const code = unit.slice('credit:'.length);
  return isCurrencyCode(code) ? minorUnits(code) : null;
}

/** An issue when `amount` is not a whole number of the unit's minor units. */
function wholeUnits(unit: string, amount: Decimal, path: (string | number)[]): Issue[] {
  const places = placesOf(unit);
  if (places === null) return [{ code: 'fractional_amount', path, message: `${unit} is not a unit of a known currency` }];
  if (amount.decimalPlaces() <= places) return [];
  return [{ code: 'fractional_amount', path, message: `${amount.toString()} ${unit} is not a whole number of ${places === 0 ? 'units' : `1/${10 ** places}`}` }];
}

/**
 * Checks an account state on its own: every lot holds 0 < remaining ≤ amount (`lot_out_of_bounds`)
 * and no two lots share an id (`duplicate_lot`), lots are not available before earned
 * (`lot_dates`), debts are positive (`debt_out_of_bounds`), counters are not negative
 * (`counter_negative`), and every amount of lots, holds and debts is a whole number of its unit's
 * minor units — points and punches whole, `credit:<CUR>` to the currency's minor unit
 * (`fractional_amount`). Returns the issues found (empty when sound).
 *
 * @example
 * ```ts
 * checkAccountState(state); // []
 * ```
 */
export function checkAccountState(state: AccountState): Issue[] {
  const issues: Issue[] = [];
  const ids = new Set<string>();
  state.lots.forEach((lot, i) => {
    if (ids.has(lot.id)) issues.push({ code: 'duplicate_lot', path: ['lots', i], message: `lot ${lot.id} appears twice` });
    ids.add(lot.id);
    if (!lot.remaining.gt(0) || lot.remaining.gt(lot.amount)) {
      issues.push({ code: 'lot_out_of_bounds', path: ['lots', i, 'remaining'], message: `lot ${lot.id} holds ${lot.remaining.toString()} of ${lot.amount.toString()}` });
    }
    if (lot.availableAt < lot.earnedAt) issues.push({ code: 'lot_dates', path: ['lots', i, 'availableAt'], message: `lot ${lot.id} is available before it was earned` });
    issues.push(...wholeUnits(lot.unit, lot.amount, ['lots', i, 'amount']), ...wholeUnits(lot.unit, lot.remaining, ['lots', i, 'remaining']));
  });
  for (const [unit, owed] of Object.entries(state.debt)) {
    if (owed && !owed.gt(0)) issues.push({ code: 'debt_out_of_bounds', path: ['debt', unit], message: 'a recorded debt must be positive' });
    if (owed) issues.push(...wholeUnits(unit, owed, ['debt', unit]));
  }
  state.holds.forEach((hold, i) => hold.draws.forEach((d, j) => issues.push(...wholeUnits(hold.unit, d.amount, ['holds', i, 'draws', j, 'amount']))));
  for (const [key, c] of Object.entries(state.counters)) {
    if (c.count < 0 || c.points.isNegative()) issues.push({ code: 'counter_negative', path: ['counters', key], message: 'counter below zero' });
  }
  return issues;
}

/**
 * The account a state is expected to be (the one the caller asked for).
 *
 * @example
 * ```ts
 * const key: AccountKey = { programId: 'rewards', customerId: 'c1' };
 * ```
 */
export interface AccountKey {
  readonly programId: string;
  readonly customerId: string;
}

/**
 * Checks that a stored state equals the fold of the account's transactions from empty, and that
 * the customer's ledger accounts equal what its lots say. A corrupted projection is detected here.
 * Finds, besides those of `checkAccountState`, `checkTransactions` and `checkConservation`:
 * `foreign_state` (the state is not the account `expected` names), `fold_failed` (the
 * transactions do not fold) and `state_mismatch` (the state differs from their fold).
 * Cost: O(transactions of the account).
 *
 * @param expected - the account the caller asked for; the state must be that account's
 * @example
 * ```ts
 * verifyFold(storedState, await store.transactions(programId, customerId), { programId, customerId }); // [] when sound
 * ```
 */
export function verifyFold(state: AccountState, transactions: readonly Transaction[], expected?: AccountKey): Issue[] {
  const issues = checkAccountState(state);
  if (expected && (expected.programId !== state.programId || expected.customerId !== state.customerId)) {
    issues.push({ code: 'foreign_state', path: [], message: `the state is of ${state.programId}/${state.customerId}, not ${expected.programId}/${expected.customerId}` });
  }
  const txIssues = checkTransactions(state, transactions);
  // Against the account asked for too: a state and ledger that agree with each other but belong
  // to another customer are still foreign here.
  if (expected && (expected.programId !== state.programId || expected.customerId !== state.customerId)) {
    transactions.forEach((tx, t) => {
      if (tx.customerId !== expected.customerId || tx.programId !== expected.programId) {
        txIssues.push({ code: 'foreign_transaction', path: ['transactions', t], message: `transaction ${tx.id} is of ${tx.programId}/${tx.customerId}, not ${expected.programId}/${expected.customerId}` });
      }
    });
  }
  issues.push(...txIssues);
  // Transactions of another account cannot fold into this one; their finding says it already.
  if (txIssues.some((i) => i.code === 'foreign_transaction')) return issues;
  let folded: AccountState;
  try {
    folded = applyEntries(emptyAccountState(state.programId, state.customerId), transactions);
  } catch (error) {
    return [...issues, { code: 'fold_failed', path: [], message: error instanceof Error ? error.message : String(error) }];
  }
  if (accountStateText(folded) !== accountStateText(state)) {
    issues.push({ code: 'state_mismatch', path: [], message: 'the stored state differs from the fold of its transactions' });
  }
  issues.push(...checkConservation(state, transactions));
  return issues;
}

/**
 * Checks an account's transactions against each other, in one pass:
 * - `foreign_transaction`: a transaction names another customer or program than the account's;
 * - `lot_id_reused`: two entries create a lot with one id (even after the first left the state);
 * - `order_overclawed`: clawbacks charged more against a lot, or against an order's lots in
 *   total, than it earned by undoing the lot's own order (or, for a lot of no order, by a reversal);
 * - `order_not_netted`: an order whose refunds covered every unit of every line still keeps part
 *   of a lot that was shared over its lines (what a refund by line takes back).
 * Returns the issues found (empty when sound).
 *
 * @example
 * ```ts
 * checkTransactions(emptyAccountState('rewards', 'c1'), []); // []
 * ```
 */
export function checkTransactions(state: AccountState, transactions: readonly Transaction[]): Issue[] {
  const issues: Issue[] = [];
  const created = new Map<string, Lot>();
  const lined = new Set<string>();
  // Per lot, what clawbacks charged against it, by the order they undid ('' for none).
  const clawed = new Map<string, Map<string, Decimal>>();
  // Per order: each line's quantity bought and refunded.
  const bought = new Map<string, Map<string, number>>();
  const refunded = new Map<string, Map<string, number>>();
  const add = (into: Map<string, Map<string, number>>, orderId: string, lineId: string, n: number): void => {
    const lines = into.get(orderId) ?? new Map<string, number>();
    lines.set(lineId, (lines.get(lineId) ?? 0) + n);
    into.set(orderId, lines);
  };
  const create = (lot: Lot, path: (string | number)[]): void => {
    if (created.has(lot.id)) issues.push({ code: 'lot_id_reused', path, message: `lot ${lot.id} is created twice` });
    else created.set(lot.id, lot);
  };
  transactions.forEach((tx, t) => {
    if (tx.customerId !== state.customerId || tx.programId !== state.programId) {
      issues.push({ code: 'foreign_transaction', path: ['transactions', t], message: `transaction ${tx.id} is of ${tx.programId}/${tx.customerId}, not ${state.programId}/${state.customerId}` });
    }
    tx.entries.forEach((e, i) => {
      const path = ['transactions', t, 'entries', i];
      if (e.kind === 'earn') {
        create(e.lot, path);
        if (e.lines !== undefined && e.lines.length > 0) lined.add(e.lot.id);
      } else if (e.kind === 'adjust' && e.direction === 'credit' && e.lot) create(e.lot, path);
      else if (e.kind === 'clawback') {
        for (const a of e.against) {
          const byOrder = clawed.get(a.lot) ?? new Map<string, Decimal>();
          byOrder.set(e.orderId ?? '', (byOrder.get(e.orderId ?? '') ?? ZERO).plus(a.amount));
          clawed.set(a.lot, byOrder);
        }
      } else if (e.kind === 'activity' && e.orderId !== undefined && e.orders > 0) for (const l of e.lines ?? []) add(bought, e.orderId, l.lineId, l.quantity);
      else if (e.kind === 'refund') for (const l of e.lines) add(refunded, e.orderId, l.lineId, l.quantity);
    });
  });
  // What each order's lots earned and had clawed back, per unit.
  const orders = new Map<string, Map<Unit, { earned: Decimal; clawed: Decimal }>>();
  // What undoing the lot's own order (or, for a lot of no order, a reversal) charged against it.
  // A refund may also take back a lot it did not earn (a reward converted from spend progress,
  // whichever is still held, even one a later restore brought back); that is not the lot's own
  // clawback and is left out.
  const ownClawback = (lot: Lot): Decimal => clawed.get(lot.id)?.get(lot.orderId ?? '') ?? ZERO;
  for (const lot of created.values()) {
    const taken = ownClawback(lot);
    if (taken.gt(lot.amount)) issues.push({ code: 'order_overclawed', path: ['lots', lot.id], message: `${taken.toString()} clawed back against lot ${lot.id}, which earned ${lot.amount.toString()}` });
    if (lot.orderId === undefined) continue;
    const perUnit = orders.get(lot.orderId) ?? new Map<Unit, { earned: Decimal; clawed: Decimal }>();
    const sum = perUnit.get(lot.unit) ?? { earned: ZERO, clawed: ZERO };
    perUnit.set(lot.unit, { earned: sum.earned.plus(lot.amount), clawed: sum.clawed.plus(taken) });
    orders.set(lot.orderId, perUnit);
  }
  for (const [orderId, perUnit] of orders) {
    for (const [unit, { earned, clawed: taken }] of perUnit) {
      if (taken.gt(earned)) issues.push({ code: 'order_overclawed', path: ['orders', orderId, unit], message: `order ${orderId}: ${taken.toString()} ${unit} clawed back of ${earned.toString()} earned` });
    }
  }
  // A complete refund by line takes back every line share: such lots net to zero.
  for (const [orderId, lines] of bought) {
    const back = refunded.get(orderId);
    if (!back || lines.size === 0 || [...lines].some(([lineId, n]) => (back.get(lineId) ?? 0) < n)) continue;
    for (const lot of created.values()) {
      if (lot.orderId !== orderId || !lined.has(lot.id)) continue;
      const left = lot.amount.minus(ownClawback(lot));
      if (left.gt(0)) issues.push({ code: 'order_not_netted', path: ['orders', orderId, 'lots', lot.id], message: `order ${orderId} is refunded in full, yet lot ${lot.id} keeps ${left.toString()} of ${lot.amount.toString()} ${lot.unit}` });
    }
  }
  return issues;
}

/**
 * Conservation (RELIABILITY 7) for one account: per unit, all postings sum to zero, and the
 * customer's available and pending accounts equal the lots' remaining (debt counting negative),
 * and the held account equals what open holds reserve. Returns the issues found (empty when sound).
 *
 * @example
 * ```ts
 * checkConservation(emptyAccountState('rewards', 'c1'), []); // []
 * checkConservation(state, await store.transactions('rewards', 'c1')).map((i) => i.code); // [] when sound
 * ```
 */
export function checkConservation(state: AccountState, transactions: readonly Transaction[]): Issue[] {
  const issues: Issue[] = [];
  const books = ledgerBalances(transactions);
  const units = new Set<Unit>([...books.keys(), ...state.lots.map((l) => l.unit)]);
  for (const unit of units) {
    const accounts = books.get(unit) ?? new Map();
    let total = ZERO;
    for (const v of accounts.values()) total = total.plus(v);
    if (!total.isZero()) issues.push({ code: 'unbalanced', path: ['books', unit], message: `postings of ${unit} sum to ${total.toString()}` });
    let available = ZERO;
    let pending = ZERO;
    for (const lot of state.lots) {
      if (lot.unit !== unit) continue;
      if (lot.account === 'available') available = available.plus(lot.remaining);
      else pending = pending.plus(lot.remaining);
    }
    available = available.minus(state.debt[unit] ?? ZERO);
    let held = ZERO;
    for (const hold of state.holds) if (hold.unit === unit) for (const d of hold.draws) held = held.plus(d.amount);
    const bookHeld = accounts.get('held') ?? ZERO;
    if (!bookHeld.eq(held)) issues.push({ code: 'held_mismatch', path: ['books', unit, 'held'], message: `books say ${bookHeld.toString()}, holds say ${held.toString()}` });
    const bookAvailable = accounts.get('available') ?? ZERO;
    const bookPending = accounts.get('pending') ?? ZERO;
    if (!bookAvailable.eq(available)) issues.push({ code: 'available_mismatch', path: ['books', unit, 'available'], message: `books say ${bookAvailable.toString()}, lots say ${available.toString()}` });
    if (!bookPending.eq(pending)) issues.push({ code: 'pending_mismatch', path: ['books', unit, 'pending'], message: `books say ${bookPending.toString()}, lots say ${pending.toString()}` });
  }
  return issues;
}

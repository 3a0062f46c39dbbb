import { Decimal } from '../money/decimal';
import type { Issue } from '../errors';
import { accountStateText } from './codec';
import { applyEntries, emptyAccountState } from './fold';
import { ledgerBalances } from './postings';
import type { AccountState, Transaction, Unit } from './types';

const ZERO = new Decimal(0);

/**
 * Checks an account state on its own: every lot holds 0 < remaining ≤ amount, debts are positive,
 * counters are not negative. Returns the issues found (empty when sound).
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
  });
  for (const [unit, owed] of Object.entries(state.debt)) {
    if (owed && !owed.gt(0)) issues.push({ code: 'debt_out_of_bounds', path: ['debt', unit], message: 'a recorded debt must be positive' });
  }
  for (const [key, c] of Object.entries(state.counters)) {
    if (c.count < 0 || c.points.isNegative()) issues.push({ code: 'counter_negative', path: ['counters', key], message: 'counter below zero' });
  }
  return issues;
}

/**
 * Checks that a stored state equals the fold of the account's transactions from empty, and that
 * the customer's ledger accounts equal what its lots say. A corrupted projection is detected here.
 *
 * @example
 * ```ts
 * verifyFold(storedState, await store.transactions(programId, customerId)); // [] when sound
 * ```
 */
export function verifyFold(state: AccountState, transactions: readonly Transaction[]): Issue[] {
  const issues = checkAccountState(state);
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

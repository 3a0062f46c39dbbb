import { Decimal } from '../money/decimal';
import { UnreachableError } from '../errors';
import type { Entry, LedgerAccount, Transaction, Unit } from './types';

/** One side of a movement: +amount into `account`, or −amount out of it. */
export interface Posting {
  readonly account: LedgerAccount;
  readonly unit: Unit;
  readonly amount: Decimal;
}

function move(unit: Unit, from: LedgerAccount, to: LedgerAccount, amount: Decimal): Posting[] {
  if (amount.isZero()) return [];
  return [
    { account: from, unit, amount: amount.neg() },
    { account: to, unit, amount },
  ];
}

/**
 * The double-entry postings of one entry. Every entry's postings sum to zero per unit.
 *
 * @example
 * ```ts
 * postingsOf(entry).reduce((s, p) => s.plus(p.amount), new Decimal(0)).isZero(); // true
 * ```
 */
export function postingsOf(entry: Entry): Posting[] {
  switch (entry.kind) {
    case 'earn': {
      const to = entry.lot.account;
      // The repaid part goes to the customer's available account, where the debt sits as a negative.
      return [...move(entry.unit, 'issued', to, entry.lot.remaining), ...move(entry.unit, 'issued', 'available', entry.repaid)];
    }
    case 'release':
      return move(entry.unit, 'pending', 'available', entry.amount);
    case 'expire':
      return entry.draws.flatMap((d) => move(entry.unit, d.from, 'expired', d.amount));
    case 'redeem':
      return entry.draws.flatMap((d) => move(entry.unit, d.from, 'redeemed', d.amount));
    case 'clawback':
      return [...entry.draws.flatMap((d) => move(entry.unit, d.from, 'clawed_back', d.amount)), ...move(entry.unit, 'available', 'clawed_back', entry.debt)];
    case 'adjust':
      if (entry.direction === 'credit') return entry.lot ? move(entry.unit, 'adjusted', entry.lot.account, entry.lot.amount) : [];
      return (entry.draws ?? []).flatMap((d) => move(entry.unit, d.from, 'adjusted', d.amount));
    case 'restore':
      return [
        ...entry.draws.flatMap((d) => move(entry.unit, entry.source, d.from, d.amount)),
        ...entry.expired.flatMap((d) => move(entry.unit, entry.source, 'expired', d.amount)),
      ];
    case 'hold':
      return entry.hold.draws.flatMap((d) => move(entry.unit, d.from, 'held', d.amount));
    case 'capture':
      return entry.draws.flatMap((d) => move(entry.unit, 'held', 'redeemed', d.amount));
    case 'usage':
    case 'activity':
    case 'refund':
    case 'mark':
    case 'state':
      return [];
    default: {
      void (entry satisfies never);
      throw new UnreachableError(entry);
    }
  }
}

/** Balances per `unit` and account, summed over transactions' postings. */
export type LedgerBalances = Map<Unit, Map<LedgerAccount, Decimal>>;

/**
 * Sums the postings of transactions per unit and account: the program's books.
 *
 * @example
 * ```ts
 * const books = ledgerBalances(transactions);
 * books.get('points')?.get('issued'); // −(everything ever issued)
 * ```
 */
export function ledgerBalances(transactions: Iterable<Transaction>): LedgerBalances {
  const books: LedgerBalances = new Map();
  for (const tx of transactions) {
    for (const entry of tx.entries) {
      for (const p of postingsOf(entry)) {
        let perUnit = books.get(p.unit);
        if (!perUnit) books.set(p.unit, (perUnit = new Map()));
        perUnit.set(p.account, (perUnit.get(p.account) ?? new Decimal(0)).plus(p.amount));
      }
    }
  }
  return books;
}

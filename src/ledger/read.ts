import type { Decimal} from '../money/decimal';
import { ZERO } from '../money/decimal';
import type { AccountState, Lot, Unit } from './types';
import { lotIndexOf, markOf } from './lot-index';
import { EMPTY_CHUNKS, walk } from './chunks';


/** A balance read as of an instant. */
export interface Balance {
  /** Spendable now: released, unexpired lots, less debt. */
  readonly available: Decimal;
  /** Earned but not yet released (inside the return window). */
  readonly pending: Decimal;
  /** What the customer owes (a debt lot), repaid first by later earnings. */
  readonly debt: Decimal;
  /** Reserved by holds still open at the instant (not part of `available`). */
  readonly held: Decimal;
}

/**
 * True when the lot is gone at `at` (an expiry at t means gone at t); never for a lot without
 * an expiry.
 *
 * @example
 * ```ts
 * // a lot with expiresAt 2028-01-01T00:00:00Z
 * isExpiredAt(lot, new Date('2027-12-31T23:59:59.999Z')); // false
 * isExpiredAt(lot, new Date('2028-01-01T00:00:00Z')); // true
 * ```
 */
export function isExpiredAt(lot: Lot, at: Date): boolean {
  return lot.expiresAt !== null && lot.expiresAt.getTime() <= at.getTime();
}

/**
 * True when the lot can be spent at `at`: released by its instant (`availableAt`) and not expired.
 *
 * @example
 * ```ts
 * // a lot with availableAt 2027-01-15T00:00:00Z (pending until then) and expiresAt 2028-01-01T00:00:00Z
 * isSpendableAt(lot, new Date('2027-01-10T00:00:00Z')); // false: still pending
 * isSpendableAt(lot, new Date('2027-06-01T00:00:00Z')); // true
 * ```
 */
export function isSpendableAt(lot: Lot, at: Date): boolean {
  return lot.availableAt.getTime() <= at.getTime() && !isExpiredAt(lot, at);
}

/** The balance as of `at` from every lot: the definition, and the path of reads into the past. */
function scanBalance(state: AccountState, at: Date, unit: Unit): { available: Decimal; pending: Decimal } {
  let available = ZERO;
  let pending = ZERO;
  for (const lot of state.lots) {
    if (lot.unit !== unit || isExpiredAt(lot, at)) continue;
    if (lot.availableAt.getTime() <= at.getTime()) available = available.plus(lot.remaining);
    else pending = pending.plus(lot.remaining);
  }
  return { available, pending };
}

/**
 * The lots' part of the balance from the running sums: lots expired by `at` are taken out and
 * pending lots whose instant has come move to available; both lists are read from their soonest
 * end, so the cost is the number of lots `tick` has not yet dealt with, not the number of lots.
 */
function lotBalance(state: AccountState, at: Date, unit: Unit): { available: Decimal; pending: Decimal } {
  const index = lotIndexOf(state);
  const t = at.getTime();
  if (t < index.maxAvailableAt) return scanBalance(state, at, unit);
  const sums = index.sums.get(unit);
  let available = sums?.available ?? ZERO;
  let pending = sums?.pending ?? ZERO;
  // Records hold instants as numbers (+∞ for no expiry): read without building the lots.
  walk(index.draw.get(unit) ?? EMPTY_CHUNKS, (r) => {
    if (r.expiresAt > t) return true;
    if (r.account === 'available') available = available.minus(r.remaining);
    else pending = pending.minus(r.remaining);
  });
  walk(index.pending, (r) => {
    if (r.availableAt > t) return true;
    if (r.unit === unit && !(r.expiresAt <= t)) {
      pending = pending.minus(r.remaining);
      available = available.plus(r.remaining);
    }
  });
  return { available, pending };
}

/**
 * The balance as of `at`, whether or not `tick` has run: lots expired by `at` are excluded and
 * pending lots whose instant has come are included (SPEC §2b). It reads running sums kept beside
 * the state, so its cost does not grow with the number of open lots.
 *
 * @example
 * ```ts
 * balanceAt(state, new Date('2027-03-01T00:00:00Z')).available.toString(); // '560'
 * ```
 */
export function balanceAt(state: AccountState, at: Date, unit: Unit = 'points'): Balance {
  let { available, pending } = lotBalance(state, at, unit);
  // Holds reserve points until captured, released, or their timeout: a hold past its timeout
  // gives its points back (to the extent their lots are still good), whether or not tick has run.
  let held = ZERO;
  for (const hold of state.holds) {
    if (hold.unit !== unit) continue;
    for (const d of hold.draws) {
      if (hold.expiresAt.getTime() > at.getTime()) held = held.plus(d.amount);
      else if (d.terms.expiresAt === null || d.terms.expiresAt.getTime() > at.getTime()) {
        if (d.terms.availableAt.getTime() <= at.getTime()) available = available.plus(d.amount);
        else pending = pending.plus(d.amount);
      }
    }
  }
  const debt = state.debt[unit] ?? ZERO;
  return { available: available.minus(debt), pending, debt, held };
}

/**
 * Calls `visit` on the lots that can be spent at `at`, in spending order, until it returns true.
 * A redemption stops as soon as it has drawn enough, so it reads a few lots, not all.
 *
 * @example
 * ```ts
 * eachSpendableLot(state, now, 'points', (lot) => { console.log(lot.id); });
 * ```
 */
export function eachSpendableLot(state: AccountState, at: Date, unit: Unit, visit: (lot: Lot) => boolean | void): void {
  const t = at.getTime();
  // As `isSpendableAt`, on the record's numbers: a lot is built only for the visit.
  walk(lotIndexOf(state).draw.get(unit) ?? EMPTY_CHUNKS, (r) => (r.availableAt <= t && !(r.expiresAt <= t) ? visit(r.lot) : undefined));
}

/**
 * The lots that can be spent at `at`, in spending order: soonest-expiring first (never-expiring
 * last), then oldest, then by id.
 *
 * @example
 * ```ts
 * const [first] = spendableLots(state, now); // the lot a redemption draws from first
 * ```
 */
export function spendableLots(state: AccountState, at: Date, unit: Unit = 'points'): Lot[] {
  const out: Lot[] = [];
  eachSpendableLot(state, at, unit, (lot) => {
    out.push(lot);
  });
  return out;
}

/**
 * The last year whose once-a-year bonus (a birthday) was paid, from the mark `key` that holds it;
 * −∞ when none was. A year is paid only when it is later than this, so a change of the
 * customer's zone (which moves the local year back) can never pay a year twice.
 *
 * @example
 * ```ts
 * lastYearPaid({ birthday: '2028' }, 'birthday'); // 2028
 * lastYearPaid({}, 'birthday'); // -Infinity
 * ```
 */
export function lastYearPaid(marks: Readonly<Record<string, string>>, key: string): number {
  return yearOf(marks[key]);
}

function yearOf(value: string | undefined): number {
  const year = value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(year) ? year : Number.NEGATIVE_INFINITY;
}

/** `lastYearPaid` of a state's mark, read without building the state's marks object. */
export function yearPaid(state: AccountState, key: string): number {
  return yearOf(markOf(state, key));
}

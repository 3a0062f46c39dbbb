import { Decimal } from '../money/decimal';
import type { AccountState, Lot, Unit } from './types';

const ZERO = new Decimal(0);

/** A balance read as of an instant. */
export interface Balance {
  /** Spendable now: released, unexpired lots, less debt. */
  readonly available: Decimal;
  /** Earned but not yet released (inside the return window). */
  readonly pending: Decimal;
  /** What the customer owes (a debt lot), repaid first by later earnings. */
  readonly debt: Decimal;
}

/** True when the lot is gone at `at` (an expiry at t means gone at t). */
export function isExpiredAt(lot: Lot, at: Date): boolean {
  return lot.expiresAt !== null && lot.expiresAt.getTime() <= at.getTime();
}

/** True when the lot can be spent at `at`: released by its instant and not expired. */
export function isSpendableAt(lot: Lot, at: Date): boolean {
  return lot.availableAt.getTime() <= at.getTime() && !isExpiredAt(lot, at);
}

/**
 * The balance as of `at`, whether or not `tick` has run: lots expired by `at` are excluded and
 * pending lots whose instant has come are included (SPEC §2b).
 *
 * @example
 * ```ts
 * balanceAt(state, new Date('2027-03-01T00:00:00Z')).available.toString(); // '560'
 * ```
 */
export function balanceAt(state: AccountState, at: Date, unit: Unit = 'points'): Balance {
  let available = ZERO;
  let pending = ZERO;
  for (const lot of state.lots) {
    if (lot.unit !== unit || isExpiredAt(lot, at)) continue;
    if (lot.availableAt.getTime() <= at.getTime()) available = available.plus(lot.remaining);
    else pending = pending.plus(lot.remaining);
  }
  const debt = state.debt[unit] ?? ZERO;
  return { available: available.minus(debt), pending, debt };
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
  return state.lots
    .filter((lot) => lot.unit === unit && isSpendableAt(lot, at))
    .sort((a, b) => {
      const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      if (ea !== eb) return ea < eb ? -1 : 1;
      const d = a.earnedAt.getTime() - b.earnedAt.getTime();
      if (d !== 0) return d;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}

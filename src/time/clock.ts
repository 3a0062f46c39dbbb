import { refuse } from './internal/refuse';
import { toInstant } from './internal/instant';

/**
 * The source of "now". Everything time-dependent takes a Clock, so tests and backtests control
 * time; only {@link systemClock} reads the system time.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => new Date('2027-03-14T12:00:00Z') };
 * clock.now().toISOString(); // '2027-03-14T12:00:00.000Z'
 * ```
 */
export interface Clock {
  /** The current instant; a fresh Date on every call, so callers may not mutate the clock's time. */
  now(): Date;
}

/**
 * A settable test clock: {@link fixedClock}'s result.
 *
 * @example
 * ```ts
 * const clock: FixedClock = fixedClock('2027-01-01T00:00:00Z');
 * clock.advance(60_000);
 * clock.now().toISOString(); // '2027-01-01T00:01:00.000Z'
 * ```
 */
export interface FixedClock extends Clock {
  /** Moves the clock to `at` (a Date, or an ISO string with 'Z' or an offset). */
  set(at: Date | string): void;
  /** Moves the clock by `ms` milliseconds (an integer; negative goes back). */
  advance(ms: number): void;
}

/**
 * A clock that stands still at `at` until told to move.
 *
 * @param at - a valid Date (copied), or an ISO 8601 date-time carrying 'Z' or an offset
 * @throws LoyaltyError `invalid_instant` (path `['at']`) for an invalid Date, a string without an
 *   offset (its instant would depend on the host's zone), or an unparsable string;
 *   `invalid_duration` (path `['ms']`) from `advance` for a non-integer
 * @example
 * ```ts
 * const clock = fixedClock('2027-03-14T12:00:00Z');
 * clock.set('2027-03-15T00:00:00+13:00');
 * clock.now().toISOString(); // '2027-03-14T11:00:00.000Z'
 * ```
 */
export function fixedClock(at: Date | string): FixedClock {
  let current = toInstant(at).getTime();
  return {
    now: () => new Date(current),
    set(next: Date | string): void {
      current = toInstant(next).getTime();
    },
    advance(ms: number): void {
      if (!Number.isSafeInteger(ms)) refuse('invalid_duration', ['ms'], `${String(ms)} is not an integer number of milliseconds`);
      const next = current + ms;
      if (Number.isNaN(new Date(next).getTime())) refuse('invalid_instant', ['ms'], 'the clock would leave the Date range');
      current = next;
    },
  };
}

/**
 * The real clock: the host's current time. The only place in the library that reads it.
 *
 * @example
 * ```ts
 * const startedAt = systemClock.now(); // the current instant
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: (): Date => new Date(),
});

// The fact a paid program gives rules; every other kind's programs read the fallback.
import type { KindFact } from '../types';
import { membershipState, paidConfig } from './machine';
import { holdsIn } from './caught-up';

/**
 * The paid kind's facts: `membership.active`, whether membership benefits hold at the event's
 * instant (trialing, active, past due within grace, cancelled until the paid-through date).
 *
 * @example
 * ```ts
 * PAID_FACTS['membership.active'].compute(ctx); // true for an active member
 * PAID_FACTS['membership.active'].compute(ctxAfterGrace); // false: the grace ended unpaid
 * PAID_FACTS['membership.active'].fallback; // false in a points program
 * ```
 */
export const PAID_FACTS = {
  'membership.active': {
    type: 'boolean',
    description: 'Whether a paid membership gives benefits now; false for programs without one.',
    fallback: false,
    compute: ({ program, account, at, cache }) => {
      const config = paidConfig(program);
      return config !== null && holdsIn(config, membershipState(account), at, cache);
    },
  },
} as const satisfies Readonly<Record<string, KindFact>>;

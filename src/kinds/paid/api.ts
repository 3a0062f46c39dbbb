// The paid kind's public readers: the recorded membership, its status and benefits as of an instant.
import type { AccountState } from '../../ledger/types';
import type { Program } from '../../engine/program-type';
import { holdsAt, membershipState, paidConfig, projected, type MemberBenefits } from './machine';
import type { MembershipState, MembershipStatus } from './state';

/**
 * The customer's recorded membership in a paid program (null for another kind, or before any
 * start). The recorded status is what the last transaction wrote; `membershipStatusAt` carries it
 * forward to an instant.
 *
 * @example
 * ```ts
 * const m = membershipOf(program, (await loyalty.account('ana', 'plus')).state);
 * m?.paidThrough?.toISOString(); // '2027-04-02T04:00:00.000Z'
 * m?.feesPaid.toString(); // '12.99'
 * ```
 */
export function membershipOf(program: Program, account: AccountState): MembershipState | null {
  return paidConfig(program) === null ? null : membershipState(account);
}

/**
 * The membership's status as of `at`, whether or not `tick` has run: the recorded state carried
 * forward by what time does (a trial that ended unpaid is expired, a due date passed unpaid is past
 * due, a grace that ended is expired, a cancelled membership past its end is expired). Null without
 * a membership, or before it started.
 *
 * @example
 * ```ts
 * membershipStatusAt(program, account, new Date('2027-03-02T05:00:00Z')); // 'expired' (a trial that ended unpaid)
 * ```
 */
export function membershipStatusAt(program: Program, account: AccountState, at: Date): MembershipStatus | null {
  const config = paidConfig(program);
  const m = membershipState(account);
  if (config === null || m === null || at.getTime() < m.startedAt.getTime()) return null;
  return projected(config, m, at).status;
}

/**
 * Whether membership benefits hold at `at`: while trialing, active, past due within grace, and
 * cancelled until the paid-through date (or the trial's end); never once expired. Reads as of an
 * instant, whether or not `tick` has run.
 *
 * @example
 * ```ts
 * if (benefitsHold(program, account, clock.now())) shipping = '0.00'; // free shipping for members
 * ```
 */
export function benefitsHold(program: Program, account: AccountState, at: Date): boolean {
  const config = paidConfig(program);
  return config !== null && holdsAt(config, membershipState(account), at);
}

/**
 * The benefits a member has at `at` (discount percent, free shipping, points multiplier), or null
 * when they do not hold.
 *
 * @example
 * ```ts
 * const b = memberBenefits(program, account, new Date('2027-02-10T12:00:00Z'));
 * b?.freeShipping; // true
 * b?.discountPercent.toString(); // '10'
 * ```
 */
export function memberBenefits(program: Program, account: AccountState, at: Date): MemberBenefits | null {
  const config = paidConfig(program);
  if (config === null || !holdsAt(config, membershipState(account), at)) return null;
  const { discountPercent, freeShipping, pointsMultiplier } = config.membership.benefits;
  return { discountPercent, freeShipping, pointsMultiplier };
}

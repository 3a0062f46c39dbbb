// The checks of an event against the program and the account, before any rule runs: expected
// refusals (wrong account, self-referral, too late…) as issues.
import { minorUnits } from '../money';
import { addDaysIn } from '../time';
import type { Issue } from '../errors';
import type { AccountState } from '../ledger/types';
import type { LoyaltyEvent } from '../schema/events';
import { hooksOf } from '../kinds';
import type { Program } from './program-type';

/** The issues that refuse `event` before evaluation (none: it may be evaluated). */
export function checkEvent(program: Program, event: LoyaltyEvent, account: AccountState, now: Date | undefined): Issue[] {
  const { config } = program;
  const issues: Issue[] = [];
  if (event.customerId !== account.customerId) {
    issues.push({ code: 'wrong_account', path: ['customerId'], message: `event is for ${event.customerId}, account is ${account.customerId}` });
  }
  if (event.programId !== undefined && event.programId !== program.id) {
    issues.push({ code: 'wrong_program', path: ['programId'], message: `event is for program ${event.programId}, not ${program.id}` });
  }
  if ((event.type === 'purchase' || event.type === 'refund') && event.currency !== undefined && event.currency !== config.currency) {
    issues.push({ code: 'currency_mismatch', path: ['currency'], message: `program ${program.id} runs in ${config.currency}, the event is in ${event.currency}` });
  }
  // Nothing redeemed (the usual order) has no decimals to check.
  if (event.type === 'purchase' && !event.pointsRedeemed.isZero()) {
    // Whole points, or a spend program's credit in the currency's minor units.
    const places = hooksOf(program).unit(program) === 'points' ? 0 : minorUnits(config.currency);
    if (event.pointsRedeemed.decimalPlaces() > places) {
      issues.push({ code: 'invalid_points', path: ['pointsRedeemed'], message: `redeemed on an order: at most ${places} decimals, got ${event.pointsRedeemed.toString()}` });
    }
  }
  if (event.type === 'referral' && event.referredCustomerId === event.customerId) {
    issues.push({ code: 'self_referral', path: ['referredCustomerId'], message: 'a customer cannot refer themselves' });
  }
  if (now !== undefined) {
    const oldest = addDaysIn(now, -config.latenessDays, config.timeZone);
    if (event.occurredAt.getTime() < oldest.getTime()) {
      issues.push({ code: 'event_too_late', path: ['occurredAt'], message: `events older than ${config.latenessDays} days are refused (occurred ${event.occurredAt.toISOString()}, now ${now.toISOString()})` });
    }
    if (event.occurredAt.getTime() > now.getTime() + config.clockSkewMinutes * 60_000) {
      issues.push({ code: 'event_in_future', path: ['occurredAt'], message: `event is dated ${event.occurredAt.toISOString()}, after now (${now.toISOString()}) plus ${config.clockSkewMinutes} minutes of clock skew` });
    }
  }
  return issues;
}

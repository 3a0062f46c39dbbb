// Limits of earning rules: the window a limit counts in, the key its counter is kept under, and
// the clipping of an award that would exceed it.
import { Decimal, ZERO } from '../money/decimal';
import { canonicalDecimal } from '../money';
import { decimalOfUnits, isPositive, unitsOf } from '../money/minor';
import { addDaysIn, endOfDayIn, endOfMonthIn, endOfWeekIn, endOfYearIn, startOfDayIn, startOfMonthIn, startOfWeekIn, startOfYearIn } from '../time';
import type { AccountState, CounterChange } from '../ledger/types';
import type { LoyaltyEvent } from '../schema/events';
import type { EarningRule, Limit } from '../schema/program';
import type { LimitClip } from './explain-types';
import type { Program } from './program-type';

/** An award a rule makes on one event, before limits (`points` is clipped by them). */
export interface Draft {
  readonly rule: EarningRule;
  readonly index: number;
  /** The award before rounding (explanations read it). */
  readonly raw: Decimal;
  points: Decimal;
  /** Per-line weights of the award (order events only), on the Decimal path. */
  readonly weights: readonly Decimal[] | null;
  /** Per-line weights as integers, proportional to the Decimal path's, on the integer path (award-units.ts). */
  readonly lineUnits: readonly number[] | readonly bigint[] | null;
  readonly clipped: LimitClip[];
  readonly counters: CounterChange[];
}

/** The window a limit counts in, for an event at `at`: its key part and when the counter can go. */
function limitWindow(limit: Limit, at: Date, zone: string, lateness: number, orderId: string): { id: string; end: Date | null } {
  switch (limit.per) {
    case 'lifetime':
      return { id: 'all', end: null };
    case 'order':
      return { id: `order=${orderId}`, end: addDaysIn(at, lateness, zone) };
    case 'day':
      return { id: `day=${startOfDayIn(at, zone).toISOString()}`, end: endOfDayIn(at, zone) };
    case 'week':
      return { id: `week=${startOfWeekIn(at, zone).toISOString()}`, end: endOfWeekIn(at, zone) };
    case 'month':
      return { id: `month=${startOfMonthIn(at, zone).toISOString()}`, end: endOfMonthIn(at, zone) };
    case 'year':
      return { id: `year=${startOfYearIn(at, zone).toISOString()}`, end: endOfYearIn(at, zone) };
  }
}

// Facts whose values name a thing in a free spelling: `' Twitter'`, `'ｔｗｉｔｔｅｒ'` and `'twitter'` are one network.
const CASE_FREE_FACTS: ReadonlySet<string> = new Set(['event.network', 'event.platform']);
// Format characters (zero-width space and joiner, BOM, soft hyphen…): invisible, so never part of a key.
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * The value of a limit's key fact, as the counter compares it. Ids (`…Id` facts such as
 * `event.referredCustomerId`) are opaque and kept byte for byte; other text is NFKC-normalised,
 * stripped of format characters and trimmed, and networks and platforms are lower-cased, so a
 * once-per-network limit cannot be bypassed with a space, full-width letters or a zero-width space.
 */
function factKey(fact: string, value: unknown): string {
  if (Decimal.isDecimal(value)) return canonicalDecimal(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return JSON.stringify(value) ?? '';
  if (/(Id|\.id)$/.test(fact)) return value;
  const text = value.normalize('NFKC').replace(FORMAT_CHARS, '').trim();
  return CASE_FREE_FACTS.has(fact) ? text.toLowerCase().normalize('NFKC') : text;
}

/** The room a points limit leaves: `max(0, limit − used)`, on integers when they are safe, else on Decimals. */
function roomLeft(limit: Decimal, used: Decimal): Decimal {
  const room = unitsOf(limit, 0) - unitsOf(used, 0);
  return room === room ? decimalOfUnits(Math.max(0, room), 0) : Decimal.max(ZERO, limit.minus(used));
}

/**
 * Applies a rule's limits to its award, recording the counter changes it consumes and, when
 * `explain` (only explanations read them), the clips.
 */
export function applyLimits(draft: Draft, account: AccountState, facts: Record<string, unknown>, event: LoyaltyEvent, program: Program, explain: boolean): void {
  if (draft.rule.limits.length === 0) return;
  const { config } = program;
  const orderId = event.type === 'purchase' || event.type === 'refund' ? event.orderId : event.id;
  const pending: CounterChange[] = [];
  draft.rule.limits.forEach((limit, j) => {
    const window = limitWindow(limit, event.occurredAt, config.timeZone, config.latenessDays, orderId);
    const keyPart = limit.key === undefined ? '' : `|${limit.key}=${factKey(limit.key, facts[limit.key])}`;
    const key = `${draft.rule.id}#${j}|${window.id}${keyPart}`;
    const used = account.counters[key];
    const before = draft.points;
    if (limit.count !== undefined) {
      if ((used?.count ?? 0) + 1 > limit.count) draft.points = ZERO;
    } else if (limit.points !== undefined) {
      const room = roomLeft(limit.points, used?.points ?? ZERO);
      if (draft.points.gt(room)) draft.points = room;
    }
    if (explain && !draft.points.eq(before)) {
      const what = limit.count !== undefined ? `${limit.count} award(s)` : `${limit.points?.toString() ?? '0'} points`;
      draft.clipped.push({
        limit: j,
        per: limit.per,
        counter: key,
        before,
        after: draft.points,
        message: `limit of ${what} per ${limit.per}${limit.key ? ` per ${limit.key}` : ''} reached (used ${used?.count ?? 0} award(s), ${(used?.points ?? ZERO).toString()} points)`,
      });
    }
    const keepUntil = window.end === null ? null : addDaysIn(window.end, config.latenessDays, config.timeZone);
    pending.push({ key, count: 1, points: ZERO, keepUntil });
  });
  if (isPositive(draft.points)) for (const c of pending) draft.counters.push({ key: c.key, count: c.count, points: draft.points, keepUntil: c.keepUntil });
}

// Limits of earning rules: the window a limit counts in, the key its counter is kept under, and
// the clipping of an award that would exceed it.
import { Decimal, ZERO } from '../money/decimal';
import { canonicalDecimal } from '../money';
import { decimalOfUnits, isPositive, unitsOf } from '../money/minor';
import { addDaysIn, endOfDayIn, endOfMonthIn, endOfWeekIn, endOfYearIn, startOfDayIn, startOfMonthIn, startOfWeekIn, startOfYearIn } from '../time';
import type { AccountState, Counter, CounterChange } from '../ledger/types';
import type { LoyaltyEvent } from '../schema/events';
import type { EarningRule, Limit, ProgramConfig } from '../schema/program';
import type { LimitClip } from './explain-types';
import type { Program } from './program-type';

/** An award a rule makes on one event, before limits (`points` is clipped by them). */
export interface Draft {
  readonly rule: EarningRule;
  readonly index: number;
  /** The award before rounding (explanations read it). */
  readonly raw: Decimal;
  points: Decimal;
  /** `points` as a whole count when that is a safe integer, else NaN: the integer path's own count, kept beside the Decimal so positivity, totals and line splits read no Decimal. */
  pointUnits: number;
  /** Per-line weights of the award (order events only), on the Decimal path. */
  readonly weights: readonly Decimal[] | null;
  /** Per-line weights as integers, proportional to the Decimal path's, on the integer path (award-units.ts). */
  readonly lineUnits: readonly number[] | readonly bigint[] | null;
  /** The limits that clipped `points` (explanations only); starts as {@link NONE_YET}. */
  clipped: readonly LimitClip[];
  /** The counters the award consumes; starts as {@link NONE_YET}. */
  counters: readonly CounterChange[];
}

/** Whether the draft awards anything: on its count when it has one. */
export function awardsPoints(draft: Draft): boolean {
  const u = draft.pointUnits;
  return u === u ? u > 0 : isPositive(draft.points);
}

/** The empty list a draft's clips and counters start as: shared and frozen, replaced by a draft's own list when a limit records something (most drafts have no limit). */
export const NONE_YET: readonly never[] = Object.freeze([]);

/** A calendar period a limit counts in. */
type CalendarPeriod = 'day' | 'week' | 'month' | 'year';

/** A calendar window as limits use it: its bounds (ms), its key part, and until when its counter is kept (ms). */
interface CalendarWindow {
  readonly start: number;
  readonly end: number;
  readonly id: string;
  readonly keepUntil: number;
  /** Counter keys of this window without a key fact, by key prefix: built once, so the counters lookup hashes a string it has seen. */
  readonly keys: Map<string, string>;
}

const BOUNDS: Readonly<Record<CalendarPeriod, readonly [(t: Date, zone: string) => Date, (t: Date, zone: string) => Date]>> = {
  day: [startOfDayIn, endOfDayIn],
  week: [startOfWeekIn, endOfWeekIn],
  month: [startOfMonthIn, endOfMonthIn],
  year: [startOfYearIn, endOfYearIn],
};

const HOUR_MS = 3_600_000;
/** Windows kept per period before the cache starts over (a few years of days). */
const MAX_CACHED = 2048;

/**
 * The calendar windows of one program's limits, worked out once per window instead of on every
 * award: a zone's day start, end, ISO key part and keep-until cost four zone computations and an
 * ISO formatting. Windows are found by the UTC hour of the instant and used only when they
 * contain it, so an hour that a window boundary cuts (zones with half-hour offsets) recomputes
 * rather than answers wrong. Lives in the compiled program: no module state, nothing shared
 * between programs.
 */
export class LimitWindows {
  readonly #zone: string;
  readonly #lateness: number;
  readonly #cached: Record<CalendarPeriod, Map<number, CalendarWindow>> = { day: new Map(), week: new Map(), month: new Map(), year: new Map() };

  constructor(zone: string, latenessDays: number) {
    this.#zone = zone;
    this.#lateness = latenessDays;
  }

  /** The window of `per` that contains `at`. */
  of(per: CalendarPeriod, at: Date): CalendarWindow {
    const t = at.getTime();
    const bucket = Math.floor(t / HOUR_MS);
    const cache = this.#cached[per];
    const hit = cache.get(bucket);
    if (hit !== undefined && hit.start <= t && t < hit.end) return hit;
    const [startOf, endOf] = BOUNDS[per];
    const start = startOf(at, this.#zone);
    const end = endOf(at, this.#zone);
    const window = { start: start.getTime(), end: end.getTime(), id: `${per}=${start.toISOString()}`, keepUntil: addDaysIn(end, this.#lateness, this.#zone).getTime(), keys: new Map<string, string>() };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(bucket, window);
    return window;
  }
}

/** A limit's counter key (`<prefix><window id>` and its key fact's part) and until when the counter is kept. */
interface CounterSlot {
  readonly key: string;
  readonly keepUntil: Date | null;
}

/** The counter a limit counts in, for an event at `at`: `prefix` is `<rule id>#<limit index>|`, `keyPart` the key fact's part ('' without). */
function counterSlot(limit: Limit, prefix: string, keyPart: string, at: Date, config: ProgramConfig, windows: LimitWindows, orderId: string): CounterSlot {
  switch (limit.per) {
    case 'lifetime':
      return { key: `${prefix}all${keyPart}`, keepUntil: null };
    case 'order': {
      const end = addDaysIn(at, config.latenessDays, config.timeZone);
      return { key: `${prefix}order=${orderId}${keyPart}`, keepUntil: addDaysIn(end, config.latenessDays, config.timeZone) };
    }
    default: {
      const window = windows.of(limit.per, at);
      let key = keyPart === '' ? window.keys.get(prefix) : undefined;
      if (key === undefined) {
        key = prefix + window.id + keyPart;
        if (keyPart === '') window.keys.set(prefix, key);
      }
      return { key, keepUntil: new Date(window.keepUntil) };
    }
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

/**
 * The points an award keeps under a points limit: at most the room the limit leaves,
 * `max(0, limit − used)`; on integers when all three are safe whole numbers, else on Decimals.
 */
function clippedTo(points: Decimal, limit: Decimal, used: Decimal): Decimal {
  const p = unitsOf(points, 0);
  const room = unitsOf(limit, 0) - unitsOf(used, 0);
  if (p === p && room === room) return p > Math.max(0, room) ? decimalOfUnits(Math.max(0, room), 0) : points;
  const left = Decimal.max(ZERO, limit.minus(used));
  return points.gt(left) ? left : points;
}

/** What applying limits reads besides the draft: the event's context and the program's compiled limit parts. */
export interface LimitContext {
  readonly account: AccountState;
  readonly facts: Record<string, unknown>;
  readonly event: LoyaltyEvent;
  readonly program: Program;
  readonly windows: LimitWindows;
  /** Each rule's counter key prefixes, `<rule id>#<limit index>|`, by config index. */
  readonly keyPrefixes: readonly (readonly string[])[];
  readonly explain: boolean;
}

/**
 * Applies a rule's limits to its award, recording the counter changes it consumes and, when
 * `explain` (only explanations read them), the clips.
 */
export function applyLimits(draft: Draft, ctx: LimitContext): void {
  const limits = draft.rule.limits;
  if (limits.length === 0) return;
  const { config } = ctx.program;
  const { event, facts } = ctx;
  const orderId = event.type === 'purchase' || event.type === 'refund' ? event.orderId : event.id;
  const prefixes = ctx.keyPrefixes[draft.index];
  const slots: CounterSlot[] = [];
  for (let j = 0; j < limits.length; j++) {
    const limit = limits[j] as Limit;
    const keyPart = limit.key === undefined ? '' : `|${limit.key}=${factKey(limit.key, facts[limit.key])}`;
    const slot = counterSlot(limit, prefixes?.[j] ?? `${draft.rule.id}#${j}|`, keyPart, event.occurredAt, config, ctx.windows, orderId);
    const used = ctx.account.counters[slot.key];
    const before = draft.points;
    if (limit.count !== undefined) {
      if ((used?.count ?? 0) + 1 > limit.count) draft.points = ZERO;
    } else if (limit.points !== undefined) {
      draft.points = clippedTo(draft.points, limit.points, used?.points ?? ZERO);
    }
    if (draft.points !== before) draft.pointUnits = unitsOf(draft.points, 0);
    if (ctx.explain && !draft.points.eq(before)) draft.clipped = [...draft.clipped, clipOf(limit, j, slot.key, before, draft.points, used)];
    slots.push(slot);
  }
  if (!awardsPoints(draft)) return;
  const counters = [...draft.counters];
  for (const slot of slots) counters.push({ key: slot.key, count: 1, points: draft.points, keepUntil: slot.keepUntil });
  draft.counters = counters;
}

/** What an explanation says of a limit that clipped an award. */
function clipOf(limit: Limit, j: number, key: string, before: Decimal, after: Decimal, used: Counter | undefined): LimitClip {
  const what = limit.count !== undefined ? `${limit.count} award(s)` : `${limit.points?.toString() ?? '0'} points`;
  return {
    limit: j,
    per: limit.per,
    counter: key,
    before,
    after,
    message: `limit of ${what} per ${limit.per}${limit.key ? ` per ${limit.key}` : ''} reached (used ${used?.count ?? 0} award(s), ${(used?.points ?? ZERO).toString()} points)`,
  };
}

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
  /** Per-line weights of the award (order events only), on the Decimal path. */
  readonly weights: readonly Decimal[] | null;
  /** Per-line weights as integers, proportional to the Decimal path's, on the integer path (award-units.ts). */
  readonly lineUnits: readonly number[] | readonly bigint[] | null;
  readonly clipped: LimitClip[];
  readonly counters: CounterChange[];
}

/** A calendar period a limit counts in. */
type CalendarPeriod = 'day' | 'week' | 'month' | 'year';

/** A calendar window as limits use it: its bounds (ms), its key part, and until when its counter is kept (ms). */
interface CalendarWindow {
  readonly start: number;
  readonly end: number;
  readonly id: string;
  readonly keepUntil: number;
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
    const window = { start: start.getTime(), end: end.getTime(), id: `${per}=${start.toISOString()}`, keepUntil: addDaysIn(end, this.#lateness, this.#zone).getTime() };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(bucket, window);
    return window;
  }
}

/** The window a limit counts in, for an event at `at`: its key part and until when its counter is kept. */
function limitWindow(limit: Limit, at: Date, config: ProgramConfig, windows: LimitWindows, orderId: string): { id: string; keepUntil: Date | null } {
  switch (limit.per) {
    case 'lifetime':
      return { id: 'all', keepUntil: null };
    case 'order': {
      const end = addDaysIn(at, config.latenessDays, config.timeZone);
      return { id: `order=${orderId}`, keepUntil: addDaysIn(end, config.latenessDays, config.timeZone) };
    }
    default: {
      const window = windows.of(limit.per, at);
      return { id: window.id, keepUntil: new Date(window.keepUntil) };
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

/** The room a points limit leaves: `max(0, limit − used)`, on integers when they are safe, else on Decimals. */
function roomLeft(limit: Decimal, used: Decimal): Decimal {
  const room = unitsOf(limit, 0) - unitsOf(used, 0);
  return room === room ? decimalOfUnits(Math.max(0, room), 0) : Decimal.max(ZERO, limit.minus(used));
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
  const keys: string[] = [];
  const keeps: (Date | null)[] = [];
  for (let j = 0; j < limits.length; j++) {
    const limit = limits[j] as Limit;
    const window = limitWindow(limit, event.occurredAt, config, ctx.windows, orderId);
    const keyPart = limit.key === undefined ? '' : `|${limit.key}=${factKey(limit.key, facts[limit.key])}`;
    const key = (prefixes?.[j] ?? `${draft.rule.id}#${j}|`) + window.id + keyPart;
    const used = ctx.account.counters[key];
    const before = draft.points;
    if (limit.count !== undefined) {
      if ((used?.count ?? 0) + 1 > limit.count) draft.points = ZERO;
    } else if (limit.points !== undefined) {
      const room = roomLeft(limit.points, used?.points ?? ZERO);
      if (draft.points.gt(room)) draft.points = room;
    }
    if (ctx.explain && !draft.points.eq(before)) draft.clipped.push(clipOf(limit, j, key, before, draft.points, used));
    keys.push(key);
    keeps.push(window.keepUntil);
  }
  if (!isPositive(draft.points)) return;
  for (let j = 0; j < keys.length; j++) draft.counters.push({ key: keys[j] as string, count: 1, points: draft.points, keepUntil: keeps[j] ?? null });
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

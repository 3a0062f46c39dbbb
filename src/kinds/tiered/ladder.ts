// The tier ladder of a tiered program: qualification buckets and periods, the tier an amount
// reaches, and the period-end evaluations that keep or lower a tier. Pure: no hook lives here.
import { Decimal, ZERO } from '../../money/decimal';
import { minorUnits } from '../../money';
import { addDaysIn, addMonthsIn, endOfYearIn, startOfMonthIn, startOfYearIn, zonedParts } from '../../time';
import { UnreachableError } from '../../errors';
import type { AccountState } from '../../ledger/types';
import type { Program } from '../../engine/program-type';
import { configOf, stateOf } from '../shared';
import type { TierBucket, TierState } from './state';
import type { Tier, TieredProgramConfig } from './schema';

const EPOCH = new Date(0);
/** The `state` key of a customer's tier. */
export const KEY = 'tier';
/** More period ends than this in one catch-up means a corrupt state, not a long absence. */
const MAX_STEPS = 10_000;

export type Config = TieredProgramConfig;

// ---------------------------------------------------------------------------------------------
// Periods and buckets
// ---------------------------------------------------------------------------------------------

/** The start of the bucket an amount at `at` is counted in: its calendar year, its month, or all time. */
export function bucketStart(config: Config, at: Date): Date {
  const window = config.qualification.window;
  switch (window) {
    case 'calendar_year':
      return startOfYearIn(at, config.timeZone);
    case 'rolling_12_months':
      return startOfMonthIn(at, config.timeZone);
    case 'lifetime':
      return EPOCH;
    default: {
      void (window satisfies never);
      throw new UnreachableError(window);
    }
  }
}

/** The qualifying amount as of `at`: the year of `at`, the month of `at` and the 11 before it, or all time. */
export function windowAmount(config: Config, buckets: readonly TierBucket[], at: Date): Decimal {
  const window = config.qualification.window;
  if (window === 'lifetime') return buckets.reduce((s, b) => s.plus(b.amount), ZERO);
  const to = bucketStart(config, at).getTime();
  if (window === 'calendar_year') return buckets.find((b) => b.start.getTime() === to)?.amount ?? ZERO;
  const from = addMonthsIn(new Date(to), -11, config.timeZone).getTime();
  return buckets.reduce((s, b) => (b.start.getTime() >= from && b.start.getTime() <= to ? s.plus(b.amount) : s), ZERO);
}

/** k ≥ 1, the first anniversary of `since` strictly after `t` is `since` + 12k months (anchor day kept). */
export function anniversaryAfter(since: Date, t: Date, zone: string): { k: number; at: Date } {
  let k = Math.max(1, zonedParts(t, zone).year - zonedParts(since, zone).year);
  while (k > 1 && addMonthsIn(since, 12 * (k - 1), zone).getTime() > t.getTime()) k -= 1;
  let at = addMonthsIn(since, 12 * k, zone);
  while (at.getTime() <= t.getTime()) {
    k += 1;
    at = addMonthsIn(since, 12 * k, zone);
  }
  return { k, at };
}

/**
 * The start of the qualification period containing `at`: its 1 January, the anniversary of
 * `since` at or before it (rolling), or the epoch (lifetime).
 */
export function periodStartAt(config: Config, since: Date, at: Date): Date {
  const window = config.qualification.window;
  if (window === 'calendar_year') return startOfYearIn(at, config.timeZone);
  if (window === 'lifetime') return EPOCH;
  if (at.getTime() < since.getTime()) return since;
  const { k } = anniversaryAfter(since, at, config.timeZone);
  return k === 1 ? since : addMonthsIn(since, 12 * (k - 1), config.timeZone);
}

/** The end of the period the next evaluation looks at (a 1 January, or an anniversary of `since`); null for lifetime. */
export function periodEnd(config: Config, state: TierState): Date | null {
  const window = config.qualification.window;
  if (window === 'calendar_year') return endOfYearIn(state.periodStart, config.timeZone);
  if (window === 'lifetime') return null;
  return anniversaryAfter(state.since, state.periodStart, config.timeZone).at;
}

/** The amount a period-end evaluation of [start, end) looks at. */
export function periodAmount(config: Config, buckets: readonly TierBucket[], start: Date, end: Date): Decimal {
  return config.qualification.window === 'calendar_year' ? windowAmount(config, buckets, start) : windowAmount(config, buckets, new Date(end.getTime() - 1));
}

/** Adds `delta` to the bucket starting at `start` (never below 0), oldest first. */
export function addToBucket(buckets: readonly TierBucket[], start: Date, delta: Decimal): TierBucket[] {
  const out = buckets.filter((b) => b.start.getTime() !== start.getTime());
  const before = buckets.find((b) => b.start.getTime() === start.getTime())?.amount ?? ZERO;
  out.push({ start, amount: Decimal.max(ZERO, before.plus(delta)) });
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * Drops buckets no evaluation and no upgrade can read any more: for calendar years all but the
 * latest two (and those of periods still to evaluate); for a rolling 12 months all but the latest
 * 13 months (and the next evaluation's window).
 */
export function prune(config: Config, state: TierState): TierState {
  const { window } = config.qualification;
  const latest = state.buckets.at(-1);
  if (window === 'lifetime' || !latest) return state;
  const zone = config.timeZone;
  const held = indexOf(config, state.tier) > 0;
  let keepFrom: number;
  if (window === 'calendar_year') {
    keepFrom = startOfYearIn(new Date(latest.start.getTime() - 1), zone).getTime();
    if (held) keepFrom = Math.min(keepFrom, state.periodStart.getTime());
  } else {
    keepFrom = addMonthsIn(latest.start, -12, zone).getTime();
    const end = held ? periodEnd(config, state) : null;
    if (end) keepFrom = Math.min(keepFrom, addMonthsIn(startOfMonthIn(new Date(end.getTime() - 1), zone), -11, zone).getTime());
  }
  const buckets = state.buckets.filter((b) => b.start.getTime() >= keepFrom);
  return buckets.length === state.buckets.length ? state : { ...state, buckets };
}

// ---------------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------------

/** The index of a tier id in the ladder; a tier no longer in the config counts as the first. */
export function indexOf(config: Config, id: string): number {
  return Math.max(0, config.tiers.findIndex((t) => t.id === id));
}

/** The highest tier whose threshold `amount` reaches. */
export function qualifiedIndex(config: Config, amount: Decimal): number {
  let q = 0;
  config.tiers.forEach((t, i) => {
    if (amount.gte(t.threshold)) q = i;
  });
  return q;
}

export function tierAt(config: Config, i: number): Tier {
  const tier = config.tiers[Math.min(Math.max(i, 0), config.tiers.length - 1)];
  if (!tier) throw new Error('a tiered program has at least one tier');
  return tier;
}

/** The customer's recorded tier state, if any. */
export function tierState(account: AccountState): TierState | undefined {
  return stateOf(account, KEY, 'tier') ?? undefined;
}

export function tieredConfig(program: Program): Config | null {
  return configOf(program, 'tiered');
}

export function amountText(config: Config, amount: Decimal): string {
  switch (config.qualification.basis) {
    case 'spend':
      return `spend ${amount.toFixed(minorUnits(config.currency))} ${config.currency}`;
    case 'points':
      return `${amount.toString()} points earned`;
    case 'orders':
      return `${amount.toString()} order${amount.eq(1) ? '' : 's'}`;
    default: {
      const basis: never = config.qualification.basis;
      throw new UnreachableError(basis);
    }
  }
}

export function monthText(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** Words for a period end: "the end of 2027", or "the anniversary on 2027-06-10". */
export function endText(config: Config, end: Date): string {
  const p = zonedParts(end, config.timeZone);
  if (config.qualification.window === 'calendar_year') return `the end of ${p.year - 1}`;
  return `the anniversary on ${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Words for the window an amount was counted over, e.g. "in 2026" or "in 2026-07..2027-06". */
export function windowText(config: Config, at: Date): string {
  const zone = config.timeZone;
  switch (config.qualification.window) {
    case 'calendar_year':
      return `in ${zonedParts(at, zone).year}`;
    case 'rolling_12_months': {
      const to = startOfMonthIn(at, zone);
      return `in ${monthText(addMonthsIn(to, -11, zone), zone)}..${monthText(to, zone)}`;
    }
    case 'lifetime':
      return 'in total';
    default: {
      const window: never = config.qualification.window;
      throw new UnreachableError(window);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Period-end evaluation
// ---------------------------------------------------------------------------------------------

/** One period-end evaluation: the state after it, when it took effect, and why. */
export interface Step {
  readonly state: TierState;
  readonly at: Date;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/**
 * Applies every period-end evaluation due by `until` (period end plus grace), in order. Each one
 * looks at the period that ended: the tier held is kept if that period's amount qualifies for it,
 * if it was earned after the period, or if it was earned during the period and status holds
 * through the next one; otherwise it drops one step or to the tier qualified for (never below
 * what the current period already qualifies for), and the new period starts.
 */
export function advance(config: Config, start: TierState, until: Date): { state: TierState; steps: Step[] } {
  const { graceDays, holdThroughNextPeriod: hold, downgrade } = config.retention;
  const zone = config.timeZone;
  const steps: Step[] = [];
  let state = start;
  for (let n = 0; n < MAX_STEPS; n++) {
    const h = indexOf(config, state.tier);
    if (h === 0) break;
    const end = periodEnd(config, state);
    if (!end) break;
    const due = addDaysIn(end, graceDays, zone);
    if (due.getTime() > until.getTime()) break;
    const begin = state.periodStart;
    const amount = periodAmount(config, state.buckets, begin, end);
    const q = qualifiedIndex(config, amount);
    const earned = state.earnedIn?.getTime() ?? Number.NEGATIVE_INFINITY;
    const held = tierAt(config, h);
    const what = `${amountText(config, amount)} ${windowText(config, config.qualification.window === 'calendar_year' ? begin : new Date(end.getTime() - 1))}`;
    let keep: string | null = null;
    if (q >= h) keep = `${what} reached ${held.id}'s ${held.threshold.toString()}`;
    else if (earned >= end.getTime()) keep = `${held.id} was earned after the period`;
    else if (hold && earned >= begin.getTime()) keep = `${held.id} was earned during the period and holds through the next one`;
    const current = qualifiedIndex(config, windowAmount(config, state.buckets, due));
    if (keep === null && current >= h) keep = `the current period already qualifies for ${held.id}`;
    if (keep !== null) {
      const next = prune(config, { ...state, periodStart: end });
      steps.push({ state: next, at: due, from: held.id, to: held.id, reason: `kept ${held.id} at ${endText(config, end)}: ${keep}` });
      state = next;
      continue;
    }
    const byRule = downgrade === 'one_step' ? Math.max(q, h - 1) : q;
    const target = Math.max(byRule, current);
    const to = tierAt(config, target);
    const mode = downgrade === 'one_step' ? 'one step' : 'to the tier qualified for';
    const why =
      target > byRule
        ? `${what} is below ${held.id}'s ${held.threshold.toString()}; the current period already qualifies for ${to.id}`
        : `${what} is below ${held.id}'s ${held.threshold.toString()} (${mode})`;
    const since = due;
    const next = prune(config, {
      kind: 'tier',
      tier: to.id,
      since,
      // Calendar years: a new year that already qualifies for the tier earned it. A rolling window's
      // current amount is the ended period's, so a downgraded tier there is never "earned".
      earnedIn: config.qualification.window === 'calendar_year' && target > 0 && target === current ? startOfYearIn(since, zone) : null,
      periodStart: config.qualification.window === 'calendar_year' ? end : since,
      buckets: state.buckets,
      previous: { tier: held.id, until: since },
    });
    steps.push({ state: next, at: due, from: held.id, to: to.id, reason: `downgraded from ${held.id} to ${to.id} at ${endText(config, end)}${graceDays > 0 ? ` after ${graceDays} days of grace` : ''}: ${why}` });
    state = next;
  }
  return { state, steps };
}

import { Decimal, ZERO, ONE } from '../../money/decimal';
import { minorUnits } from '../../money';
import { addDaysIn, addMonthsIn, birthdayInYear, endOfYearIn, localDateTimeIn, startOfDayIn, startOfMonthIn, startOfYearIn, zonedParts } from '../../time';
import { UnreachableError, type Issue } from '../../errors';
import type { AccountState, Entry, Transaction } from '../../ledger/types';
import { earnLot, type NewLot } from '../../engine/earn-lot';
import type { TierBucket, TierState } from './state';
import type { Customer } from '../../schema/customer';
import type { Tier, TieredProgramConfig } from './schema';
import { expiresAt } from '../../engine/expiry';
import type { Notification } from '../../engine/notifications';
import type { Program } from '../../engine/program';
import { pointsLike } from '../points/hooks';
import type { KindEventContext, KindHooks, KindResult } from '../types';
import { lotId, noticeId, noticePrefix, tickId } from '../../ledger/ids';
import { lastYearPaid } from '../../ledger/read';

const EPOCH = new Date(0);
/** The `state` key of a customer's tier, and the `mark` key of the last year a tier birthday gift was judged. */
const KEY = 'tier';
const BIRTHDAY_MARK = 'tier-birthday';
/** More period ends than this in one catch-up means a corrupt state, not a long absence. */
const MAX_STEPS = 10_000;

type Config = TieredProgramConfig;

// ---------------------------------------------------------------------------------------------
// Periods and buckets
// ---------------------------------------------------------------------------------------------

/** The start of the bucket an amount at `at` is counted in: its calendar year, its month, or all time. */
function bucketStart(config: Config, at: Date): Date {
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
function windowAmount(config: Config, buckets: readonly TierBucket[], at: Date): Decimal {
  const window = config.qualification.window;
  if (window === 'lifetime') return buckets.reduce((s, b) => s.plus(b.amount), ZERO);
  const to = bucketStart(config, at).getTime();
  if (window === 'calendar_year') return buckets.find((b) => b.start.getTime() === to)?.amount ?? ZERO;
  const from = addMonthsIn(new Date(to), -11, config.timeZone).getTime();
  return buckets.reduce((s, b) => (b.start.getTime() >= from && b.start.getTime() <= to ? s.plus(b.amount) : s), ZERO);
}

/** k ≥ 1, the first anniversary of `since` strictly after `t` is `since` + 12k months (anchor day kept). */
function anniversaryAfter(since: Date, t: Date, zone: string): { k: number; at: Date } {
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
function periodStartAt(config: Config, since: Date, at: Date): Date {
  const window = config.qualification.window;
  if (window === 'calendar_year') return startOfYearIn(at, config.timeZone);
  if (window === 'lifetime') return EPOCH;
  if (at.getTime() < since.getTime()) return since;
  const { k } = anniversaryAfter(since, at, config.timeZone);
  return k === 1 ? since : addMonthsIn(since, 12 * (k - 1), config.timeZone);
}

/** The end of the period the next evaluation looks at (a 1 January, or an anniversary of `since`); null for lifetime. */
function periodEnd(config: Config, state: TierState): Date | null {
  const window = config.qualification.window;
  if (window === 'calendar_year') return endOfYearIn(state.periodStart, config.timeZone);
  if (window === 'lifetime') return null;
  return anniversaryAfter(state.since, state.periodStart, config.timeZone).at;
}

/** The amount a period-end evaluation of [start, end) looks at. */
function periodAmount(config: Config, buckets: readonly TierBucket[], start: Date, end: Date): Decimal {
  return config.qualification.window === 'calendar_year' ? windowAmount(config, buckets, start) : windowAmount(config, buckets, new Date(end.getTime() - 1));
}

/** Adds `delta` to the bucket starting at `start` (never below 0), oldest first. */
function addToBucket(buckets: readonly TierBucket[], start: Date, delta: Decimal): TierBucket[] {
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
function prune(config: Config, state: TierState): TierState {
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
function indexOf(config: Config, id: string): number {
  return Math.max(0, config.tiers.findIndex((t) => t.id === id));
}

/** The highest tier whose threshold `amount` reaches. */
function qualifiedIndex(config: Config, amount: Decimal): number {
  let q = 0;
  config.tiers.forEach((t, i) => {
    if (amount.gte(t.threshold)) q = i;
  });
  return q;
}

function tierAt(config: Config, i: number): Tier {
  const tier = config.tiers[Math.min(Math.max(i, 0), config.tiers.length - 1)];
  if (!tier) throw new Error('a tiered program has at least one tier');
  return tier;
}

function stateOf(account: AccountState): TierState | undefined {
  const s = account.kinds[KEY];
  return s?.kind === 'tier' ? s : undefined;
}

function configOf(program: Program): Config | null {
  return program.config.kind === 'tiered' ? program.config : null;
}

function amountText(config: Config, amount: Decimal): string {
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

function monthText(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** Words for a period end: "the end of 2027", or "the anniversary on 2027-06-10". */
function endText(config: Config, end: Date): string {
  const p = zonedParts(end, config.timeZone);
  if (config.qualification.window === 'calendar_year') return `the end of ${p.year - 1}`;
  return `the anniversary on ${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Words for the window an amount was counted over, e.g. "in 2026" or "in 2026-07..2027-06". */
function windowText(config: Config, at: Date): string {
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
interface Step {
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
function advance(config: Config, start: TierState, until: Date): { state: TierState; steps: Step[] } {
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

// One-entry memo: facts, multipliers and onEvent read the same state at the same instant.
let memo: { state: TierState; at: number; config: Config; result: { state: TierState; steps: Step[] } } | undefined;

function advanced(config: Config, state: TierState, at: Date): { state: TierState; steps: Step[] } {
  if (memo && memo.state === state && memo.at === at.getTime() && memo.config === config) return memo.result;
  const result = advance(config, state, at);
  memo = { state, at: at.getTime(), config, result };
  return result;
}

/** The tier held at `at`: evaluations due by then applied; a late instant before the last change sees the tier held before it. */
function effectiveIndex(config: Config, account: AccountState, at: Date): { index: number; state: TierState | undefined } {
  const stored = stateOf(account);
  if (!stored) return { index: 0, state: undefined };
  const state = advanced(config, stored, at).state;
  const id = at.getTime() < state.since.getTime() && state.previous ? state.previous.tier : state.tier;
  return { index: indexOf(config, id), state };
}

// ---------------------------------------------------------------------------------------------
// Counting events
// ---------------------------------------------------------------------------------------------

/** When the refunded order was bought (its purchase transaction), so the refund reduces that period. */
function purchaseInstant(orderId: string, transactions: readonly Transaction[]): Date | undefined {
  for (const tx of transactions) for (const e of tx.entries) if (e.kind === 'activity' && e.orderId === orderId && e.lines) return tx.at;
  return undefined;
}

/** What an event adds to (or, a refund, takes from) the qualifying amount, and the instant whose bucket it lands in. */
function eventDelta(config: Config, ctx: KindEventContext): { delta: Decimal; at: Date; what: string } | null {
  const { event } = ctx;
  const basis = config.qualification.basis;
  if (event.type === 'refund') {
    const at = purchaseInstant(event.orderId, ctx.orderTransactions) ?? event.occurredAt;
    const what = `refund of order ${event.orderId}`;
    if (basis === 'spend') {
      const net = ctx.entries.reduce((s, e) => (e.kind === 'refund' ? s.plus(e.net) : s), ZERO);
      return { delta: net.neg(), at, what };
    }
    if (basis === 'points') {
      const clawed = ctx.entries.reduce((s, e) => (e.kind === 'clawback' && e.unit === 'points' ? e.against.reduce((t, a) => t.plus(a.amount), s) : s), ZERO);
      return { delta: clawed.neg(), at, what };
    }
    // Orders: the refund that completes the order takes it out of the count.
    let subtotal: Decimal | undefined;
    let refundedBefore = ZERO;
    for (const tx of ctx.orderTransactions) {
      for (const e of tx.entries) {
        if (e.kind === 'activity' && e.orderId === event.orderId && e.lines) subtotal = e.spend;
        else if (e.kind === 'refund' && e.orderId === event.orderId) refundedBefore = refundedBefore.plus(e.net);
      }
    }
    const now = ctx.entries.reduce((s, e) => (e.kind === 'refund' ? s.plus(e.net) : s), refundedBefore);
    const completes = subtotal !== undefined && subtotal.gt(0) && refundedBefore.lt(subtotal) && now.gte(subtotal);
    return { delta: completes ? ONE.neg() : ZERO, at, what };
  }
  const at = event.occurredAt;
  if (basis === 'points') {
    const earned = ctx.entries.reduce((s, e) => (e.kind === 'earn' && e.unit === 'points' ? s.plus(e.lot.amount) : s), ZERO);
    return { delta: earned, at, what: `${event.type} ${event.id}` };
  }
  if (event.type !== 'purchase' || !ctx.order) return null;
  return { delta: basis === 'spend' ? ctx.order.summary.subtotal : ONE, at, what: `order ${event.orderId}` };
}

function signed(config: Config, delta: Decimal): string {
  const text = amountText(config, delta.abs());
  return delta.isNegative() ? `−${text}` : `+${text}`;
}

function stepsToResult(program: Program, customerId: string, steps: readonly Step[], idPrefix: string): { entries: Entry[]; notifications: Notification[] } {
  const entries: Entry[] = [];
  const notifications: Notification[] = [];
  for (const step of steps) {
    entries.push({ kind: 'state', key: KEY, value: step.state, reason: step.reason });
    if (step.from !== step.to) {
      notifications.push({ id: `${idPrefix}:tier.downgraded:${step.at.toISOString()}`, type: 'tier.downgraded', programId: program.id, customerId, at: step.at, from: step.from, to: step.to, reason: step.reason });
    }
  }
  return { entries, notifications };
}

function onEvent(ctx: KindEventContext): KindResult {
  const config = configOf(ctx.program);
  if (!config) return { entries: [], notifications: [] };
  const { event } = ctx;
  const at = event.occurredAt;
  const customerId = ctx.account.customerId;
  const stored = stateOf(ctx.after);
  const caught = stored ? advanced(config, stored, at) : undefined;
  const { entries, notifications } = stepsToResult(ctx.program, customerId, caught?.steps ?? [], noticePrefix('event', event.id));
  const change = eventDelta(config, ctx);
  if (!change || change.delta.isZero()) return { entries, notifications };

  let state: TierState = caught?.state ?? {
    kind: 'tier',
    tier: tierAt(config, 0).id,
    since: at,
    earnedIn: null,
    periodStart: periodStartAt(config, at, at),
    buckets: [],
    previous: null,
  };
  const bucket = bucketStart(config, change.at);
  // A refund of an order whose period is no longer counted changes nothing the tiers read.
  if (change.delta.isNegative() && !state.buckets.some((b) => b.start.getTime() === bucket.getTime())) return { entries, notifications };
  state = { ...state, buckets: addToBucket(state.buckets, bucket, change.delta) };
  let reason = `${signed(config, change.delta)} (${change.what})`;
  const h = indexOf(config, state.tier);
  if (change.delta.gt(0)) {
    const amount = windowAmount(config, state.buckets, change.at);
    const q = qualifiedIndex(config, amount);
    const reached = tierAt(config, q);
    const counted = `${amountText(config, amount)} ${windowText(config, change.at)}`;
    if (q > h) {
      const from = tierAt(config, h).id;
      const zone = config.timeZone;
      state = {
        ...state,
        tier: reached.id,
        since: at,
        earnedIn: periodStartAt(config, at, at),
        // Calendar years: the next evaluation is of the upgrade's year, or of a later one already reached.
        periodStart:
          config.qualification.window === 'calendar_year'
            ? new Date(Math.max(state.periodStart.getTime(), startOfYearIn(at, zone).getTime()))
            : periodStartAt(config, at, at),
        previous: { tier: from, until: at },
      };
      reason = `upgraded from ${from} to ${reached.id}: ${counted} reached ${reached.threshold.toString()} (${change.what})`;
      notifications.push({ id: noticeId(noticePrefix('event', event.id), 'tier.upgraded'), type: 'tier.upgraded', programId: ctx.program.id, customerId, at, from, to: reached.id, reason });
    } else if (q === h && h > 0) {
      const period = periodStartAt(config, state.since, at);
      if (at.getTime() >= state.since.getTime() && period.getTime() > (state.earnedIn?.getTime() ?? Number.NEGATIVE_INFINITY)) {
        state = { ...state, earnedIn: period };
        reason = `requalified for ${reached.id}: ${counted} reached ${reached.threshold.toString()} (${change.what})`;
      }
    }
  }
  entries.push({ kind: 'state', key: KEY, value: prune(config, state), reason });
  return { entries, notifications };
}

// ---------------------------------------------------------------------------------------------
// Time: period ends and the birthday gift
// ---------------------------------------------------------------------------------------------

function birthdayStart(customer: Customer, year: number, zone: string): Date | null {
  if (!customer.birthday) return null;
  const b = birthdayInYear(customer.birthday, year);
  // Noon always exists, so its day's start is the birthday's first instant even when midnight is skipped.
  return startOfDayIn(localDateTimeIn(year, b.month, b.day, 12, 0, zone), zone);
}

function hasGifts(config: Config): boolean {
  return config.tiers.some((t) => t.benefits.birthdayGift?.gt(0) === true);
}

function onTick(ctx: Parameters<NonNullable<KindHooks['onTick']>>[0]): KindResult {
  const config = configOf(ctx.program);
  if (!config) return { entries: [], notifications: [] };
  const { now, after } = ctx;
  const id = tickId(now);
  const stored = stateOf(after);
  const caught = stored ? advanced(config, stored, now) : undefined;
  const { entries, notifications } = stepsToResult(ctx.program, after.customerId, caught?.steps ?? [], id);

  // The held tier's birthday gift, once a year, on the birthday in the customer's zone.
  const customer = ctx.customer;
  if (customer?.birthday && hasGifts(config)) {
    const zone = customer.timeZone ?? config.timeZone;
    const year = zonedParts(now, zone).year;
    const start = birthdayStart(customer, year, zone);
    if (start && start.getTime() <= now.getTime() && start.getTime() >= customer.enrolledAt.getTime() && year > lastYearPaid(after.marks, BIRTHDAY_MARK)) {
      const state = caught?.state;
      const i = state ? indexOf(config, start.getTime() < state.since.getTime() && state.previous ? state.previous.tier : state.tier) : 0;
      const tier = tierAt(config, i);
      const gift = tier.benefits.birthdayGift;
      if (gift?.gt(0)) {
        const lot: NewLot = {
          id: lotId({ kind: 'tier-birthday', year }),
          unit: 'points',
          amount: gift,
          earnedAt: start,
          availableAt: start,
          expiresAt: expiresAt(config.birthday?.expiry ?? config.expiry, start, config.timeZone),
          account: 'available',
          cause: { eventId: id, ruleId: 'tier-birthday', programVersion: config.version },
        };
        entries.push(earnLot(lot, after.debt.points ?? ZERO, 'tier-birthday').entry);
        notifications.push({ id: `${id}:birthday:tier-${year}`, type: 'birthday', programId: ctx.program.id, customerId: after.customerId, at: now, year, points: gift });
      }
      entries.push({ kind: 'mark', key: BIRTHDAY_MARK, value: String(year) });
    }
  }
  return { entries, notifications };
}

function nextDue(ctx: Parameters<NonNullable<KindHooks['nextDueAt']>>[0]): Date | null {
  const config = configOf(ctx.program);
  if (!config) return null;
  const { after, account, customer } = ctx;
  const t = after.getTime();
  let best = Number.POSITIVE_INFINITY;
  const state = stateOf(account);
  if (state && indexOf(config, state.tier) > 0) {
    const end = periodEnd(config, state);
    // An evaluation already overdue (a late upgrade) is due at once.
    if (end) best = Math.max(addDaysIn(end, config.retention.graceDays, config.timeZone).getTime(), t + 1);
  }
  if (customer?.birthday && hasGifts(config)) {
    const zone = customer.timeZone ?? config.timeZone;
    const from = t > customer.enrolledAt.getTime() ? after : customer.enrolledAt;
    const year = zonedParts(from, zone).year;
    for (const y of [year, year + 1]) {
      if (y <= lastYearPaid(account.marks, BIRTHDAY_MARK)) continue;
      const start = birthdayStart(customer, y, zone);
      if (start && start.getTime() >= customer.enrolledAt.getTime() && start.getTime() > t) best = Math.min(best, start.getTime());
    }
  }
  return Number.isFinite(best) ? new Date(best) : null;
}

/**
 * The `tiered` kind's hooks: points plus status levels. Facts `customer.tier`, `tier.next` and
 * `tier.progress`; the held tier's earn multiplier on every line; purchases (and refunds) counted
 * toward the qualification window with immediate upgrades; period-end evaluations and the tier's
 * birthday gift in `tick`; tier-only catalog rewards.
 *
 * @example
 * ```ts
 * hooksOf(program) === tieredHooks; // for a program of kind 'tiered'
 * ```
 */
export const tieredHooks: KindHooks = {
  ...pointsLike,
  facts: ({ program, account, at }) => {
    const config = configOf(program);
    if (!config) return {};
    const { index, state } = effectiveIndex(config, account, at);
    const tier = tierAt(config, index);
    const next = config.tiers[index + 1];
    if (!next) return { tier: tier.id, tierProgress: ZERO };
    const amount = state ? windowAmount(config, state.buckets, at) : ZERO;
    return { tier: tier.id, tierNext: next.id, tierProgress: Decimal.max(ZERO, next.threshold.minus(amount)) };
  },
  multipliers: ({ program, account, at }) => {
    const config = configOf(program);
    if (!config) return [];
    const m = tierAt(config, effectiveIndex(config, account, at).index).multiplier;
    // A 1× tier adds no factor, so rule multipliers below 1 still apply under `highest`.
    return m.eq(1) ? [] : [m];
  },
  canRedeemReward: ({ program, account, at, rewardId }) => {
    const config = configOf(program);
    if (!config) return null;
    const needed = config.tiers.findIndex((t) => t.benefits.rewards.includes(rewardId));
    if (needed < 0) return null;
    const index = effectiveIndex(config, account, at).index;
    if (index >= needed) return null;
    const issue: Issue = {
      code: 'not_in_tier',
      path: ['rewardId'],
      message: `reward "${rewardId}" is for ${tierAt(config, needed).id} and above; the customer is ${tierAt(config, index).id}`,
    };
    return issue;
  },
  onEvent,
  onTick,
  nextDueAt: nextDue,
};

// ---------------------------------------------------------------------------------------------
// Public helpers: literal tier ids, status for UIs, benefits
// ---------------------------------------------------------------------------------------------

type InputOf<P> = P extends { readonly '~input'?: infer I } ? I : unknown;
type IdsOf<I> = I extends { readonly tiers: readonly { readonly id: infer Id }[] } ? (Id extends string ? (string extends Id ? string : Id) : string) : string;

/**
 * The tier ids of a tiered program, as literal types when the config was written inline (or
 * `as const`) in `defineProgram`: `'insider' | 'vib' | 'rouge'`; `string` otherwise.
 *
 * @example
 * ```ts
 * const program = defineProgram({ kind: 'tiered', tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 350 }], ... });
 * type Id = TierId<typeof program>; // 'insider' | 'vib'
 * ```
 */
export type TierId<P> = IdsOf<NonNullable<InputOf<P>>>;

/** A tiered program, whatever its input type. */
type TieredProgram = Program<TieredProgramConfig, unknown>;

function requireTiered(program: Program): Config {
  const config = configOf(program);
  if (!config) throw new TypeError(`program "${program.id}" is a ${program.config.kind} program, not a tiered one`);
  return config;
}

/**
 * The tier a customer holds, typed with the program's literal tier ids. As of `at` (default: as
 * the account was last written), with the period-end evaluations due by then applied whether or
 * not `tick` has run; a new account holds the first tier. For an instant before the last tier
 * change, the tier held just before that change (the state keeps one step of history: enough to
 * judge a late event, not to replay the past).
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * const tier = tierOf(program, account, { at: new Date('2028-01-02T00:00:00Z') }); // 'insider' | 'vib' | 'rouge'
 * if (tier === 'vib') console.log('1.5× points');
 * ```
 */
export function tierOf<P extends TieredProgram>(program: P, account: AccountState, options?: { readonly at?: Date | undefined }): TierId<P> {
  const config = requireTiered(program);
  const at = options?.at;
  const stored = stateOf(account);
  const index = at ? effectiveIndex(config, account, at).index : stored ? indexOf(config, stored.tier) : 0;
  return tierAt(config, index).id as TierId<P>;
}

/**
 * What a customer's tier gives, for the host to apply: free shipping and early access are the
 * host's to honour; the multiplier and birthday gift are applied by the engine; `rewards` are the
 * tier-only catalog rewards open to this tier (its own and those of the tiers below).
 *
 * @example
 * ```ts
 * const b = tierBenefits(program, account, { at: clock.now() });
 * if (b.freeShipping) order.shipping = '0';
 * ```
 */
export interface TierBenefits<Id extends string = string> {
  readonly tier: Id;
  readonly name: string | undefined;
  readonly multiplier: Decimal;
  readonly freeShipping: boolean;
  readonly earlyAccess: boolean;
  /** Points on the birthday; null when the tier has none. */
  readonly birthdayGift: Decimal | null;
  readonly rewards: readonly string[];
}

/**
 * The benefits of the tier a customer holds as of `at` (see {@link tierOf}).
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * tierBenefits(program, account).freeShipping; // true for VIB and Rouge in the Sephora-like example
 * ```
 */
export function tierBenefits<P extends TieredProgram>(program: P, account: AccountState, options?: { readonly at?: Date | undefined }): TierBenefits<TierId<P>> {
  const config = requireTiered(program);
  const id = tierOf(program, account, options);
  const index = indexOf(config, id);
  const tier = tierAt(config, index);
  return {
    tier: id,
    name: tier.name,
    multiplier: tier.multiplier,
    freeShipping: tier.benefits.freeShipping,
    earlyAccess: tier.benefits.earlyAccess,
    birthdayGift: tier.benefits.birthdayGift ?? null,
    rewards: [...new Set(config.tiers.slice(0, index + 1).flatMap((t) => t.benefits.rewards))],
  };
}

/**
 * Where a customer stands, for UIs ("$120 more to reach VIB").
 *
 * @example
 * ```ts
 * const s: TierStatus = tierStatus(program, account, clock.now());
 * ```
 */
export interface TierStatus<Id extends string = string> {
  readonly tier: Id;
  /** When the tier was reached; null for a new account. */
  readonly since: Date | null;
  /** The amount counted in the current window (this year, the last 12 months, or all time). */
  readonly amount: Decimal;
  /** The next tier up; null at the top. */
  readonly next: Id | null;
  /** The amount still needed to reach `next` (0 at the top). */
  readonly needed: Decimal;
  /** The next period-end evaluation (plus grace); null at the first tier and for lifetime windows. */
  readonly evaluatedAt: Date | null;
  /** The amount still needed in the period under evaluation to keep the tier then (0 when already kept). */
  readonly toKeep: Decimal;
}

/**
 * The tier held at `at`, the next one and the amount still needed for it, and what keeps the
 * tier at the next period end: the same figures as the `tier.next` and `tier.progress` facts.
 *
 * @throws TypeError for a program that is not tiered
 * @example
 * ```ts
 * const s = tierStatus(program, account, new Date('2026-05-01T12:00:00Z'));
 * `${s.needed.toFixed(2)} more to reach ${s.next}`; // '120.00 more to reach vib'
 * ```
 */
export function tierStatus<P extends TieredProgram>(program: P, account: AccountState, at: Date): TierStatus<TierId<P>> {
  const config = requireTiered(program);
  const { index, state } = effectiveIndex(config, account, at);
  const tier = tierAt(config, index);
  const next = config.tiers[index + 1];
  const amount = state ? windowAmount(config, state.buckets, at) : ZERO;
  let evaluatedAt: Date | null = null;
  let toKeep = ZERO;
  const end = state && index > 0 && index === indexOf(config, state.tier) ? periodEnd(config, state) : null;
  if (state && end) {
    evaluatedAt = addDaysIn(end, config.retention.graceDays, config.timeZone);
    const earned = state.earnedIn?.getTime() ?? Number.NEGATIVE_INFINITY;
    const secured = earned >= end.getTime() || (config.retention.holdThroughNextPeriod && earned >= state.periodStart.getTime());
    if (!secured) {
      const counted = config.qualification.window === 'calendar_year' ? windowAmount(config, state.buckets, state.periodStart) : windowAmount(config, state.buckets, new Date(Math.min(at.getTime(), end.getTime() - 1)));
      toKeep = Decimal.max(ZERO, tier.threshold.minus(counted));
    }
  }
  return {
    tier: tier.id as TierId<P>,
    since: state?.since ?? null,
    amount,
    next: next ? (next.id as TierId<P>) : null,
    needed: next ? Decimal.max(ZERO, next.threshold.minus(amount)) : ZERO,
    evaluatedAt,
    toKeep,
  };
}

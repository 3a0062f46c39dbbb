// The tiered kind's hooks: purchases and refunds counted toward the qualification window with
// immediate upgrades; period-end evaluations and the tier's birthday gift in `tick`.
import type { Decimal} from '../../money/decimal';
import { ZERO, ONE } from '../../money/decimal';
import { addDaysIn, birthdayInYear, localDateTimeIn, startOfDayIn, startOfYearIn, zonedParts } from '../../time';
import type { Issue } from '../../errors';
import type { Entry, Transaction } from '../../ledger/types';
import { earnLot, type NewLot } from '../../engine/earn-lot';
import type { TierState } from './state';
import type { Customer } from '../../schema/customer';
import { expiresAt } from '../../engine/expiry';
import type { Notification } from '../../engine/notifications';
import type { Program } from '../../engine/program-type';
import { pointsLike, stepsToResult } from '../shared';
import type { KindEventContext, KindHooks, KindResult } from '../types';
import { lotId, noticeId, noticePrefix, tickId } from '../../ledger/ids';
import { BIRTHDAY_MARK } from './ids';
import { yearPaid } from '../../ledger/read';
import { TIERED_FACTS } from './facts';
import {
  KEY, addToBucket, amountText, bucketStart, indexOf, periodEnd, periodStartAt, prune, qualifiedIndex,
  tierAt, tieredConfig, tierState, windowAmount, windowText, type Config, type Step,
} from './ladder';
import { advanced, effectiveIndex } from './caught-up';
import { owedInYear } from '../../engine/schedule-birthdays';

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

/** Period-end evaluations as `state` entries, a downgrade also as `tier.downgraded` (its id: the prefix, the type, the instant). */
function recordSteps(program: Program, customerId: string, steps: readonly Step[], idPrefix: string): { entries: Entry[]; notifications: Notification[] } {
  if (steps.length === 0) return { entries: [], notifications: [] };
  const stateSteps = steps.map((step) => ({
    state: step.state,
    reason: step.reason,
    notices: step.from === step.to ? [] : [{ body: { type: 'tier.downgraded' as const, from: step.from, to: step.to, reason: step.reason }, at: step.at }],
  }));
  return stepsToResult({ program, customerId, key: KEY }, stateSteps, (body, at) => `${idPrefix}:${body.type}:${at.toISOString()}`);
}

function onEvent(ctx: KindEventContext): KindResult {
  const config = tieredConfig(ctx.program);
  if (!config) return { entries: [], notifications: [] };
  const { event } = ctx;
  const at = event.occurredAt;
  const customerId = ctx.account.customerId;
  const stored = tierState(ctx.after);
  const caught = stored ? advanced(config, stored, at, ctx.cache) : undefined;
  const { entries, notifications } = recordSteps(ctx.program, customerId, caught?.steps ?? [], noticePrefix('event', event.id));
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
  const config = tieredConfig(ctx.program);
  if (!config) return { entries: [], notifications: [] };
  const { now, after } = ctx;
  const id = tickId(now);
  const stored = tierState(after);
  const caught = stored ? advanced(config, stored, now, ctx.cache) : undefined;
  const { entries, notifications } = recordSteps(ctx.program, after.customerId, caught?.steps ?? [], id);

  // The held tier's birthday gift, once a year, on the birthday in the customer's zone.
  const customer = ctx.customer;
  if (customer?.birthday && hasGifts(config)) {
    const zone = customer.timeZone ?? config.timeZone;
    const year = zonedParts(now, zone).year;
    const start = birthdayStart(customer, year, zone);
    if (start && start.getTime() <= now.getTime() && start.getTime() >= customer.enrolledAt.getTime() && year > yearPaid(after, BIRTHDAY_MARK)) {
      const state = caught?.state;
      const i = state ? indexOf(config, start.getTime() < state.since.getTime() && state.previous ? state.previous.tier : state.tier) : 0;
      const tier = tierAt(config, i);
      const gift = tier.benefits.birthdayGift;
      if (gift?.gt(0)) {
        const lot: NewLot = {
          id: lotId({ kind: 'yearly', mark: BIRTHDAY_MARK, year }),
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
  const config = tieredConfig(ctx.program);
  if (!config) return null;
  const { after, account, customer } = ctx;
  const t = after.getTime();
  let best = Number.POSITIVE_INFINITY;
  const state = tierState(account);
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
      if (y <= yearPaid(account, BIRTHDAY_MARK)) continue;
      const start = birthdayStart(customer, y, zone);
      if (!start || start.getTime() < customer.enrolledAt.getTime()) continue;
      // This year's gift, started at or before `after` and unpaid (a profile given after the last tick), is due at once.
      if (start.getTime() > t) best = Math.min(best, start.getTime());
      else if (owedInYear(t, zone, y)) best = Math.min(best, t + 1);
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
export const tieredHooks = {
  ...pointsLike,
  facts: TIERED_FACTS,
  multipliers: ({ program, account, at, cache }) => {
    const config = tieredConfig(program);
    if (!config) return [];
    const m = tierAt(config, effectiveIndex(config, account, at, cache).index).multiplier;
    // A 1× tier adds no factor, so rule multipliers below 1 still apply under `highest`.
    return m.eq(1) ? [] : [m];
  },
  canRedeemReward: ({ program, account, at, rewardId, cache }) => {
    const config = tieredConfig(program);
    if (!config) return null;
    const needed = config.tiers.findIndex((t) => t.benefits.rewards.includes(rewardId));
    if (needed < 0) return null;
    const index = effectiveIndex(config, account, at, cache).index;
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
  // The tier held at `at` (as `tierOf` reads it): a simulation's end state and tier mix.
  standing: ({ program, account, at, cache }) => {
    const config = tieredConfig(program);
    return config ? tierAt(config, effectiveIndex(config, account, at, cache).index).id : null;
  },
  standings: (program) => tieredConfig(program)?.tiers.map((t) => t.id) ?? [],
} satisfies KindHooks;

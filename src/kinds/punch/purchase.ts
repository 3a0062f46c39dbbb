// A purchase on one punch card, step by step: the card as of the purchase (an expired card starts
// over), the punches each qualifying line asks for, the limits that refuse some, the punches
// joining the card with its completions and rollover, the punch lot, the completions' rewards, and
// the card's new state. Each step appends to the same reasons, entries and notifications.
import { Decimal, ZERO } from '../../money/decimal';
import { lotOf } from '../../ledger/lot-index';
import { addDaysIn, endOfDayIn, startOfDayIn } from '../../time';
import type { CounterChange, Entry, LineShare, Lot, Unit } from '../../ledger/types';
import { idPart, lotId as lotIdOf, noticePrefix } from '../../ledger/ids';
import { CARD_LOT_TAG } from './ids';
import { rewardCode } from '../../engine/codes';
import { earnLot } from '../../engine/earn-lot';
import { expiresAt as expiryOf } from '../../engine/expiry';
import type { Notification } from '../../engine/notifications';
import type { LineView, OrderView } from '../../engine/order';
import type { PurchaseEvent } from '../../schema/events';
import type { KindEventContext } from '../types';
import {
  MAX_CARDS_PER_ORDER, cardOf, dayKey, drawsFor, type LotLookup, emptyCard, formatValue, isoDay, notify, punches, punchUnit, qualifies, rewardValue, sameCard,
  splitAt, stateKey, withGroups, type Envelope,
} from './card';
import type { CardPunches, CardState } from './state';
import type { PunchCard as Card } from './schema';

/** One purchase on one card: what every step reads, and the reasons, entries and notices they add. */
interface Purchase {
  readonly ctx: KindEventContext;
  readonly card: Card;
  readonly event: PurchaseEvent;
  readonly order: OrderView;
  readonly at: Date;
  readonly zone: string;
  readonly unit: Unit;
  /** The lot holding this purchase's punches on this card. */
  readonly lotId: string;
  readonly env: Envelope;
  readonly reasons: string[];
  readonly entries: Entry[];
  readonly notifications: Notification[];
}

/** Punches a line is given, after the limits. */
interface Given {
  readonly view: LineView;
  readonly count: number;
}

/** The card as of the purchase: an expired card loses its punches and starts over. */
function cardAtPurchase(p: Purchase): CardState {
  const state = cardOf(p.ctx.account, p.card.id);
  if (state.expiresAt === null || state.expiresAt.getTime() > p.at.getTime()) return state;
  p.reasons.push(`the card expired at ${state.expiresAt.toISOString()}: ${punches(state.count)} lost`);
  return emptyCard(p.card.id, state.completed);
}

/** What each qualifying line asks for: its quantity, or one punch for the whole order. */
function wantedPunches(card: Card, order: OrderView): { view: LineView; want: number }[] {
  const wanted: { view: LineView; want: number }[] = [];
  for (const view of order.lines) {
    if (!qualifies(card, view)) continue;
    if (card.countBy === 'order') return [{ view, want: 1 }];
    wanted.push({ view, want: view.line.quantity });
  }
  return wanted;
}

/**
 * The limits: per order, per day in the program's zone, and the cards one order may complete.
 * Refused punches get a reason and a `punch.refused` notice; the limit with the least room refuses
 * (per order, then per day, then cards).
 */
function givePunches(p: Purchase, state: CardState, wanted: readonly { view: LineView; want: number }[], usedToday: number): Given[] {
  const { card, at, zone } = p;
  const left = {
    order: card.limits.perOrder ?? Number.POSITIVE_INFINITY,
    day: card.limits.perDay === undefined ? Number.POSITIVE_INFINITY : Math.max(0, card.limits.perDay - usedToday),
    cards: MAX_CARDS_PER_ORDER * card.required - state.count,
  };
  const given: Given[] = [];
  for (const { view, want } of wanted) {
    const room = Math.min(left.order, left.day, left.cards);
    const give = Math.min(want, room);
    const refused = want - give;
    if (refused > 0) {
      let reason: string;
      if (card.limits.perOrder !== undefined && left.order === room) {
        reason = `limit of ${punches(card.limits.perOrder)} per order reached: ${punches(refused)} refused`;
      } else if (card.limits.perDay !== undefined && left.day === room) {
        reason = `limit of ${punches(card.limits.perDay)} per day reached on ${isoDay(at, zone)} (${zone}; ${punches(usedToday + given.reduce((n, g) => n + g.count, 0) + give)} already that day): ${punches(refused)} refused`;
      } else {
        reason = `one order completes at most ${MAX_CARDS_PER_ORDER} cards: ${punches(refused)} refused`;
      }
      p.reasons.push(`line ${view.line.lineId}: ${reason}`);
      p.notifications.push(notify(p.env, { type: 'punch.refused', cardId: card.id, reason, lineId: view.line.lineId }, [card.id, view.line.lineId]));
    }
    left.order -= give;
    left.day -= give;
    left.cards -= give;
    if (give > 0) given.push({ view, count: give });
  }
  return given;
}

/** A completed card: the punches it burnt and its ordinal (cards completed so far, this one included). */
interface Completion {
  readonly burnt: CardPunches[];
  readonly ordinal: number;
}

/**
 * The new punches join the card (the first `repaid` of them repay the punch debt instead); every
 * `required` punches complete a card, the rest roll over onto a new one started now. Returns the
 * card after, its completions, and the expiry of the card that keeps this purchase's punches.
 */
function punchCard(p: Purchase, state: CardState, given: readonly Given[], total: number, repaid: number): { state: CardState; completions: Completion[]; lotExpiresAt: Date | null } {
  const { card, at, zone, lotId } = p;
  let skip = repaid;
  const added: CardPunches[] = [];
  for (const { view, count } of given) {
    const onCard = count - Math.min(skip, count);
    skip -= count - onCard;
    if (onCard > 0) added.push({ lot: lotId, orderId: p.event.orderId, lineId: view.line.lineId, count: onCard, net: view.net, quantity: view.line.quantity, at });
  }
  let groups = [...state.punches, ...added];
  let count = state.count + (total - repaid);
  let startedAt = state.startedAt ?? (count > 0 ? at : null);
  const expiryOfCard = (start: Date | null): Date | null => (start !== null && card.expiryDays !== undefined ? addDaysIn(start, card.expiryDays, zone) : null);
  let expiresAt = state.expiresAt ?? expiryOfCard(startedAt);
  // The lot's expiry is the expiry of the card that keeps its punches (rolled-over punches start a new card now).
  let lotExpiresAt = expiresAt;
  const completions: Completion[] = [];
  let completed = state.completed;
  while (count >= card.required) {
    const { head, tail } = splitAt(groups, card.required);
    completed += 1;
    completions.push({ burnt: head, ordinal: completed });
    groups = tail;
    count -= card.required;
    startedAt = count > 0 ? at : null;
    expiresAt = expiryOfCard(startedAt);
    if (tail.some((g) => g.lot === lotId)) lotExpiresAt = expiresAt;
  }
  return { state: withGroups({ ...state, startedAt, expiresAt, completed }, groups), completions, lotExpiresAt };
}

/** The lot of this purchase's punches (with its split over the lines) and the per-day counter it uses; the account's lots with it. */
function earnPunches(p: Purchase, given: readonly Given[], total: number, repaid: number, lotExpiresAt: Date | null, counterKey: string): LotLookup {
  const { card, at, zone, event, unit, lotId } = p;
  const { config } = p.ctx.program;
  const after = p.ctx.after;
  // Lots by id from the state's index (O(log n)), not a Map of every lot built per purchase.
  if (total === 0) return { get: (id) => lotOf(after, id) };
  const lot: Lot = {
    id: lotId,
    unit,
    amount: new Decimal(total),
    remaining: new Decimal(total - repaid),
    earnedAt: at,
    availableAt: at,
    expiresAt: lotExpiresAt,
    account: 'available',
    cause: { eventId: event.id, ruleId: stateKey(card.id), programVersion: config.version },
    orderId: event.orderId,
  };
  const lines: LineShare[] = given.map(({ view, count: n }) => ({ lineId: view.line.lineId, quantity: view.line.quantity, amount: new Decimal(n) }));
  // Punch earns list their lines before the rule id (the ledger's bytes of punch lots), so not earnLot.
  p.entries.push({ kind: 'earn', unit, lot, repaid: new Decimal(repaid), lines, ruleId: stateKey(card.id) });
  if (card.limits.perDay !== undefined) {
    const counter: CounterChange = { key: counterKey, lot: lotId, count: 1, points: new Decimal(total), keepUntil: addDaysIn(endOfDayIn(at, zone), config.latenessDays, zone) };
    p.entries.push({ kind: 'usage', counters: [counter] });
  }
  return { get: (id) => (id === lot.id ? lot : lotOf(after, id)) };
}

/** Each completion burns its punches (a `redeem` entry) and pays its reward: a credit lot (repaying credit debt first) or a free item with a code. */
function payCompletions(p: Purchase, completions: readonly Completion[], lots: LotLookup): void {
  const { card, at, zone, event, unit, env } = p;
  const { config, id: programId } = p.ctx.program;
  const creditUnit: Unit = `credit:${config.currency}`;
  let creditOwed = p.ctx.after.debt[creditUnit] ?? ZERO;
  for (const { burnt, ordinal } of completions) {
    p.entries.push({ kind: 'redeem', unit, draws: drawsFor(burnt, lots), rewardId: card.id });
    const suffix = [card.id, String(ordinal)];
    if (card.reward.kind === 'value') {
      const value = rewardValue(card.reward.of, burnt, card.required, config.currency);
      if (value.gt(0)) {
        const id = lotIdOf({ kind: 'tagged', tag: CARD_LOT_TAG, eventId: event.id, part: card.id, n: ordinal });
        const cause = { eventId: event.id, ruleId: stateKey(card.id), programVersion: config.version };
        const earned = earnLot({ id, unit: creditUnit, amount: value, earnedAt: at, availableAt: at, expiresAt: expiryOf(config.expiry, at, zone), account: 'available', cause }, creditOwed, stateKey(card.id));
        creditOwed = earned.debt;
        p.entries.push(earned.entry);
      }
      p.reasons.push(`card #${ordinal} completed: ${formatValue(value, config.currency)} credit, the ${card.reward.of} price of its ${punches(card.required)}`);
      p.notifications.push(notify(env, { type: 'card.completed', cardId: card.id, reward: { kind: 'value', value, currency: config.currency } }, suffix));
    } else {
      const sku = card.reward.sku;
      p.reasons.push(`card #${ordinal} completed: a free ${sku}`);
      p.notifications.push(notify(env, { type: 'card.completed', cardId: card.id, reward: { kind: 'free_item', sku } }, suffix));
      const code = rewardCode(programId, card.id, `${idPart(event.id)}:${ordinal}`);
      p.notifications.push(
        notify(env, { type: 'reward.issued', requestId: event.id, reward: { rewardId: card.id, name: card.name ?? card.id, kind: 'free_product', code, cost: new Decimal(card.required), sku } }, suffix),
      );
    }
  }
}

/** A purchase: punches per qualifying line within the limits, completions with rollover, rewards. */
export function onPurchase(ctx: KindEventContext, card: Card, entries: Entry[], notifications: Notification[]): void {
  const { program, event, order, after } = ctx;
  if (event.type !== 'purchase' || !order) return;
  const at = event.occurredAt;
  const env: Envelope = { program, account: ctx.account, at, prefix: noticePrefix('event', event.id) };
  const lotId = lotIdOf({ kind: 'tagged', tag: CARD_LOT_TAG, eventId: event.id, part: card.id });
  const p: Purchase = { ctx, card, event, order, at, zone: program.config.timeZone, unit: punchUnit(card.id), lotId, env, reasons: [], entries, notifications };

  const before = cardOf(ctx.account, card.id);
  let state = cardAtPurchase(p);
  const wanted = wantedPunches(card, order);
  if (wanted.length === 0 && p.reasons.length === 0) return;
  const counterKey = dayKey(card.id, startOfDayIn(at, p.zone));
  const given = givePunches(p, state, wanted, after.counters[counterKey]?.points.toNumber() ?? 0);
  const total = given.reduce((s, g) => s + g.count, 0);
  const repaid = Math.min((after.debt[p.unit] ?? ZERO).toNumber(), total);
  if (total > 0) {
    p.reasons.push(`order ${event.orderId}: ${punches(total)} (${given.map((g) => `line ${g.view.line.lineId} ×${g.count}`).join(', ')})`);
    if (repaid > 0) p.reasons.push(`${punches(repaid)} went to repay punches owed since an earlier refund`);
  }
  const punched = punchCard(p, state, given, total, repaid);
  state = punched.state;
  const lots = earnPunches(p, given, total, repaid, punched.lotExpiresAt, counterKey);
  payCompletions(p, punched.completions, lots);
  if (punched.completions.length > 0 && state.count > 0) p.reasons.push(`${punches(state.count)} carried to the next card`);
  if (p.reasons.length > 0 || !sameCard(before, state)) entries.push({ kind: 'state', key: stateKey(card.id), value: state, reason: p.reasons.join('; ') });
}

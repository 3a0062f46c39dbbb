import { Decimal, ZERO, ONE } from '../../money/decimal';
import { minorUnits, round } from '../../money';
import { addDaysIn, endOfDayIn, startOfDayIn, zonedParts } from '../../time';
import type { CardPunches, CardState } from './state';
import type { AccountState, CounterChange, Entry, LineShare, Lot, LotDraw, Unit } from '../../ledger/types';
import type { PunchCard as Card } from './schema';
import { rewardCode } from '../../engine/codes';
import { expiresAt as expiryOf } from '../../engine/expiry';
import { drawOf } from '../../engine/lots';
import { idPart, lotId as lotIdOf, noticeId, noticePrefix } from '../../ledger/ids';
import type { Notification, NotificationBody } from '../../engine/notifications';
import type { LineView } from '../../engine/order';
import type { Program } from '../../engine/program-type';
import type { KindContext, KindEventContext, KindHooks, KindResult } from '../types';

const NOTHING: KindResult = { entries: [], notifications: [] };

/**
 * The most cards one order may complete. Punches beyond it are refused with their reason, like
 * punches over a limit: it bounds the size of one transaction (a line may hold a million units).
 */
const MAX_CARDS_PER_ORDER = 100;

/** The ledger unit of a card's punches. */
const punchUnit = (cardId: string): Unit => `punch:${cardId}`;
/** The key of a card's state entry. */
const stateKey = (cardId: string): string => `card:${cardId}`;
/** The key of a card's per-day counter (card ids are slugs and carry no `|`, rule counters carry a `#`). */
const dayKey = (cardId: string, dayStart: Date): string => `card:${cardId}|day=${dayStart.toISOString()}`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 'es'}`;
const punches = (n: number): string => plural(n, 'punch');

function cardsOf(program: Program): readonly Card[] {
  return program.config.kind === 'punch' ? program.config.cards : [];
}

/** True when a card of the program pays a value (then the program redeems that credit). */
function paysValue(program: Program): boolean {
  return cardsOf(program).some((c) => c.reward.kind === 'value');
}

function emptyCard(cardId: string, completed: number): CardState {
  return { kind: 'card', cardId, punches: [], count: 0, startedAt: null, expiresAt: null, completed };
}

/** The card state with `groups` on it (empty groups dropped); an emptied card has no start. */
function withGroups(card: CardState, groups: readonly CardPunches[]): CardState {
  const kept = groups.filter((g) => g.count > 0);
  const count = kept.reduce((s, g) => s + g.count, 0);
  if (count === 0) return { ...card, punches: [], count: 0, startedAt: null, expiresAt: null };
  return { ...card, punches: kept, count };
}

function cardOf(account: AccountState, cardId: string): CardState {
  const found = account.kinds[stateKey(cardId)];
  return found?.kind === 'card' ? found : emptyCard(cardId, 0);
}

/**
 * Removes `amount` punches of `lot` from the card: first those of the lines named in `prefer`
 * (the refunded lines, as many as each is charged), then the lot's newest. Returns what was removed.
 */
function removeFromLot(groups: CardPunches[], lot: string, amount: number, prefer?: ReadonlyMap<string, number>): number {
  let left = amount;
  const take = (i: number, most: number): number => {
    const g = groups[i];
    if (!g || g.lot !== lot || most <= 0) return 0;
    const n = Math.min(g.count, most, left);
    groups[i] = { ...g, count: g.count - n };
    left -= n;
    return n;
  };
  if (prefer) {
    for (const [lineId, charged] of prefer) {
      let want = charged;
      for (let i = groups.length - 1; i >= 0 && left > 0 && want > 0; i--) if (groups[i]?.lineId === lineId) want -= take(i, want);
    }
  }
  for (let i = groups.length - 1; i >= 0 && left > 0; i--) take(i, left);
  return amount - left;
}

/** A card's reward value: the average, minimum or maximum net unit price of its punches, half-up to the minor unit. */
function rewardValue(of: 'average' | 'min' | 'max', groups: readonly CardPunches[], required: number, currency: string): Decimal {
  const places = minorUnits(currency);
  const live = groups.filter((g) => g.count > 0);
  if (of === 'average') {
    // (count × net) / quantity per line keeps each line's part exact whenever it can be.
    const sum = live.reduce((s, g) => s.plus(g.net.times(g.count).div(g.quantity)), ZERO);
    return round(sum.div(required), places, 'half-up');
  }
  const prices = live.map((g) => g.net.div(g.quantity));
  const pick = of === 'min' ? Decimal.min(...prices) : Decimal.max(...prices);
  return round(pick, places, 'half-up');
}

/** The first `n` punches of `groups` and the rest. */
function splitAt(groups: readonly CardPunches[], n: number): { head: CardPunches[]; tail: CardPunches[] } {
  const head: CardPunches[] = [];
  const tail: CardPunches[] = [];
  let left = n;
  for (const g of groups) {
    if (left >= g.count) {
      head.push(g);
      left -= g.count;
    } else if (left > 0) {
      head.push({ ...g, count: left });
      tail.push({ ...g, count: g.count - left });
      left = 0;
    } else tail.push(g);
  }
  return { head, tail };
}

/** The draws a completion makes: the burnt punches, lot by lot, in punch order. */
function drawsFor(burnt: readonly CardPunches[], lots: ReadonlyMap<string, Lot>): LotDraw[] {
  const draws: LotDraw[] = [];
  for (const g of burnt) {
    const lot = lots.get(g.lot);
    if (!lot) throw new Error(`card punches in lot ${g.lot}, which the account does not hold`);
    const last = draws[draws.length - 1];
    if (last && last.lot === g.lot) draws[draws.length - 1] = { ...last, amount: last.amount.plus(g.count) };
    else draws.push(drawOf(lot, new Decimal(g.count)));
  }
  return draws;
}

function isoDay(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function formatValue(value: Decimal, currency: string): string {
  return `${value.toFixed(minorUnits(currency))} ${currency}`;
}

/** Whether a purchase line punches a card: it qualifies by SKU or category, earns at all (not excluded) and is not free. */
function qualifies(card: Card, view: LineView): boolean {
  if (view.excluded || !view.net.gt(0)) return false;
  const { line } = view;
  return card.qualifying.skus.includes(line.sku) || line.categories.some((c) => card.qualifying.categories.includes(c));
}

interface Envelope {
  readonly program: Program;
  readonly account: AccountState;
  readonly at: Date;
  readonly prefix: string;
}

function notify(env: Envelope, body: NotificationBody, suffix: readonly string[]): Notification {
  return { ...body, id: noticeId(env.prefix, body.type, ...suffix), programId: env.program.id, customerId: env.account.customerId, at: env.at } as Notification;
}

/** A purchase: punches per qualifying line within the limits, completions with rollover, rewards. */
function onPurchase(ctx: KindEventContext, card: Card, entries: Entry[], notifications: Notification[]): void {
  const { program, event, order, after } = ctx;
  if (event.type !== 'purchase' || !order) return;
  const { config } = program;
  const zone = config.timeZone;
  const at = event.occurredAt;
  const unit = punchUnit(card.id);
  const env: Envelope = { program, account: ctx.account, at, prefix: noticePrefix('event', event.id) };
  const reasons: string[] = [];

  let state = cardOf(ctx.account, card.id);
  const before = state;
  if (state.expiresAt !== null && state.expiresAt.getTime() <= at.getTime()) {
    reasons.push(`the card expired at ${state.expiresAt.toISOString()}: ${punches(state.count)} lost`);
    state = emptyCard(card.id, state.completed);
  }

  // What each qualifying line asks for.
  const wanted: { view: LineView; want: number }[] = [];
  for (const view of order.lines) {
    if (!qualifies(card, view)) continue;
    if (card.countBy === 'order') {
      wanted.push({ view, want: 1 });
      break;
    }
    wanted.push({ view, want: view.line.quantity });
  }
  if (wanted.length === 0 && reasons.length === 0) return;

  // Limits: per order, per day in the program's zone, and the cards one order may complete.
  const dayStart = startOfDayIn(at, zone);
  const counterKey = dayKey(card.id, dayStart);
  const usedToday = after.counters[counterKey]?.points.toNumber() ?? 0;
  const left = {
    order: card.limits.perOrder ?? Number.POSITIVE_INFINITY,
    day: card.limits.perDay === undefined ? Number.POSITIVE_INFINITY : Math.max(0, card.limits.perDay - usedToday),
    cards: MAX_CARDS_PER_ORDER * card.required - state.count,
  };
  const given: { view: LineView; count: number }[] = [];
  for (const { view, want } of wanted) {
    const room = Math.min(left.order, left.day, left.cards);
    const give = Math.min(want, room);
    const refused = want - give;
    if (refused > 0) {
      // The limit with the least room is the one that refuses (per order, then per day, then cards).
      let reason: string;
      if (card.limits.perOrder !== undefined && left.order === room) {
        reason = `limit of ${punches(card.limits.perOrder)} per order reached: ${punches(refused)} refused`;
      } else if (card.limits.perDay !== undefined && left.day === room) {
        reason = `limit of ${punches(card.limits.perDay)} per day reached on ${isoDay(at, zone)} (${zone}; ${punches(usedToday + given.reduce((n, g) => n + g.count, 0) + give)} already that day): ${punches(refused)} refused`;
      } else {
        reason = `one order completes at most ${MAX_CARDS_PER_ORDER} cards: ${punches(refused)} refused`;
      }
      reasons.push(`line ${view.line.lineId}: ${reason}`);
      notifications.push(notify(env, { type: 'punch.refused', cardId: card.id, reason, lineId: view.line.lineId }, [card.id, view.line.lineId]));
    }
    left.order -= give;
    left.day -= give;
    left.cards -= give;
    if (give > 0) given.push({ view, count: give });
  }

  const total = given.reduce((s, g) => s + g.count, 0);
  const lotId = lotIdOf({ kind: 'card', eventId: event.id, cardId: card.id });
  const owed = after.debt[unit] ?? ZERO;
  const repaid = Math.min(owed.toNumber(), total);
  if (total > 0) {
    reasons.push(`order ${event.orderId}: ${punches(total)} (${given.map((g) => `line ${g.view.line.lineId} ×${g.count}`).join(', ')})`);
    if (repaid > 0) reasons.push(`${punches(repaid)} went to repay punches owed since an earlier refund`);
  }

  // The new punches join the card; the first `repaid` of them repay the debt instead.
  let skip = repaid;
  const added: CardPunches[] = [];
  for (const { view, count } of given) {
    const onCard = count - Math.min(skip, count);
    skip -= count - onCard;
    if (onCard > 0) added.push({ lot: lotId, orderId: event.orderId, lineId: view.line.lineId, count: onCard, net: view.net, quantity: view.line.quantity, at });
  }
  let groups = [...state.punches, ...added];
  let count = state.count + (total - repaid);
  let startedAt = state.startedAt ?? (count > 0 ? at : null);
  const expiryOfCard = (start: Date | null): Date | null => (start !== null && card.expiryDays !== undefined ? addDaysIn(start, card.expiryDays, zone) : null);
  let expiresAt = state.expiresAt ?? expiryOfCard(startedAt);
  // The lot's expiry is the expiry of the card that keeps its punches (rolled-over punches start a new card now).
  let lotExpiresAt = expiresAt;

  const completions: { burnt: CardPunches[]; ordinal: number }[] = [];
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
  state = withGroups({ ...state, startedAt, expiresAt, completed }, groups);

  const lots = new Map(after.lots.map((l) => [l.id, l]));
  if (total > 0) {
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
    lots.set(lot.id, lot);
    const lines: LineShare[] = given.map(({ view, count: n }) => ({ lineId: view.line.lineId, quantity: view.line.quantity, amount: new Decimal(n) }));
    entries.push({ kind: 'earn', unit, lot, repaid: new Decimal(repaid), lines, ruleId: stateKey(card.id) });
    if (card.limits.perDay !== undefined) {
      const counter: CounterChange = { key: counterKey, lot: lotId, count: 1, points: new Decimal(total), keepUntil: addDaysIn(endOfDayIn(at, zone), config.latenessDays, zone) };
      entries.push({ kind: 'usage', counters: [counter] });
    }
  }

  const creditUnit: Unit = `credit:${config.currency}`;
  let creditOwed = after.debt[creditUnit] ?? ZERO;
  for (const { burnt, ordinal } of completions) {
    entries.push({ kind: 'redeem', unit, draws: drawsFor(burnt, lots), rewardId: card.id });
    const suffix = [card.id, String(ordinal)];
    if (card.reward.kind === 'value') {
      const value = rewardValue(card.reward.of, burnt, card.required, config.currency);
      if (value.gt(0)) {
        const back = Decimal.min(creditOwed, value);
        creditOwed = creditOwed.minus(back);
        const credit: Lot = {
          id: lotIdOf({ kind: 'card-credit', eventId: event.id, cardId: card.id, n: ordinal }),
          unit: creditUnit,
          amount: value,
          remaining: value.minus(back),
          earnedAt: at,
          availableAt: at,
          expiresAt: expiryOf(config.expiry, at, zone),
          account: 'available',
          cause: { eventId: event.id, ruleId: stateKey(card.id), programVersion: config.version },
        };
        entries.push({ kind: 'earn', unit: creditUnit, lot: credit, repaid: back, ruleId: stateKey(card.id) });
      }
      reasons.push(`card #${ordinal} completed: ${formatValue(value, config.currency)} credit, the ${card.reward.of} price of its ${punches(card.required)}`);
      notifications.push(notify(env, { type: 'card.completed', cardId: card.id, reward: { kind: 'value', value, currency: config.currency } }, suffix));
    } else {
      const sku = card.reward.sku;
      reasons.push(`card #${ordinal} completed: a free ${sku}`);
      notifications.push(notify(env, { type: 'card.completed', cardId: card.id, reward: { kind: 'free_item', sku } }, suffix));
      const code = rewardCode(program.id, card.id, `${idPart(event.id)}:${ordinal}`);
      notifications.push(
        notify(env, { type: 'reward.issued', requestId: event.id, reward: { rewardId: card.id, name: card.name ?? card.id, kind: 'free_product', code, cost: new Decimal(card.required), sku } }, suffix),
      );
    }
  }
  if (completions.length > 0 && state.count > 0) reasons.push(`${punches(state.count)} carried to the next card`);

  if (reasons.length > 0 || !sameCard(before, state)) {
    entries.push({ kind: 'state', key: stateKey(card.id), value: state, reason: reasons.join('; ') });
  }
}

function sameCard(a: CardState, b: CardState): boolean {
  return (
    a.count === b.count &&
    a.completed === b.completed &&
    a.startedAt?.getTime() === b.startedAt?.getTime() &&
    a.expiresAt?.getTime() === b.expiresAt?.getTime() &&
    a.punches.length === b.punches.length &&
    a.punches.every((g, i) => {
      const h = b.punches[i];
      return h !== undefined && h.lot === g.lot && h.lineId === g.lineId && h.count === g.count;
    })
  );
}

/**
 * A refund: the generic refund has clawed back the punch lots of the refunded lines (ctx.entries).
 * Punches drawn from lots leave the card — the refunded lines' own first; punches already burnt by
 * a completed card are taken as the return policy said (other punches, debt, or nothing).
 */
function onRefund(ctx: KindEventContext, card: Card, entries: Entry[]): void {
  const { event } = ctx;
  if (event.type !== 'refund') return;
  const unit = punchUnit(card.id);
  const clawbacks = ctx.entries.filter((e): e is Extract<Entry, { kind: 'clawback' }> => e.kind === 'clawback' && e.unit === unit);
  if (clawbacks.length === 0) return;
  const at = event.occurredAt;
  const reasons: string[] = [];
  let state = cardOf(ctx.account, card.id);
  const before = state;
  if (state.expiresAt !== null && state.expiresAt.getTime() <= at.getTime()) {
    reasons.push(`the card expired at ${state.expiresAt.toISOString()}: ${punches(state.count)} lost`);
    state = emptyCard(card.id, state.completed);
  }

  const groups = [...state.punches];
  // What the ledger did (the refunded lines' own lots, other punch lots, debt), and the card with it.
  let own = 0;
  let other = 0;
  let debt = 0;
  let asked = 0;
  let removed = 0;
  for (const claw of clawbacks) {
    const charged = new Map<string, Map<string, number>>();
    for (const a of claw.against) {
      asked += a.amount.toNumber();
      const perLine = charged.get(a.lot) ?? new Map<string, number>();
      for (const l of a.lines ?? []) perLine.set(l.lineId, (perLine.get(l.lineId) ?? 0) + l.amount.toNumber());
      charged.set(a.lot, perLine);
    }
    for (const d of claw.draws) {
      const n = d.amount.toNumber();
      if (charged.has(d.lot)) own += n;
      else other += n;
      removed += removeFromLot(groups, d.lot, n, charged.get(d.lot));
    }
    debt += claw.debt.toNumber();
  }
  state = withGroups(state, groups);
  const forgiven = asked - own - other - debt;
  const parts = [`refund of order ${event.orderId}: ${punches(asked)} to take back`];
  if (own > 0) parts.push(`${punches(own)} taken back from the order's own punches`);
  if (other > 0) parts.push(`${punches(other)} taken from other purchases for punches a completed card already used`);
  if (debt > 0) parts.push(`${punches(debt)} a completed card already used owed as debt (return policy allow_negative)`);
  if (forgiven > 0) parts.push(`${punches(forgiven)} a completed card already used not taken back (return policy ${ctx.program.config.returns.whenSpent})`);
  parts.push(`${punches(removed)} left the card`);
  reasons.push(parts.join(', '));
  if (reasons.length > 0 || !sameCard(before, state)) entries.push({ kind: 'state', key: stateKey(card.id), value: state, reason: reasons.join('; ') });
}

/**
 * What a punch program adds to evaluation: on a purchase, punches per qualifying line (by
 * quantity or one per order) within the per-order and per-day limits (refused punches get a
 * `punch.refused` notice and a reason), completed cards (the oldest punches burnt with a `redeem`
 * entry, the reward issued: a credit lot or a free item, `card.completed`), rollover of extra
 * punches; on a refund, the refunded punches leave the card.
 */
function onEvent(ctx: KindEventContext): KindResult {
  const cards = cardsOf(ctx.program);
  if (cards.length === 0 || (ctx.event.type !== 'purchase' && ctx.event.type !== 'refund')) return NOTHING;
  const entries: Entry[] = [];
  const notifications: Notification[] = [];
  for (const card of cards) {
    if (ctx.event.type === 'purchase') onPurchase(ctx, card, entries, notifications);
    else onRefund(ctx, card, entries);
  }
  return { entries, notifications };
}

/**
 * Time: the generic expiry has expired the card's lots (`expiresAt`, or an inactivity policy);
 * their punches leave the card, and a card past its expiry starts over.
 */
function onTick(ctx: KindContext & { readonly now: Date; readonly entries: readonly Entry[]; readonly after: AccountState }): KindResult {
  const entries: Entry[] = [];
  for (const card of cardsOf(ctx.program)) {
    const unit = punchUnit(card.id);
    let state = cardOf(ctx.account, card.id);
    const before = state;
    if (state.count === 0 && state.expiresAt === null) continue;
    const reasons: string[] = [];
    const groups = [...state.punches];
    let expired = 0;
    for (const e of ctx.entries) {
      if (e.kind !== 'expire' || e.unit !== unit) continue;
      for (const d of e.draws) expired += removeFromLot(groups, d.lot, d.amount.toNumber());
    }
    const lost = state.count;
    const expiresAt = state.expiresAt;
    state = withGroups(state, groups);
    if (expiresAt !== null && expiresAt.getTime() <= ctx.now.getTime()) {
      reasons.push(`the card expired at ${expiresAt.toISOString()}: ${punches(lost)} lost`);
      state = emptyCard(card.id, state.completed);
    } else if (expired > 0) reasons.push(`${punches(expired)} expired`);
    if (!sameCard(before, state)) entries.push({ kind: 'state', key: stateKey(card.id), value: state, reason: reasons.join('; ') });
  }
  return { entries, notifications: [] };
}

/** The soonest card expiry after `after`. */
function nextDueAt(ctx: KindContext & { readonly after: Date }): Date | null {
  let best: Date | null = null;
  for (const card of cardsOf(ctx.program)) {
    const e = cardOf(ctx.account, card.id).expiresAt;
    if (e !== null && e.getTime() > ctx.after.getTime() && (best === null || e.getTime() < best.getTime())) best = e;
  }
  return best;
}

/**
 * The `punch` kind's hooks: stamp cards over the shared evaluate / tick / refund operations.
 *
 * - Punches are ledger lots of unit `punch:<cardId>`, one per purchase and card, with a share per
 *   purchase line, so the generic refund takes back exactly the refunded lines' punches; the
 *   card's progress is a `CardState` under `card:<cardId>`, written by `state` entries with a reason.
 * - Completing a card burns its `required` oldest punches (a `redeem` entry, `rewardId` = the card
 *   id) and issues the reward: a `credit:<currency>` lot worth the average / min / max net unit
 *   price of those punches (half-up to the minor unit), or a free item (`reward.issued` with a
 *   code); `card.completed` either way. Extra punches carry to the next card.
 * - `unit` / `rate`: a program with a value card redeems the credit its cards issue
 *   (`credit:<currency>`, 1 credit = 1.00), so quotes and redemptions spend the reward at
 *   checkout; a program with only free-item cards keeps points at the redemption rate. Points its
 *   earning rules may award are kept either way.
 *
 * @example
 * ```ts
 * const program = defineProgram({ kind: 'punch', id: 'nights', version: 1, currency: 'USD', timeZone: 'UTC',
 *   cards: [{ id: 'night', required: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' } }] });
 * punchHooks.unit(program); // 'credit:USD'
 * ```
 */
export const punchHooks: KindHooks = {
  unit: (program) => (paysValue(program) ? `credit:${program.config.currency}` : 'points'),
  rate: (program) => (paysValue(program) ? ONE : program.config.redemption.pointsPerUnit),
  onEvent,
  onTick,
  nextDueAt,
};

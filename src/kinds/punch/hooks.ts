import { ONE } from '../../money/decimal';
import type { AccountState, Entry } from '../../ledger/types';
import type { Notification } from '../../engine/notifications';
import type { KindContext, KindEventContext, KindHooks, KindResult } from '../types';
import { cardOf, cardsOf, emptyCard, paysValue, punches, punchUnit, removeFromLot, sameCard, stateKey, withGroups } from './card';
import { onPurchase } from './purchase';
import type { PunchCard as Card } from './schema';

const NOTHING: KindResult = { entries: [], notifications: [] };

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

/**
 * The soonest card expiry; one at or before `after` (a late punch's card, expired before the last
 * tick) is due at once, `after` + 1 ms, since `onTick` at any later instant empties the card.
 */
function nextDueAt(ctx: KindContext & { readonly after: Date }): Date | null {
  const soon = ctx.after.getTime() + 1;
  let best = Number.POSITIVE_INFINITY;
  for (const card of cardsOf(ctx.program)) {
    const e = cardOf(ctx.account, card.id).expiresAt;
    if (e !== null) best = Math.min(best, Math.max(e.getTime(), soon));
  }
  return Number.isFinite(best) ? new Date(best) : null;
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

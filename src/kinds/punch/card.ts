// A punch card's state and the helpers the purchase, refund and tick of the punch kind share.
import { Decimal, ZERO } from '../../money/decimal';
import { minorUnits, round } from '../../money';
import { zonedParts } from '../../time';
import type { AccountState, Lot, LotDraw, Unit } from '../../ledger/types';
import { noticeId } from '../../ledger/ids';
import { drawOf } from '../../engine/lots';
import type { Notification, NotificationBody } from '../../engine/notifications';
import type { LineView } from '../../engine/order';
import type { Program } from '../../engine/program-type';
import { configOf, stateOf } from '../shared';
import type { CardPunches, CardState } from './state';
import type { PunchCard as Card } from './schema';

/**
 * The most cards one order may complete. Punches beyond it are refused with their reason, like
 * punches over a limit: it bounds the size of one transaction (a line may hold a million units).
 */
export const MAX_CARDS_PER_ORDER = 100;

/** The ledger unit of a card's punches. */
export const punchUnit = (cardId: string): Unit => `punch:${cardId}`;
/** The key of a card's state entry. */
export const stateKey = (cardId: string): string => `card:${cardId}`;
/** The key of a card's per-day counter (card ids are slugs and carry no `|`, rule counters carry a `#`). */
export const dayKey = (cardId: string, dayStart: Date): string => `card:${cardId}|day=${dayStart.toISOString()}`;
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 'es'}`;
export const punches = (n: number): string => plural(n, 'punch');

export function cardsOf(program: Program): readonly Card[] {
  return configOf(program, 'punch')?.cards ?? [];
}

/** True when a card of the program pays a value (then the program redeems that credit). */
export function paysValue(program: Program): boolean {
  return cardsOf(program).some((c) => c.reward.kind === 'value');
}

export function emptyCard(cardId: string, completed: number): CardState {
  return { kind: 'card', cardId, punches: [], count: 0, startedAt: null, expiresAt: null, completed };
}

/** The card state with `groups` on it (empty groups dropped); an emptied card has no start. */
export function withGroups(card: CardState, groups: readonly CardPunches[]): CardState {
  const kept = groups.filter((g) => g.count > 0);
  const count = kept.reduce((s, g) => s + g.count, 0);
  if (count === 0) return { ...card, punches: [], count: 0, startedAt: null, expiresAt: null };
  return { ...card, punches: kept, count };
}

export function cardOf(account: AccountState, cardId: string): CardState {
  return stateOf(account, stateKey(cardId), 'card') ?? emptyCard(cardId, 0);
}

/**
 * Removes `amount` punches of `lot` from the card: first those of the lines named in `prefer`
 * (the refunded lines, as many as each is charged), then the lot's newest. Returns what was removed.
 */
export function removeFromLot(groups: CardPunches[], lot: string, amount: number, prefer?: ReadonlyMap<string, number>): number {
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
export function rewardValue(of: 'average' | 'min' | 'max', groups: readonly CardPunches[], required: number, currency: string): Decimal {
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
export function splitAt(groups: readonly CardPunches[], n: number): { head: CardPunches[]; tail: CardPunches[] } {
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

/** Lots by id: a Map, or a lookup in the account state's index. */
export type LotLookup = Pick<ReadonlyMap<string, Lot>, 'get'>;

/** The draws a completion makes: the burnt punches, lot by lot, in punch order. */
export function drawsFor(burnt: readonly CardPunches[], lots: LotLookup): LotDraw[] {
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

export function isoDay(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function formatValue(value: Decimal, currency: string): string {
  return `${value.toFixed(minorUnits(currency))} ${currency}`;
}

/** Whether a purchase line punches a card: it qualifies by SKU or category, earns at all (not excluded) and is not free. */
export function qualifies(card: Card, view: LineView): boolean {
  if (view.excluded || !view.net.gt(0)) return false;
  const { line } = view;
  return card.qualifying.skus.includes(line.sku) || line.categories.some((c) => card.qualifying.categories.includes(c));
}

export interface Envelope {
  readonly program: Program;
  readonly account: AccountState;
  readonly at: Date;
  readonly prefix: string;
}

export function notify(env: Envelope, body: NotificationBody, suffix: readonly string[]): Notification {
  // The envelope first, then the body: keys added after a spread are slow on Node 20.
  return { id: noticeId(env.prefix, body.type, ...suffix), programId: env.program.id, customerId: env.account.customerId, at: env.at, ...body } as Notification;
}

export function sameCard(a: CardState, b: CardState): boolean {
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

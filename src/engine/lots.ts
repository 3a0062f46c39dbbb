import { Decimal, ZERO } from '../money/decimal';
import { applyTransaction } from '../ledger/fold';
import { balanceAt, eachSpendableLot, isExpiredAt, spendableLots } from '../ledger/read';
import { lotOf } from '../ledger/lot-index';
import type { AccountState, Entry, LineShare, Lot, LotDraw, LotTerms, Unit } from '../ledger/types';
import type { ProgramConfig } from '../schema/program';


/** A lot's terms, carried by every draw so the points can come back with their original expiry. */
export function termsOf(lot: Lot): LotTerms {
  // Two literals rather than a conditional spread: this runs once per lot drawn or expired.
  const { unit, amount, earnedAt, availableAt, expiresAt, cause, orderId } = lot;
  return orderId === undefined ? { unit, amount, earnedAt, availableAt, expiresAt, cause } : { unit, amount, earnedAt, availableAt, expiresAt, cause, orderId };
}

/** A draw of `amount` from `lot`. */
export function drawOf(lot: Lot, amount: Decimal): LotDraw {
  return { lot: lot.id, amount, from: lot.account, terms: termsOf(lot) };
}

/** Draws `amount` from lots in order, as far as they go; returns the draws and what is left. */
export function drawInOrder(lots: readonly Lot[], amount: Decimal, already?: Map<string, Decimal>): { draws: LotDraw[]; short: Decimal } {
  const draws: LotDraw[] = [];
  let left = amount;
  for (const lot of lots) {
    if (!left.gt(0)) break;
    const room = lot.remaining.minus(already?.get(lot.id) ?? ZERO);
    if (!room.gt(0)) continue;
    const take = Decimal.min(room, left);
    draws.push(drawOf(lot, take));
    already?.set(lot.id, (already.get(lot.id) ?? ZERO).plus(take));
    left = left.minus(take);
  }
  return { draws, short: left };
}

/**
 * Draws `amount` spendable points at `at`: soonest-expiring lot first, then oldest. Returns null
 * when the available balance (lots less debt and holds) is short.
 */
export function spend(state: AccountState, amount: Decimal, at: Date, unit: Unit = 'points'): LotDraw[] | null {
  if (balanceAt(state, at, unit).available.lt(amount)) return null;
  const draws: LotDraw[] = [];
  let left = amount;
  // Lots in spending order, read only as far as the amount goes.
  eachSpendableLot(state, at, unit, (lot) => {
    if (!left.gt(0)) return true;
    if (!lot.remaining.gt(0)) return false;
    const take = Decimal.min(lot.remaining, left);
    draws.push(drawOf(lot, take));
    left = left.minus(take);
    return false;
  });
  return left.gt(0) ? null : draws;
}

/**
 * Splits draws being given back at `at` into those that return to their lots and those whose lot
 * has expired meanwhile (which stay expired). A returning draw names the account its lot sits in
 * now (a pending lot may have been released since).
 */
export function giveBack(state: AccountState, draws: readonly LotDraw[], at: Date): { draws: LotDraw[]; expired: LotDraw[] } {
  const back: LotDraw[] = [];
  const expired: LotDraw[] = [];
  for (const d of draws) {
    if (!d.amount.gt(0)) continue;
    const lot = lotOf(state, d.lot);
    const expiresAt = lot?.expiresAt ?? d.terms.expiresAt;
    if (expiresAt !== null && expiresAt.getTime() <= at.getTime()) expired.push(d);
    else back.push(lot ? { ...d, from: lot.account } : d);
  }
  return { draws: back, expired };
}

/** The first `amount` of a sequence of draws, in order (for partial give-backs and captures). */
export function sliceDraws(draws: readonly LotDraw[], skip: Decimal, amount: Decimal): LotDraw[] {
  const out: LotDraw[] = [];
  let toSkip = skip;
  let left = amount;
  for (const d of draws) {
    if (!left.gt(0)) break;
    let available = d.amount;
    if (toSkip.gt(0)) {
      const skipped = Decimal.min(toSkip, available);
      toSkip = toSkip.minus(skipped);
      available = available.minus(skipped);
    }
    if (!available.gt(0)) continue;
    const take = Decimal.min(available, left);
    out.push({ ...d, amount: take });
    left = left.minus(take);
  }
  return out;
}

/** What a clawback takes: draws from lots, debt beyond the balance, and what is forgiven. */
export interface TakeBack {
  readonly draws: LotDraw[];
  readonly debt: Decimal;
  readonly forgiven: Decimal;
}

/**
 * Takes back points earned by given lots (a refund, a reversal): first from each lot itself, as
 * much as it still holds; then, for what was already spent, as the program's return policy says:
 * `allow_negative` draws other available lots and books the rest as debt (up to `negativeLimit`),
 * `available_only` takes only what is available, `pending_first` takes pending lots first.
 */
export function takeBack(state: AccountState, wants: readonly { readonly lot: string; readonly amount: Decimal }[], at: Date, config: ProgramConfig, unit: Unit = 'points'): TakeBack {
  const used = new Map<string, Decimal>();
  const draws: LotDraw[] = [];
  let short = ZERO;
  for (const want of wants) {
    const found = lotOf(state, want.lot);
    const lot = found && !isExpiredAt(found, at) ? found : undefined;
    if (!lot) {
      short = short.plus(want.amount);
      continue;
    }
    const got = drawInOrder([lot], want.amount, used);
    draws.push(...got.draws);
    short = short.plus(got.short);
  }
  let debt = ZERO;
  let forgiven = ZERO;
  if (short.gt(0)) {
    const policy = config.returns.whenSpent;
    const pendingLots = state.lots.filter((l) => l.unit === unit && !isExpiredAt(l, at) && l.availableAt.getTime() > at.getTime());
    const spendable = spendableLots(state, at, unit);
    const order = policy === 'pending_first' ? [...pendingLots, ...spendable] : spendable;
    // What the balance can give: lots less the debt already owed.
    const owed = state.debt[unit] ?? ZERO;
    const capacity = Decimal.max(ZERO, order.reduce((s, l) => s.plus(l.remaining).minus(used.get(l.id) ?? ZERO), ZERO).minus(owed));
    const fromLots = drawInOrder(order, Decimal.min(short, capacity), used);
    draws.push(...fromLots.draws);
    const rest = short.minus(Decimal.min(short, capacity)).plus(fromLots.short);
    if (policy === 'allow_negative' && rest.gt(0)) {
      const limit = config.returns.negativeLimit;
      const room = limit === undefined ? rest : Decimal.max(ZERO, limit.minus(owed));
      debt = Decimal.min(rest, room);
      forgiven = rest.minus(debt);
    } else forgiven = rest;
  }
  return { draws: mergeDraws(draws), debt, forgiven };
}

/** Merges draws on the same lot and account. */
export function mergeDraws(draws: readonly LotDraw[]): LotDraw[] {
  const out = new Map<string, LotDraw>();
  for (const d of draws) {
    const key = `${d.lot}\u0000${d.from}`;
    const prev = out.get(key);
    out.set(key, prev ? { ...prev, amount: prev.amount.plus(d.amount) } : d);
  }
  return [...out.values()];
}

/** The restore entry that gives back everything a hold still reserves (expired lots excepted). */
export function releaseEntry(account: AccountState, holdId: string, draws: readonly LotDraw[], at: Date): Entry {
  const back = giveBack(account, draws, at);
  return { kind: 'restore', unit: draws[0]?.terms.unit ?? 'points', source: 'held', holdId, draws: back.draws, expired: back.expired };
}

/**
 * Folds entries into a working copy of the state, so a later entry of the same transaction can
 * be computed from what the earlier ones did. The copy never leaves the engine.
 */
export function foldDraft(state: AccountState, at: Date, entries: readonly Entry[]): AccountState {
  if (entries.length === 0) return state;
  return applyTransaction(state, { id: 'draft', programId: state.programId, programVersion: 0, customerId: state.customerId, at, cause: { kind: 'tick' }, entries });
}

/**
 * Holds past their timeout give their points back before anything else draws lots: a read as of
 * `at` already counts them available, so an operation at `at` must be able to spend them. Returns
 * the restore entries to put first in the operation's transaction, and the state after them.
 */
export function settleLapsedHolds(state: AccountState, at: Date): { entries: Entry[]; state: AccountState } {
  const lapsed = state.holds.filter((h) => h.expiresAt.getTime() <= at.getTime());
  if (lapsed.length === 0) return { entries: [], state };
  const entries = lapsed.map((h) => releaseEntry(state, h.id, h.draws, at));
  return { entries, state: foldDraft(state, at, entries) };
}

/**
 * The clawback entries that take back what given lots earned, one per unit (points, credit,
 * punches), each following the return policy for what was already spent.
 */
export function clawbackEntries(
  state: AccountState,
  wants: readonly { readonly lot: string; readonly unit: Unit; readonly amount: Decimal; readonly lines?: readonly LineShare[] }[],
  at: Date,
  config: ProgramConfig,
  orderId: string | undefined,
): Entry[] {
  const units = [...new Set(wants.map((w) => w.unit))];
  return units.map((unit) => {
    const mine = wants.filter((w) => w.unit === unit);
    const taken = takeBack(state, mine, at, config, unit);
    const against = mine.map(({ lot, amount, lines }) => ({ lot, amount, ...(lines ? { lines } : {}) }));
    return { kind: 'clawback', unit, draws: taken.draws, debt: taken.debt, against, ...(orderId !== undefined ? { orderId } : {}) };
  });
}

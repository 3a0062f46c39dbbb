// The derived indexes of an account state's lots, kept beside the state (never in it) so reads
// and writes cost what they touch, not the number of open lots: lots by id, in the state's order,
// in spending (= expiry) order per unit, pending lots by release instant, and running sums per
// unit. The fold builds a new state's index from the old one's by structural sharing; a state
// the fold did not make (loaded from a store, written by hand, an older version) gets one built
// from scratch on first use. Nothing here is part of the state or of its serialised form.
import { ZERO, type Decimal } from '../money/decimal';
import type { AccountState, Lot, Unit } from './types';
import { chunksOf, EMPTY_CHUNKS, findIn, toArray, type ChunkList } from './chunks';

/** A lot as the indexes hold it: with its place in the state's order and its notice flag. */
export interface LotRecord {
  /** Position key in `state.lots`: records sort by it into the state's order. */
  readonly seq: number;
  readonly lot: Lot;
  /** An expiring-soon notice was sent for the lot (the mark `expiring:<lot>` is set). */
  readonly notified: boolean;
}

/** Sums of `remaining` per account, over a unit's lots, whatever their instants. */
export interface UnitSums {
  readonly available: Decimal;
  readonly pending: Decimal;
}

/** The derived indexes of one account state. */
export interface LotIndex {
  readonly byId: ChunkList<LotRecord>;
  /** In the order of `state.lots`. */
  readonly bySeq: ChunkList<LotRecord>;
  /** Per unit, in spending order: soonest expiry first (never last), then oldest, then id. */
  readonly draw: ReadonlyMap<Unit, ChunkList<LotRecord>>;
  /** Lots in the `pending` account, soonest release first. */
  readonly pending: ChunkList<LotRecord>;
  readonly sums: ReadonlyMap<Unit, UnitSums>;
  /**
   * No lot in the `available` account has an `availableAt` later than this (a bound: it never
   * falls when lots go). Reads as of an earlier instant take the slow path.
   */
  readonly maxAvailableAt: number;
  readonly nextSeq: number;
  /** The soonest `keepUntil` of the state's counters (+∞ when none expires). */
  readonly minKeepUntil: number;
  /** Marks `expiring:<lot>` may name lots that are gone (a state the fold did not make). */
  readonly staleNotices: boolean;
}

const NOTICE = 'expiring:';

/** The mark that records an expiring-soon notice for a lot. */
export function noticeKey(lotId: string): string {
  return NOTICE + lotId;
}

export const byIdOrder = (a: LotRecord, b: LotRecord): number => (a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0);
export const bySeqOrder = (a: LotRecord, b: LotRecord): number => a.seq - b.seq;

/** Spending order: the order of `spendableLots`. */
export function spendOrder(a: Lot, b: Lot): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const d = a.earnedAt.getTime() - b.earnedAt.getTime();
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
export const drawOrder = (a: LotRecord, b: LotRecord): number => spendOrder(a.lot, b.lot);
export function pendingOrder(a: LotRecord, b: LotRecord): number {
  const d = a.lot.availableAt.getTime() - b.lot.availableAt.getTime();
  return d !== 0 ? d : byIdOrder(a, b);
}

/** The soonest `keepUntil` among counters. */
export function minKeepUntilOf(counters: AccountState['counters']): number {
  let min = Number.POSITIVE_INFINITY;
  for (const key in counters) {
    const until = counters[key]?.keepUntil;
    if (until && until.getTime() < min) min = until.getTime();
  }
  return min;
}

/** Adds (sign 1) or takes away (sign −1) a lot's remaining from its unit's sums. */
export function addToSums(sums: Map<Unit, UnitSums>, lot: Lot, sign: 1 | -1): void {
  const prev = sums.get(lot.unit) ?? { available: ZERO, pending: ZERO };
  const delta = sign === 1 ? lot.remaining : lot.remaining.neg();
  sums.set(lot.unit, lot.account === 'available' ? { available: prev.available.plus(delta), pending: prev.pending } : { available: prev.available, pending: prev.pending.plus(delta) });
}

function hasStaleNotices(marks: AccountState['marks'], ids: ReadonlyMap<string, Lot>): boolean {
  for (const key in marks) if (key.startsWith(NOTICE) && !ids.has(key.slice(NOTICE.length))) return true;
  return false;
}

/** The index of a state the fold did not make, from scratch. O(n log n), once per state. */
function buildIndex(state: AccountState): LotIndex {
  // A Map, as the fold has always read lots: a repeated id keeps its first place and last value.
  const ids = new Map<string, Lot>();
  for (const lot of state.lots) ids.set(lot.id, lot);
  const records: LotRecord[] = [];
  const sums = new Map<Unit, UnitSums>();
  const perUnit = new Map<Unit, LotRecord[]>();
  let maxAvailableAt = Number.NEGATIVE_INFINITY;
  for (const lot of ids.values()) {
    const record: LotRecord = { seq: records.length, lot, notified: state.marks[noticeKey(lot.id)] !== undefined };
    records.push(record);
    addToSums(sums, lot, 1);
    const list = perUnit.get(lot.unit) ?? [];
    list.push(record);
    perUnit.set(lot.unit, list);
    if (lot.account === 'available') maxAvailableAt = Math.max(maxAvailableAt, lot.availableAt.getTime());
  }
  const draw = new Map<Unit, ChunkList<LotRecord>>();
  for (const [unit, list] of perUnit) draw.set(unit, chunksOf(list.sort(drawOrder)));
  return {
    byId: chunksOf([...records].sort(byIdOrder)),
    bySeq: chunksOf(records),
    draw,
    pending: records.length === 0 ? EMPTY_CHUNKS : chunksOf(records.filter((r) => r.lot.account === 'pending').sort(pendingOrder)),
    sums,
    maxAvailableAt,
    nextSeq: records.length,
    minKeepUntil: minKeepUntilOf(state.counters),
    staleNotices: hasStaleNotices(state.marks, ids),
  };
}

const indexes = new WeakMap<AccountState, LotIndex>();

/**
 * The index of a state: the one the fold left beside it, or one built now (and kept for the
 * state's lifetime).
 */
export function lotIndexOf(state: AccountState): LotIndex {
  let index = indexes.get(state);
  if (index === undefined) {
    index = buildIndex(state);
    indexes.set(state, index);
  }
  return index;
}

/** Records the index of a state the fold just made. */
export function keepIndex(state: AccountState, index: LotIndex): void {
  indexes.set(state, index);
}

/** The record of lot `id` in an index. O(log n). */
export function recordOf(index: LotIndex, id: string): LotRecord | undefined {
  return findIn(index.byId, (r) => (r.lot.id < id ? -1 : r.lot.id > id ? 1 : 0));
}

/**
 * The lot `id` of a state, or undefined. O(log n), where `state.lots.find` is O(n).
 *
 * @example
 * ```ts
 * lotOf(state, 'e1:base')?.remaining.toString(); // '120'
 * ```
 */
export function lotOf(state: AccountState, id: string): Lot | undefined {
  return recordOf(lotIndexOf(state), id)?.lot;
}

/** The lots of an index in the state's order. O(n): only for a state's `lots` when read. */
export function lotsInOrder(index: LotIndex): Lot[] {
  return toArray(index.bySeq).map((r) => r.lot);
}

/** The number of lots of a state, without building its `lots` array. */
export function lotCount(state: AccountState): number {
  return lotIndexOf(state).bySeq.size;
}

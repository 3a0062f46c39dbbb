// The derived indexes of an account state's lots, kept beside the state (never in it) so reads
// and writes cost what they touch, not the number of open lots: lots by id, in the state's order,
// in spending (= expiry) order per unit, pending lots by release instant, and running sums per
// unit. The fold builds a new state's index from the old one's by structural sharing; a state
// the fold did not make (loaded from a store, written by hand, an older version) gets one built
// from scratch on first use. Nothing here is part of the state or of its serialised form.
import { ZERO, type Decimal } from '../money/decimal';
import type { AccountState, Lot, Unit } from './types';
import { chunksOf, EMPTY_CHUNKS, findIn, toArray, walk, type ChunkList } from './chunks';
import { LotRecord } from './lot-record';

export { LotRecord };

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
  /** The state's marks other than notices (`expiring:<lot>`, kept on the lots' records). */
  readonly others: Readonly<Record<string, string>>;
}

/** The prefix of the marks that record an expiring-soon notice. */
export const NOTICE = 'expiring:';

/** The mark that records an expiring-soon notice for a lot. */
export function noticeKey(lotId: string): string {
  return NOTICE + lotId;
}

export const byIdOrder = (a: LotRecord, b: LotRecord): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
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
/** `spendOrder` on records (their instants are numbers already; +∞ for never). */
export function drawOrder(a: LotRecord, b: LotRecord): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt < b.expiresAt ? -1 : 1;
  const d = a.earnedAt - b.earnedAt;
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
export function pendingOrder(a: LotRecord, b: LotRecord): number {
  const d = a.availableAt - b.availableAt;
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
export function addToSums(sums: Map<Unit, UnitSums>, lot: Pick<Lot, 'unit' | 'remaining' | 'account'>, sign: 1 | -1): void {
  const prev = sums.get(lot.unit) ?? { available: ZERO, pending: ZERO };
  const delta = sign === 1 ? lot.remaining : lot.remaining.neg();
  sums.set(lot.unit, lot.account === 'available' ? { available: prev.available.plus(delta), pending: prev.pending } : { available: prev.available, pending: prev.pending.plus(delta) });
}

/** The marks other than notices (a notice of a lot that is gone is dropped, as the fold drops it). */
function otherMarks(marks: AccountState['marks']): Record<string, string> {
  const others: Record<string, string> = {};
  for (const key in marks) if (!key.startsWith(NOTICE)) others[key] = marks[key] as string;
  return others;
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
    const record = LotRecord.of(records.length, lot, state.marks[noticeKey(lot.id)]);
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
    pending: records.length === 0 ? EMPTY_CHUNKS : chunksOf(records.filter((r) => r.account === 'pending').sort(pendingOrder)),
    sums,
    maxAvailableAt,
    nextSeq: records.length,
    minKeepUntil: minKeepUntilOf(state.counters),
    others: otherMarks(state.marks),
  };
}

/**
 * Where the fold keeps a new state's index: a non-enumerable symbol property, invisible to JSON,
 * spreads, `Object.keys`, structured clones and deep equality, so the state's shape and
 * serialised form are unchanged (a copy simply has no index and gets one built). Not a WeakMap:
 * one WeakMap entry per folded state made garbage collection a third of the fold's time.
 */
const INDEX: unique symbol = Symbol('loyalty-engine.lotIndex');
type Indexed = AccountState & { readonly [INDEX]?: { readonly index: LotIndex } };

/** Indexes built for states the fold did not make (few: loaded from a store, written by hand). */
const built = new WeakMap<AccountState, LotIndex>();

/**
 * The index of a state: the one the fold left on it, or one built now (kept for the state's
 * lifetime; the state itself is not touched).
 */
export function lotIndexOf(state: AccountState): LotIndex {
  const kept = (state as Indexed)[INDEX];
  if (kept !== undefined) return kept.index;
  let index = built.get(state);
  if (index === undefined) {
    index = buildIndex(state);
    built.set(state, index);
  }
  return index;
}

/** What the fold keeps on a state it made: the index, and the `lots` and `marks` once built. */
interface Kept {
  readonly index: LotIndex;
  lots: readonly Lot[] | undefined;
  marks: Readonly<Record<string, string>> | undefined;
}
interface Folded {
  readonly [INDEX]: Kept;
}

/** All marks of an index: the others, then the lots' notices in the state's order. */
function marksOf(index: LotIndex): Readonly<Record<string, string>> {
  let marks: Record<string, string> | undefined;
  walk(index.bySeq, (r) => {
    if (r.notice === undefined) return;
    marks ??= { ...index.others };
    marks[noticeKey(r.id)] = r.notice;
  });
  return marks ?? index.others;
}

/**
 * Getters shared by every folded state: V8 keeps one hidden class for all of them (a getter
 * written in each state's literal is a new function per state, and a new hidden class each).
 */
const lotsDescriptor: PropertyDescriptor = {
  get(this: Folded): readonly Lot[] {
    const kept = this[INDEX];
    return (kept.lots ??= lotsInOrder(kept.index));
  },
  enumerable: true,
  configurable: false,
};
const marksDescriptor: PropertyDescriptor = {
  get(this: Folded): Readonly<Record<string, string>> {
    const kept = this[INDEX];
    return (kept.marks ??= marksOf(kept.index));
  },
  enumerable: true,
  configurable: false,
};

/**
 * A state the fold has just made, its index kept on it: `lots` and `marks` are enumerable
 * getters in their usual places among the keys, built from the index when first read, so a write
 * whose lots nobody reads costs nothing per open lot. The other fields are plain data.
 */
export function foldedState(fields: Omit<AccountState, 'lots' | 'marks'>, index: LotIndex): AccountState {
  const state = { programId: fields.programId, customerId: fields.customerId, version: fields.version };
  Object.defineProperty(state, 'lots', lotsDescriptor);
  const middle = Object.assign(state, { debt: fields.debt, counters: fields.counters, holds: fields.holds });
  Object.defineProperty(middle, 'marks', marksDescriptor);
  const rest = Object.assign(middle, { kinds: fields.kinds, stats: fields.stats, lastTransactionAt: fields.lastTransactionAt });
  const kept: Kept = { index, lots: undefined, marks: undefined };
  Object.defineProperty(rest, INDEX, { value: kept });
  // `lots` and `marks` were defined above, with their getters.
  return rest as typeof rest & Pick<AccountState, 'lots' | 'marks'>;
}

/**
 * One mark of a state, without building its marks object: notices from the lots' records, the
 * others from a plain record.
 *
 * @example
 * ```ts
 * markOf(state, 'lapsed'); // '2027-01-31T00:00:00.000Z' or undefined
 * ```
 */
export function markOf(state: AccountState, key: string): string | undefined {
  const index = lotIndexOf(state);
  return key.startsWith(NOTICE) ? recordOf(index, key.slice(NOTICE.length))?.notice : index.others[key];
}

/** The record of lot `id` in an index. O(log n). */
export function recordOf(index: LotIndex, id: string): LotRecord | undefined {
  return findIn(index.byId, (r) => (r.id < id ? -1 : r.id > id ? 1 : 0));
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

import { refuse } from '../time/internal/refuse';
import type { PeriodFinder } from './periods';

// The accumulator's state: one record per customer, and in it one cell of integer sums per
// period. Everything a report needs (churn, lifespans, distinct counts, segments that may only
// be known once the profile arrives) is a function of these records, and every field merges
// exactly: sums add, first/last take min/max, profiles combine by a commutative rule. So memory
// grows with customers × periods they were active in, never with the number of items.
//
// Sums are plain numbers holding integers (minor units, point steps) while they stay within
// ±2^52; an add that would pass that spills the value into a bigint, so the hot path never
// allocates and never loses a unit.

/** The sums of a cell, by index. */
export const F = {
  orders: 0,
  revenue: 1,
  issued: 2,
  redeemed: 3,
  expired: 4,
  clawedBack: 5,
  adjusted: 6,
  unpriced: 7,
} as const;
/** How many sums a cell holds. */
export const FIELDS = 8;

/** Integers up to this size are summed as numbers; each added amount is at most this too, so a sum never passes 2^53. */
export const LIMIT = 2 ** 52;

/** One customer's sums in one period. */
export interface Cell {
  readonly sums: number[];
  /** The part of each sum that outgrew the number range; null until that happens. */
  spill: bigint[] | null;
}

/** What the accumulator knows about one customer. */
export interface CustomerRecord {
  /** True once a profile said enrolled; false for a profile that said not; null without one. */
  member: boolean | null;
  /** Earliest enrolment of the profiles given (epoch ms); +Infinity when none. */
  enrolledAt: number;
  /** The segment label of the profile, or null before a profile arrives. */
  label: string | null;
  /** The first instant the customer was seen in a profile or an event (+Infinity: only in the ledger). */
  firstSeen: number;
  firstPurchase: number;
  lastPurchase: number;
  readonly cells: Map<number, Cell>;
  /** The cell last added to, and its key: consecutive items of a customer often share it. */
  lastKey: number;
  lastCell: Cell | null;
}

/**
 * The state of a metrics accumulator: owned and mutable (see {@link Accumulator}). Opaque: read
 * it through the accumulator's `result`.
 */
export interface MetricsState {
  /** @internal */
  readonly customers: Map<string, CustomerRecord>;
  /**
   * Without a segment breakdown, points need no customer: they are summed per period here, and
   * the hot path skips the customer lookup (a hash probe into memory as large as the customer
   * base, which costs more than the rest of an add together).
   *
   * @internal
   */
  readonly programCells: Map<number, Cell>;
  /** @internal */
  lastProgramKey: number;
  /** @internal */
  lastProgramCell: Cell | null;
  /** @internal */
  readonly finder: PeriodFinder;
}

/** An empty state. */
export function emptyState(finder: PeriodFinder): MetricsState {
  return { customers: new Map(), programCells: new Map(), lastProgramKey: Number.NaN, lastProgramCell: null, finder };
}

/** The program-wide cell of a period (see `programCells`). */
export function programCellOf(state: MetricsState, key: number): Cell {
  if (key === state.lastProgramKey && state.lastProgramCell !== null) return state.lastProgramCell;
  let cell = state.programCells.get(key);
  if (cell === undefined) state.programCells.set(key, (cell = newCell()));
  state.lastProgramKey = key;
  state.lastProgramCell = cell;
  return cell;
}

function newCell(): Cell {
  return { sums: new Array<number>(FIELDS).fill(0), spill: null };
}

function spill(cell: Cell, field: number, value: number): void {
  const big = (cell.spill ??= new Array<bigint>(FIELDS).fill(0n));
  big[field] = (big[field] ?? 0n) + BigInt(value);
  cell.sums[field] = 0;
}

/** Adds an integer (|amount| ≤ LIMIT, checked by the caller) to one sum of a cell. */
export function addTo(cell: Cell, field: number, amount: number): void {
  const sums = cell.sums;
  const value = (sums[field] ?? 0) + amount;
  if (value <= LIMIT && value >= -LIMIT) sums[field] = value;
  else spill(cell, field, value);
}

/** One sum of a cell, exactly. */
export function sumOf(cell: Cell, field: number): bigint {
  const n = BigInt(cell.sums[field] ?? 0);
  return cell.spill ? n + (cell.spill[field] ?? 0n) : n;
}

/** Checks that an amount is an integer the sums can take in one step. */
export function checkAmount(amount: number, path: string): number {
  if (!Number.isSafeInteger(amount) || amount > LIMIT || amount < -LIMIT) {
    refuse('invalid_amount', [path], `${String(amount)} is not an integer of at most 2^52 steps`);
  }
  return amount;
}

/**
 * The record of a customer, made on first sight. `at` is when a profile or an event saw the
 * customer; ledger items pass +Infinity (they do not make a customer known).
 */
export function recordOf(state: MetricsState, customerId: string, at: number): CustomerRecord {
  let record = state.customers.get(customerId);
  if (record === undefined) {
    record = {
      member: null,
      enrolledAt: Number.POSITIVE_INFINITY,
      label: null,
      firstSeen: at,
      firstPurchase: Number.POSITIVE_INFINITY,
      lastPurchase: Number.NEGATIVE_INFINITY,
      cells: new Map(),
      lastKey: Number.NaN,
      lastCell: null,
    };
    state.customers.set(customerId, record);
  } else if (at < record.firstSeen) {
    record.firstSeen = at;
  }
  return record;
}

/** The cell of a customer for the period starting at `key`. */
export function cellOf(record: CustomerRecord, key: number): Cell {
  if (key === record.lastKey && record.lastCell !== null) return record.lastCell;
  let cell = record.cells.get(key);
  if (cell === undefined) record.cells.set(key, (cell = newCell()));
  record.lastKey = key;
  record.lastCell = cell;
  return cell;
}

function mergeCell(into: Cell, from: Cell): void {
  for (let i = 0; i < FIELDS; i++) addTo(into, i, from.sums[i] ?? 0);
  if (from.spill) {
    const big = (into.spill ??= new Array<bigint>(FIELDS).fill(0n));
    for (let i = 0; i < FIELDS; i++) big[i] = (big[i] ?? 0n) + (from.spill[i] ?? 0n);
  }
}

/** The larger of two labels, null being the smallest: a commutative choice when profiles disagree. */
function pickLabel(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

/** Combines what two profiles of the same customer said: enrolled if either did, earliest enrolment. */
export function mergeProfile(into: CustomerRecord, member: boolean | null, enrolledAt: number, label: string | null): void {
  if (member !== null) into.member = into.member === true || member;
  if (enrolledAt < into.enrolledAt) into.enrolledAt = enrolledAt;
  into.label = pickLabel(into.label, label);
}

function mergeRecord(into: CustomerRecord, from: CustomerRecord): void {
  mergeProfile(into, from.member, from.enrolledAt, from.label);
  into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
  into.firstPurchase = Math.min(into.firstPurchase, from.firstPurchase);
  into.lastPurchase = Math.max(into.lastPurchase, from.lastPurchase);
  for (const [key, cell] of from.cells) {
    const mine = into.cells.get(key);
    if (mine === undefined) into.cells.set(key, cell);
    else mergeCell(mine, cell);
  }
}

/** Merges `b` into `a` (taking over b's records) and returns `a`. */
export function mergeStates(a: MetricsState, b: MetricsState): MetricsState {
  if (a === b) refuse('invalid_input', ['b'], 'a state cannot be merged with itself');
  for (const [id, record] of b.customers) {
    const mine = a.customers.get(id);
    if (mine === undefined) a.customers.set(id, record);
    else mergeRecord(mine, record);
  }
  for (const [key, cell] of b.programCells) {
    const mine = a.programCells.get(key);
    if (mine === undefined) a.programCells.set(key, cell);
    else mergeCell(mine, cell);
  }
  b.customers.clear();
  b.programCells.clear();
  b.lastProgramCell = null;
  return a;
}

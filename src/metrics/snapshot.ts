import { refuse } from '../time/internal/refuse';
import { addTo, emptyState, FIELDS, LIMIT, sumOf, type Cell, type CustomerRecord, type MetricsState } from './state';
import type { PeriodFinder } from './periods';

// A state as plain data, to move between workers (postMessage), processes or storage, and back.
// Everything is JSON: instants are epoch ms (null for "never"), a sum is a number while it is
// within ±2^52 and a decimal string beyond, so a restored state merges exactly like the original.

/** Sums of one cell, keyed by the period's first instant (epoch ms). */
type CellData = readonly [key: number, sums: readonly (number | string)[]];

/** One customer: id, member (null: no profile), enrolledAt, label, firstSeen, firstPurchase, lastPurchase, cells. */
type CustomerData = readonly [
  id: string,
  member: boolean | null,
  enrolledAt: number | null,
  label: string | null,
  firstSeen: number | null,
  firstPurchase: number | null,
  lastPurchase: number | null,
  cells: readonly CellData[],
];

/**
 * A metrics state as plain JSON data: what `snapshot` gives and `restore` takes. Its layout is
 * private to the library version that wrote it (`version` says which).
 *
 * @example
 * ```ts
 * const data: MetricsSnapshot = acc.snapshot(state);
 * parentPort.postMessage(JSON.stringify(data));
 * ```
 */
export interface MetricsSnapshot {
  readonly version: 1;
  /** @internal */
  readonly customers: readonly CustomerData[];
  /** @internal */
  readonly program: readonly CellData[];
}

const finite = (t: number): number | null => (Number.isFinite(t) ? t : null);

function cellData(key: number, cell: Cell): CellData {
  const sums: (number | string)[] = [];
  for (let i = 0; i < FIELDS; i++) {
    const v = sumOf(cell, i);
    sums.push(v <= BigInt(LIMIT) && v >= -BigInt(LIMIT) ? Number(v) : v.toString());
  }
  return [key, sums];
}

/** The state as plain data (the state is not changed). */
export function snapshotOf(state: MetricsState): MetricsSnapshot {
  const customers: CustomerData[] = [];
  for (const [id, r] of state.customers) {
    const cells = [...r.cells].map(([key, cell]) => cellData(key, cell));
    customers.push([id, r.member, finite(r.enrolledAt), r.label, finite(r.firstSeen), finite(r.firstPurchase), finite(r.lastPurchase), cells]);
  }
  return { version: 1, customers, program: [...state.programCells].map(([key, cell]) => cellData(key, cell)) };
}

function cellOfData(sums: readonly (number | string)[]): Cell {
  const cell: Cell = { sums: new Array<number>(FIELDS).fill(0), spill: null };
  for (let i = 0; i < FIELDS; i++) {
    const v = sums[i] ?? 0;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || Math.abs(v) > LIMIT) refuse('invalid_input', ['snapshot'], `a sum ${String(v)} is not an integer of at most 2^52`);
      addTo(cell, i, v);
    } else {
      if (!/^-?\d+$/.test(v)) refuse('invalid_input', ['snapshot'], `a sum ${JSON.stringify(v)} is not an integer`);
      cell.spill ??= new Array<bigint>(FIELDS).fill(0n);
      cell.spill[i] = BigInt(v);
    }
  }
  return cell;
}

const orInfinity = (t: number | null, sign: 1 | -1): number => (t === null ? sign * Number.POSITIVE_INFINITY : t);

/** A state made from a snapshot (with a finder of the accumulator's own options). */
export function restoreState(data: MetricsSnapshot, finder: PeriodFinder): MetricsState {
  if (data.version !== 1) refuse('invalid_input', ['snapshot', 'version'], `snapshot version ${String(data.version)} is not one this library reads`);
  const state = emptyState(finder);
  for (const [id, member, enrolledAt, label, firstSeen, firstPurchase, lastPurchase, cells] of data.customers) {
    const record: CustomerRecord = {
      member,
      enrolledAt: orInfinity(enrolledAt, 1),
      label,
      firstSeen: orInfinity(firstSeen, 1),
      firstPurchase: orInfinity(firstPurchase, 1),
      lastPurchase: orInfinity(lastPurchase, -1),
      cells: new Map(cells.map(([key, sums]) => [key, cellOfData(sums)])),
      lastKey: Number.NaN,
      lastCell: null,
    };
    state.customers.set(id, record);
  }
  for (const [key, sums] of data.program) state.programCells.set(key, cellOfData(sums));
  return state;
}

// The lots of one fold step: reads go to the changes so far, then to the old state's index;
// writes are noted, and `commit` applies them to the indexes by structural sharing. It behaves as
// the `Map<string, Lot>` the fold used to copy from `state.lots` on every write (a deleted lot
// set again goes to the end), at the cost of the lots the transaction touches.
import type { Decimal } from '../money/decimal';
import type { Lot, Unit } from './types';
import { ChunkEditor, EMPTY_CHUNKS } from './chunks';
import { addToSums, byIdOrder, bySeqOrder, drawOrder, pendingOrder, recordOf, type LotIndex, type UnitSums } from './lot-index';
import { LotRecord } from './lot-record';

/** The lots of a fold step, as a map by id over the old state's index. */
export class LotDraft {
  readonly #base: LotIndex;
  /** Lots changed in this step: the new record, or null for a lot that left. */
  readonly #changed = new Map<string, LotRecord | null>();
  #nextSeq: number;

  constructor(base: LotIndex) {
    this.#base = base;
    this.#nextSeq = base.nextSeq;
  }

  /** The lot's record as of this step (its fields read without building the `Lot`). */
  record(id: string): LotRecord | undefined {
    const changed = this.#changed.get(id);
    if (changed !== undefined) return changed ?? undefined;
    return recordOf(this.#base, id);
  }

  get(id: string): Lot | undefined {
    return this.record(id)?.lot;
  }

  has(id: string): boolean {
    return this.record(id) !== undefined;
  }

  /** Puts a lot: in its place when present, else at the end. */
  set(lot: Lot): void {
    const present = this.record(lot.id);
    this.#changed.set(lot.id, present ? LotRecord.of(present.seq, lot, present.notice) : LotRecord.of(this.#nextSeq++, lot, undefined));
  }

  /** Puts a present lot with a new `remaining` (as `set({ ...lot, remaining })`). */
  setRemaining(record: LotRecord, remaining: Decimal): void {
    this.#changed.set(record.id, record.withRemaining(remaining));
  }

  /** Puts a present lot in another account (as `set({ ...lot, account })`). */
  setAccount(record: LotRecord, account: 'available' | 'pending'): void {
    this.#changed.set(record.id, record.withAccount(account));
  }

  delete(id: string): void {
    if (this.record(id) !== undefined) this.#changed.set(id, null);
  }

  /** The lots this step added, changed or removed. */
  touched(): IterableIterator<string> {
    return this.#changed.keys();
  }

  /** Whether this step wrote lot `id`. */
  wasTouched(id: string): boolean {
    return this.#changed.has(id);
  }

  /** The notice mark of lot `id` before this step. */
  noticeBefore(id: string): string | undefined {
    return recordOf(this.#base, id)?.notice;
  }

  /** Sets the notice mark of a present lot. */
  setNotice(id: string, notice: string | undefined): void {
    const record = this.record(id);
    if (record && record.notice !== notice) this.#changed.set(id, record.withNotice(notice));
  }

  /**
   * The new index: the old one with this step's changes, sharing every untouched chunk; with the
   * new state's soonest counter expiry, and its notices settled.
   */
  commit(minKeepUntil: number, others: Readonly<Record<string, string>>): LotIndex {
    const base = this.#base;
    if (this.#changed.size === 0) {
      return { byId: base.byId, bySeq: base.bySeq, draw: base.draw, pending: base.pending, sums: base.sums, maxAvailableAt: base.maxAvailableAt, nextSeq: base.nextSeq, minKeepUntil, others };
    }
    const edit = new IndexEdit(this.#base);
    for (const [id, record] of this.#changed) {
      const old = recordOf(this.#base, id);
      if (old === record) continue;
      if (old && record && old.seq === record.seq) edit.change(old, record);
      else {
        if (old) edit.remove(old);
        if (record) edit.insert(record);
      }
    }
    return edit.done(this.#nextSeq, minKeepUntil, others);
  }
}

/** One batch of index changes. */
class IndexEdit {
  readonly #base: LotIndex;
  readonly #byId: ChunkEditor<LotRecord>;
  readonly #bySeq: ChunkEditor<LotRecord>;
  #pendingEditor: ChunkEditor<LotRecord> | null = null;
  readonly #draw = new Map<Unit, ChunkEditor<LotRecord>>();
  readonly #sums: Map<Unit, UnitSums>;
  #maxAvailableAt: number;

  constructor(base: LotIndex) {
    this.#base = base;
    this.#byId = new ChunkEditor(base.byId, byIdOrder);
    this.#bySeq = new ChunkEditor(base.bySeq, bySeqOrder);
    this.#sums = new Map(base.sums);
    this.#maxAvailableAt = base.maxAvailableAt;
  }

  /** The pending list's editor, made on the first change to pending lots. */
  get #pending(): ChunkEditor<LotRecord> {
    return (this.#pendingEditor ??= new ChunkEditor(this.#base.pending, pendingOrder));
  }

  #drawOf(unit: Unit): ChunkEditor<LotRecord> {
    let editor = this.#draw.get(unit);
    if (!editor) {
      editor = new ChunkEditor(this.#base.draw.get(unit) ?? EMPTY_CHUNKS, drawOrder);
      this.#draw.set(unit, editor);
    }
    return editor;
  }

  #counted(record: LotRecord): void {
    addToSums(this.#sums, record, 1);
    if (record.account === 'available') this.#maxAvailableAt = Math.max(this.#maxAvailableAt, record.availableAt);
  }

  insert(record: LotRecord): void {
    this.#byId.insert(record);
    this.#bySeq.insert(record);
    this.#drawOf(record.unit).insert(record);
    if (record.account === 'pending') this.#pending.insert(record);
    this.#counted(record);
  }

  remove(record: LotRecord): void {
    this.#byId.remove(record);
    this.#bySeq.remove(record);
    this.#drawOf(record.unit).remove(record);
    if (record.account === 'pending') this.#pending.remove(record);
    addToSums(this.#sums, record, -1);
  }

  /** The same lot in the same place, changed (its remaining, its account, its notice). */
  change(old: LotRecord, record: LotRecord): void {
    this.#byId.replace(record);
    this.#bySeq.replace(record);
    if (old.unit === record.unit && drawOrder(old, record) === 0) this.#drawOf(record.unit).replace(record);
    else {
      this.#drawOf(old.unit).remove(old);
      this.#drawOf(record.unit).insert(record);
    }
    const wasPending = old.account === 'pending';
    const isPending = record.account === 'pending';
    if (wasPending && isPending && pendingOrder(old, record) === 0) this.#pending.replace(record);
    else {
      if (wasPending) this.#pending.remove(old);
      if (isPending) this.#pending.insert(record);
    }
    if (!sameLot(old, record)) {
      addToSums(this.#sums, old, -1);
      this.#counted(record);
    }
  }

  done(nextSeq: number, minKeepUntil: number, others: Readonly<Record<string, string>>): LotIndex {
    const draw = new Map(this.#base.draw);
    for (const [unit, editor] of this.#draw) {
      const list = editor.done();
      if (list.size === 0) draw.delete(unit);
      else draw.set(unit, list);
    }
    return {
      byId: this.#byId.done(),
      bySeq: this.#bySeq.done(),
      draw,
      pending: this.#pendingEditor ? this.#pendingEditor.done() : this.#base.pending,
      sums: this.#sums,
      maxAvailableAt: this.#maxAvailableAt,
      nextSeq,
      minKeepUntil,
      others,
    };
  }
}

/** Whether two records hold the same lot (they may differ in their notice only). */
function sameLot(a: LotRecord, b: LotRecord): boolean {
  if (a.raw !== undefined || b.raw !== undefined) return a.raw === b.raw && a.raw !== undefined;
  return a.remaining === b.remaining && a.account === b.account && a.unit === b.unit && a.amount === b.amount && a.availableAt === b.availableAt && a.expiresAt === b.expiresAt && a.earnedAt === b.earnedAt;
}

// A lot as the state's indexes hold it: its instants as numbers rather than three `Date` objects
// (≈ 290 of a lot's ≈ 510 bytes), its place in the state's order and its notice flag in the same
// object. A `Lot` is built from it when read (`record.lot`), equal in value and in key order to
// the lot that was written. A lot that does not have the engine's shape (keys in another order,
// an `orderId` key holding undefined, instants that are not `Date`s…) is kept as given instead,
// so a state reads back exactly as it was written whatever made it.
import type { Decimal } from '../money/decimal';
import type { Lot, LotCause, Unit } from './types';

/** A `Lot`'s keys in the order the engine writes them (`orderId` last, when present). */
const KEYS = ['id', 'unit', 'amount', 'remaining', 'earnedAt', 'availableAt', 'expiresAt', 'account', 'cause', 'orderId'] as const;

/** Whether a lot is rebuilt exactly from its fields: the engine's key order and value types. */
function isCanonical(lot: Lot): boolean {
  let i = 0;
  for (const key in lot) {
    if (key !== KEYS[i]) return false;
    i += 1;
  }
  if (i === 10 ? typeof lot.orderId !== 'string' : i !== 9) return false;
  return lot.earnedAt instanceof Date && lot.availableAt instanceof Date && (lot.expiresAt === null || lot.expiresAt instanceof Date) && Object.getPrototypeOf(lot) === Object.prototype;
}

/** The instant of a lot's `expiresAt`: +∞ for never (no `Date` holds +∞). */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * One lot in the indexes. The fields a read or an order needs are plain values (instants in
 * ms); `lot` builds the public `Lot`.
 */
export class LotRecord {
  private constructor(
    /** Position key in `state.lots`: records sort by it into the state's order. */
    readonly seq: number,
    readonly id: string,
    readonly unit: Unit,
    readonly amount: Decimal,
    readonly remaining: Decimal,
    readonly earnedAt: number,
    readonly availableAt: number,
    /** +∞ when the lot never expires. */
    readonly expiresAt: number,
    readonly account: 'available' | 'pending',
    readonly cause: LotCause,
    readonly orderId: string | undefined,
    /**
     * The value of the lot's mark `expiring:<lot>` (when its expiring-soon notice was sent), or
     * undefined. Notice marks live here, with their lot, not in a marks object every write would copy.
     */
    readonly notice: string | undefined,
    /** The lot as given, when it is not rebuilt exactly from the fields above. */
    readonly raw: Lot | undefined,
  ) {}

  /** The record of `lot` at position `seq`. */
  static of(seq: number, lot: Lot, notice: string | undefined): LotRecord {
    const raw = isCanonical(lot) ? undefined : lot;
    return new LotRecord(seq, lot.id, lot.unit, lot.amount, lot.remaining, lot.earnedAt.getTime(), lot.availableAt.getTime(), lot.expiresAt === null ? NEVER : lot.expiresAt.getTime(), lot.account, lot.cause, lot.orderId, notice, raw);
  }

  /** The same lot with another notice mark. */
  withNotice(notice: string | undefined): LotRecord {
    return new LotRecord(this.seq, this.id, this.unit, this.amount, this.remaining, this.earnedAt, this.availableAt, this.expiresAt, this.account, this.cause, this.orderId, notice, this.raw);
  }

  /** The same lot with another `remaining` (as `{ ...lot, remaining }`). */
  withRemaining(remaining: Decimal): LotRecord {
    if (this.raw !== undefined) return LotRecord.of(this.seq, { ...this.raw, remaining }, this.notice);
    return new LotRecord(this.seq, this.id, this.unit, this.amount, remaining, this.earnedAt, this.availableAt, this.expiresAt, this.account, this.cause, this.orderId, this.notice, undefined);
  }

  /** The same lot in another account (as `{ ...lot, account }`). */
  withAccount(account: 'available' | 'pending'): LotRecord {
    if (this.raw !== undefined) return LotRecord.of(this.seq, { ...this.raw, account }, this.notice);
    return new LotRecord(this.seq, this.id, this.unit, this.amount, this.remaining, this.earnedAt, this.availableAt, this.expiresAt, account, this.cause, this.orderId, this.notice, undefined);
  }

  /** Whether the lot has an expiry. */
  get expires(): boolean {
    return this.expiresAt !== NEVER;
  }

  /**
   * The lot, as written (equal in value and key order), built on each read: the reads that come
   * again and again (`tick`'s and `nextDueAt`'s walks) use the record's own numbers instead, and
   * a cache would cost every record two fields.
   */
  get lot(): Lot {
    return this.raw ?? this.#build();
  }

  #build(): Lot {
    const expiresAt = this.expiresAt === NEVER ? null : new Date(this.expiresAt);
    if (this.orderId === undefined) {
      return { id: this.id, unit: this.unit, amount: this.amount, remaining: this.remaining, earnedAt: new Date(this.earnedAt), availableAt: new Date(this.availableAt), expiresAt, account: this.account, cause: this.cause };
    }
    return { id: this.id, unit: this.unit, amount: this.amount, remaining: this.remaining, earnedAt: new Date(this.earnedAt), availableAt: new Date(this.availableAt), expiresAt, account: this.account, cause: this.cause, orderId: this.orderId };
  }
}

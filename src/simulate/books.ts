import { Decimal } from '../money/decimal';
import type { Entry, LotDraw, Transaction, Unit } from '../ledger/types';

/** Integers up to this many steps are summed as numbers; a sum never passes 2^53, so it stays exact. */
const LIMIT = 2 ** 52;

/** The sums a replay reports, in one unit (positive amounts). */
export interface BookSums {
  readonly unit: Unit;
  readonly issued: Decimal;
  readonly redeemed: Decimal;
  readonly expired: Decimal;
  readonly clawedBack: Decimal;
  readonly adjusted: Decimal;
}

/** Which sum an amount goes to. */
const Field = { Issued: 0, Redeemed: 1, Expired: 2, ClawedBack: 3, Adjusted: 4 } as const;
type Field = (typeof Field)[keyof typeof Field];

const SOURCE_FIELD: Readonly<Record<string, Field | undefined>> = { redeemed: Field.Redeemed, adjusted: Field.Adjusted, clawed_back: Field.ClawedBack };

/**
 * Running sums of one unit's postings: what flowed out of `issued` and `adjusted`, and into
 * `redeemed`, `expired` and `clawed_back` (net of what came back) — the system-account side of
 * `postingsOf`, read straight from the entries.
 *
 * The sums are integers of steps (points, or the currency's minor units for credit) held in
 * plain numbers, so that a replay does no Decimal arithmetic per transaction; an amount that is
 * not a whole number of steps, or that would take a sum past 2^52, is kept exactly in a Decimal
 * beside it.
 */
export class Books implements BookSums {
  private issuedSteps = 0;
  private redeemedSteps = 0;
  private expiredSteps = 0;
  private clawedBackSteps = 0;
  private adjustedSteps = 0;
  /** Per field, what the integer sums could not take; null until that happens. */
  private rest: Decimal[] | null = null;

  /**
   * @param unit - the unit summed (entries of other units are skipped)
   * @param scale - steps per unit: 1 for points and punches, 10^places of the currency for credit
   */
  constructor(
    readonly unit: Unit,
    private readonly scale: number,
  ) {}

  get issued(): Decimal {
    return this.total(Field.Issued, this.issuedSteps);
  }

  get redeemed(): Decimal {
    return this.total(Field.Redeemed, this.redeemedSteps);
  }

  get expired(): Decimal {
    return this.total(Field.Expired, this.expiredSteps);
  }

  get clawedBack(): Decimal {
    return this.total(Field.ClawedBack, this.clawedBackSteps);
  }

  get adjusted(): Decimal {
    return this.total(Field.Adjusted, this.adjustedSteps);
  }

  /** Adds a transaction's postings in this unit. */
  add(tx: Transaction): void {
    for (const entry of tx.entries) if ('unit' in entry && entry.unit === this.unit) this.addEntry(entry);
  }

  /** The movements of one entry into the system accounts (the same as `postingsOf`'s). */
  private addEntry(entry: Entry): void {
    switch (entry.kind) {
      case 'earn':
        this.move(Field.Issued, entry.lot.remaining, 1);
        this.move(Field.Issued, entry.repaid, 1);
        return;
      case 'expire':
        this.draws(Field.Expired, entry.draws, 1);
        return;
      case 'redeem':
      case 'capture':
        this.draws(Field.Redeemed, entry.draws, 1);
        return;
      case 'clawback':
        this.draws(Field.ClawedBack, entry.draws, 1);
        this.move(Field.ClawedBack, entry.debt, 1);
        return;
      case 'adjust':
        if (entry.direction === 'credit') {
          if (entry.lot) this.move(Field.Adjusted, entry.lot.amount, 1);
        } else this.draws(Field.Adjusted, entry.draws ?? [], -1);
        return;
      case 'restore': {
        // Points leave the source (a system account unless it is `held`) back to lots, or to `expired`.
        const source = SOURCE_FIELD[entry.source];
        const sign = source === Field.Adjusted ? 1 : -1;
        if (source !== undefined) {
          this.draws(source, entry.draws, sign);
          this.draws(source, entry.expired, sign);
        }
        this.draws(Field.Expired, entry.expired, 1);
        return;
      }
      default:
        // release, hold: between the customer's own accounts.
        return;
    }
  }

  private draws(field: Field, draws: readonly LotDraw[], sign: 1 | -1): void {
    for (const d of draws) this.move(field, d.amount, sign);
  }

  /** Adds `sign × amount` to a sum: as integer steps when it can, else exactly beside them. */
  private move(field: Field, amount: Decimal, sign: 1 | -1): void {
    const steps = this.stepsOf(amount);
    if (steps === 0) return;
    if (steps !== null) {
      const sum = this.stepsIn(field) + sign * steps;
      if (sum <= LIMIT && sum >= -LIMIT) return this.setSteps(field, sum);
    }
    const rest = (this.rest ??= [ZERO, ZERO, ZERO, ZERO, ZERO]);
    rest[field] = sign === 1 ? (rest[field] ?? ZERO).plus(amount) : (rest[field] ?? ZERO).minus(amount);
  }

  /** An amount in whole steps, or null when it is not a whole number of them within ±2^52. */
  private stepsOf(amount: Decimal): number | null {
    const scaled = this.scale === 1 ? amount : amount.times(this.scale);
    if (!scaled.isInteger()) return null;
    const n = scaled.toNumber();
    return n <= LIMIT && n >= -LIMIT ? n : null;
  }

  private stepsIn(field: Field): number {
    switch (field) {
      case Field.Issued:
        return this.issuedSteps;
      case Field.Redeemed:
        return this.redeemedSteps;
      case Field.Expired:
        return this.expiredSteps;
      case Field.ClawedBack:
        return this.clawedBackSteps;
      case Field.Adjusted:
        return this.adjustedSteps;
    }
  }

  private setSteps(field: Field, value: number): void {
    switch (field) {
      case Field.Issued:
        this.issuedSteps = value;
        return;
      case Field.Redeemed:
        this.redeemedSteps = value;
        return;
      case Field.Expired:
        this.expiredSteps = value;
        return;
      case Field.ClawedBack:
        this.clawedBackSteps = value;
        return;
      case Field.Adjusted:
        this.adjustedSteps = value;
        return;
    }
  }

  /** A sum as a Decimal: the steps scaled back to the unit, plus what was kept beside them. */
  private total(field: Field, steps: number): Decimal {
    // `+ 0` turns a −0 into 0: the Decimal of an empty sum is +0, as ZERO.plus(…) always gave.
    const fromSteps = this.scale === 1 ? new Decimal(steps + 0) : new Decimal(steps + 0).div(this.scale);
    const rest = this.rest?.[field];
    return rest === undefined ? fromSteps : fromSteps.plus(rest);
  }
}

const ZERO = new Decimal(0);

/** The sums of several books of one unit (the shards of one replay), exactly. */
export function sumBooks(unit: Unit, parts: readonly BookSums[]): BookSums {
  let issued = ZERO;
  let redeemed = ZERO;
  let expired = ZERO;
  let clawedBack = ZERO;
  let adjusted = ZERO;
  for (const p of parts) {
    issued = issued.plus(p.issued);
    redeemed = redeemed.plus(p.redeemed);
    expired = expired.plus(p.expired);
    clawedBack = clawedBack.plus(p.clawedBack);
    adjusted = adjusted.plus(p.adjusted);
  }
  return { unit, issued, redeemed, expired, clawedBack, adjusted };
}

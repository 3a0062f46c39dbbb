import { Decimal } from '../money/decimal';
import { postingsOf } from '../ledger/postings';
import type { Transaction, Unit } from '../ledger/types';

const ZERO = new Decimal(0);

/**
 * Running sums of one unit's postings: what flowed out of `issued` and `adjusted`, and into
 * `redeemed`, `expired` and `clawed_back` (net of what came back). Mergeable by addition.
 */
export class Books {
  issued = ZERO;
  redeemed = ZERO;
  expired = ZERO;
  clawedBack = ZERO;
  adjusted = ZERO;

  constructor(readonly unit: Unit) {}

  /** Adds a transaction's postings in this unit. */
  add(tx: Transaction): void {
    for (const entry of tx.entries) {
      if (entry.kind === 'usage' || entry.kind === 'activity' || entry.kind === 'mark' || entry.kind === 'state' || entry.kind === 'refund') continue;
      if (entry.unit !== this.unit) continue;
      for (const p of postingsOf(entry)) {
        switch (p.account) {
          case 'issued':
            this.issued = this.issued.minus(p.amount);
            break;
          case 'adjusted':
            this.adjusted = this.adjusted.minus(p.amount);
            break;
          case 'redeemed':
            this.redeemed = this.redeemed.plus(p.amount);
            break;
          case 'expired':
            this.expired = this.expired.plus(p.amount);
            break;
          case 'clawed_back':
            this.clawedBack = this.clawedBack.plus(p.amount);
            break;
          default:
            // Customer accounts: their sum is the outstanding balance, read from the final states.
            break;
        }
      }
    }
  }

  /** Adds another shard's sums. */
  merge(other: Books): void {
    this.issued = this.issued.plus(other.issued);
    this.redeemed = this.redeemed.plus(other.redeemed);
    this.expired = this.expired.plus(other.expired);
    this.clawedBack = this.clawedBack.plus(other.clawedBack);
    this.adjusted = this.adjusted.plus(other.adjusted);
  }
}

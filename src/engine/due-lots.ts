// What `tick` and `nextDueAt` need from the lots, read from the state's indexes in expiry and
// release order: each read stops at the first lot not yet due, so a quiet account costs the same
// with 10 open lots as with 1,000, and a busy one costs what is due. They read the records' own
// numbers (instants in ms, +∞ for never) and build a `Lot` only for what they return.
import { EMPTY_CHUNKS, walk } from '../ledger/chunks';
import { lotIndexOf, type LotRecord } from '../ledger/lot-index';
import type { AccountState, Lot } from '../ledger/types';

const bySeq = (a: LotRecord, b: LotRecord): number => a.seq - b.seq;

/** The lots expired at `t` (expiry ≤ t), in the state's order. */
export function lotsExpiredAt(account: AccountState, t: number): Lot[] {
  const due: LotRecord[] = [];
  for (const list of lotIndexOf(account).draw.values()) {
    walk(list, (r) => {
      // +∞ for a lot that never expires: never due.
      if (r.expiresAt > t) return true;
      due.push(r);
    });
  }
  return due.sort(bySeq).map((r) => r.lot);
}

/** The pending lots whose instant has come at `t`, less those expiring now, in the state's order. */
export function lotsReleasedAt(account: AccountState, t: number, expired: ReadonlySet<string>): Lot[] {
  const due: LotRecord[] = [];
  walk(lotIndexOf(account).pending, (r) => {
    if (r.availableAt > t) return true;
    if (!expired.has(r.id)) due.push(r);
  });
  return due.sort(bySeq).map((r) => r.lot);
}

/**
 * The points lots an expiring-soon notice is due for at `t` (`ahead` ms before expiry, not yet
 * noticed, not expiring now), grouped by expiry instant, soonest first, each group in the state's
 * order. Noticed lots are skipped by a flag, not a lookup of their mark.
 */
export function lotsToNotice(account: AccountState, t: number, ahead: number, expired: ReadonlySet<string>): [number, Lot[]][] {
  const groups = new Map<number, LotRecord[]>();
  walk(lotIndexOf(account).draw.get('points') ?? EMPTY_CHUNKS, (r) => {
    const expiresAt = r.expiresAt;
    if (expiresAt - ahead > t) return true;
    if (r.notice !== undefined || expired.has(r.id)) return;
    const group = groups.get(expiresAt);
    if (group) group.push(r);
    else groups.set(expiresAt, [r]);
  });
  return [...groups].map(([instant, records]) => [instant, records.sort(bySeq).map((r) => r.lot)]);
}

/**
 * The soonest instant after `t` at which a lot needs a tick: an expiry, a pending release, or an
 * expiring-soon notice (`ahead` ms before the expiry of a points lot not yet noticed). Work that
 * is already past and not yet written down is due at once, t + 1: a lot still open at or after
 * its expiry, or still pending at or after its release (a late event can add such a lot after
 * the account's last tick, and a tick at any later instant writes it). +∞ when none.
 */
export function nextLotInstant(account: AccountState, t: number, ahead: number): number {
  const index = lotIndexOf(account);
  let best = Number.POSITIVE_INFINITY;
  // The first lot of each list is its soonest: an open lot has not expired yet, a pending one not been released.
  for (const list of index.draw.values()) {
    walk(list, (r) => {
      if (r.expires) best = Math.min(best, Math.max(r.expiresAt, t + 1));
      return true;
    });
  }
  walk(index.pending, (r) => {
    best = Math.min(best, Math.max(r.availableAt, t + 1));
    return true;
  });
  // The first points lot not yet noticed has the soonest notice: max(expiry − ahead, t + 1) grows with the expiry.
  walk(index.draw.get('points') ?? EMPTY_CHUNKS, (r) => {
    if (!r.expires) return true;
    if (r.notice !== undefined) return false;
    best = Math.min(best, Math.max(r.expiresAt - ahead, t + 1));
    return true;
  });
  return best;
}

/**
 * True when a pending lot due at `t` was released before it went (at its expiry, or at `goneAt`
 * when earlier, the inactivity deadline): it was available in between, so `tick` releases it
 * before it expires it, and the expiry draws it from available. A lot gone before its release
 * never was available, and expires from pending.
 */
export function releasedBeforeGone(lot: Lot, t: number, goneAt: number): boolean {
  const release = lot.availableAt.getTime();
  return lot.account === 'pending' && release <= t && release < Math.min(lot.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY, goneAt);
}

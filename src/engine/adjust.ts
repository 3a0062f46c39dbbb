import { Decimal, ZERO } from '../money/decimal';
import { markOf } from '../ledger/lot-index';
import type { AccountState, CounterChange, Entry, Lot, LotDraw, Transaction, Unit } from '../ledger/types';
import type { AdjustRequest, ReverseRequest } from '../schema/requests';
import type { Decision } from './decision';
import { expiresAt } from './expiry';
import { clawbackEntries, giveBack, settleLapsedHolds, sliceDraws, spend } from './lots';
import { hooksOf } from '../kinds';
import { accept, refuse } from './outcome';
import type { Program } from './program-type';
import { checkUnitAmount } from './redeem';
import { restoredFrom } from './restore';
import { lotId, transactionId } from '../ledger/ids';


/**
 * A manual adjustment (goodwill credit, correction) with the actor and the reason, in the ledger:
 * a credit creates a lot under the program's expiry; a debit draws lots like a redemption. The
 * amount is whole points, or whole minor units of credit in a spend program (`invalid_points`).
 *
 * @example
 * ```ts
 * adjust(program, account, adjustRequestSchema.parse({ requestId: 'a1', points: 250, actor: 'agent:kim', reason: 'late delivery', at }));
 * ```
 */
export function adjust(program: Program, account: AccountState, request: AdjustRequest): Decision {
  const id = transactionId('adjust', request.requestId);
  const unit = hooksOf(program).unit(program);
  const cause = { kind: 'request' as const, requestId: request.requestId, operation: 'adjust', actor: request.actor };
  // Credits and debits alike: a fractional point (or sub-cent credit) would leave a remainder no one can spend.
  const invalid = checkUnitAmount(program, request.points.abs());
  if (invalid) return invalid;
  if (request.points.gt(0)) {
    const lot: Lot = {
      id: lotId({ kind: 'adjust', requestId: request.requestId }),
      unit,
      amount: request.points,
      remaining: request.points,
      earnedAt: request.at,
      availableAt: request.at,
      expiresAt: expiresAt(program.config.expiry, request.at, program.config.timeZone),
      account: 'available',
      cause: { eventId: request.requestId, ruleId: 'adjustment', programVersion: program.version },
    };
    return accept(program, account, id, request.at, cause, [{ kind: 'adjust', unit, direction: 'credit', lot, actor: request.actor, reason: request.reason }]);
  }
  const amount = request.points.neg();
  const settled = settleLapsedHolds(account, request.at);
  const draws = spend(settled.state, amount, request.at, unit);
  if (!draws) return refuse('insufficient_points', ['points'], `cannot debit ${amount.toString()} points: not enough available`);
  return accept(program, account, id, request.at, cause, [...settled.entries, { kind: 'adjust', unit, direction: 'debit', draws, actor: request.actor, reason: request.reason }]);
}

// A `state` entry (a tier's qualifying amount, a membership step, a punch card, spend progress)
// belongs to the program's kind, which a generic reversal cannot undo: refund the order instead.
const NOT_REVERSIBLE = new Set(['expire', 'release', 'restore', 'hold', 'refund', 'mark', 'clawback', 'state']);

/** What later transactions on the same order already took back or gave back. */
function undoneLater(later: readonly Transaction[], orderId: string | undefined): { clawed: Map<string, Decimal>; counters: Map<string, { count: number; points: Decimal }>; refundedNet: Decimal } {
  const clawed = new Map<string, Decimal>();
  const counters = new Map<string, { count: number; points: Decimal }>();
  let refundedNet = ZERO;
  for (const tx of later) {
    for (const e of tx.entries) {
      if (e.kind === 'clawback') for (const a of e.against) clawed.set(a.lot, (clawed.get(a.lot) ?? ZERO).plus(a.amount));
      else if (e.kind === 'usage') {
        for (const c of e.counters) {
          if (c.lot === undefined || (c.count >= 0 && !c.points.isNegative())) continue;
          const key = `${c.key}\u0000${c.lot}`;
          const prev = counters.get(key) ?? { count: 0, points: ZERO };
          counters.set(key, { count: prev.count - c.count, points: prev.points.minus(c.points) });
        }
      } else if (e.kind === 'refund' && e.orderId === orderId) refundedNet = refundedNet.plus(e.net);
    }
  }
  return { clawed, counters, refundedNet };
}

/** The order a transaction belongs to, if any. */
function orderOf(tx: Transaction): string | undefined {
  for (const e of tx.entries) {
    if (e.kind === 'activity' && e.orderId !== undefined) return e.orderId;
    if (e.kind === 'earn' && e.lot.orderId !== undefined) return e.lot.orderId;
    if ((e.kind === 'redeem' || e.kind === 'capture') && e.orderId !== undefined) return e.orderId;
  }
  return undefined;
}

/**
 * Undoes one transaction, at most once (an operator's correction): earned and credited points are
 * taken back (spent ones as the return policy says), redeemed and debited points come back with
 * their original expiry, consumed limits and order figures are given back — less whatever refunds,
 * cancellations or earlier corrections already undid. Time-driven and refund transactions are not
 * reversible (`not_reversible`); a second reversal is refused with `already_reversed`.
 *
 * @param later - the account's transactions on the same order (a store finds them by order id)
 * @example
 * ```ts
 * reverse(program, account, reverseRequestSchema.parse({ requestId: 'rv1', transactionId: tx.id, at }), tx, orderTransactions);
 * ```
 */
export function reverse(program: Program, account: AccountState, request: ReverseRequest, transaction: Transaction, later: readonly Transaction[] = []): Decision {
  const mark = `reversed:${transaction.id}`;
  const reversedBy = markOf(account, mark);
  if (reversedBy !== undefined) return refuse('already_reversed', ['transactionId'], `${transaction.id} was already reversed by ${reversedBy}`);
  if (transaction.programId !== program.id || transaction.customerId !== account.customerId) {
    return refuse('wrong_account', ['transactionId'], `${transaction.id} belongs to another account`);
  }
  const blocking = transaction.entries.filter((e) => NOT_REVERSIBLE.has(e.kind)).map((e) => e.kind);
  if (blocking.length > 0) return refuse('not_reversible', ['transactionId'], `${transaction.id} holds ${[...new Set(blocking)].join(', ')} entries, which a reversal cannot undo`);

  const orderId = orderOf(transaction);
  const undone = undoneLater(later.filter((tx) => tx.id !== transaction.id), orderId);
  const settled = settleLapsedHolds(account, request.at);
  const state = settled.state;
  const id = transactionId('reverse', request.requestId);
  const entries: Entry[] = [...settled.entries];
  const wants: { lot: string; unit: Unit; amount: Decimal }[] = [];
  const counters: CounterChange[] = [];
  const giveBackRest = (draws: readonly LotDraw[], source: 'redeemed' | 'adjusted'): void => {
    const total = draws.reduce((s, d) => s.plus(d.amount), ZERO);
    const done = restoredFrom(state, transaction.id);
    if (!done.lt(total)) return;
    const back = giveBack(state, sliceDraws(draws, done, total.minus(done)), request.at);
    entries.push({ kind: 'restore', unit: draws[0]?.terms.unit ?? 'points', source, of: transaction.id, draws: back.draws, expired: back.expired });
  };
  for (const e of transaction.entries) {
    switch (e.kind) {
      case 'earn': {
        const left = e.lot.amount.minus(undone.clawed.get(e.lot.id) ?? ZERO);
        if (left.gt(0)) wants.push({ lot: e.lot.id, unit: e.lot.unit, amount: left });
        break;
      }
      case 'adjust':
        if (e.direction === 'credit' && e.lot) wants.push({ lot: e.lot.id, unit: e.lot.unit, amount: e.lot.amount });
        else if (e.draws) giveBackRest(e.draws, 'adjusted');
        break;
      case 'redeem':
      case 'capture':
        giveBackRest(e.draws, 'redeemed');
        break;
      case 'usage':
        for (const c of e.counters) {
          const back = c.lot !== undefined ? undone.counters.get(`${c.key}\u0000${c.lot}`) : undefined;
          const count = c.count - (back?.count ?? 0);
          const points = c.points.minus(back?.points ?? ZERO);
          if (count > 0 || points.gt(0)) counters.push({ ...c, count: -Math.max(0, count), points: Decimal.max(ZERO, points).neg() });
        }
        break;
      case 'activity':
        entries.push({ kind: 'activity', spend: e.spend.minus(undone.refundedNet).neg(), orders: -e.orders });
        break;
      default:
        break;
    }
  }
  entries.push(...clawbackEntries(state, wants, request.at, program.config, orderId));
  if (counters.length > 0) entries.push({ kind: 'usage', counters });
  entries.push({ kind: 'mark', key: mark, value: id });
  return accept(program, account, id, request.at, { kind: 'request', requestId: request.requestId, operation: 'reverse', ...(request.actor !== undefined ? { actor: request.actor } : {}) }, entries);
}

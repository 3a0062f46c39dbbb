import { Decimal } from '../money/decimal';
import type { AccountState, CounterChange, Entry, Lot, Transaction } from '../ledger/types';
import type { AdjustRequest, ReverseRequest } from '../schema/requests';
import type { Decision } from './decision';
import { expiresAt } from './expiry';
import { giveBack, sliceDraws, spend, takeBack } from './lots';
import { accept, refuse } from './outcome';
import type { Program } from './program';
import { restoredFrom } from './redeem';

const ZERO = new Decimal(0);

/**
 * A manual adjustment (goodwill credit, correction) with the actor and the reason, in the ledger:
 * a credit creates a lot under the program's expiry; a debit draws lots like a redemption.
 *
 * @example
 * ```ts
 * adjust(program, account, adjustRequestSchema.parse({ requestId: 'a1', points: 250, actor: 'agent:kim', reason: 'late delivery', at }));
 * ```
 */
export function adjust(program: Program, account: AccountState, request: AdjustRequest): Decision {
  const id = `adjust:${request.requestId}`;
  const cause = { kind: 'request' as const, requestId: request.requestId, operation: 'adjust', actor: request.actor };
  if (request.points.gt(0)) {
    const lot: Lot = {
      id,
      unit: 'points',
      amount: request.points,
      remaining: request.points,
      earnedAt: request.at,
      availableAt: request.at,
      expiresAt: expiresAt(program.config.expiry, request.at, program.config.timeZone),
      account: 'available',
      cause: { eventId: request.requestId, ruleId: 'adjustment', programVersion: program.version },
    };
    return accept(program, account, id, request.at, cause, [{ kind: 'adjust', unit: 'points', direction: 'credit', lot, actor: request.actor, reason: request.reason }]);
  }
  const amount = request.points.neg();
  const draws = spend(account, amount, request.at);
  if (!draws) return refuse('insufficient_points', ['points'], `cannot debit ${amount.toString()} points: not enough available`);
  return accept(program, account, id, request.at, cause, [{ kind: 'adjust', unit: 'points', direction: 'debit', draws, actor: request.actor, reason: request.reason }]);
}

const NOT_REVERSIBLE = new Set(['expire', 'release', 'restore', 'hold', 'refund', 'mark', 'clawback']);

/**
 * Undoes one transaction, at most once (an operator's correction): earned and credited points are
 * taken back (spent ones as the return policy says), redeemed and debited points come back with
 * their original expiry, consumed limits and order figures are given back. Time-driven and
 * refund transactions are not reversible (`not_reversible`); a second reversal is refused with
 * `already_reversed`.
 *
 * @example
 * ```ts
 * reverse(program, account, reverseRequestSchema.parse({ requestId: 'rv1', transactionId: tx.id, at }), tx);
 * ```
 */
export function reverse(program: Program, account: AccountState, request: ReverseRequest, transaction: Transaction, later: readonly Transaction[] = []): Decision {
  const mark = `reversed:${transaction.id}`;
  if (account.marks[mark] !== undefined) return refuse('already_reversed', ['transactionId'], `${transaction.id} was already reversed by ${account.marks[mark]}`);
  if (transaction.programId !== program.id || transaction.customerId !== account.customerId) {
    return refuse('wrong_account', ['transactionId'], `${transaction.id} belongs to another account`);
  }
  const blocking = transaction.entries.filter((e) => NOT_REVERSIBLE.has(e.kind)).map((e) => e.kind);
  if (blocking.length > 0) return refuse('not_reversible', ['transactionId'], `${transaction.id} holds ${[...new Set(blocking)].join(', ')} entries, which a reversal cannot undo`);

  const id = `reverse:${request.requestId}`;
  const entries: Entry[] = [];
  const wants: { lot: string; amount: Decimal }[] = [];
  const counters: CounterChange[] = [];
  for (const e of transaction.entries) {
    switch (e.kind) {
      case 'earn':
        wants.push({ lot: e.lot.id, amount: e.lot.amount });
        break;
      case 'adjust':
        if (e.direction === 'credit' && e.lot) wants.push({ lot: e.lot.id, amount: e.lot.amount });
        else if (e.draws) {
          const back = giveBack(account, e.draws, request.at);
          entries.push({ kind: 'restore', unit: e.unit, source: 'adjusted', of: transaction.id, draws: back.draws, expired: back.expired });
        }
        break;
      case 'redeem':
      case 'capture': {
        const done = restoredFrom(transaction.id, later);
        const total = e.draws.reduce((s, d) => s.plus(d.amount), ZERO);
        if (done.lt(total)) {
          const back = giveBack(account, sliceDraws(e.draws, done, total.minus(done)), request.at);
          entries.push({ kind: 'restore', unit: e.unit, source: 'redeemed', of: transaction.id, draws: back.draws, expired: back.expired });
        }
        break;
      }
      case 'usage':
        for (const c of e.counters) counters.push({ ...c, count: -c.count, points: c.points.neg() });
        break;
      case 'activity':
        entries.push({ kind: 'activity', spend: e.spend.neg(), orders: -e.orders });
        break;
      default:
        break;
    }
  }
  if (wants.length > 0) {
    const taken = takeBack(account, wants, request.at, program.config);
    entries.push({
      kind: 'clawback',
      unit: 'points',
      draws: taken.draws,
      debt: taken.debt,
      against: wants,
    });
  }
  if (counters.length > 0) entries.push({ kind: 'usage', counters });
  entries.push({ kind: 'mark', key: mark, value: id });
  return accept(program, account, id, request.at, { kind: 'request', requestId: request.requestId, operation: 'reverse', ...(request.actor !== undefined ? { actor: request.actor } : {}) }, entries);
}

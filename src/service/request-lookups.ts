// What some requests look up in the store before the engine decides: the transaction they name,
// its order's history, the code a reward was issued with, and whether a hold ever opened.
import type { Decision } from '../engine/decision';
import { refuse } from '../engine/outcome';
import type { Program } from '../engine/program';
import { transactionId } from '../ledger/ids';
import type { Transaction } from '../ledger/types';
import type { StoreSession } from '../store/types';
import { fail, requestKey } from './context';

/**
 * `capture` and `release` refuse a hold that is not open as `unknown_hold`. A hold id that
 * never opened is an unknown id, thrown; a hold that did open and is closed now (captured,
 * released, or lapsed and swept) is a business refusal, recorded like the others.
 */
export async function closedHold(session: StoreSession, program: Program, customerId: string, holdId: string, at: Date, decision: Decision): Promise<Decision> {
  if (decision.ok || !decision.issues.some((i) => i.code === 'unknown_hold')) return decision;
  const tx = await session.transaction(program.id, customerId, transactionId('hold', holdId));
  let expiresAt: Date | undefined;
  for (const e of tx?.entries ?? []) if (e.kind === 'hold' && e.hold.id === holdId) expiresAt = e.hold.expiresAt;
  if (expiresAt === undefined) return decision;
  if (expiresAt.getTime() <= at.getTime()) return refuse('hold_expired', ['holdId'], `hold "${holdId}" lapsed at ${expiresAt.toISOString()}`);
  return refuse('hold_closed', ['holdId'], `hold "${holdId}" is no longer open: it was captured or released`);
}

/** The code a reward redemption was issued with, from the outcome recorded for its request. */
export async function issuedCode(session: StoreSession, program: Program, tx: Transaction): Promise<string | undefined> {
  if (tx.cause.kind !== 'request') return undefined;
  const seen = await session.getProcessed(requestKey(program.id, tx.cause.requestId));
  const outcome = seen?.outcomes[0];
  if (!outcome?.ok) return undefined;
  for (const n of outcome.notifications) if (n.type === 'reward.issued') return n.reward.code;
  return undefined;
}

/** The transaction a request names; an unknown one is thrown. */
export async function transactionOf(session: StoreSession, program: Program, customerId: string, id: string): Promise<Transaction> {
  const tx = await session.transaction(program.id, customerId, id);
  return tx ?? fail('unknown_transaction', ['transactionId'], `no transaction "${id}" on this account`);
}

/** The transactions of the order a transaction belongs to (none when it has no order). */
export async function orderHistory(session: StoreSession, program: Program, customerId: string, tx: Transaction): Promise<readonly Transaction[]> {
  const orderId = tx.entries.flatMap((e) => ('orderId' in e && typeof e.orderId === 'string' ? [e.orderId] : []))[0];
  return orderId === undefined ? [] : session.transactionsByOrder(program.id, customerId, orderId);
}

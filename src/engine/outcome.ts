import type { Issue } from '../errors';
import type { AccountState, Entry, Transaction, TransactionCause } from '../ledger/types';
import type { Decision } from './decision';
import type { Notification } from './notifications';
import type { Program } from './program-type';

/** A refusal with one typed issue. */
export function refuse(code: string, path: (string | number)[], message: string): Decision {
  const issue: Issue = { code, path, message };
  return { ok: false, issues: [issue] };
}

/** An accepted operation: one transaction of `entries` (none when empty). */
export function accept(
  program: Program,
  account: AccountState,
  id: string,
  at: Date,
  cause: TransactionCause,
  entries: readonly Entry[],
  notifications: readonly Notification[] = [],
): Decision {
  const transaction: Transaction | null =
    entries.length === 0 ? null : { id, programId: program.id, programVersion: program.version, customerId: account.customerId, at, cause, entries };
  return { ok: true, transaction, notifications };
}

import { emptyAccountState } from '../ledger/fold';
import type { AccountState } from '../ledger/types';
import type { Program } from './program-type';

/**
 * Opens an empty account for a customer in a program: the state every fold starts from.
 *
 * @example
 * ```ts
 * let account = openAccount(program, 'c1');
 * const d = evaluate(program, account, event);
 * if (d.ok && d.transaction) account = applyEntries(account, d.transaction);
 * ```
 */
export function openAccount(program: Program, customerId: string): AccountState {
  return emptyAccountState(program.id, customerId);
}

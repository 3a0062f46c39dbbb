import type { Issues } from '../errors';
import type { Transaction } from '../ledger/types';
import type { Explanation } from './explain-types';
import type { Notification } from './notifications';

/**
 * What a pure operation decided: the transaction to append (null when nothing changes) and the
 * notifications to emit; or, for an expected refusal, the typed issues. Nothing is mutated.
 */
export type Decision =
  | {
      readonly ok: true;
      readonly transaction: Transaction | null;
      readonly notifications: readonly Notification[];
      readonly explanation?: Explanation;
    }
  | { readonly ok: false; readonly issues: Issues; readonly explanation?: Explanation };

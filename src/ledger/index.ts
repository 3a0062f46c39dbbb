export type {
  AccountState,
  AccountStats,
  Counter,
  CounterChange,
  CustomerAccount,
  Entry,
  EntryKind,
  LedgerAccount,
  LineShare,
  Lot,
  LotCause,
  LotDraw,
  SystemAccount,
  Transaction,
  TransactionCause,
  Unit,
} from './types';
export { emptyAccountState, applyEntries, applyTransaction } from './fold';
export { postingsOf, ledgerBalances, type Posting, type LedgerBalances } from './postings';
export { balanceAt, spendableLots, isExpiredAt, isSpendableAt, type Balance } from './read';
export { checkAccountState, checkConservation, checkTransactions, verifyFold, type AccountKey } from './check';
export { orderIdsOf } from './orders';
export { encodeLedgerJson, decodeLedgerJson, accountStateText, transactionText } from './codec';
export type { KindState } from '../kinds/states';

// 'loyalty-engine/core': the pure core, for hosts that keep their own ledger or want to evaluate
// without a store. Same inputs, same output; nothing here reads a clock or touches a store.
// Also the types a root signature mentions but a service user seldom names (the store's rows,
// a tick's failures), so every public type can be named from somewhere (docs/api.md).
// Re-exports only.

// Accounts, decisions and the operations on them.
export { openAccount } from './engine/account';
export { evaluate, explain, whyNot, type EvaluateOptions } from './engine/evaluate';
export { isProgram, type DefineProgramOptions } from './engine/program';
export type { Decision } from './engine/decision';
export type { Explanation, RuleExplanation, RuleSkip, LimitClip } from './engine/explain-types';
export type { NotificationType, NotificationBody, IssuedReward } from './engine/notifications';
export { quote, redeem, cancelRedemption, hold, capture, release, redeemableAmount, rewardOf, type CancelOptions, type Quote, type Clamp, type ClampReason } from './engine/redeem';
export { adjust, reverse } from './engine/adjust';
export { redeemReward, rewardCode, type RedeemRewardOptions } from './engine/catalog';
export { tick, nextDueAt, type TickOptions } from './engine/tick';
export { refundDecision } from './engine/refund';
export { expiresAt } from './engine/expiry';
// Each program kind's public readers (tierOf, membershipOf…) and state types, from its folder.
export * from './kinds/api';
export { parseEvent, parseCustomer, pointsEarned, type ProcessManyItem, type ProcessManyOptions, type RequestTarget, type TickFailure, type UpsertCustomerInput, type AccountQuery, type HistoryQuery, type QuoteInput, type TickDueOptions } from './service/loyalty';
export type { Issues, Outcome } from './errors';

// The ledger: the fold, reads as of an instant, invariant checks, encoding.
export { emptyAccountState, applyEntries, applyTransaction } from './ledger/fold';
export { balanceAt, spendableLots, isExpiredAt, isSpendableAt, type Balance } from './ledger/read';
export { checkAccountState, checkConservation, checkTransactions, verifyFold, type AccountKey } from './ledger/check';
export { postingsOf, ledgerBalances, type Posting, type LedgerBalances } from './ledger/postings';
export { orderIdsOf } from './ledger/orders';
export { encodeLedgerJson, decodeLedgerJson, accountStateText, transactionText } from './ledger/codec';
export type {
  AccountState,
  AccountStats,
  Counter,
  CounterChange,
  CustomerAccount,
  EntryKind,
  LedgerAccount,
  LineShare,
  LotCause,
  LotDraw,
  SystemAccount,
  TransactionCause,
  Unit,
} from './ledger/types';

// The rule language: facts, conditions compiled on their own, traces.
export { buildFacts, BUILTIN_FACT_NAMES, BUILTIN_FACTS, factCatalog, type BuiltinFactName } from './engine/facts';
export type { FactsInput, OrderSummary, RegisteredFact } from './rules/facts';
export { LINE_FACTS, type LineFactName } from './rules/catalog';
export { compileConditions, type CompileMode, type CompileOptions, type CompiledConditions } from './rules/compile';
export { validateConditions, DEFAULT_CONDITION_LIMITS, type ConditionSet, type ConditionIssueCode } from './rules/validate';
export { failedLeaves, type ConditionTrace, type ComparisonTrace } from './rules/trace';
export { builtInOperatorNames, type BuiltInOperatorName, type OperatorFn } from './rules/operators';
export type { FactType, FactSpec, FactCatalog, Facts, CustomOperator, CustomOperators, ConfigPath, ConditionLimits } from './rules/types';

// Types of the root's signatures: the store's rows (for writing a store), memoryStore's and fixedClock's.
export type { ForgetResult, StoredCustomer, ProgramOutcome, ProcessedRecord, OutboxRow, AccountWrite, Schedule, HistoryPage, PrefetchKeys, AppendBatch } from './store/types';
export type { MemoryStoreOptions } from './store/memory';
export type { FixedClock } from './time/clock';

// Between ledger values and table rows. JSON columns hold the ledger codec's text (Decimals as
// strings, Dates as ISO instants); the account and customer ids live in columns only, so that
// forgetting a customer is an UPDATE of columns, not a rewrite of every document.
import { decodeLedgerJson, encodeLedgerJson } from '../../ledger/codec';
import { postingsOf } from '../../ledger/postings';
import type { AccountState, Entry, Transaction, TransactionCause } from '../../ledger/types';

/** A value's JSON text in the ledger codec (for a `$n::jsonb` parameter). */
export const jsonText = (value: unknown): string => JSON.stringify(encodeLedgerJson(value));

/** Decodes a JSON column (drivers give it parsed) back to ledger values. */
export const fromJson = (value: unknown): unknown => decodeLedgerJson(typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

/** A column that holds a number (bigint columns come back as strings from node-postgres). */
export const numberOf = (value: unknown): number => Number(value);

/** A timestamptz column as a Date, whatever the driver returned. */
export const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** A nullable timestamptz column. */
export const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : dateOf(value));

/** A Date as a `$n::timestamptz` parameter. */
export const instant = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** An account state's JSON, without its ids (they are the row's key columns). */
export function stateText(state: AccountState): string {
  const { programId: _p, customerId: _c, ...rest } = state;
  return jsonText(rest);
}

/** An account state from its row. */
export function stateOf(row: { program_id: unknown; customer_id: unknown; state: unknown; version: unknown }): AccountState {
  const rest = fromJson(row.state) as Omit<AccountState, 'programId' | 'customerId'>;
  return { ...rest, programId: String(row.program_id), customerId: String(row.customer_id), version: numberOf(row.version) };
}

/** The columns of a transaction row, as read back. */
export interface TransactionRow {
  readonly program_id: unknown;
  readonly customer_id: unknown;
  readonly transaction_id: unknown;
  readonly program_version: unknown;
  readonly at: unknown;
  readonly cause: unknown;
  readonly entries: unknown;
}

/** The columns every transaction read selects. */
export const TRANSACTION_COLUMNS = 'program_id, customer_id, transaction_id, program_version, at, cause, entries';

/** A transaction from its row. */
export function transactionOf(row: TransactionRow): Transaction {
  return {
    id: String(row.transaction_id),
    programId: String(row.program_id),
    programVersion: numberOf(row.program_version),
    customerId: String(row.customer_id),
    at: dateOf(row.at),
    cause: fromJson(row.cause) as TransactionCause,
    entries: fromJson(row.entries) as Entry[],
  };
}

/** The id that names the cause (an event id, a request id; none for a tick). */
export function causeIdOf(cause: TransactionCause): string | null {
  if (cause.kind === 'event') return cause.eventId;
  if (cause.kind === 'request') return cause.requestId;
  return null;
}

/** The order an entry concerns, if any (the `order_id` column of its postings). */
export function entryOrderId(entry: Entry): string | null {
  if (entry.kind === 'earn') return entry.lot.orderId ?? null;
  if (entry.kind === 'hold') return entry.hold.orderId ?? null;
  if ('orderId' in entry && typeof entry.orderId === 'string') return entry.orderId;
  return null;
}

/** One posting row's values, in the column order of `POSTING_COLUMNS`. */
export type PostingValues = readonly [number, number, string, string, string, string, string, string | null, string];

/** The columns `postingRows` fills (after tenant, customer, program and seq). */
export const POSTING_COLUMNS = ['entry_index', 'posting_index', 'transaction_id', 'kind', 'unit', 'account', 'amount', 'order_id', 'at'] as const;

/** The posting rows of a transaction: one per side of every movement. */
export function postingRows(tx: Transaction): PostingValues[] {
  const rows: PostingValues[] = [];
  tx.entries.forEach((entry, e) => {
    postingsOf(entry).forEach((p, i) => {
      rows.push([e, i, tx.id, entry.kind, p.unit, p.account, p.amount.toString(), entryOrderId(entry), tx.at.toISOString()]);
    });
  });
  return rows;
}

/**
 * `($1, $2, …), (…)` placeholders for a multi-row VALUES list of `width` columns, the first
 * `offset` parameters being taken by other values. Plain VALUES lists run on every SQL engine.
 */
export function valuesList(rows: number, width: number, offset: number, casts: readonly string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${offset + r * width + c + 1}${casts[c] ?? ''}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

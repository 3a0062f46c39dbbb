// Idempotency records that reference their transactions instead of repeating them. A recorded
// outcome whose transaction the same unit stored in loyalty_transactions keeps, in place of the
// transaction, a reference `{ "$tx": id, "$p": programId }`; reading the record puts the stored
// transaction back, built as the JSONB column would have given it (keys in JSONB's order), so a
// replayed answer is the same, byte for byte, as when the record held the whole transaction.
// Records written before (whole transactions) read as they always did.
import { encodeLedgerJson } from '../../ledger/codec';
import type { AccountWrite, ProcessedRecord, ProgramOutcome } from '../../store/types';
import type { SqlQueryable } from './driver';
import { dateOf, fromJson, numberOf, TRANSACTION_COLUMNS, type TransactionRow } from './rows';

/** A transaction reference inside a stored outcome. */
interface TransactionRef {
  readonly $tx: string;
  readonly $p: string;
}

const refKey = (programId: string, customerId: string, id: string): string => JSON.stringify([programId, customerId, id]);

/**
 * The outcomes of `record` as stored: each transaction that `writes` store (same program,
 * customer and id) replaced by a reference, the others kept whole.
 */
export function outcomesDocument(record: ProcessedRecord, writes: readonly AccountWrite[]): unknown {
  const stored = new Set(writes.map((w) => refKey(w.programId, w.customerId, w.transaction.id)));
  return record.outcomes.map((o) => {
    const t = o.ok ? o.transaction : null;
    if (!t || t.customerId !== record.customerId || !stored.has(refKey(t.programId, t.customerId, t.id))) return encodeLedgerJson(o);
    const ref: TransactionRef = { $tx: t.id, $p: t.programId };
    return encodeLedgerJson({ ...o, transaction: ref });
  });
}

/** True when a stored (or decoded) outcome holds a reference in place of its transaction. */
export function isRef(value: unknown): value is TransactionRef {
  return value !== null && typeof value === 'object' && typeof (value as TransactionRef).$tx === 'string' && typeof (value as TransactionRef).$p === 'string';
}

// JSONB keeps an object's keys shorter first, then in byte order: the order a JSONB column gives.
const jsonbOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** A transaction row as the encoded JSON a JSONB column of the whole transaction would give back. */
function encodedTransaction(row: TransactionRow): Record<string, unknown> {
  const parsed = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
  const fields: Record<string, unknown> = {
    id: String(row.transaction_id),
    programId: String(row.program_id),
    programVersion: numberOf(row.program_version),
    customerId: String(row.customer_id),
    at: { $t: dateOf(row.at).toISOString() },
    cause: parsed(row.cause),
    entries: parsed(row.entries),
  };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort(jsonbOrder)) out[key] = fields[key];
  return out;
}

/** The raw outcomes of a stored record, and the references they hold. */
function rawOutcomes(doc: unknown): { raw: Record<string, unknown>[]; refs: TransactionRef[] } {
  const raw = (typeof doc === 'string' ? JSON.parse(doc) : doc) as Record<string, unknown>[];
  return { raw, refs: raw.map((o) => o.transaction).filter(isRef) };
}

/** `raw` with each reference replaced by its row in `rows` (the customer's stored transactions). */
export function resolveOutcomes(doc: unknown, customerId: string, rows: readonly TransactionRow[]): ProgramOutcome[] {
  const { raw, refs } = rawOutcomes(doc);
  if (refs.length === 0) return fromJson(raw) as ProgramOutcome[];
  const found = new Map(rows.map((r) => [refKey(String(r.program_id), String(r.customer_id), String(r.transaction_id)), r]));
  const resolved = raw.map((o) => {
    const ref = o.transaction;
    if (!isRef(ref)) return o;
    const row = found.get(refKey(ref.$p, customerId, ref.$tx));
    if (!row) throw new Error(`the idempotency record references transaction ${ref.$tx} of program ${ref.$p}, which is not stored`);
    // Spreading keeps the key where it was: the outcome's keys stay in JSONB's order.
    return { ...o, transaction: encodedTransaction(row) };
  });
  return fromJson(resolved) as ProgramOutcome[];
}

/**
 * The part of a read of records (`alias` names loyalty_processed) that finds the transactions they
 * reference: a join over the outcomes' references, empty for records that hold none.
 */
export function referencedTransactions(t: (name: string) => string, alias: string): string {
  // OFFSET 0 keeps the subquery a probe of the full key per reference: flattened into a join, it
  // was planned (on tables not yet analyzed) as a scan of every transaction of the tenant.
  return `CROSS JOIN LATERAL jsonb_array_elements(${alias}.outcomes) AS ref_o
  CROSS JOIN LATERAL (SELECT * FROM ${t('loyalty_transactions')} tt WHERE tt.tenant_id = ${alias}.tenant_id AND tt.customer_id = ${alias}.customer_id
    AND tt.program_id = ref_o.value->'transaction'->>'$p' AND tt.transaction_id = ref_o.value->'transaction'->>'$tx' OFFSET 0) AS ref_t`;
}

/**
 * A stored record's outcomes, references resolved against the customer's stored transactions
 * (one statement, only when the record holds references).
 */
export async function outcomesOf(tx: SqlQueryable, table: (name: string) => string, tenantId: string, customerId: string, doc: unknown): Promise<ProgramOutcome[]> {
  const { refs } = rawOutcomes(doc);
  if (refs.length === 0) return resolveOutcomes(doc, customerId, []);
  const { rows } = await tx.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM ${table('loyalty_transactions')} WHERE tenant_id = $1 AND customer_id = $2
     AND (program_id, transaction_id) IN (SELECT r->>'$p', r->>'$tx' FROM jsonb_array_elements($3::jsonb) AS r)`,
    [tenantId, customerId, JSON.stringify(refs)],
  );
  return resolveOutcomes(doc, customerId, rows);
}

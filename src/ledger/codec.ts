import { Decimal, isDecimal } from '../money/decimal';
import type { AccountState, Transaction } from './types';

/**
 * Encodes a ledger value (state, transaction, entry) as plain JSON: Decimals become decimal
 * strings `{ "$d": "12.5" }`, Dates become `{ "$t": "2027-01-31T00:00:00.000Z" }`, object keys are
 * sorted so that equal values encode to the same text. The inverse is `decodeLedgerJson`.
 *
 * @example
 * ```ts
 * const text = JSON.stringify(encodeLedgerJson(state));
 * const same = decodeLedgerJson(JSON.parse(text)) as AccountState;
 * ```
 */
export function encodeLedgerJson(value: unknown): unknown {
  if (isDecimal(value)) return { $d: value.toString() };
  if (value instanceof Date) return { $t: value.toISOString() };
  if (Array.isArray(value)) return value.map(encodeLedgerJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = encodeLedgerJson(v);
    }
    return out;
  }
  return value;
}

/**
 * Decodes what `encodeLedgerJson` produced: `{ "$d": … }` back to a Decimal, `{ "$t": … }` back
 * to a Date, at any depth.
 *
 * @example
 * ```ts
 * decodeLedgerJson({ $d: '12.5' }); // Decimal 12.5
 * (decodeLedgerJson({ at: { $t: '2027-01-31T00:00:00.000Z' } }) as { at: Date }).at instanceof Date; // true
 * ```
 */
export function decodeLedgerJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeLedgerJson);
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    if (typeof rec.$d === 'string' && Object.keys(rec).length === 1) return new Decimal(rec.$d);
    if (typeof rec.$t === 'string' && Object.keys(rec).length === 1) return new Date(rec.$t);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) out[k] = decodeLedgerJson(v);
    return out;
  }
  return value;
}

/**
 * A canonical text of an account state: equal states give equal text, whatever the order of
 * their lots or keys.
 *
 * @example
 * ```ts
 * accountStateText(emptyAccountState('rewards', 'c1')) === accountStateText(emptyAccountState('rewards', 'c1')); // true
 * ```
 */
export function accountStateText(state: AccountState): string {
  const sorted = { ...state, lots: [...state.lots].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  return JSON.stringify(encodeLedgerJson(sorted));
}

/**
 * A canonical text of a transaction: equal transactions give equal text (keys sorted).
 *
 * @example
 * ```ts
 * const tx: Transaction = {
 *   id: 't1', programId: 'rewards', programVersion: 1, customerId: 'c1',
 *   at: new Date('2027-01-31T00:00:00Z'), cause: { kind: 'tick' }, entries: [],
 * };
 * transactionText(tx).startsWith('{"at":{"$t":"2027-01-31T00:00:00.000Z"},"cause":{"kind":"tick"}'); // true
 * ```
 */
export function transactionText(tx: Transaction): string {
  return JSON.stringify(encodeLedgerJson(tx));
}

import { encodeLedgerJson } from '../ledger/codec';
import type { LoyaltyEvent } from '../schema/events';

/**
 * The canonical text of a parsed event, without its customer id: keys sorted, amounts normalised
 * ("80" and "80.00" are one value), instants in ISO form. Two deliveries of one event id are the
 * same payload exactly when their canonical texts are equal.
 *
 * @example
 * ```ts
 * canonicalEvent(parseEvent({ ...e, lines: [{ ...line, unitPrice: '80' }] })) ===
 *   canonicalEvent(parseEvent({ ...e, lines: [{ ...line, unitPrice: '80.00' }] })); // true
 * ```
 */
export function canonicalEvent(event: LoyaltyEvent): string {
  const { customerId: _customerId, ...rest } = event;
  return JSON.stringify(encodeLedgerJson(rest));
}

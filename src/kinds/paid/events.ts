// The paid kind's own customer events: their zod schemas (members of the public event union,
// src/schema/events.ts, through the registry src/kinds/events.ts, and re-exported by
// 'loyalty-engine/schemas' through src/kinds/schemas.ts), their types, and the fast parser's
// entries for those without money amounts (a payment goes to zod).
import * as z from 'zod/mini';
import { Decimal } from '../../money/decimal';
import { eventBaseShape, type FastEventReader } from '../../schema/event-parts';
import { readFlag } from '../../schema/fast/read';
import { checkMinorUnits } from '../../schema/internal/minor-units';
import { strictObject } from '../../schema/issues';
import { currencySchema, instantSchema, nonNegativeDecimalSchema } from '../../schema/primitives';

/**
 * A paid membership begins, with or without a free trial (paid programs).
 *
 * @example
 * ```ts
 * membershipStartedEventSchema.parse({
 *   type: 'membership_started', id: 'e9', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', trial: true,
 * });
 * ```
 */
export const membershipStartedEventSchema = strictObject({ ...eventBaseShape, type: z.literal('membership_started'), trial: z._default(z.boolean(), false) });

/**
 * A membership fee payment succeeded or failed, for the period it pays. A succeeded payment is
 * more than zero (`not_positive`): a $0 "payment" never activates or renews a paid membership.
 * The amount has at most the currency's decimals.
 *
 * @example
 * ```ts
 * membershipPaymentEventSchema.parse({
 *   type: 'membership_payment', id: 'e10', customerId: 'c1', occurredAt: '2027-02-01T00:00:00Z',
 *   status: 'succeeded', amount: '9.99', currency: 'USD',
 *   periodStart: '2027-02-01T00:00:00Z', periodEnd: '2027-03-01T00:00:00Z',
 * });
 * ```
 */
export const membershipPaymentEventSchema = strictObject({
  ...eventBaseShape,
  type: z.literal('membership_payment'),
  status: z.enum(['succeeded', 'failed']),
  amount: nonNegativeDecimalSchema,
  currency: currencySchema,
  /** The period the payment is for: [periodStart, periodEnd). Optional for failures. */
  periodStart: z.optional(instantSchema),
  periodEnd: z.optional(instantSchema),
}).check(z.superRefine((payment, ctx) => {
  if (payment.status === 'succeeded' && Decimal.isDecimal(payment.amount) && payment.amount.isZero()) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a succeeded payment is more than zero', params: { code: 'not_positive' } });
  }
  checkMinorUnits(ctx, payment.currency, payment.amount, ['amount']);
}));

/**
 * The member cancelled: benefits last until the paid-through date.
 *
 * @example
 * ```ts
 * membershipCancelledEventSchema.parse({ type: 'membership_cancelled', id: 'e11', customerId: 'c1', occurredAt: '2027-03-15T10:00:00Z' });
 * ```
 */
export const membershipCancelledEventSchema = strictObject({ ...eventBaseShape, type: z.literal('membership_cancelled') });

/** The paid kind's events for the registry (src/kinds/events.ts): schemas and types in the union's order, fast-parser entries by type. */
export const paidEvents = {
  schemas: [membershipStartedEventSchema, membershipPaymentEventSchema, membershipCancelledEventSchema],
  types: ['membership_started', 'membership_payment', 'membership_cancelled'],
  fast: {
    membership_cancelled: { keys: [], read: () => undefined },
    membership_started: { keys: ['trial'], read: (input, out) => void (out.trial = readFlag(input.trial, false)) },
  } satisfies Readonly<Record<string, FastEventReader>>,
} as const;

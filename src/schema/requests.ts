import * as z from 'zod/mini';
import { int } from './internal/mini';
import { currencySchema, decimalSchema, idSchema, instantSchema, nonNegativeDecimalSchema } from './primitives';
import { purchaseLineSchema } from './events';
import { strictObject } from './issues';
import { checkOrderMinorUnits } from './internal/minor-units';

/**
 * Points, or store credit in a spend program: more than zero. Whole points, or whole minor units
 * of credit, is checked by the operation, which knows the program's unit (`invalid_points`).
 */
const positiveAmount = decimalSchema.check(z.refine((d) => d.gt(0), { message: 'must be more than zero', params: { code: 'invalid_points' } }));
const zero = () => nonNegativeDecimalSchema.parse('0');

/**
 * An order being checked out, for a redemption quote: currency, lines, shipping and tax.
 *
 * @example
 * ```ts
 * checkoutOrderSchema.parse({
 *   currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: '40.00' }],
 * }).shipping.toString(); // '0'
 * ```
 */
export const checkoutOrderSchema = strictObject({
  currency: currencySchema,
  lines: z.array(purchaseLineSchema).check(z.minLength(1), z.maxLength(1000)),
  shipping: z._default(nonNegativeDecimalSchema, zero),
  tax: z._default(nonNegativeDecimalSchema, zero),
}).check(z.superRefine((order, ctx) => checkOrderMinorUnits(ctx, order)));
/** A parsed checkout order. */
export type CheckoutOrder = z.output<typeof checkoutOrderSchema>;
/**
 * A checkout order as the host writes it (amounts as `DecimalInput`; `shipping` and `tax` may be left out).
 *
 * @example
 * ```ts
 * const order: CheckoutOrderInput = { currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: '40.00' }] };
 * ```
 */
export type CheckoutOrderInput = z.input<typeof checkoutOrderSchema>;

/**
 * `quote`: how many points to burn on an order ("max" = as many as allowed), as of `at`.
 *
 * @example
 * ```ts
 * quoteRequestSchema.parse({
 *   order: { currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: '40.00' }] },
 *   points: 'max',
 *   at: '2027-01-31T10:00:00Z',
 * });
 * ```
 */
export const quoteRequestSchema = strictObject({
  order: checkoutOrderSchema,
  points: z.union([z.literal('max'), positiveAmount]),
  at: instantSchema,
});
/** A parsed quote request. */
export type QuoteRequest = z.output<typeof quoteRequestSchema>;
/**
 * A quote request as the host writes it: `points` is `'max'` or a `DecimalInput`, `at` an `InstantInput`.
 *
 * @example
 * ```ts
 * const request: QuoteRequestInput = { order: { currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: 40 }] }, points: 'max', at: new Date('2027-03-01T10:00:00Z') };
 * ```
 */
export type QuoteRequestInput = z.input<typeof quoteRequestSchema>;

const request = { requestId: idSchema, at: instantSchema };

/**
 * `redeem`: burn points, optionally on an order (then the quote's caps apply).
 *
 * @example
 * ```ts
 * redeemRequestSchema.parse({ requestId: 'r1', at: '2027-01-31T10:00:00Z', points: 500 }).points.toString(); // '500'
 * ```
 */
export const redeemRequestSchema = strictObject({ ...request, points: positiveAmount, orderId: z.optional(idSchema), order: z.optional(checkoutOrderSchema) });
/** A parsed redemption request. */
export type RedeemRequest = z.output<typeof redeemRequestSchema>;
/**
 * A redemption request as the host writes it.
 *
 * @example
 * ```ts
 * const request: RedeemRequestInput = { requestId: 'r1', at: '2027-01-31T10:00:00Z', points: '500' };
 * ```
 */
export type RedeemRequestInput = z.input<typeof redeemRequestSchema>;

/**
 * `hold`: reserve points at checkout; capture or release later. `timeoutMinutes` overrides the
 * program's `redemption.holdMinutes`.
 *
 * @example
 * ```ts
 * holdRequestSchema.parse({ requestId: 'r2', at: '2027-01-31T10:00:00Z', points: 500, orderId: 'A-100', timeoutMinutes: 30 });
 * ```
 */
export const holdRequestSchema = strictObject({ ...request, points: positiveAmount, orderId: z.optional(idSchema), timeoutMinutes: z.optional(z.number().check(int(), z.positive(), z.lte(43_200))) });
/** A parsed hold request. */
export type HoldRequest = z.output<typeof holdRequestSchema>;
/**
 * A hold request as the host writes it.
 *
 * @example
 * ```ts
 * const request: HoldRequestInput = { requestId: 'r2', at: new Date('2027-03-01T10:00:00Z'), points: 500, orderId: 'A-100' };
 * ```
 */
export type HoldRequestInput = z.input<typeof holdRequestSchema>;

/**
 * `capture`: take all (default) or part of a hold.
 *
 * @example
 * ```ts
 * captureRequestSchema.parse({ requestId: 'r3', at: '2027-01-31T10:05:00Z', holdId: 'h1' }).points; // undefined: all of it
 * ```
 */
export const captureRequestSchema = strictObject({ ...request, holdId: idSchema, points: z.optional(positiveAmount) });
/** A parsed capture request. */
export type CaptureRequest = z.output<typeof captureRequestSchema>;
/**
 * A capture request as the host writes it (no `points`: all of the hold).
 *
 * @example
 * ```ts
 * const request: CaptureRequestInput = { requestId: 'r3', at: '2027-01-31T10:05:00Z', holdId: 'h1' };
 * ```
 */
export type CaptureRequestInput = z.input<typeof captureRequestSchema>;

/**
 * `release`: return what a hold still reserves.
 *
 * @example
 * ```ts
 * releaseRequestSchema.parse({ requestId: 'r4', at: '2027-01-31T10:05:00Z', holdId: 'h1' });
 * ```
 */
export const releaseRequestSchema = strictObject({ ...request, holdId: idSchema });
/** A parsed release request. */
export type ReleaseRequest = z.output<typeof releaseRequestSchema>;
/**
 * A release request as the host writes it.
 *
 * @example
 * ```ts
 * const request: ReleaseRequestInput = { requestId: 'r4', at: '2027-01-31T10:05:00Z', holdId: 'h1' };
 * ```
 */
export type ReleaseRequestInput = z.input<typeof releaseRequestSchema>;

/**
 * `cancelRedemption`: restore a redemption's points with their original expiry.
 *
 * @example
 * ```ts
 * cancelRequestSchema.parse({ requestId: 'r5', at: '2027-02-01T09:00:00Z', transactionId: 'tx-42' });
 * ```
 */
export const cancelRequestSchema = strictObject({ ...request, transactionId: idSchema });
/** A parsed cancel request. */
export type CancelRequest = z.output<typeof cancelRequestSchema>;
/**
 * A cancel request as the host writes it.
 *
 * @example
 * ```ts
 * const request: CancelRequestInput = { requestId: 'r5', at: '2027-02-01T09:00:00Z', transactionId: 'tx-42' };
 * ```
 */
export type CancelRequestInput = z.input<typeof cancelRequestSchema>;

/**
 * `adjust`: a manual credit (points > 0) or debit (points < 0), with who and why. Whole points,
 * or whole minor units of credit in a spend program, is checked by `adjust` (`invalid_points`).
 *
 * @example
 * ```ts
 * adjustRequestSchema.parse({ requestId: 'r6', at: '2027-02-01T09:00:00Z', points: -200, actor: 'agent:42', reason: 'duplicate award' });
 * ```
 */
export const adjustRequestSchema = strictObject({
  ...request,
  points: decimalSchema.check(z.refine((d) => !d.isZero(), { message: 'a non-zero amount', params: { code: 'invalid_points' } })),
  actor: z.string().check(z.minLength(1), z.maxLength(200)),
  reason: z.string().check(z.minLength(1), z.maxLength(1000)),
});
/** A parsed adjustment request. */
export type AdjustRequest = z.output<typeof adjustRequestSchema>;
/**
 * An adjustment request as the host writes it.
 *
 * @example
 * ```ts
 * const request: AdjustRequestInput = { requestId: 'r6', at: new Date('2027-03-01T10:00:00Z'), points: -200, actor: 'agent:42', reason: 'duplicate award' };
 * ```
 */
export type AdjustRequestInput = z.input<typeof adjustRequestSchema>;

/**
 * `reverse`: undo one transaction, at most once.
 *
 * @example
 * ```ts
 * reverseRequestSchema.parse({ requestId: 'r7', at: '2027-02-01T09:00:00Z', transactionId: 'tx-42', actor: 'agent:42', reason: 'test order' });
 * ```
 */
export const reverseRequestSchema = strictObject({ ...request, transactionId: idSchema, actor: z.optional(z.string().check(z.minLength(1), z.maxLength(200))), reason: z.optional(z.string().check(z.maxLength(1000))) });
/** A parsed reversal request. */
export type ReverseRequest = z.output<typeof reverseRequestSchema>;
/**
 * A reversal request as the host writes it.
 *
 * @example
 * ```ts
 * const request: ReverseRequestInput = { requestId: 'r7', at: '2027-02-01T09:00:00Z', transactionId: 'tx-42' };
 * ```
 */
export type ReverseRequestInput = z.input<typeof reverseRequestSchema>;

/**
 * `redeemReward`: exchange points for a catalog reward.
 *
 * @example
 * ```ts
 * rewardRequestSchema.parse({ requestId: 'r8', at: '2027-02-01T09:00:00Z', rewardId: 'free-shipping' });
 * ```
 */
export const rewardRequestSchema = strictObject({ ...request, rewardId: idSchema });
/** A parsed reward request. */
export type RewardRequest = z.output<typeof rewardRequestSchema>;
/**
 * A reward request as the host writes it.
 *
 * @example
 * ```ts
 * const request: RewardRequestInput = { requestId: 'r8', at: '2027-02-01T09:00:00Z', rewardId: 'free-shipping' };
 * ```
 */
export type RewardRequestInput = z.input<typeof rewardRequestSchema>;

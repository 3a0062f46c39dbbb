import * as z from 'zod/mini';
import { int } from './internal/mini';
import { KIND_EVENT_SCHEMAS, KIND_EVENT_TYPES } from '../kinds/events';
import { eventBaseShape } from './event-parts';
import { attributesSchema, currencySchema, idSchema, nonNegativeDecimalSchema, positiveDecimalSchema } from './primitives';
import { strictObject, withLibraryIssues } from './issues';
import { checkMinorUnits, checkOrderMinorUnits } from './internal/minor-units';

const base = eventBaseShape;

const tagList = z._default(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(50)), []);

/**
 * One line of a purchase. `discount` is the total discount on the line (not per unit); it may
 * not exceed `unitPrice × quantity`.
 *
 * @example
 * ```ts
 * purchaseLineSchema.parse({ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: '19.99' }).discount.toString(); // '0'
 * ```
 */
export const purchaseLineSchema = strictObject({
    lineId: idSchema,
    sku: idSchema,
    categories: tagList,
    tags: tagList,
    quantity: z.number().check(int('must be a whole number'), z.positive('must be at least 1'), z.lte(1_000_000)),
    unitPrice: nonNegativeDecimalSchema,
    discount: z._default(nonNegativeDecimalSchema, () => nonNegativeDecimalSchema.parse('0')),
  })
  .check(z.superRefine((line, ctx) => {
    // A negative unit price is already refused; comparing against it would add a second, spurious issue.
    if (!line.unitPrice.isNegative() && line.discount.gt(line.unitPrice.times(line.quantity))) {
      ctx.addIssue({ code: 'custom', path: ['discount'], message: 'discount exceeds the line total', params: { code: 'discount_exceeds_total' } });
    }
  }));

const zero = () => nonNegativeDecimalSchema.parse('0');

/**
 * A purchase (an order). Amounts are decimal strings in the order's currency; line ids are unique.
 *
 * @example
 * ```ts
 * purchaseEventSchema.parse({
 *   type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
 *   orderId: 'A-100', currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: '80.00' }],
 * });
 * ```
 */
export const purchaseEventSchema = strictObject({
    ...base,
    type: z.literal('purchase'),
    orderId: idSchema,
    currency: currencySchema,
    lines: z.array(purchaseLineSchema).check(z.minLength(1, 'an order has at least one line'), z.maxLength(1000)),
    shipping: z._default(nonNegativeDecimalSchema, zero),
    tax: z._default(nonNegativeDecimalSchema, zero),
    /** Points redeemed on this order (they reduce the net price that earns, unless configured otherwise). */
    pointsRedeemed: z._default(nonNegativeDecimalSchema, zero),
    storeId: z.optional(idSchema),
  })
  .check(z.superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.lines.forEach((line, i) => {
      if (seen.has(line.lineId)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'lineId'], message: `duplicate line id "${line.lineId}"`, params: { code: 'duplicate_line' } });
      seen.add(line.lineId);
    });
    checkOrderMinorUnits(ctx, order);
  }));

/**
 * A refund of part or all of an order: by line quantities, or by an amount (then with its
 * currency) — exactly one of the two.
 *
 * @example
 * ```ts
 * refundEventSchema.parse({
 *   type: 'refund', id: 'e2', customerId: 'c1', occurredAt: '2027-02-03T10:00:00Z',
 *   orderId: 'A-100', lines: [{ lineId: 'l1', quantity: 1 }],
 * });
 * ```
 */
export const refundEventSchema = strictObject({
    ...base,
    type: z.literal('refund'),
    orderId: idSchema,
    currency: z.optional(currencySchema),
    lines: z.optional(
      z.array(strictObject({ lineId: idSchema, quantity: z.number().check(int('must be a whole number'), z.positive('must be at least 1')) })).check(z.minLength(1)),
    ),
    amount: z.optional(positiveDecimalSchema),
  })
  .check(z.superRefine((refund, ctx) => {
    if ((refund.lines === undefined) === (refund.amount === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['lines'], message: 'a refund gives either lines or an amount, not both and not neither', params: { code: 'refund_shape' } });
    }
    const seen = new Set<string>();
    (refund.lines ?? []).forEach((line, i) => {
      if (seen.has(line.lineId)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'lineId'], message: `line "${line.lineId}" is named twice`, params: { code: 'duplicate_line' } });
      seen.add(line.lineId);
    });
    if (refund.amount !== undefined && refund.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'a refund by amount names its currency', params: { code: 'missing_currency' } });
    }
    checkMinorUnits(ctx, refund.currency, refund.amount, ['amount']);
  }));

/**
 * The customer created an account.
 *
 * @example
 * ```ts
 * signupEventSchema.parse({ type: 'signup', id: 'e3', customerId: 'c1', occurredAt: '2027-01-01T00:00:00Z' }).channel; // 'web'
 * ```
 */
export const signupEventSchema = strictObject({ ...base, type: z.literal('signup') });

/**
 * Sent for the referrer, naming the referred friend, when the friend signs up or first buys.
 *
 * @example
 * ```ts
 * referralEventSchema.parse({
 *   type: 'referral', id: 'e4', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
 *   referredCustomerId: 'c2', stage: 'first_purchase',
 * });
 * ```
 */
export const referralEventSchema = strictObject({
  ...base,
  type: z.literal('referral'),
  referredCustomerId: idSchema,
  stage: z.enum(['signed_up', 'first_purchase']),
});

/**
 * The customer wrote a review (rating 1-5).
 *
 * @example
 * ```ts
 * reviewEventSchema.parse({
 *   type: 'review', id: 'e5', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', platform: 'trustpilot', rating: 5,
 * }).hasPhoto; // false
 * ```
 */
export const reviewEventSchema = strictObject({
  ...base,
  type: z.literal('review'),
  platform: z.string().check(z.minLength(1), z.maxLength(50)),
  rating: z.number().check(int(), z.gte(1), z.lte(5)),
  hasPhoto: z._default(z.boolean(), false),
});

/**
 * The customer subscribed to the newsletter.
 *
 * @example
 * ```ts
 * newsletterSubscribedEventSchema.parse({ type: 'newsletter_subscribed', id: 'e6', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export const newsletterSubscribedEventSchema = strictObject({ ...base, type: z.literal('newsletter_subscribed') });

/**
 * The customer followed or liked the brand on a social network (the name is lower-cased).
 *
 * @example
 * ```ts
 * socialFollowEventSchema.parse({
 *   type: 'social_follow', id: 'e7', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', network: 'Instagram',
 * }).network; // 'instagram'
 * ```
 */
export const socialFollowEventSchema = strictObject({
  ...base,
  type: z.literal('social_follow'),
  network: z.string().check(z.minLength(1), z.maxLength(50), z.toLowerCase()),
});

/**
 * A host-defined event (app check-in, survey, photo upload…), named by `name`, with attributes.
 *
 * @example
 * ```ts
 * customEventSchema.parse({
 *   type: 'custom', id: 'e8', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
 *   name: 'app_checkin', attributes: { storeId: 'S-12' },
 * });
 * ```
 */
export const customEventSchema = strictObject({
  ...base,
  type: z.literal('custom'),
  name: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'custom event names are 1-100 of letters, digits, "_", ".", ":" or "-"')),
  attributes: z._default(attributesSchema, {}),
});

/**
 * Every built-in customer event, discriminated by `type`.
 *
 * @example
 * ```ts
 * const event = eventSchema.parse({ id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', type: 'signup' });
 * ```
 */
// withLibraryIssues: a misspelt `type` is named with the allowed types and the closest one.
export const eventSchema = withLibraryIssues(z.discriminatedUnion('type', [
  purchaseEventSchema,
  refundEventSchema,
  signupEventSchema,
  referralEventSchema,
  reviewEventSchema,
  newsletterSubscribedEventSchema,
  socialFollowEventSchema,
  customEventSchema,
  // The kinds' own events (src/kinds/<kind>/events.ts), listed by the registry.
  ...KIND_EVENT_SCHEMAS,
]));

/** A parsed customer event (amounts are Decimals, times are Dates). */
export type LoyaltyEvent = z.output<typeof eventSchema>;
/**
 * A customer event as the host sends it: amounts as `DecimalInput` (`'19.99'`, `19.99` or a
 * Decimal), times as `InstantInput` (a `Date` or an ISO string), defaults left out. Unknown
 * keys in a fresh object literal (`chanel`) and ill-typed values (`unitPrice: 'abc'`,
 * `occurredAt: 'yesterday'`) fail to compile; {@link eventSchema} still checks everything at run
 * time.
 *
 * @example
 * ```ts
 * const event: LoyaltyEventInput = {
 *   type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
 *   orderId: 'A-100', currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: '80.00' }],
 * };
 * ```
 */
export type LoyaltyEventInput = z.input<typeof eventSchema>;
/** The event types. */
export type EventType = LoyaltyEvent['type'];
/** A parsed purchase. */
export type PurchaseEvent = z.output<typeof purchaseEventSchema>;
/** A parsed purchase line. */
export type PurchaseLine = z.output<typeof purchaseLineSchema>;
/** A parsed refund. */
export type RefundEvent = z.output<typeof refundEventSchema>;
/** The event with the given type. */
export type EventOf<T extends EventType> = Extract<LoyaltyEvent, { type: T }>;
/**
 * The input of the event with the given type, as the host sends it.
 *
 * @example
 * ```ts
 * const signup: EventInputOf<'signup'> = { type: 'signup', id: 'e3', customerId: 'c1', occurredAt: new Date('2027-03-01T10:00:00Z') };
 * ```
 */
export type EventInputOf<T extends EventType> = Extract<LoyaltyEventInput, { type: T }>;
/**
 * A purchase as the host sends it.
 *
 * @example
 * ```ts
 * const order: PurchaseEventInput = {
 *   type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
 *   orderId: 'A-100', currency: 'USD', lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: 19.99 }],
 * };
 * ```
 */
export type PurchaseEventInput = z.input<typeof purchaseEventSchema>;
/**
 * A purchase line as the host sends it (`discount`, `categories` and `tags` may be left out).
 *
 * @example
 * ```ts
 * const line: PurchaseLineInput = { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: '19.99', discount: '5' };
 * ```
 */
export type PurchaseLineInput = z.input<typeof purchaseLineSchema>;
/**
 * A refund as the host sends it: by lines, or by an amount with its currency.
 *
 * @example
 * ```ts
 * const refund: RefundEventInput = {
 *   type: 'refund', id: 'e2', customerId: 'c1', occurredAt: '2027-02-03T10:00:00Z', orderId: 'A-100', amount: '10.00', currency: 'USD',
 * };
 * ```
 */
export type RefundEventInput = z.input<typeof refundEventSchema>;

/**
 * Every built-in event type, in the order of {@link eventSchema}'s union.
 *
 * @example
 * ```ts
 * EVENT_TYPES.includes('purchase'); // true
 * ```
 */
export const EVENT_TYPES = [
  'purchase',
  'refund',
  'signup',
  'referral',
  'review',
  'newsletter_subscribed',
  'social_follow',
  'custom',
  ...KIND_EVENT_TYPES,
] as const satisfies readonly EventType[];

import type { FactSpec } from './types';

/**
 * The core facts every rule can read, by flat dotted name: the event, the order, the customer,
 * the account and the time. Values are always present (the facts builder fills documented
 * defaults), so a rule never meets an undefined fact. Program kinds add their own facts
 * (`customer.tier`, `membership.active`…), declared in their folders; the full catalog, with
 * them, is `BUILTIN_FACTS`.
 *
 * Amount facts are `decimal`: exact, compared exactly against the condition's value.
 *
 * @example
 * ```ts
 * CORE_FACTS['order.eligibleSubtotal'].type; // 'decimal'
 * 'customer.tier' in CORE_FACTS; // false: the tiered kind declares it
 * ```
 */
export const CORE_FACTS = {
  'event.type': { type: 'string', description: 'The event type: purchase, refund, signup, referral, review, newsletter_subscribed, social_follow, custom.' },
  'event.id': { type: 'string', description: "The event's id." },
  'event.channel': { type: 'string', description: 'web, app, store, call_center or other.' },
  'event.name': { type: 'string', description: 'A custom event\'s name; "" for built-in events.' },
  'event.network': { type: 'string', description: 'social_follow: the network (lower case); "" otherwise.' },
  'event.platform': { type: 'string', description: 'review: the platform; "" otherwise.' },
  'event.rating': { type: 'integer', description: 'review: the rating 1-5; 0 otherwise.' },
  'event.hasPhoto': { type: 'boolean', description: 'review: whether it has a photo; false otherwise.' },
  'event.referredCustomerId': { type: 'string', description: 'referral: the referred friend; "" otherwise.' },
  'event.stage': { type: 'string', description: 'referral: signed_up or first_purchase; "" otherwise.' },
  'event.storeId': { type: 'string', description: 'purchase: the store id, "" when absent.' },
  'event.attributes': { type: 'unknown', description: "custom: the event's attributes (read with `path`); {} otherwise." },
  'order.id': { type: 'string', description: 'purchase/refund: the order id; "" otherwise.' },
  'order.currency': { type: 'string', description: 'purchase: the currency; "" otherwise.' },
  'order.subtotal': { type: 'decimal', description: 'purchase: Σ (unit price × quantity − discount) over all lines; 0 otherwise.' },
  'order.eligibleSubtotal': { type: 'decimal', description: 'purchase: the subtotal of lines that earn (exclusions applied, net of redeemed points when configured); 0 otherwise.' },
  'order.total': { type: 'decimal', description: 'purchase: subtotal + shipping + tax; 0 otherwise.' },
  'order.shipping': { type: 'decimal', description: 'purchase: shipping; 0 otherwise.' },
  'order.tax': { type: 'decimal', description: 'purchase: tax; 0 otherwise.' },
  'order.itemCount': { type: 'integer', description: 'purchase: Σ quantity; 0 otherwise.' },
  'order.lineCount': { type: 'integer', description: 'purchase: number of lines; 0 otherwise.' },
  'order.categories': { type: 'string[]', description: 'purchase: every category of every line, once each; [] otherwise.' },
  'order.skus': { type: 'string[]', description: 'purchase: every SKU, once each; [] otherwise.' },
  'order.tags': { type: 'string[]', description: 'purchase: every line tag, once each; [] otherwise.' },
  'customer.id': { type: 'string', description: "The customer's id." },
  'customer.tags': { type: 'string[]', description: "The customer's tags." },
  'customer.attributes': { type: 'unknown', description: "The customer's attributes (read with `path`)." },
  'customer.segments': { type: 'string[]', description: "Names of the program's segments the customer is in." },
  'customer.lifetimeSpend': { type: 'decimal', description: 'Net spend in this program so far (before this event).' },
  'customer.orderCount': { type: 'integer', description: 'Orders so far (before this event).' },
  'customer.isFirstPurchase': { type: 'boolean', description: 'True on a purchase when there was no order before.' },
  'customer.daysSinceLastPurchase': { type: 'integer', description: 'Whole 24 h periods since the last purchase; -1 when there was none.' },
  'customer.daysSinceEnrolled': { type: 'integer', description: 'Whole 24 h periods since enrolment.' },
  'customer.isBirthday': { type: 'boolean', description: "The event falls on the customer's birthday, in the customer's zone (29 Feb → 28 Feb in other years); false without a birthday." },
  'customer.isBirthdayMonth': { type: 'boolean', description: "The event falls in the customer's birthday month, in the customer's zone." },
  'account.available': { type: 'decimal', description: 'Points available at the event instant (before this event).' },
  'account.pending': { type: 'decimal', description: 'Points pending at the event instant.' },
  'account.lifetimeEarned': { type: 'decimal', description: 'Points ever earned (before this event).' },
  'time.year': { type: 'integer', description: "The event's year in the program's zone." },
  'time.month': { type: 'integer', description: "The event's month 1-12 in the program's zone." },
  'time.day': { type: 'integer', description: "The event's day of month in the program's zone." },
  'time.dayOfWeek': { type: 'integer', description: "0 = Sunday … 6 = Saturday, in the program's zone." },
  'time.hour': { type: 'integer', description: "The event's hour 0-23 in the program's zone." },
} as const satisfies Record<string, FactSpec>;

/** The name of a core fact. */
export type CoreFactName = keyof typeof CORE_FACTS;

/**
 * Facts about one order line, for rule `lines` filters and program line eligibility.
 *
 * @example
 * ```ts
 * LINE_FACTS['line.categories'].type; // 'string[]'
 * ```
 */
export const LINE_FACTS = {
  'line.id': { type: 'string', description: "The line's id." },
  'line.sku': { type: 'string', description: "The line's SKU." },
  'line.categories': { type: 'string[]', description: "The line's categories." },
  'line.tags': { type: 'string[]', description: "The line's tags." },
  'line.quantity': { type: 'integer', description: 'Units on the line.' },
  'line.unitPrice': { type: 'decimal', description: 'Price of one unit.' },
  'line.discount': { type: 'decimal', description: 'Discount on the whole line.' },
  'line.netAmount': { type: 'decimal', description: 'unitPrice × quantity − discount.' },
} as const satisfies Record<string, FactSpec>;

/** The name of a line fact. */
export type LineFactName = keyof typeof LINE_FACTS;

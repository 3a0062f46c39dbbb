/*
 * The programs of bench/ab-builds.ts as plain input data, so every build under comparison (its
 * own `defineProgram`) gets the same config: the 20-rule points program of bench/lib/programs.ts
 * (targets 2 and 7; bench/lib/programs.ts defines it from this data) and
 * the lots program of bench/scaling.ts (target 3), which define theirs from it too. Plain data only: no import of src/.
 */

const c = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });

/** The input of `twentyRuleProgram()` (bench/lib/programs.ts), for any build's `defineProgram`. */
export const TWENTY_RULE_CONFIG = {
  kind: 'points',
  id: 'bench',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-cards', 'tobacco'] } },
  segments: { vip: { any: [c('customer.tags', 'contains', 'vip'), c('customer.lifetimeSpend', 'greaterThanInclusive', 10_000)] } },
  conditions: { bigBasket: { all: [c('order.eligibleSubtotal', 'greaterThanInclusive', 100)] } },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'electronics-3x', on: 'purchase', lines: { all: [c('line.categories', 'contains', 'electronics')] }, award: { kind: 'multiplier', factor: 3 } },
    { id: 'vip-2x', on: 'purchase', segments: ['vip'], award: { kind: 'multiplier', factor: 2 } },
    { id: 'weekend-2x', on: 'purchase', when: { all: [c('time.dayOfWeek', 'in', [0, 6])] }, award: { kind: 'multiplier', factor: 2 } },
    { id: 'big-basket', on: 'purchase', when: { all: [{ condition: 'bigBasket' }] }, award: { kind: 'fixed', points: 50 } },
    { id: 'fifty', on: 'purchase', award: { kind: 'per_amount', points: 10, per: 50, whole: true } },
    { id: 'app', on: 'purchase', channels: ['app'], award: { kind: 'fixed', points: 10 } },
    { id: 'store-pilot', on: 'purchase', when: { all: [c('event.storeId', 'in', ['101', '102', '103'])] }, award: { kind: 'fixed', points: 70 } },
    { id: 'first', on: 'purchase', when: { all: [c('customer.isFirstPurchase', 'equal', true)] }, award: { kind: 'fixed', points: 200 } },
    { id: 'multi-item', on: 'purchase', when: { all: [c('order.itemCount', 'greaterThanInclusive', 5)] }, award: { kind: 'fixed', points: 35 } },
    { id: 'clearance', on: 'purchase', when: { all: [c('order.tags', 'contains', 'clearance')] }, award: { kind: 'fixed', points: 5 } },
    { id: 'night-owl', on: 'purchase', when: { any: [c('time.hour', 'greaterThanInclusive', 22), c('time.hour', 'lessThan', 5)] }, award: { kind: 'fixed', points: 12 } },
    { id: 'grocery', on: 'purchase', when: { all: [c('order.categories', 'contains', 'grocery'), c('order.subtotal', 'lessThan', 100)] }, award: { kind: 'fixed', points: 15 } },
    { id: 'apparel-items', on: 'purchase', lines: { all: [c('line.categories', 'contains', 'apparel')] }, award: { kind: 'per_item', points: 5 } },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 } },
    { id: 'review-photo', on: 'review', when: { all: [c('event.hasPhoto', 'equal', true)] }, award: { kind: 'fixed', points: 30 } },
    { id: 'signup', on: 'signup', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'referral', on: 'referral', award: { kind: 'fixed', points: 300 }, limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }] },
    { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
    { id: 'daily-cap', on: 'purchase', when: { all: [c('order.total', 'greaterThan', 500)] }, award: { kind: 'fixed', points: 100 }, limits: [{ per: 'day', points: 100 }] },
  ],
} as const;

/** The input of bench/scaling.ts's lots program: 1 point per dollar, 365-day expiry, 14 days pending, notices 30 days ahead. */
export const LOTS_CONFIG = {
  kind: 'points',
  id: 'bench-lots',
  version: 1,
  currency: 'USD',
  timeZone: 'UTC',
  expiry: { kind: 'rolling', days: 365 },
  pending: { purchaseDays: 14 },
  expiringNoticeDays: 30,
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
} as const;

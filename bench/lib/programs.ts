/*
 * The programs and event streams the benches share: the 20-rule points program of targets 2, 3
 * and 7, its seeded 5-line purchases, and the one-rule program of the history accounts.
 */
import { defineProgram } from '../../src';
import { parseEvent } from '../../src/core';
import type { LoyaltyEvent, LoyaltyEventInput, Program } from '../../src';

const c = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
/** The 20-rule points program of PERFORMANCE.md target 2. */
export function twentyRuleProgram(): Program {
  return defineProgram({
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
  });
}

const CATS = [['electronics'], ['apparel'], ['grocery'], ['home'], ['gift-cards'], ['toys'], ['beauty']];

/** How `rawPurchases` names its events and spreads them over customers. */
export interface PurchaseStream {
  /** The generator's seed (default 7). */
  readonly seed?: number;
  /** Prefix of event and order ids (default none: `e0`, `o0`…). */
  readonly prefix?: string;
  /** The customer of the i-th event (default: all `c1`). */
  readonly customerOf?: (i: number) => string;
}

/** `n` seeded raw 5-line purchases, as a user sends them (the same stream for the same options). */
export function rawPurchases(n: number, stream: PurchaseStream = {}): LoyaltyEventInput[] {
  const { seed = 7, prefix = '', customerOf = () => 'c1' } = stream;
  let s = seed;
  const r = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const out: LoyaltyEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const lines = Array.from({ length: 5 }, (_, j) => ({
      lineId: `l${j}`,
      sku: `sku${(r() * 1000) | 0}`,
      categories: CATS[(r() * CATS.length) | 0] ?? [],
      tags: r() < 0.1 ? ['clearance'] : [],
      quantity: 1 + ((r() * 3) | 0),
      unitPrice: `${(r() * 200) | 0}.${String((r() * 100) | 0).padStart(2, '0')}` as `${number}`,
    }));
    // The channel is drawn before the instant: the stream target 2 has always timed.
    const channel = r() < 0.3 ? 'app' : 'web';
    const occurredAt = new Date(Date.UTC(2027, 2, 1 + (i % 28), (r() * 24) | 0)).toISOString() as `${number}-${number}-${number}T${string}`;
    out.push({
      id: `${prefix}e${i}`,
      customerId: customerOf(i),
      type: 'purchase',
      orderId: `${prefix}o${i}`,
      currency: 'USD',
      channel,
      occurredAt,
      lines,
      ...(r() < 0.2 ? { storeId: String(100 + ((r() * 10) | 0)) } : {}),
    });
  }
  return out;
}

/** `n` seeded 5-line purchases of customer c1, parsed (the same stream every run). */
export function purchases(n: number): LoyaltyEvent[] {
  return rawPurchases(n).map((e) => parseEvent(e));
}

/** The program the history accounts live under: one per-amount purchase rule, no pending, no expiry. */
export function historyProgram(): Program {
  return defineProgram({
    kind: 'points',
    id: 'bench-history',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}


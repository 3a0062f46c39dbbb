/*
 * The programs and event streams the benches share: the 20-rule points program of targets 2, 3
 * and 7, its seeded 5-line purchases, and the one-rule program of the history accounts.
 */
import { defineProgram } from '../../src';
import { parseEvent } from '../../src/core';
import type { LoyaltyEvent, LoyaltyEventInput, Program } from '../../src';
import { TWENTY_RULE_CONFIG } from './ab-programs';

/** The 20-rule points program of PERFORMANCE.md target 2 (its config is plain data in ab-programs.ts, shared with bench/ab-builds.ts). */
export function twentyRuleProgram(): Program {
  return defineProgram(TWENTY_RULE_CONFIG);
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


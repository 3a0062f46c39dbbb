// The facts builder each compiled program makes (engine/facts.ts programFactBuilder, rules/facts.ts
// factBuilder) builds, for the facts the program's rules read, what the generic builder builds:
// the same names in the same order, the same values (kind facts, registered facts, order total).
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import type { Decimal } from '../../src/money/decimal';
import { buildFacts, openAccount } from '../../src/core';
import { compiledOf } from '../../src/engine/program';
import { viewOrder } from '../../src/engine/order';
import { customer, event, purchase } from '../fixtures';
import type { LoyaltyEvent } from '../../src';

const c = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const program = defineProgram(
  {
    kind: 'points', id: 'facts', version: 1, currency: 'USD', timeZone: 'America/New_York',
    segments: { big: { all: [c('customer.lifetimeSpend', 'greaterThan', 10)] } },
    rules: [
      { id: 'a', on: 'purchase', when: { all: [c('order.total', 'greaterThan', 1), c('time.hour', 'lessThan', 30), c('order.categories', 'contains', 'x')] }, award: { kind: 'fixed', points: 1 } },
      { id: 'b', on: 'purchase', when: { any: [c('customer.tier', 'equal', ''), c('membership.active', 'equal', true), c('host.score', 'greaterThan', 2)] }, award: { kind: 'fixed', points: 1 } },
      { id: 'c', on: 'purchase', when: { all: [c('order.subtotal', 'lessThan', { fact: 'order.eligibleSubtotal' }), c('host.inCategory', 'equal', true)] }, award: { kind: 'fixed', points: 1 } },
      { id: 'd', on: 'review', when: { all: [c('event.rating', 'greaterThan', 3), c('event.storeId', 'equal', '')] }, award: { kind: 'fixed', points: 1 }, limits: [{ per: 'day', count: 1, key: 'event.platform' }] },
    ],
  },
  {
    facts: {
      'host.score': { type: 'integer', description: 'a host score', compute: (i) => i.customer.tags.length + 2 },
      'host.inCategory': { type: 'boolean', description: 'params fact', params: true, compute: (i, p) => i.order?.categories.includes(String(p.category ?? 'x')) ?? false },
    },
  },
);

const who = customer({ tags: ['vip', 'early'] });
const account = openAccount(program, 'c1');
const events: LoyaltyEvent[] = [
  purchase([{ unitPrice: '19.99', quantity: 2, categories: ['x', 'y'] }, { unitPrice: '5.00', categories: ['y'] }], { shipping: '4.50', tax: '1.25' }),
  purchase([{ unitPrice: '100', discount: '10' }]),
  event('review', { platform: 'Trustpilot', rating: 5, hasPhoto: false }),
];

describe('the facts builder of a compiled program', () => {
  test.each(events.map((e) => [e.type, e] as const))('builds what the generic builder builds for the facts the rules read (%s)', (_, e) => {
    const compiled = compiledOf(program);
    const { config } = program;
    const order = e.type === 'purchase' ? viewOrder(e, config, compiled.excluded).summary : undefined;
    const input = { event: e, customer: who, account, timeZone: config.timeZone, customerTimeZone: config.timeZone, order };
    const built = compiled.buildFacts(input);
    const generic = buildFacts(input, { registered: compiled.registeredFacts });
    expect(Object.keys(built)).toEqual(compiled.factsNeeded);
    expect(compiled.factsNeeded).toEqual(expect.arrayContaining(['order.total', 'time.hour', 'customer.tier', 'membership.active', 'host.score', 'host.inCategory', 'event.platform']));
    for (const name of compiled.factsNeeded) {
      const value = built[name];
      if (typeof value === 'function') expect((value as (p: object) => unknown)({ category: 'y' })).toEqual((generic[name] as (p: object) => unknown)({ category: 'y' }));
      else expect(value).toEqual(generic[name]);
    }
  });

  test('order.total is subtotal + shipping + tax, zero terms or not', () => {
    const compiled = compiledOf(program);
    for (const e of events) {
      if (e.type !== 'purchase') continue;
      const summary = viewOrder(e, program.config, compiled.excluded).summary;
      const facts = compiled.buildFacts({ event: e, customer: who, account, timeZone: 'UTC', customerTimeZone: 'UTC', order: summary });
      expect((facts['order.total'] as Decimal).toString()).toBe(summary.subtotal.plus(summary.shipping).plus(summary.tax).toString());
    }
  });
});

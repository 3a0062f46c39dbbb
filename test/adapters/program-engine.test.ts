// The adapter builds json-rules-engine from a program's own conditions, and both agree on which
// rules' conditions hold for real events (facts from the library's facts builder).
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import { buildFacts, explain, openAccount, parseCustomer, parseEvent } from '../../src/core';
import { compiledOf } from '../../src/engine/program';
import { programToJsonRulesEngine, runJsonRulesEngine, toAlmanacFacts } from '../../src/adapters/json-rules-engine';
import { customer, earned, pointsProgram, purchase, run, ZONE } from '../fixtures';

describe('programToJsonRulesEngine', () => {
  const program = pointsProgram({
    conditions: { big: { all: [{ fact: 'order.eligibleSubtotal', operator: 'greaterThanInclusive', value: 50 }] } },
    rules: [
      { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
      { id: 'big', on: 'purchase', when: { all: [{ condition: 'big' }] }, award: { kind: 'fixed', points: 10 } },
      { id: 'weekend', on: 'purchase', when: { all: [{ fact: 'time.dayOfWeek', operator: 'in', value: [0, 6] }] }, award: { kind: 'fixed', points: 5 } },
      { id: 'vip', on: 'purchase', when: { any: [{ fact: 'customer.tags', operator: 'contains', value: 'vip' }, { fact: 'order.itemCount', operator: 'greaterThan', value: { fact: 'customer.orderCount' } }] }, award: { kind: 'fixed', points: 1 } },
    ],
  });

  test.each([
    ['2027-03-13T15:00:00Z', '60.00', ['vip']],
    ['2027-03-10T15:00:00Z', '49.99', []],
  ])('at %s for %s the engine and the compiled evaluator agree', async (at, price, tags) => {
    const event = parseEvent({ id: 'e', customerId: 'c1', type: 'purchase', orderId: 'o', currency: 'USD', occurredAt: at, lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: price }] });
    if (event.type !== 'purchase') throw new Error('a purchase');
    const net = event.lines[0]?.unitPrice;
    if (!net) throw new Error('a line');
    const customer = parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', tags });
    const facts = buildFacts({
      event,
      customer,
      account: openAccount(program, 'c1'),
      timeZone: program.config.timeZone,
      customerTimeZone: program.config.timeZone,
      order: { id: 'o', currency: 'USD', subtotal: net, eligibleSubtotal: net, shipping: event.shipping, tax: event.tax, itemCount: 1, lineCount: 1, categories: [], skus: ['s'], tags: [] },
    });
    facts['customer.segments'] = [];
    const compiled = compiledOf(program).rules.evaluate(facts);
    const expected = program.config.rules.filter((_, i) => compiled[i]).map((r) => r.id);
    const fired = await runJsonRulesEngine(programToJsonRulesEngine(program), toAlmanacFacts(facts));
    expect(fired).toEqual(expected);
    expect(fired.length).toBeGreaterThan(0);
  });
});

describe('defineProgram with facts that take params', () => {
  test('a registered fact with params: true is called with each condition params; process and explain agree', () => {
    const program = defineProgram(
      {
        kind: 'points',
        id: 'params',
        version: 1,
        currency: 'USD',
        timeZone: ZONE,
        rules: [
          { id: 'shoes', on: 'purchase', when: { all: [{ fact: 'order.hasSku', params: { sku: 'shoe' }, operator: 'equal', value: true }] }, award: { kind: 'fixed', points: 10 } },
          { id: 'hats', on: 'purchase', when: { all: [{ fact: 'order.hasSku', params: { sku: 'hat' }, operator: 'equal', value: true }] }, award: { kind: 'fixed', points: 1 } },
        ],
      },
      {
        facts: { 'order.hasSku': { type: 'boolean', description: 'the order has this SKU', params: true, compute: (i, p) => i.order?.skus.includes(String(p.sku)) ?? false } },
      },
    );
    const order = purchase([{ unitPrice: '30', sku: 'shoe' }]);
    const { decisions } = run(program, [order]);
    expect(earned(decisions[0])).toBe('10');
    const why = explain(program, openAccount(program, 'c1'), order, { customer: customer() });
    expect(why.rules.map((r) => [r.ruleId, r.fired])).toEqual([
      ['shoes', true],
      ['hats', false],
    ]);
  });
});

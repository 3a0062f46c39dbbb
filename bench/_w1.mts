import { twentyRuleProgram } from './pipeline';
import { evaluate, openAccount, parseEvent } from '../src';
const program = twentyRuleProgram();
const account = openAccount(program, 'c1');
const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: ['vip'], attributes: {} };
const e = parseEvent({ id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2027-03-05T15:00:00Z',
  lines: Array.from({ length: 5 }, (_, j) => ({ lineId: `l${j}`, sku: 's', categories: ['apparel'], quantity: 2, unitPrice: '19.99' })) });
for (let i = 0; i < 2000; i++) evaluate(program, account, e, { customer });
for (let r = 0; r < 3; r++) {
const t = performance.now();
for (let i = 0; i < 10000; i++) evaluate(program, account, e, { customer });
console.log(((performance.now() - t) * 1000 / 10000).toFixed(1), 'µs');
}

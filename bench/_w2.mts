import { twentyRuleProgram } from './pipeline';
import { evaluate, openAccount, parseEvent } from '../src';
import type { LoyaltyEvent } from '../src';
const program = twentyRuleProgram();
const account = openAccount(program, 'c1');
const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: ['vip'], attributes: {} };
const CATS = [['electronics'], ['apparel'], ['grocery'], ['home'], ['gift-cards'], ['toys'], ['beauty']];
let s = 7;
const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
const events: LoyaltyEvent[] = [];
for (let i = 0; i < 2000; i++) {
  const lines = Array.from({ length: 5 }, (_, j) => ({ lineId: `l${j}`, sku: `sku${(r() * 1000) | 0}`, categories: CATS[(r() * CATS.length) | 0] ?? [], tags: r() < 0.1 ? ['clearance'] : [], quantity: 1 + ((r() * 3) | 0), unitPrice: `${(r() * 200) | 0}.${String((r() * 100) | 0).padStart(2, '0')}` }));
  events.push(parseEvent({ id: `e${i}`, customerId: 'c1', type: 'purchase', orderId: `o${i}`, currency: 'USD', channel: r() < 0.3 ? 'app' : 'web', occurredAt: new Date(Date.UTC(2027, 2, 1 + (i % 28), (r() * 24) | 0)).toISOString(), lines, ...(r() < 0.2 ? { storeId: String(100 + ((r() * 10) | 0)) } : {}) }));
}
const N = Number(process.env.N ?? 20000);
for (let i = 0; i < 5000; i++) evaluate(program, account, events[i % 2000]!, { customer });
const out: number[] = [];
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) evaluate(program, account, events[i % 2000]!, { customer });
  out.push((performance.now() - t) * 1000 / N);
}
out.sort((a, b) => a - b);
console.log('median µs/evaluate', out[2]!.toFixed(1), 'all', out.map((x) => x.toFixed(1)).join(' '));

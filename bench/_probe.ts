import { applyEntries, evaluate, openAccount, parseEvent, redeem, tick, nextDueAt, quote } from '../src/core';
import { defineProgram } from '../src';
import { redeemRequestSchema, quoteRequestSchema } from '../src/schemas';
import type { AccountState } from '../src/core';
import { timePair } from '../bench/lib/report';
const p = defineProgram({ kind: 'points', id: 'lots', version: 1, currency: 'USD', timeZone: 'UTC',
  expiry: { kind: 'rolling', days: 365 }, pending: { purchaseDays: 14 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
const start = Date.UTC(2027, 0, 1);
function purchase(id: string, at: Date, price: string) {
  return parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at.toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: price }] });
}
function lots(n: number): AccountState {
  let s = openAccount(p, 'c1');
  const span = 300 * 86400000;
  for (let i = 0; i < n; i++) {
    const d = evaluate(p, s, purchase(`p${i}`, new Date(start + Math.floor((i * span) / n)), '100'));
    if (!d.ok || !d.transaction) throw new Error('x');
    s = applyEntries(s, d.transaction);
  }
  return s;
}
const a = lots(10), b = lots(1000);
const now = new Date(start + 300 * 86400000);
const t1 = tick(p, a, now); const t2 = tick(p, b, now);
const A = t1.ok && t1.transaction ? applyEntries(a, t1.transaction) : a;
const B = t2.ok && t2.transaction ? applyEntries(b, t2.transaction) : b;
console.log(A.lots.length, B.lots.length, A.lots.filter(l=>l.account==='pending').length, B.lots.filter(l=>l.account==='pending').length);
const ev = purchase('new', new Date(now.getTime() + 1000), '50');
const req = redeemRequestSchema.parse({ requestId: 'r', points: 5, at: now });
const ops: [string, (s: AccountState) => unknown][] = [
  ['evaluate', (s) => evaluate(p, s, ev)],
  ['redeem', (s) => redeem(p, s, req)],
  ['tick', (s) => tick(p, s, now)],
  ['nextDueAt', (s) => nextDueAt(p, s, now)],
];
const txA = (evaluate(p, A, ev) as any).transaction, txB = (evaluate(p, B, ev) as any).transaction;
for (const [name, op] of ops) { const r = timePair(2000, () => op(A), () => op(B), 5); console.log(name, r.a.toFixed(2), r.b.toFixed(2), (r.b / r.a).toFixed(1)); }
const r = timePair(2000, () => applyEntries(A, txA), () => applyEntries(B, txB), 5); console.log('apply', r.a.toFixed(2), r.b.toFixed(2), (r.b / r.a).toFixed(1));
const arr = B.lots; const r2 = timePair(20000, () => arr.slice(), () => [...arr], 5); console.log('slice1000', r2.a.toFixed(3), r2.b.toFixed(3));

import { applyEntries, evaluate, openAccount, parseEvent } from '../src/core';
import { defineProgram } from '../src';
const p = defineProgram({ kind: 'points', id: 'lots', version: 1, currency: 'USD', timeZone: 'UTC',
  expiry: { kind: 'rolling', days: 365 }, pending: { purchaseDays: 14 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
let s = openAccount(p, 'c1');
const ev = parseEvent({ id: 'x', customerId: 'c1', type: 'purchase', orderId: 'x', currency: 'USD', occurredAt: '2027-01-01T00:00:00Z', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '10' }] });
const d = evaluate(p, s, ev); const tx = (d as any).transaction;
for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < 20000; i++) applyEntries(s, tx); console.log(((performance.now() - t0) * 1000 / 20000).toFixed(2)); }

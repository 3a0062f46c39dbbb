// The README's quick start, verbatim but for the import path (test/readme.test.ts keeps them equal).
// Run: npx tsx examples/quickstart.ts
import { createLoyalty, defineProgram, memoryStore } from '../src';

const program = defineProgram({
  kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York',
  eligibility: { exclude: { categories: ['gift-card'] } },
  rules: [
    { id: 'dollar-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
  ],
});

const loyalty = createLoyalty({ programs: [program], store: memoryStore() });  // clock: the system's
const now = new Date();
await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: now, timeZone: 'America/New_York' } });
await loyalty.process({ id: 'evt-1', customerId: 'ana', type: 'signup', occurredAt: now });
await loyalty.process({
  id: 'evt-2', customerId: 'ana', type: 'purchase', orderId: 'A-100', currency: 'USD', occurredAt: now,
  lines: [{ lineId: '1', sku: 'shoes', quantity: 1, unitPrice: '60.00' }, { lineId: '2', sku: 'gc', categories: ['gift-card'], quantity: 1, unitPrice: '20.00' }],
});
const { balance } = await loyalty.account({ customerId: 'ana', programId: 'rewards' });
console.log(balance.available.toString()); // '560'
if (balance.available.toString() !== '560') throw new Error(`expected 560, got ${balance.available.toString()}`);

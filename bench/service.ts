/*
 * The service around the pipeline: `loyalty.process` of a 5-line purchase (idempotency record,
 * account load, schedule, write through the memory store) against `evaluate` alone on the same
 * events. The figure is a ratio against that baseline, measured in the same run.
 * Environment: BENCH_SERVICE_N (events per sample, default 5,000).
 */
import { createLoyalty, fixedClock, memoryStore } from '../src';
import { evaluate, openAccount, parseEvent } from '../src/core';
import type { LoyaltyEventInput } from '../src';
import { twentyRuleProgram } from './lib/programs';

const N = Number(process.env.BENCH_SERVICE_N ?? 5_000);

function purchase(i: number, customerId: string): LoyaltyEventInput {
  return {
    id: `e${i}`,
    customerId,
    type: 'purchase',
    orderId: `o${i}`,
    currency: 'USD',
    occurredAt: new Date(Date.UTC(2027, 2, 10 + (i % 20), 12)),
    lines: Array.from({ length: 5 }, (_, j) => ({ lineId: `l${j}`, sku: `sku${(i * 7 + j) % 1000}`, categories: [['electronics'], ['apparel'], ['grocery']][j % 3] ?? [], quantity: 1 + (j % 3), unitPrice: `${((i + j * 13) % 200) + 0.25}` })),
  };
}

async function median(reps: number, body: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) samples.push(await body());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const program = twentyRuleProgram();
  const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: [], attributes: {} };
  console.log(`SERVICE: process of a 5-line purchase through createLoyalty over memoryStore, ${N.toLocaleString('en-US')} events per sample`);
  const account = openAccount(program, 'c1');
  const events = Array.from({ length: N }, (_, i) => parseEvent(purchase(i, 'c1')));
  const pure = await median(5, async () => {
    const start = performance.now();
    for (const e of events) evaluate(program, account, e, { customer, now: new Date('2027-04-01T00:00:00Z') });
    return ((performance.now() - start) * 1000) / N;
  });
  let round = 0;
  const service = await median(5, async () => {
    const id = `c${round++}`;
    const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-04-01T00:00:00Z') });
    await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2026-01-01T00:00:00Z' } });
    const mine = Array.from({ length: N }, (_, i) => purchase(i, id));
    const start = performance.now();
    for (const e of mine) await loyalty.process(e);
    return ((performance.now() - start) * 1000) / N;
  });
  console.log(`  evaluate alone                 ${pure.toFixed(3).padStart(9)} µs/op`);
  console.log(`  loyalty.process                ${service.toFixed(3).padStart(9)} µs/op`);
  console.log(`  → process / evaluate = ${(service / pure).toFixed(2)}×`);
}

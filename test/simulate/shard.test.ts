// simulateSharded over worker_threads gives the one-thread simulate's result exactly. The workers
// run the built JavaScript: this test reads dist/cli (npm test builds before vitest runs).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defineProgram, type ProgramConfigInput } from '../../src';
import { encodeLedgerJson } from '../../src/core';
import { generateHistory, simulate } from '../../src/simulate';
import type { LoyaltyEventInput } from '../../src';
import type * as ShardSource from '../../src/cli/shard';

const built = join(__dirname, '../../dist/cli/shard.js');
type ShardModule = typeof ShardSource;

async function shardModule(): Promise<ShardModule> {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  return (await import(built)) as ShardModule;
}

const config = {
  kind: 'tiered',
  id: 'beauty',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 150, multiplier: '1.5' }, { id: 'rouge', threshold: 400, multiplier: 2 }],
  qualification: { basis: 'spend', window: 'calendar_year' },
  birthday: { points: 250 },
  pending: { purchaseDays: 14 },
  expiry: { kind: 'rolling', months: 3 },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 25 }, limits: [{ per: 'month', count: 2 }] },
  ],
} satisfies ProgramConfigInput;

const text = (value: unknown): string => JSON.stringify(encodeLedgerJson(value));

describe('simulateSharded', () => {
  const history = generateHistory({ seed: 99, customers: 300, months: 5, start: '2027-10-01T12:00:00Z', refundRate: 0.2 });
  const program = defineProgram(config);

  test('3 workers, a config file: the same result as one thread (books, tier mix, every customer, metrics)', async () => {
    const { simulateSharded } = await shardModule();
    const dir = mkdtempSync(join(tmpdir(), 'shard-'));
    const file = join(dir, 'program.json');
    writeFileSync(file, JSON.stringify(config));
    const single = await simulate(program, history.events, history.customers);
    const sharded = await simulateSharded(file, history.events, history.customers, { workers: 3, batch: 100 });
    expect(single.run.transactions).toBeGreaterThan(1000);
    expect(single.tierMix?.vib).toBeGreaterThan(0);
    expect(text(sharded)).toBe(text(single));
  }, 120_000);

  test('a program from defineProgram crosses to the workers by its config; 1 worker works too', async () => {
    const { simulateSharded } = await shardModule();
    const single = await simulate(program, history.events, history.customers, { until: '2028-04-01T04:00:00Z' });
    const sharded = await simulateSharded(program, history.events, history.customers, { workers: 1, until: '2028-04-01T04:00:00Z' });
    expect(text(sharded)).toBe(text(single));
  }, 120_000);

  test('an event out of order is refused, naming it, and the workers are stopped', async () => {
    const { simulateSharded } = await shardModule();
    const events: LoyaltyEventInput[] = [...history.events].slice(0, 50);
    const late = events[10];
    if (!late) throw new Error('history too short');
    events.push({ ...late, id: 'late-one' });
    await expect(simulateSharded(program, events, history.customers, { workers: 2 })).rejects.toThrow(/event "late-one" occurred at/);
  }, 60_000);
});

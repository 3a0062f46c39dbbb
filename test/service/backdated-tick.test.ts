// A late purchase whose pending release (and expiry) fall before the account's last tick, over
// the memory store: the next `tickDue` writes the release (then the expiry) once. The same
// scenarios run over PostgreSQL in test/adapters/postgres-backdated.test.ts.
import { describe, test } from 'vitest';
import { createLoyalty, fixedClock, memoryStore } from '../../src';
import { backdatedPrograms, backdatedScenarios } from './backdated-scenarios';

describe('tickDue after a backdated purchase, over the memory store', () => {
  test.each(backdatedScenarios)('%s', async (_, scenario) => {
    const clock = fixedClock('2027-01-01T00:00:00Z');
    const loyalty = createLoyalty({ programs: backdatedPrograms, store: memoryStore(), clock });
    await scenario({ loyalty, clock }, 'c1');
  });
});

// The lot ids evaluate writes for rule awards, with the event's and rules' parts escaped once
// (earn-plan.ts), are lotId's, reserved words, '%', ':' and empty ids included.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { defineProgram } from '../../src';
import { compiledOf } from '../../src/engine/program';
import { ruleLotId, ruleLotPrefix } from '../../src/engine/earn-plan';
import { lotId } from '../../src/ledger/ids';
import { FC_SEED, runsFor } from '../properties/seed';

const program = defineProgram({
  kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC',
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'adjust', on: 'purchase', award: { kind: 'fixed', points: 1 } },
    { id: 'a-b_c', on: 'purchase', award: { kind: 'fixed', points: 1 } },
  ],
});
const plan = compiledOf(program).earn;
const eventId = fc.oneof(fc.constantFrom('adjust', 'event', 'tick', 'birthday', '', '%', ':', 'a:b', '%3A', 'e1'), fc.string({ maxLength: 12 }));

describe('rule lot ids escaped once per program and event', () => {
  test.prop([eventId, fc.integer({ min: 0, max: 3 })], { seed: FC_SEED, numRuns: runsFor(300) })('equal lotId', (id, index) => {
    const ruleId = program.config.rules[index]?.id ?? 'missing';
    expect(ruleLotId(plan, ruleLotPrefix(id), id, index, ruleId)).toBe(lotId({ kind: 'rule', eventId: id, ruleId }));
  });
});

// The fast event validator (src/schema/fast/event.ts) against zod, the source of truth: on valid,
// near-valid and invalid inputs, whenever the fast path answers, zod accepts the same input and
// produces a deep-equal object with the same keys in the same order; `parseEvent` (fast path, zod
// behind it) accepts and refuses exactly what zod does, with the same issues. And the fast path
// does answer for the common well-formed shapes: without it, the "answers" checks fail.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { eventSchema } from '../../src/schema/events';
import { fastEvent } from '../../src/schema/fast/event';
import { parseEvent } from '../../src/service/loyalty';
import { isLoyaltyError, type Issue } from '../../src/errors';
import { issuesFromZod } from '../../src/schema/issues';
import { announce, FC_SEED, runsFor } from './seed';
import { nearValid, wellFormed } from '../schema/event-arbitraries';

/** Compares the fast path with zod on one input: when the fast path answers, zod agrees exactly. */
function agrees(input: unknown): boolean {
  const fast = fastEvent(input);
  const zod = eventSchema.safeParse(input);
  if (fast !== undefined) {
    expect(zod.success).toBe(true);
    expect(fast).toStrictEqual(zod.data);
    // Same keys in the same order, at every depth (JSON text keeps the order).
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
  }
  // parseEvent (fast path first) accepts and refuses what zod does, with the same issues.
  let issues: readonly Issue[] | undefined;
  try {
    expect(parseEvent(input)).toStrictEqual(zod.data);
  } catch (e) {
    if (!isLoyaltyError(e)) throw e;
    issues = e.issues;
  }
  expect(issues).toStrictEqual(zod.success ? undefined : issuesFromZod(zod.error));
  return fast !== undefined;
}

describe('fast event validator', () => {
  test('answers for every well-formed purchase, refund and simple event, exactly as zod parses it', () => {
    const runs = runsFor(300);
    announce('fast validator, well-formed', runs);
    fc.assert(fc.property(wellFormed, (input) => {
      expect(agrees(input)).toBe(true);
    }), { seed: FC_SEED, numRuns: runs });
  });

  test('on near-valid and invalid inputs, answers only when zod accepts, with the same object; parseEvent refuses as zod does', () => {
    const runs = runsFor(1000);
    announce('fast validator, mutated', runs);
    let answered = 0;
    fc.assert(fc.property(nearValid, (input) => void (answered += agrees(input) ? 1 : 0)), { seed: FC_SEED, numRuns: runs });
    // Some mutations are harmless (a valid channel, a deleted optional key): the fast path still answers those.
    expect(answered).toBeGreaterThan(0);
  });

  test('anything at all: never an answer zod would not give', () => {
    const runs = runsFor(300);
    announce('fast validator, arbitrary values', runs);
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), (input) => void agrees(input)), { seed: FC_SEED, numRuns: runs });
  });
});

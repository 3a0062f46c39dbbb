// The membership caught up to an instant, once per operation: the machine's `advance`
// (machine.ts) remembered in the operation's cache, so that the `membership.active` fact, the
// multiplier, the discount and `onEvent` of one event share one catch-up. Apart from machine.ts so
// that a test can count the catch-ups (test/kinds/operation-cache.test.ts).
import type { CacheKey, KindCache } from '../types';
import { advance, type Step } from './machine';
import type { PaidProgramConfig } from './schema';
import type { MembershipState } from './state';

/** What `caughtUp` computed last in this operation. */
const CAUGHT_UP: CacheKey<{ readonly m: MembershipState; readonly at: number; readonly config: PaidProgramConfig; readonly steps: Step[] }> = {
  name: 'paid: the membership caught up to an instant',
};

/** `advance`, remembered in the operation's cache (a one-entry memo; no cache, no memo). */
export function caughtUp(config: PaidProgramConfig, m: MembershipState, at: Date, cache: KindCache | undefined): Step[] {
  const hit = cache?.get(CAUGHT_UP);
  if (hit && hit.m === m && hit.at === at.getTime() && hit.config === config) return hit.steps;
  const steps = advance(config, m, at);
  cache?.set(CAUGHT_UP, { m, at: at.getTime(), config, steps });
  return steps;
}

/** `holdsAt` (machine.ts) through the operation's cache: whether benefits hold at `at`. */
export function holdsIn(config: PaidProgramConfig, m: MembershipState | null, at: Date, cache: KindCache | undefined): boolean {
  if (m === null || at.getTime() < m.startedAt.getTime()) return false;
  return (caughtUp(config, m, at, cache).at(-1)?.state ?? m).status !== 'expired';
}

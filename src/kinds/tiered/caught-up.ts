// The tier caught up to an instant, once per operation: `advance` (the period-end evaluations,
// ladder.ts) remembered in the operation's cache, so that the facts, the multiplier and `onEvent`
// of one event, or the hooks of one tick, share one catch-up. Apart from ladder.ts so that a test
// can count the catch-ups (test/kinds/operation-cache.test.ts).
import type { AccountState } from '../../ledger/types';
import type { CacheKey, KindCache } from '../types';
import type { TierState } from './state';
import { advance, indexOf, tierState, type Config, type Step } from './ladder';

/** What `advanced` computed last in this operation: facts, multipliers and onEvent read the same state at the same instant. */
const CAUGHT_UP: CacheKey<{ readonly state: TierState; readonly at: number; readonly config: Config; readonly result: { state: TierState; steps: Step[] } }> = {
  name: 'tiered: the state caught up to an instant',
};

/** `advance`, remembered in the operation's cache (a one-entry memo; no cache, no memo). */
export function advanced(config: Config, state: TierState, at: Date, cache?: KindCache): { state: TierState; steps: Step[] } {
  const hit = cache?.get(CAUGHT_UP);
  if (hit && hit.state === state && hit.at === at.getTime() && hit.config === config) return hit.result;
  const result = advance(config, state, at);
  cache?.set(CAUGHT_UP, { state, at: at.getTime(), config, result });
  return result;
}

/** The tier held at `at`: evaluations due by then applied; a late instant before the last change sees the tier held before it. */
export function effectiveIndex(config: Config, account: AccountState, at: Date, cache?: KindCache): { index: number; state: TierState | undefined } {
  const stored = tierState(account);
  if (!stored) return { index: 0, state: undefined };
  const state = advanced(config, stored, at, cache).state;
  const id = at.getTime() < state.since.getTime() && state.previous ? state.previous.tier : state.tier;
  return { index: indexOf(config, id), state };
}

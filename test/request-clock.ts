// Requests happen at the service clock (a request's `at` must lie within the program's clock skew
// of it). Tests that script requests at given instants use this wrapper: each request call runs
// with the clock set to its `at` — read synchronously when the call starts — and the clock is
// put back at once, so events and ticks keep the test's own clock.
import type { Loyalty } from '../src';
import type { FixedClock } from '../src/core';
import { instantSchema } from '../src/schemas';

const REQUESTS = new Set(['quote', 'redeem', 'hold', 'capture', 'release', 'adjust', 'reverse', 'cancelRedemption', 'redeemReward']);

function instantOf(input: unknown): string | Date | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const at = (input as { at?: unknown }).at;
  return typeof at === 'string' || at instanceof Date ? at : undefined;
}

/** `loyalty`, with every request judged at its own `at` (the clock moved there for the call). */
export function requestsAtTheirInstant(loyalty: Loyalty, clock: FixedClock): Loyalty {
  const during = <T>(at: string | Date | undefined, call: () => T): T => {
    // An `at` that is not an instant is left for the service to refuse.
    if (at === undefined || !instantSchema.safeParse(at).success) return call();
    const before = clock.now();
    clock.set(at);
    try {
      return call();
    } finally {
      clock.set(before);
    }
  };
  return new Proxy(loyalty, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (typeof name === 'string' && REQUESTS.has(name)) return (request: unknown) => during(instantOf(request), () => (value as (a: unknown) => unknown).call(target, request));
      return value;
    },
  });
}

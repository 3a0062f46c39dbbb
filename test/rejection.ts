// The error a promise of the library rejects with, asserted to be a LoyaltyError.
import { expect } from 'vitest';
import { LoyaltyError } from '../src';

/** Awaits `work`, expects it to reject with a `LoyaltyError`, and returns that error. */
export async function rejection(work: Promise<unknown>): Promise<LoyaltyError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a LoyaltyError, got no error').toBeDefined();
  expect(error).toBeInstanceOf(LoyaltyError);
  return error as LoyaltyError;
}

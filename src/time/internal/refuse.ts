import { LoyaltyError } from '../../errors';

/** Throws a LoyaltyError carrying one issue. */
export function refuse(code: string, path: readonly (string | number)[], message: string): never {
  throw new LoyaltyError([{ code, path, message }]);
}

import { encodeLedgerJson } from '../ledger/codec';
import { isLoyaltyError } from '../errors';

/**
 * What a conformance check throws when a store breaks a promise: the check's id and what it saw.
 *
 * @example
 * ```ts
 * try {
 *   await runConformanceCase(conformanceCases[0]!, () => myStore());
 * } catch (error) {
 *   if (error instanceof ConformanceFailure) console.error(error.caseId, error.message);
 * }
 * ```
 */
export class ConformanceFailure extends Error {
  /** The id of the failing check (set by `runConformanceCase`; empty while the check runs). */
  caseId = '';
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ConformanceFailure';
  }
}

/** Canonical text of any store value (Decimals and Dates included): equal values, equal text. */
export const canonical = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(encodeLedgerJson(value)));

/** Fails the check with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** Fails unless `actual` and `expected` have the same canonical text. */
export function checkSame(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new ConformanceFailure(`${what}: expected ${clip(e)}, got ${clip(a)}`);
}

const clip = (text: string): string => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

/** The codes of a thrown `LoyaltyError`, or none for anything else. */
export const codesOf = (error: unknown): readonly string[] => (isLoyaltyError(error) ? error.issues.map((i) => i.code) : []);

/** Runs `work`, which must throw a `LoyaltyError` with `code`; the error is returned. */
export async function checkThrowsCode(work: () => Promise<unknown>, code: string, what: string): Promise<unknown> {
  let value: unknown;
  try {
    value = await work();
  } catch (error) {
    if (codesOf(error).includes(code)) return error;
    throw new ConformanceFailure(`${what}: expected a LoyaltyError "${code}", got ${errorText(error)}`);
  }
  throw new ConformanceFailure(`${what}: expected a LoyaltyError "${code}", but it succeeded with ${clip(canonical(value))}`);
}

/** Runs `work`, which must throw; the error is returned. */
export async function checkThrows(work: () => Promise<unknown>, what: string): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new ConformanceFailure(`${what}: expected an error, but it succeeded`);
}

/** A short description of a thrown value for failure messages. */
export function errorText(error: unknown): string {
  if (isLoyaltyError(error)) return `LoyaltyError ${error.issues.map((i) => i.code).join(', ')}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs `work`; an error it throws becomes a `ConformanceFailure` that says what was being done. */
export async function attempt<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`${what} threw ${errorText(error)}`, { cause: error });
  }
}

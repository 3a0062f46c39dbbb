import type * as z from 'zod';
import type { Issue, Issues } from '../errors';

/**
 * Turns zod's issues into the library's typed issues: the zod path is kept, and custom checks
 * carry their own code in `params.code` (e.g. `unknown_currency`, `invalid_amount`). `prefix` is
 * put before every path, for a value parsed inside a larger input.
 *
 * @example
 * ```ts
 * const parsed = currencySchema.safeParse('ABC');
 * if (!parsed.success) issuesFromZod(parsed.error, ['order', 'currency']);
 * // [{ code: 'unknown_currency', path: ['order', 'currency'], message: 'must be an active ISO 4217 currency code' }]
 * ```
 */
export function issuesFromZod(error: z.ZodError, prefix: readonly (string | number)[] = []): Issues {
  const out: Issue[] = error.issues.map((raw) => {
    const params = (raw as { params?: { code?: unknown } }).params;
    const code = raw.code === 'custom' && typeof params?.code === 'string' ? params.code : raw.code;
    const path = [...prefix, ...raw.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { code, path, message: raw.message };
  });
  const [first, ...rest] = out;
  return first === undefined ? [{ code: 'invalid_input', path: [...prefix], message: 'invalid input' }] : [first, ...rest];
}

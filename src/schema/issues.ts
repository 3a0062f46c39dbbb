import * as z from 'zod';
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

/** Edit distance (Levenshtein), capped: names further apart than 3 are never suggested. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 99) + 1, (cur[j - 1] ?? 99) + 1, (prev[j - 1] ?? 99) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 99;
}

/**
 * The known name closest to a misspelt one (case-insensitive edit distance, at most a third of
 * its length and at least 2), or undefined when none is close.
 *
 * @example
 * ```ts
 * closestName('birthdate', ['id', 'birthday', 'timeZone']); // 'birthday'
 * closestName('colour', ['id', 'birthday']); // undefined
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const named = keys.map((key) => {
    const near = closestName(key, known);
    // Keys come from untrusted input: quoted and cut short.
    const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
    return near === undefined ? shown : `${shown} (did you mean "${near}"?)`;
  });
  return `Unrecognized key${keys.length === 1 ? '' : 's'}: ${named.join(', ')}`;
}

/**
 * zod's `strictObject` with a "did you mean" hint: an unknown key is refused
 * (`unrecognized_keys`, at the object's path) and the message names the closest known key, so a
 * typo (`birthdate`, `chanel`, `campain`) is an error that says what was meant, never a setting
 * or a field silently dropped. Every object of the boundary (configs, events, customers,
 * requests) is built with it.
 *
 * @example
 * ```ts
 * const schema = strictObject({ birthday: z.string().optional() });
 * schema.safeParse({ birthdate: '1990-05-01' }).error?.issues[0]?.message;
 * // 'Unrecognized key: "birthdate" (did you mean "birthday"?)'
 * ```
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T): z.ZodObject<z.core.util.Writeable<T>, z.core.$strict> {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
  });
}

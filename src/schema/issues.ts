import * as z from 'zod/mini';
import type { Issue, Issues } from '../errors';
import { englishMessage } from './internal/mini';
// A named import: reaching it through the `z.core` namespace object would bundle all of zod's locales.
import { _check } from 'zod/v4/core';

/** An issue as it moves through zod, before zod drops `input`: what the library's codes are decided from. */
interface RawIssue {
  code: string;
  /** Absent on an issue about the value itself, until zod finalizes it. */
  path?: PropertyKey[];
  message?: string | undefined;
  input?: unknown;
  params?: { code?: unknown; [key: string]: unknown } | undefined;
  values?: readonly unknown[];
  expected?: unknown;
  note?: unknown;
  discriminator?: unknown;
  options?: readonly unknown[];
  errors?: readonly (readonly RawIssue[])[];
  issues?: readonly RawIssue[];
}

/** The library code an issue already carries (`params.code`), if any. */
function libraryCode(issue: RawIssue): string | undefined {
  const code = issue.params?.code;
  return typeof code === 'string' ? code : undefined;
}

const shown = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
};

/** "expected one of "web", "app"; got "tv" (did you mean "app"?)": the allowed values, and a near miss. */
function allowedMessage(values: readonly unknown[], got: unknown, hasInput: boolean): string {
  const list = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  const expected = list.length === 1 ? `expected ${list[0] ?? ''}` : `expected one of ${list.join(', ')}`;
  if (!hasInput) return expected;
  const names = values.filter((v): v is string => typeof v === 'string');
  const near = typeof got === 'string' ? closestName(got, names) : undefined;
  return `${expected}; got ${shown(got)}${near === undefined ? '' : ` (did you mean "${near}"?)`}`;
}

/** An issue reporting a value that is not there at all: a missing key or an `undefined` element. */
function isMissing(issue: RawIssue): boolean {
  if ((issue.path ?? []).length === 0 || !('input' in issue) || issue.input !== undefined) return false;
  // A rule about the value (a refinement naming its own code) is kept; a value schema refusing `undefined` is not.
  const code = libraryCode(issue);
  return code === undefined || VALUE_CODES.has(code);
}
/** Codes a value schema raises for any value it cannot read, `undefined` included. */
const VALUE_CODES = new Set(['invalid_type', 'invalid_amount', 'invalid_instant', 'invalid_value']);

function expectedOf(issue: RawIssue): string | undefined {
  if (typeof issue.expected === 'string' && issue.expected !== 'nonoptional') return issue.expected;
  if (issue.values !== undefined) return allowedMessage(issue.values, undefined, false).replace(/^expected /, '');
  return undefined;
}

function relabel(issue: RawIssue, code: string, message: string): RawIssue {
  issue.params = { ...issue.params, code };
  issue.message = message;
  return issue;
}

/**
 * How well a union option fits a value: 0 the wrong type, 1 only a wrong literal or enum value,
 * 2 the right value refused by a rule, 3 the right shape with something wrong inside.
 */
function fit(issues: readonly RawIssue[]): number {
  const atRoot = (i: RawIssue): boolean => (i.path ?? []).length === 0;
  if (issues.some((i) => atRoot(i) && i.code === 'invalid_type' && libraryCode(i) === undefined)) return 0;
  if (!issues.every(atRoot)) return 3;
  return issues.every((i) => i.code === 'invalid_value' && (libraryCode(i) ?? 'invalid_value') === 'invalid_value') ? 1 : 2;
}

/**
 * The library's reading of one zod issue, while its input is still known: a missing value is
 * `required`, an enum or literal miss lists the allowed values with a "did you mean", a bad
 * discriminator is `invalid_value` on the discriminator, and a plain union reports the option
 * that fits the value best. Returns the issues to keep in its place.
 */
function rewrite(issue: RawIssue): RawIssue[] {
  if (libraryCode(issue) !== undefined && !isMissing(issue)) return [issue];
  if (issue.code === 'invalid_union' && typeof issue.discriminator === 'string' && issue.options !== undefined) {
    const input = issue.input;
    const hasValue = typeof input === 'object' && input !== null && Object.hasOwn(input, issue.discriminator);
    const got = hasValue ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
    if (got === undefined) return [relabel(issue, 'required', `is required: ${allowedMessage(issue.options, undefined, false)}`)];
    return [relabel(issue, 'invalid_value', allowedMessage(issue.options, got, true))];
  }
  if (isMissing(issue)) {
    const expected = expectedOf(issue);
    return [relabel(issue, 'required', expected === undefined ? 'is required' : `is required (expected ${expected})`)];
  }
  if (issue.code === 'invalid_value' && issue.values !== undefined) return [relabel(issue, 'invalid_value', allowedMessage(issue.values, issue.input, 'input' in issue))];
  if (issue.code === 'invalid_union' && issue.errors !== undefined) {
    const best = bestOption(issue.errors);
    if (best === undefined) {
      const expected = [...new Set(issue.errors.flatMap((option) => option.map(expectedOf).filter((e): e is string => e !== undefined)))];
      return [relabel(issue, 'invalid_type', expected.length === 0 ? 'matches none of the allowed forms' : `expected ${expected.join(' or ')}`)];
    }
    // The option's issues are relative to the union's value: put them under its path.
    return best.flatMap((inner) => {
      const moved: RawIssue = { ...inner, path: [...(issue.path ?? []), ...(inner.path ?? [])] };
      if ((inner.path ?? []).length === 0 && 'input' in issue) moved.input = issue.input;
      return rewrite(moved);
    });
  }
  return [issue];
}

function bestOption(options: readonly (readonly RawIssue[])[]): readonly RawIssue[] | undefined {
  let best: readonly RawIssue[] | undefined;
  let bestFit = 0;
  for (const option of options) {
    const f = fit(option);
    if (f > bestFit && option.length > 0) {
      best = option;
      bestFit = f;
    }
  }
  return best;
}

/**
 * zod/mini loads no locale: an issue of zod's own that no schema named a message for would say
 * only "Invalid input". Its English message (as zod classic gave it) is set here, while the
 * issue still has its input.
 */
function withMessage(issue: RawIssue): RawIssue {
  if (issue.message === undefined) {
    const message = englishMessage(issue as unknown as z.core.$ZodRawIssue);
    if (message !== undefined) issue.message = message;
  }
  return issue;
}

const rewriteCheck = _check<unknown>(
  (payload) => {
    const issues = payload.issues as unknown as RawIssue[];
    const rewritten = issues.map(withMessage).flatMap(rewrite);
    issues.splice(0, issues.length, ...rewritten);
  },
  // Runs even when the value already failed: failing is exactly when it has work to do.
  { when: () => true },
);

/**
 * Gives a schema the library's issue codes while zod still knows each input: a missing value
 * becomes `required`, an enum, literal or discriminator miss becomes `invalid_value` naming the
 * allowed values and the closest one, and a union reports the option that fits best. Every object
 * built with {@link strictObject} has it; a top-level union (events, program configs) is wrapped
 * with it. The zod issue keeps zod's code; the library's code is put in `params.code`, which
 * {@link issuesFromZod} reads.
 *
 * @example
 * ```ts
 * const channel = withLibraryIssues(z.strictObject({ channel: z.enum(['web', 'app']) }));
 * issuesFromZod(channel.safeParse({ channel: 'ap' }).error!)[0].message;
 * // 'expected one of "web", "app"; got "ap" (did you mean "app"?)'
 * ```
 */
export function withLibraryIssues<S extends z.ZodMiniType>(schema: S): S {
  return schema.check(rewriteCheck);
}

/**
 * One finalized zod issue as library issues. zod's own codes that are not in the library's list
 * (`ISSUE_CODES` in src/errors.ts) never come out: they become the closest library code.
 */
function fromZodIssue(raw: RawIssue, prefix: readonly (string | number)[]): Issue[] {
  const path = [...prefix, ...(raw.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p))];
  const message = raw.message ?? 'invalid input';
  const own = libraryCode(raw);
  if (own !== undefined) return [{ code: own, path, message }];
  switch (raw.code) {
    case 'invalid_type':
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'unrecognized_keys':
      return [{ code: raw.code, path, message }];
    case 'invalid_value':
      return [{ code: 'invalid_value', path, message: raw.values === undefined ? message : allowedMessage(raw.values, undefined, false) }];
    case 'invalid_union': {
      if (typeof raw.discriminator === 'string' && raw.options !== undefined) return [{ code: 'invalid_value', path, message: allowedMessage(raw.options, undefined, false) }];
      const best = raw.errors === undefined ? undefined : bestOption(raw.errors);
      if (best === undefined) return [{ code: 'invalid_type', path, message }];
      return best.flatMap((inner) => fromZodIssue(inner, path));
    }
    case 'invalid_key':
    case 'invalid_element': {
      // A record key or a map entry: its own issues say what is wrong, at the entry's path.
      const inner = raw.issues?.[0];
      return inner === undefined ? [{ code: 'invalid_value', path, message }] : fromZodIssue({ ...inner, path: [] }, path).map((i) => ({ ...i, message: `${raw.code === 'invalid_key' ? 'key' : 'entry'}: ${i.message}` }));
    }
    default:
      // `custom` without a library code, `not_multiple_of` and any code a later zod adds.
      return [{ code: 'invalid_value', path, message }];
  }
}

/**
 * Turns zod's issues into the library's typed issues, the one place where that happens: the zod
 * path is kept, and every code is one of the library's documented codes (`ISSUE_CODES` in src/errors.ts):
 * custom checks carry their own code in `params.code` (e.g. `unknown_currency`,
 * `invalid_amount`); zod's `invalid_union`, `invalid_key`, `not_multiple_of` and bare `custom`
 * become the closest library code. `prefix` is put before every path, for a value parsed inside
 * a larger input.
 *
 * @example
 * ```ts
 * const parsed = currencySchema.safeParse('ABC');
 * if (!parsed.success) issuesFromZod(parsed.error, ['order', 'currency']);
 * // [{ code: 'unknown_currency', path: ['order', 'currency'], message: 'must be an active ISO 4217 currency code' }]
 * ```
 */
export function issuesFromZod(error: z.core.$ZodError, prefix: readonly (string | number)[] = []): Issues {
  const out = error.issues.flatMap((raw) => fromZodIssue(raw as unknown as RawIssue, prefix));
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
 * const schema = strictObject({ birthday: z.optional(z.string()) });
 * schema.safeParse({ birthdate: '1990-05-01' }).error?.issues[0]?.message;
 * // 'Unrecognized key: "birthdate" (did you mean "birthday"?)'
 * ```
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T): z.ZodMiniObject<z.core.util.Writeable<T>, z.core.$strict> {
  const known = Object.keys(shape);
  return withLibraryIssues(
    z.strictObject(shape, {
      error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
    }),
  );
}

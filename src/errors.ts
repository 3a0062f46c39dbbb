/**
 * One thing that is wrong with an input, a config or a request: a typed code, a path into the
 * offending value (zod's path, for schema issues) and a message a human can act on.
 */
export interface Issue {
  /** A stable, machine-readable code, e.g. `unknown_operator`, `invalid_type`, `insufficient_points`. */
  readonly code: string;
  /** Where the problem is, as a path into the input: `['rules', 2, 'when', 'all', 0, 'operator']`. */
  readonly path: readonly (string | number)[];
  /** What rule was broken, in words. */
  readonly message: string;
}

/** A non-empty list of issues. */
export type Issues = readonly [Issue, ...Issue[]];

/**
 * An expected outcome: either a value or a non-empty list of typed issues.
 *
 * @example
 * ```ts
 * const r: Outcome<number> = { ok: false, issues: [{ code: 'below_minimum', path: ['points'], message: 'at least 500' }] };
 * if (!r.ok) console.log(r.issues[0].code);
 * ```
 */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: Issues };

/**
 * Formats an issue path for messages: keys joined by dots, indexes in brackets, `(root)` for the
 * empty path.
 *
 * @example
 * ```ts
 * formatPath(['rules', 2, 'when', 'all', 0, 'operator']); // 'rules[2].when.all[0].operator'
 * formatPath([]); // '(root)'
 * ```
 */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

function describe(issues: readonly Issue[]): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message} (${i.code})`).join('; ');
}

/**
 * The one error class of the throwing path: invalid input at the boundary, or a runtime
 * refusal of the service. It carries the same typed issues as an `Outcome`.
 *
 * @example
 * ```ts
 * try { parseEvent({}); } catch (e) { if (e instanceof LoyaltyError) console.log(e.issues); }
 * ```
 */
export class LoyaltyError extends Error {
  override name = 'LoyaltyError';
  /** The typed issues, at least one. */
  readonly issues: Issues;
  /** The first issue's code, for quick switching. */
  readonly code: string;
  constructor(issues: Issues, message?: string) {
    super(message ?? describe(issues));
    this.issues = issues;
    this.code = issues[0].code;
  }
}

/**
 * Thrown by `defineProgram` when a program config is invalid; lists every issue found, each with
 * its path and the rule it broke.
 *
 * @example
 * ```ts
 * try { defineProgram(config); } catch (e) {
 *   if (e instanceof ProgramConfigError) for (const i of e.issues) console.log(i.path, i.code);
 * }
 * ```
 */
export class ProgramConfigError extends LoyaltyError {
  override name = 'ProgramConfigError';
  constructor(issues: Issues) {
    super(issues, `Invalid program config: ${describe(issues)}`);
  }
}

/**
 * Thrown by exhaustive switches on a value that the types say cannot exist (STYLE 3).
 *
 * @example
 * ```ts
 * function label(kind: 'earn' | 'redeem'): string {
 *   switch (kind) {
 *     case 'earn': return 'Earned';
 *     case 'redeem': return 'Redeemed';
 *     default: { void (kind satisfies never); throw new UnreachableError(kind); }
 *   }
 * }
 * ```
 */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(value: never) {
    super(`Unreachable: ${JSON.stringify(value)}`);
  }
}

/**
 * Builds a non-empty issue list from a possibly empty one; returns undefined when empty.
 *
 * @example
 * ```ts
 * nonEmpty([]); // undefined
 * nonEmpty([{ code: 'invalid_points', path: ['points'], message: 'must be whole' }])?.[0].code; // 'invalid_points'
 * ```
 */
export function nonEmpty(issues: readonly Issue[]): Issues | undefined {
  const [first, ...rest] = issues;
  return first === undefined ? undefined : [first, ...rest];
}

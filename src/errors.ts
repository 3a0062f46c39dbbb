import { KIND_CONFIG_CODES, KIND_REFUSAL_CODES } from './kinds/codes';

/**
 * How an issue code reaches the caller: `thrown` in a `LoyaltyError` (bad input, unknown ids,
 * conflicts, clock windows), `refused` as `outcome.ok === false` (a business refusal, recorded and
 * sticky), or `reported` in the issue list of `verify` / `checkConservation` (ledger integrity).
 */
export type IssueRaised = 'thrown' | 'refused' | 'reported';

type CodeTable = Readonly<Record<string, { readonly raised: IssueRaised; readonly meaning: string }>>;

// The table in sections, each a plain object literal (a bundler drops what an app never reads),
// joined in ISSUE_CODES with the kinds' own codes, in the documented order.
const INPUT_CODES = {
  // Shape of the input (zod's checks, under the library's names)
  required: { raised: 'thrown', meaning: 'A required field is missing (or `undefined`).' },
  invalid_type: { raised: 'thrown', meaning: 'A value has the wrong type: a string where a number is expected, a fraction where a whole number is.' },
  invalid_value: { raised: 'thrown', meaning: 'A value is not one of the allowed values (an enum, a literal, an event `type`, a program `kind`); the message lists them and the closest one.' },
  invalid_format: { raised: 'thrown', meaning: 'A string does not have the required form (an id, a slug, an attribute name).' },
  too_small: { raised: 'thrown', meaning: 'A number, string or list is below its minimum (e.g. an order with no lines).' },
  too_big: { raised: 'thrown', meaning: 'A number, string or list is above its maximum.' },
  unrecognized_keys: { raised: 'thrown', meaning: 'An object has a key the schema does not know; the message names the closest known key.' },
  unrecognized_key: { raised: 'thrown', meaning: 'An option of `defineProgram` is not known.' },
  invalid_input: { raised: 'thrown', meaning: 'The input was refused without a more specific reason.' },
  // Amounts and money
  invalid_amount: { raised: 'thrown', meaning: 'An amount is not a finite plain decimal (`"1e3"`, `"ten"`, `NaN`, `Infinity`).' },
  too_many_digits: { raised: 'thrown', meaning: 'An amount has more significant digits than the library keeps exact.' },
  too_many_decimals: { raised: 'thrown', meaning: 'An amount has more decimals than its currency allows (`1.005` USD).' },
  negative_amount: { raised: 'thrown', meaning: 'An amount that must be zero or more is negative.' },
  not_positive: { raised: 'thrown', meaning: 'An amount that must be more than zero is not.' },
  invalid_points: { raised: 'thrown', meaning: 'Points are not a whole positive number (or a credit amount has too many decimals).' },
  invalid_percent: { raised: 'thrown', meaning: 'A percent is outside 0 to 100.' },
  invalid_places: { raised: 'thrown', meaning: 'A number of decimal places is not a whole number in range.' },
  invalid_rounding_mode: { raised: 'thrown', meaning: 'A rounding mode is not one the library knows.' },
  invalid_quantity: { raised: 'thrown', meaning: 'A quantity to allocate is not a whole number of minor units.' },
  empty_weights: { raised: 'thrown', meaning: 'An allocation was given no weights.' },
  negative_weight: { raised: 'thrown', meaning: 'An allocation weight is negative.' },
  unknown_currency: { raised: 'thrown', meaning: 'A currency is not an active ISO 4217 code.' },
  currency_mismatch: { raised: 'thrown', meaning: 'An amount, event or order is in another currency than the program.' },
  discount_exceeds_total: { raised: 'thrown', meaning: "A line's discount is more than the line's total." },
  duplicate_line: { raised: 'thrown', meaning: 'Two lines of an order have the same `lineId`.' },
  refund_shape: { raised: 'thrown', meaning: 'A refund has both `lines` and `amount`, or neither.' },
  missing_currency: { raised: 'thrown', meaning: 'A refund by amount has no `currency`.' },
  // Time
  invalid_instant: { raised: 'thrown', meaning: 'An instant is not an ISO 8601 date or date-time with an offset, or not on the calendar.' },
  instant_out_of_range: { raised: 'thrown', meaning: 'An instant is outside 1970 to 9999.' },
  invalid_date: { raised: 'thrown', meaning: 'A calendar date is not valid.' },
  invalid_duration: { raised: 'thrown', meaning: 'A duration is not a whole, non-negative number of milliseconds.' },
  invalid_count: { raised: 'thrown', meaning: 'A count of calendar units is not a whole number.' },
  invalid_time_zone: { raised: 'thrown', meaning: 'A time zone is not an IANA zone name.' },
  invalid_birthday: { raised: 'thrown', meaning: 'A birthday is not `--MM-DD` or `YYYY-MM-DD` on the calendar.' },
  // Ids and attributes
  invalid_id: { raised: 'thrown', meaning: 'An id contains control characters.' },
  forbidden_key: { raised: 'thrown', meaning: 'An attribute name is `__proto__`, `constructor` or `prototype`.' },
  too_many_attributes: { raised: 'thrown', meaning: 'More attributes than the limit.' },
  reserved_id: { raised: 'thrown', meaning: 'A customer id has the form of a pseudonym that `forgetCustomer` gives.' },
  // Service arguments
  invalid_program: { raised: 'thrown', meaning: 'A program was not made by `defineProgram`.' },
  invalid_store: { raised: 'thrown', meaning: 'A store is not a store (no `unit()` method).' },
  invalid_clock: { raised: 'thrown', meaning: 'A clock is not a clock (no `now()` method).' },
  duplicate_program: { raised: 'thrown', meaning: 'The same program id is given twice.' },
} as const satisfies CodeTable;

const CONFIG_CODES = {
  // Program configs and rules (thrown as ProgramConfigError by defineProgram)
  unknown_fact: { raised: 'thrown', meaning: 'A condition names a fact that is not in the catalog.' },
  forbidden_fact: { raised: 'thrown', meaning: 'A fact name is not allowed (a reserved or prototype name).' },
  fact_shadows_builtin: { raised: 'thrown', meaning: 'A custom fact has the name of a built-in fact.' },
  undefined_fact: { raised: 'thrown', meaning: 'A fact is missing from the facts object when a rule is evaluated.' },
  unknown_operator: { raised: 'thrown', meaning: 'A condition uses an operator that is neither built in nor registered.' },
  invalid_custom_operator: { raised: 'thrown', meaning: 'A custom operator has an invalid name or is not a function.' },
  invalid_operand: { raised: 'thrown', meaning: 'An operator was given a value it cannot compare.' },
  invalid_operator_result: { raised: 'thrown', meaning: 'A custom operator returned something other than a boolean.' },
  invalid_condition: { raised: 'thrown', meaning: 'A condition is not a leaf, `all`, `any`, `not` or `{ condition }`.' },
  in_value_not_array: { raised: 'thrown', meaning: '`in` / `notIn` needs a list value.' },
  value_not_array: { raised: 'thrown', meaning: 'The operator needs a list value.' },
  missing_condition: { raised: 'thrown', meaning: 'A `{ condition }` reference names no shared condition.' },
  condition_cycle: { raised: 'thrown', meaning: 'Shared conditions refer to each other in a cycle.' },
  condition_too_deep: { raised: 'thrown', meaning: 'A condition is nested too deeply.' },
  condition_too_large: { raised: 'thrown', meaning: 'A condition has too many nodes.' },
  invalid_path: { raised: 'thrown', meaning: 'A fact path (`$.a.b`) is malformed.' },
  forbidden_path: { raised: 'thrown', meaning: 'A fact path goes through `__proto__`, `constructor` or `prototype`.' },
  path_not_applicable: { raised: 'thrown', meaning: 'A path is given for a fact that is not an object.' },
  params_not_supported: { raised: 'thrown', meaning: 'Params are given for a fact that takes none.' },
  duplicate_rule_id: { raised: 'thrown', meaning: 'Two rules have the same id.' },
  reserved_rule_id: { raised: 'thrown', meaning: 'A rule id is reserved by the library.' },
  lines_on_fixed_award: { raised: 'thrown', meaning: 'A line-level condition is used with a fixed award.' },
  unknown_campaign: { raised: 'thrown', meaning: 'A rule names a campaign the program does not define.' },
  unknown_segment: { raised: 'thrown', meaning: 'A rule names a segment the program does not define.' },
  limit_shape: { raised: 'thrown', meaning: 'A limit has both or neither of `count` and `points`.' },
  expiry_shape: { raised: 'thrown', meaning: 'A rolling expiry has both or neither of `days` and `months`.' },
  reward_shape: { raised: 'thrown', meaning: 'A catalog reward lacks the field its kind needs (a value, a percent).' },
} as const satisfies CodeTable;

const LOOKUP_CODES = {
  // Unknown ids, conflicts and clock windows (the service throws them)
  unknown_customer: { raised: 'thrown', meaning: 'No customer with this id.' },
  unknown_program: { raised: 'thrown', meaning: 'No program with this id.' },
  unknown_account: { raised: 'thrown', meaning: 'The customer has no account in this program.' },
  not_enrolled: { raised: 'thrown', meaning: 'The customer is not enrolled in the program.' },
  unknown_transaction: { raised: 'thrown', meaning: 'No transaction with this id in the account.' },
  unknown_hold: { raised: 'thrown', meaning: 'No open hold with this id.' },
  unknown_reward: { raised: 'thrown', meaning: 'No reward with this id in the catalog.' },
  wrong_program: { raised: 'thrown', meaning: 'The account or transaction belongs to another program.' },
  wrong_account: { raised: 'thrown', meaning: 'The event or transaction belongs to another customer.' },
  unknown_line: { raised: 'thrown', meaning: 'A refund names a line the order does not have.' },
  idempotency_conflict: { raised: 'thrown', meaning: 'An event or request id was used before with a different body.' },
  order_conflict: { raised: 'thrown', meaning: 'An order id was used before by another purchase.' },
  version_conflict: { raised: 'thrown', meaning: 'The account changed under a concurrent write; retry.' },
  duplicate_transaction: { raised: 'thrown', meaning: 'The store already has a transaction with this id.' },
  pseudonym_taken: { raised: 'thrown', meaning: 'The pseudonym of a forgotten customer is already used.' },
  event_in_future: { raised: 'thrown', meaning: 'An event is later than the clock allows.' },
  event_too_late: { raised: 'thrown', meaning: 'An event is older than the program accepts.' },
  request_in_future: { raised: 'thrown', meaning: 'A request `at` is later than the clock allows.' },
  request_too_late: { raised: 'thrown', meaning: 'A request `at` is older than the program accepts.' },
  ledger_inconsistent: { raised: 'thrown', meaning: 'The stored ledger cannot be folded; run `verify`.' },
} as const satisfies CodeTable;

const REFUSAL_CODES = {
  // Business refusals: recorded, sticky, `outcome.ok === false`
  insufficient_points: { raised: 'refused', meaning: 'Not enough available points.' },
  below_minimum: { raised: 'refused', meaning: 'Fewer points than the minimum per redemption.' },
  above_maximum: { raised: 'refused', meaning: 'More points than the maximum per redemption.' },
  not_step_multiple: { raised: 'refused', meaning: 'Points are not a multiple of the redemption step.' },
  exceeds_order_cap: { raised: 'refused', meaning: "More points than the order's cap (share, amount or maximum) allows." },
  exceeds_hold: { raised: 'refused', meaning: 'A capture takes more points than the hold reserved.' },
  hold_expired: { raised: 'refused', meaning: 'The hold lapsed before it was captured.' },
  already_cancelled: { raised: 'refused', meaning: 'The redemption or membership was already cancelled.' },
  not_a_redemption: { raised: 'refused', meaning: 'The transaction to cancel is not a redemption.' },
  already_reversed: { raised: 'refused', meaning: 'The transaction was already reversed.' },
  not_reversible: { raised: 'refused', meaning: 'The transaction cannot be reversed (its points were spent or are held).' },
  reward_unavailable: { raised: 'refused', meaning: 'The reward is not offered at this time.' },
  out_of_stock: { raised: 'refused', meaning: 'The reward is out of stock.' },
  unknown_order: { raised: 'refused', meaning: 'A refund names an order the program never saw.' },
  self_referral: { raised: 'refused', meaning: 'A customer cannot refer themselves.' },
} as const satisfies CodeTable;

const INTEGRITY_CODES = {
  // Ledger integrity, listed by verify() / checkConservation()
  unbalanced: { raised: 'reported', meaning: 'Postings of a unit do not sum to zero.' },
  available_mismatch: { raised: 'reported', meaning: 'The available balance differs from the sum of the lots.' },
  held_mismatch: { raised: 'reported', meaning: 'The held balance differs from the open holds.' },
  pending_mismatch: { raised: 'reported', meaning: 'The pending balance differs from the pending lots.' },
  counter_negative: { raised: 'reported', meaning: 'A counter went below zero.' },
  debt_out_of_bounds: { raised: 'reported', meaning: 'Debt is negative or larger than allowed.' },
  duplicate_lot: { raised: 'reported', meaning: 'Two lots have the same id.' },
  lot_id_reused: { raised: 'reported', meaning: 'A lot id was reused by a later transaction.' },
  lot_out_of_bounds: { raised: 'reported', meaning: 'A lot holds less than zero or more than it was issued.' },
  lot_dates: { raised: 'reported', meaning: "A lot's dates are out of order." },
  fractional_amount: { raised: 'reported', meaning: 'An amount has more decimals than its unit allows.' },
  foreign_state: { raised: 'reported', meaning: 'The state belongs to another account or program.' },
  foreign_transaction: { raised: 'reported', meaning: 'A transaction belongs to another account or program.' },
  order_not_netted: { raised: 'reported', meaning: "An order's earn and clawback do not net out." },
  order_overclawed: { raised: 'reported', meaning: 'More was clawed back from an order than it earned.' },
  state_mismatch: { raised: 'reported', meaning: 'The stored state differs from the fold of its transactions.' },
  fold_failed: { raised: 'reported', meaning: 'The transactions could not be folded.' },
} as const satisfies CodeTable;

/**
 * Every issue code the library produces, with how it is raised and what it means: the list the
 * README's "Error codes" table shows. zod's own codes never leak: `issuesFromZod` maps them onto
 * these (`required`, `invalid_type`, `invalid_value`, `invalid_format`, `too_small`, `too_big`,
 * `unrecognized_keys`).
 *
 * @example
 * ```ts
 * ISSUE_CODES.required.raised; // 'thrown'
 * ISSUE_CODES.insufficient_points.raised; // 'refused'
 * Object.keys(ISSUE_CODES).includes('invalid_union'); // false: a zod code, never produced
 * ```
 */
// A pure IIFE: a bundler keeps a top-level object with spreads (a spread may run getters) unless
// told it is pure; apps that never read the table drop it.
export const ISSUE_CODES = /* @__PURE__ */ (() => ({
  ...INPUT_CODES,
  ...CONFIG_CODES,
  // The program kinds' own config codes (src/kinds/<kind>/codes.ts)
  ...KIND_CONFIG_CODES,
  ...LOOKUP_CODES,
  ...REFUSAL_CODES,
  // The program kinds' own refusals (src/kinds/<kind>/codes.ts)
  ...KIND_REFUSAL_CODES,
  tick_failed: { raised: 'refused', meaning: 'A scheduled tick failed for an account (listed by `tickDue`, retried later).' },
  ...INTEGRITY_CODES,
}) as const satisfies CodeTable)();

/**
 * One of the library's documented issue codes.
 *
 * @example
 * ```ts
 * const code: IssueCode = 'insufficient_points';
 * ```
 */
export type IssueCode = keyof typeof ISSUE_CODES;

/**
 * Whether a string is one of the library's documented issue codes.
 *
 * @example
 * ```ts
 * isIssueCode('required'); // true
 * isIssueCode('invalid_union'); // false
 * ```
 */
export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ISSUE_CODES, code);
}

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

/**
 * The brand every `LoyaltyError` carries. `Symbol.for` gives the same symbol in every copy of the
 * package (the ESM and CommonJS builds are two copies, where `instanceof` fails across them).
 */
const BRAND: unique symbol = Symbol.for('loyalty-engine.error') as never;

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
  /** Marks the error as the library's, across package copies (see {@link isLoyaltyError}). */
  readonly [BRAND] = true;
  constructor(issues: Issues, message?: string) {
    super(message ?? describe(issues));
    this.issues = issues;
    this.code = issues[0].code;
  }
}

/**
 * Whether a value is a `LoyaltyError` (a `ProgramConfigError` included), from this copy of the
 * package or another: it checks the `Symbol.for('loyalty-engine.error')` brand, not the class, so
 * an error thrown by the CommonJS build is recognised by code that imported the ESM build.
 *
 * @example
 * ```ts
 * try {
 *   await loyalty.process(event);
 * } catch (e) {
 *   if (!isLoyaltyError(e)) throw e;
 *   for (const issue of e.issues) console.log(issue.code, issue.path);
 * }
 * ```
 */
export function isLoyaltyError(value: unknown): value is LoyaltyError {
  // No `instanceof Error` either: that fails across realms (a vm context, a worker's clone).
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { readonly [BRAND]?: unknown; readonly issues?: unknown; readonly code?: unknown };
  return v[BRAND] === true && Array.isArray(v.issues) && v.issues.length > 0 && typeof v.code === 'string';
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

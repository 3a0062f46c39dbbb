// The command line's failures. Every expected failure is one of these and ends the command with
// its exit code (2 for bad usage and bad input files, RELIABILITY: never a stack trace for a
// user's mistake); anything else is a bug and is printed with its stack (exit 1).

/** Exit codes of the `loyalty-engine` command. */
export const EXIT = { ok: 0, bug: 1, invalid: 2 } as const;

/** A failure the user can fix: a bad file, a bad flag, a missing optional package. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
    /** Print the command's help after the message (usage errors). */
    readonly showHelp = false,
  ) {
    super(message);
  }
}

/** Where in an input file a problem is: 1-based line, and column for CSV. */
export interface InputLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number | undefined;
  /** The field, as a dotted path into the record (`lines.0.unitPrice`) or a CSV column name. */
  readonly field?: string | undefined;
}

/** "events.csv:12:5 (unit_price)" — the form editors and terminals make clickable. */
export function formatLocation(at: InputLocation): string {
  const position = at.column === undefined ? `${at.file}:${at.line}` : `${at.file}:${at.line}:${at.column}`;
  return at.field === undefined ? position : `${position} (field ${at.field})`;
}

/** A problem in one record of an input file, located by file, line, column and field. */
export class InputError extends CliError {
  override name = 'InputError';
  constructor(
    readonly at: InputLocation,
    readonly problem: string,
  ) {
    super(`${formatLocation(at)}: ${problem}`, EXIT.invalid);
  }
}

/** A usage error: a bad or missing flag or argument. Printed with the command's help. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.invalid, true);
}

// Where the command writes. Commands take an Output rather than touching process.stdout, so
// `--json` can promise that nothing but the JSON document reaches stdout, and tests can capture it.

/** The command's two streams and whether stderr is a terminal (progress bars only then). */
export interface Output {
  /** Results: the table, the summary, or the JSON document. */
  out(text: string): void;
  /** Everything else: progress, notes, warnings, errors. */
  err(text: string): void;
  readonly stderrIsTTY: boolean;
}

/** The process's own streams. */
export function processOutput(): Output {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * JSON for `--json`: Decimals (and anything else with a `toJSON`) serialise as their decimal
 * strings, Dates as ISO strings, Maps as objects; never a float made from an amount.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2);
}

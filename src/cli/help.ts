// Help texts: `loyalty-engine --help` and `loyalty-engine <command> --help`.
import type { CommandName } from './args';

const HISTORY = `History:
  --events <file>        events: NDJSON (the library's event shape) or CSV (an order export, one row per order line)
  --customers <file>     customers, NDJSON; without it, one per customer id, enrolled at their first event
  --format ndjson|csv    the events' format (default: from the extension, .csv or else NDJSON)
  --map <column=field>   CSV: read a field from a column, repeatable (e.g. --map "Created at=occurredAt")
  --mapping <file>       CSV: a JSON object { "column": "field" }
  --time-zone <zone>     CSV: the IANA zone of times written without an offset
  --workers <n>          replay on n worker threads (sharded by customer)
Output:
  --json                 machine output on stdout (decimals as strings), nothing else on stdout
  --html <file>          write a self-contained HTML report (needs @observablehq/plot and linkedom)`;

/** Help of each command. */
export const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: loyalty-engine <command> [options]

Commands:
  validate <program.json>                       check a program config: every issue, with its path and code
  simulate --program <p.json> --events <file>   replay a history under a program: metrics table, report
  compare <a.json> <b.json> --events <file>     replay a history under two programs, side by side
  schema                                        print the JSON Schema of program configs

Exit codes: 0 success, 2 invalid input or usage, 1 an internal error.
Run "loyalty-engine <command> --help" for a command's options.`,
  validate: `Usage: loyalty-engine validate <program.json> [--json]

Checks a program config. Valid: a one-line summary, exit 0. Invalid: every issue with its path
and code, exit 2.`,
  schema: `Usage: loyalty-engine schema > program.schema.json

Prints the JSON Schema (draft 2020-12) of program configs. Point a program file at it with
"$schema": "./program.schema.json" for completion and checks in your editor.`,
  simulate: `Usage: loyalty-engine simulate --program <p.json> --events <file> [options]

Replays the history under the program and prints its metrics (table or --json).

${HISTORY}`,
  compare: `Usage: loyalty-engine compare <a.json> <b.json> --events <file> [options]

Replays the history under program A and program B and prints them side by side: the metrics,
top gainers and losers, tier changes, and the liability difference.

${HISTORY}`,
};

// Command-line arguments, read with Node's util.parseArgs (strict: an unknown flag is a usage
// error, exit 2 with the command's help).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors';

/** The commands. */
export const COMMANDS = ['validate', 'simulate', 'compare', 'schema'] as const;
/** One of the commands. */
export type CommandName = (typeof COMMANDS)[number];

const HISTORY_OPTIONS = {
  events: { type: 'string' },
  customers: { type: 'string' },
  format: { type: 'string' },
  map: { type: 'string', multiple: true },
  mapping: { type: 'string' },
  'time-zone': { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The options each command accepts. */
export const OPTIONS = {
  validate: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  schema: { help: { type: 'boolean', short: 'h' } },
  simulate: { ...HISTORY_OPTIONS, program: { type: 'string' } },
  compare: HISTORY_OPTIONS,
} as const satisfies Record<CommandName, ParseArgsConfig['options']>;

/** The parsed values of a command's flags. */
export type Values<C extends CommandName> = ReturnType<typeof parseArgs<{ options: (typeof OPTIONS)[C]; allowPositionals: true; strict: true }>>['values'];

/** A command's flags and positionals; unknown flags and missing values are usage errors. */
export function parseCommand<C extends CommandName>(command: C, args: readonly string[]): { values: Values<C>; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: OPTIONS[command], allowPositionals: true, strict: true }) as { values: Values<C>; positionals: string[] };
  } catch (error) {
    throw usageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** `--workers N`: a whole number from 1 to 64 (default 1). */
export function workersOf(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) throw usageError(`--workers ${text}: expected a whole number from 1 to 64`);
  return n;
}

/** A flag the command cannot run without. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw usageError(`${flag} is required`);
  return value;
}

/** Exactly `count` positionals, named for the message. */
export function positionalsOf(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length !== names.length) {
    const want = names.map((n) => `<${n}>`).join(' ');
    throw usageError(positionals.length < names.length ? `missing ${want}` : `unexpected argument "${positionals[names.length] ?? ''}"`);
  }
  return [...positionals];
}

// The command line as a function: parses the arguments, runs one command, returns the exit code:
// 0 done, 2 bad usage or bad input (a message naming the file, line and field). index.ts runs it.
import { COMMANDS, parseCommand, positionalsOf, required, workersOf, type CommandName } from './args';
import { runCompare, runSimulate, type BacktestFlags } from './commands';
import { isLoyaltyError } from '../errors';
import { CliError, EXIT } from './errors';
import { HELP } from './help';
import { processOutput, toJson, type Output } from './output';
import { programJsonSchema } from './schema';
import { runValidate } from './validate';

const isCommand = (name: string | undefined): name is CommandName => (COMMANDS as readonly string[]).includes(name ?? '');

function backtestFlags(values: ReturnType<typeof parseCommand<'compare'>>['values']): BacktestFlags {
  return {
    events: required(values.events, '--events'),
    customers: values.customers,
    format: values.format,
    map: values.map,
    mappingFile: values.mapping,
    timeZone: values['time-zone'],
    json: values.json === true,
    html: values.html,
    workers: workersOf(values.workers),
  };
}

async function runCommand(command: CommandName, args: readonly string[], io: Output): Promise<number> {
  switch (command) {
    case 'validate': {
      const { values, positionals } = parseCommand('validate', args);
      if (values.help === true) return (io.out(HELP.validate), EXIT.ok);
      const [file = ''] = positionalsOf(positionals, ['program.json']);
      return runValidate(file, { json: values.json === true }, io);
    }
    case 'schema': {
      const { values, positionals } = parseCommand('schema', args);
      if (values.help === true) return (io.out(HELP.schema), EXIT.ok);
      positionalsOf(positionals, []);
      return (io.out(toJson(programJsonSchema())), EXIT.ok);
    }
    case 'simulate': {
      const { values, positionals } = parseCommand('simulate', args);
      if (values.help === true) return (io.out(HELP.simulate), EXIT.ok);
      positionalsOf(positionals, []);
      return runSimulate(required(values.program, '--program'), backtestFlags(values), io);
    }
    case 'compare': {
      const { values, positionals } = parseCommand('compare', args);
      if (values.help === true) return (io.out(HELP.compare), EXIT.ok);
      const [a = '', b = ''] = positionalsOf(positionals, ['a.json', 'b.json']);
      return runCompare(a, b, backtestFlags(values), io);
    }
  }
}

/** Runs the command line `args` (without node and the script); returns the exit code. */
export async function main(args: readonly string[], io: Output = processOutput()): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io[command === undefined ? 'err' : 'out'](HELP.main);
    return command === undefined ? EXIT.invalid : EXIT.ok;
  }
  if (!isCommand(command)) {
    io.err(`loyalty-engine: unknown command "${command}"\n\n${HELP.main}`);
    return EXIT.invalid;
  }
  try {
    return await runCommand(command, rest, io);
  } catch (error) {
    // The library refusing an input the CLI passed on (its issues say which): bad input, not a bug.
    if (isLoyaltyError(error)) {
      io.err(`loyalty-engine ${command}: ${error.message}`);
      return EXIT.invalid;
    }
    if (!(error instanceof CliError)) throw error;
    io.err(`loyalty-engine ${command}: ${error.message}`);
    if (error.showHelp) io.err(`\n${HELP[command]}`);
    return error.exitCode;
  }
}

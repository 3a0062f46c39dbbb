// The `loyalty-engine` command (package.json `bin`): runs the command line and sets the exit
// code; a bug (anything not a CliError) is printed with its stack and exits 1.
import { EXIT } from './errors';
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`loyalty-engine: internal error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.bug;
  },
);

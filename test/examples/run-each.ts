// Runs several examples/*.ts in ONE Node process (started with `--import tsx`), one after another,
// and prints, as its last line, a JSON array of what each did: its exit status, stdout and
// stderr. Starting Node and tsx and loading src/ costs ~2 CPU-s; once for all the examples
// instead of once each is most of test/examples.test.ts's time.
//
// Each example still runs as a script would and fails on its own:
// - process.argv is [node, the example] while it runs, so `import.meta.url === argv[1]` checks see
//   it as the main module (examples/http-server.ts runs its main()), and no argument follows;
// - its output goes to its own buffers (process.stdout/stderr writes, so console.* too);
// - an error thrown by its module, or a promise it rejects without handling, gives it status 1
//   and the error on its stderr, as Node would; the next example still runs;
// - "runs to completion" means what a process exit would: after its module is done, the handles
//   it opened (timers, sockets, servers, child processes) must close on their own within a
//   grace period; one left open is reported on its stderr with status 1 (stricter than Node,
//   which would also exit past an unref()'d one);
// - an exit in the middle of an example (process.exit, a top-level await that can never settle)
//   ends the run; its output so far is printed to stderr and the test names it.
// Usage: node --import tsx test/examples/run-each.ts examples/a.ts examples/b.ts …
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

/** What one example did. */
export interface ExampleRun {
  readonly file: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The line before the JSON results, so stray output before it cannot be mistaken for them. */
export const RESULTS_MARKER = '--- run-each results ---';

const GRACE_MS = 10_000;
type Write = typeof process.stdout.write;
const realStdoutWrite: Write = process.stdout.write.bind(process.stdout);
const realStderrWrite: Write = process.stderr.write.bind(process.stderr);

/** Routes process.stdout/stderr writes into `out` and `err` until the returned function is called. */
function capture(out: string[], err: string[]): () => void {
  const into = (buffer: string[]): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      buffer.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      if (callback) process.nextTick(callback);
      return true;
    }) as Write;
  process.stdout.write = into(out);
  process.stderr.write = into(err);
  return () => {
    process.stdout.write = realStdoutWrite;
    process.stderr.write = realStderrWrite;
  };
}

/** Counts of the kinds of active handles and requests (timers, sockets, …), from Node itself. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** The resources open now beyond those of `before`, as "Timeout ×2, TCPServerWrap". */
function opened(before: Map<string, number>): string[] {
  const extra: string[] = [];
  for (const [kind, count] of resources()) {
    const more = count - (before.get(kind) ?? 0);
    if (more > 0) extra.push(more === 1 ? kind : `${kind} ×${more}`);
  }
  return extra;
}

/** Waits until nothing the example opened is still open, or the grace period ends. */
async function settle(before: Map<string, number>): Promise<string[]> {
  const deadline = Date.now() + GRACE_MS;
  for (;;) {
    await new Promise((done) => setImmediate(done));
    const extra = opened(before);
    if (extra.length === 0 || Date.now() > deadline) return extra;
    // A timer that holds the process open: with nothing else left to wait for, Node would end
    // this runner (exit code 13) while a handle it cannot hold open finishes closing.
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** The example running now, so an exit in the middle of it (exit code 13 for a top-level await that can never settle, process.exit) still shows its output. */
let current: { file: string; out: string[]; err: string[] } | undefined;
function reportExitMidway(code: number): void {
  if (current) realStderrWrite(`run-each: the process exited (code ${code}) while ${current.file} ran\n${current.out.join('')}${current.err.join('')}\n`);
}

async function runOne(file: string): Promise<ExampleRun> {
  const out: string[] = [];
  const err: string[] = [];
  current = { file, out, err };
  let status = 0;
  const fail = (error: unknown): void => {
    status = 1;
    err.push(`${inspect(error)}\n`);
  };
  const path = resolve(file);
  const argv = process.argv;
  const before = resources();
  process.argv = [argv[0] ?? process.execPath, path];
  process.on('unhandledRejection', fail);
  process.on('uncaughtException', fail);
  const restore = capture(out, err);
  try {
    await import(pathToFileURL(path).href);
    const left = await settle(before);
    if (left.length > 0) fail(new Error(`${file} left open after ${GRACE_MS / 1000} s (a process would not exit): ${left.join(', ')}`));
  } catch (error) {
    fail(error);
  } finally {
    restore();
    process.off('unhandledRejection', fail);
    process.off('uncaughtException', fail);
    process.argv = argv;
    current = undefined;
  }
  if (process.exitCode !== undefined && process.exitCode !== 0) {
    status = Number(process.exitCode) || 1;
    process.exitCode = 0;
  }
  return { file, status, stdout: out.join(''), stderr: err.join('') };
}

// Run only as the main module: test/examples.test.ts imports this file for its types and marker.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.on('exit', reportExitMidway);
  const runs: ExampleRun[] = [];
  for (const file of process.argv.slice(2)) runs.push(await runOne(file));
  realStdoutWrite(`${RESULTS_MARKER}\n${JSON.stringify(runs)}\n`);
  // The examples' handles are closed (settle checked), so this only ends what the runner itself holds.
  process.exit(0);
}

// Every script in examples/ runs here, so the examples can never rot.
// They run in one Node process through tsx (test/examples/run-each.ts), one after another, each
// as the main module with its own output, status and open-handle check: Node, tsx and src/ load
// once instead of once per example. `npm run examples` still runs each in a process of its own.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RESULTS_MARKER, type ExampleRun } from './examples/run-each';

const root = join(__dirname, '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
// examples/persistent.ts keeps a database in a directory: a temporary one here, not the repository.
const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-examples-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs every example in one process (async, so the test runner stays responsive); what each did, by file name. */
function runAll(): Promise<Map<string, ExampleRun>> {
  const args = ['--import', 'tsx', join('test', 'examples', 'run-each.ts'), ...examples.map((f) => join('examples', f))];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, LOYALTY_DATA_DIR: join(dataDir, 'data') } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill(), 240_000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const at = out.lastIndexOf(`${RESULTS_MARKER}\n`);
      if (code !== 0 || at < 0) return fail(new Error(`the examples' runner stopped (exit ${String(code)}) before reporting\n${out}\n${err}`));
      const runs = JSON.parse(out.slice(at + RESULTS_MARKER.length + 1)) as ExampleRun[];
      done(new Map(runs.map((r) => [r.file.replace(/^examples[\\/]/, ''), r])));
    });
  });
}

let runs = new Map<string, ExampleRun>();
beforeAll(async () => {
  runs = await runAll();
}, 300_000);

describe('examples', () => {
  test('there are examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  test.each(examples)('examples/%s runs to completion', (file) => {
    const run = runs.get(file);
    if (!run) throw new Error(`examples/${file} did not run`);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });
});

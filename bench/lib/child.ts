/*
 * Runs one bench module in this (fresh) process and writes what its `run` returned as JSON, for
 * bench/index.ts: `node --import tsx bench/lib/child.ts <module> --json-out <file> [--quick]`.
 * <module> is a name under bench/ ("rules" for bench/rules.ts) or a path ending in .ts (the
 * runner's own tests use a fixture module). The file holds `{ "figures": [...] }`, or
 * `{ "figures": null }` when the module returned none. A module that throws leaves no file and
 * the process exits 1 with the error on stderr.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions, TargetFigure } from './report';

interface BenchModule {
  readonly run?: (options: BenchOptions) => Promise<readonly TargetFigure[] | undefined | void>;
}

const bench = join(dirname(fileURLToPath(import.meta.url)), '..');

function modulePath(name: string): string {
  if (name.endsWith('.ts')) return resolve(name);
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`bench/lib/child.ts: not a bench module name: ${name}`);
  return join(bench, `${name}.ts`);
}

const args = process.argv.slice(2);
const name = args[0];
const outAt = args.indexOf('--json-out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (name === undefined || out === undefined) {
  console.error('usage: node --import tsx bench/lib/child.ts <module> --json-out <file> [--quick]');
  process.exit(64);
}
const loaded = (await import(pathToFileURL(modulePath(name)).href)) as BenchModule;
if (typeof loaded.run !== 'function') throw new Error(`bench module ${name} exports no run()`);
const figures = await loaded.run({ quick: args.includes('--quick') });
// Non-finite numbers (a skipped figure's value) become null; the runner reads them back as NaN.
const json = JSON.stringify({ figures: Array.isArray(figures) ? figures : null }, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value));
writeFileSync(out, json);
// A module may leave handles open (a pool, a timer): its figures are written, so this process is done.
process.exit(0);

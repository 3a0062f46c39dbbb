/*
 * PERFORMANCE.md target 8, the package: the core's minified+gzipped size (scripts/check-size.mjs
 * --json, the same bundles and budgets `npm test` checks), and that an app importing
 * `{ createLoyalty, defineProgram }` from 'loyalty-engine' bundles no adapter code.
 *
 * The second check bundles that import with esbuild, resolving 'loyalty-engine' by the package's
 * own name through its `exports` (as an app would), for Node (where `pg` would resolve if it were
 * reached), tree-shaken and minified. It reads two lists: the metafile's inputs (which packages
 * and dist files esbuild loaded and kept bytes of) and the sources of the output's source map
 * (esbuild follows dist's own source maps back to src/, so a shared dist chunk cannot hide
 * adapter code). The same check on 'loyalty-engine/postgres' must find adapter files, or the
 * module fails: a check that cannot see them would prove nothing. Neither may name pg, PGlite, fastify, json-rules-engine, the CLI's packages,
 * or src/adapters, src/cli, src/testing. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, skippedFigure, type BenchOptions, type TargetFigure } from './lib/report';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What an app bundles from the root entry, never any of: adapters' drivers, the CLI's packages, adapter or CLI source. */
const FORBIDDEN: readonly RegExp[] = [
  /node_modules\/(pg|pg-[^/]+|pgpass|postgres-[^/]+)\//,
  /node_modules\/@electric-sql\/pglite\//,
  /node_modules\/(fastify|@fastify\/[^/]+)\//,
  /node_modules\/json-rules-engine\//,
  /node_modules\/(cli-progress|csv-parse|@observablehq\/plot|linkedom)\//,
  /(^|\/)src\/(adapters|cli|testing)\//,
  /(^|\/)dist\/(adapters|cli)\//,
  /(^|\/)dist\/testing\.js$/,
];

interface SizeCase {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  readonly budgetKb: number;
  readonly goalKb: number;
  readonly ok: boolean;
}

/** The sizes scripts/check-size.mjs measures, read from its --json output. */
function sizes(): SizeCase[] {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'check-size.mjs'), '--json'], { cwd: root, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('[')) throw new Error(`scripts/check-size.mjs --json printed no result (exit ${String(r.status)}): ${r.stderr}`);
  return JSON.parse(line) as SizeCase[];
}

function sizeFigure(c: SizeCase): TargetFigure {
  const kb = c.gzipBytes / 1000;
  return {
    target: 8,
    name: `${c.name}: minified + gzip`,
    value: kb,
    unit: 'KB',
    goal: `printed; ≤ budget ${c.budgetKb} KB`,
    holds: c.ok,
    note: `${(c.minifiedBytes / 1000).toFixed(1)} KB minified; esbuild for the browser, as scripts/check-size.mjs; its size goal ${c.goalKb} KB ${kb <= c.goalKb ? 'met' : 'not met'}`,
  };
}

/** The inputs that kept bytes in the bundle, and the original sources of its source map. */
async function bundle(contents: string): Promise<{ inputs: string[]; sources: string[]; gzipBytes: number }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    write: false,
    metafile: true,
    sourcemap: 'external',
    outfile: join(root, 'bench-package-check.js'), // never written: names the output and its map
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined || Object.keys(o.inputs).length > 0);
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k]) => k);
  const mapFile = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const sources = mapFile ? (JSON.parse(mapFile.text) as { sources: string[] }).sources : [];
  return { inputs, sources, gzipBytes: code ? gzipSync(code.contents, { level: 9 }).length : Number.NaN };
}

function forbiddenIn(b: { inputs: readonly string[]; sources: readonly string[] }): string[] {
  return [...new Set([...b.inputs, ...b.sources].filter((path) => FORBIDDEN.some((re) => re.test(path))))];
}

async function treeShakingFigure(): Promise<TargetFigure> {
  // The check must see adapter code where it is: the postgres entry bundled the same way has to fail it.
  const canary = forbiddenIn(await bundle("export { postgresStore } from 'loyalty-engine/postgres';"));
  if (canary.length === 0) throw new Error("bundling 'loyalty-engine/postgres' shows no adapter file: the check would prove nothing");
  const app = await bundle("export { createLoyalty, defineProgram } from 'loyalty-engine';");
  const found = forbiddenIn(app);
  const packages = [...new Set(app.inputs.flatMap((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1] ?? []))].sort();
  const ownSources = app.sources.filter((s) => /(^|\/)src\//.test(s)).length;
  console.log(`  import { createLoyalty, defineProgram } from 'loyalty-engine' (esbuild, platform node, minified): ${(app.gzipBytes / 1000).toFixed(1)} KB gzip`);
  console.log(`    packages bundled: ${packages.join(', ') || '(none)'}; ${ownSources} files of src/ in its source map`);
  console.log(`    (the same check on 'loyalty-engine/postgres' finds ${canary.length} adapter files, e.g. ${canary.slice(0, 2).join(', ')})`);
  if (found.length > 0) console.log(`    adapter or CLI code bundled:\n      ${found.join('\n      ')}`);
  return {
    target: 8,
    name: "import { createLoyalty, defineProgram } from 'loyalty-engine': adapter files bundled",
    value: found.length,
    unit: 'files',
    goal: '0',
    holds: found.length === 0,
    note: `looked for pg, PGlite, fastify, json-rules-engine, the CLI's packages, src/adapters, src/cli, src/testing; ${found.length === 0 ? `packages bundled: ${packages.join(', ')}` : `bundled: ${found.slice(0, 5).join(', ')}`}`,
  };
}

/**
 * Prints the core's bundle sizes and checks that the root entry tree-shakes every adapter away
 * (target 8). Reports skipped figures when dist/ has not been built.
 *
 * @example
 * ```ts
 * const figures = await run({ quick: true }); // npx tsx bench/package.ts
 * ```
 */
export async function run(_options: BenchOptions): Promise<TargetFigure[]> {
  if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'core.js'))) {
    console.log('  dist/ is missing: run `npm run build` first (target 8 measures the built package).');
    const reason = 'dist/ is missing: run `npm run build` first';
    return [skippedFigure(8, 'core size, minified + gzip', 'printed', reason), skippedFigure(8, 'root import bundles no adapter code', '0 adapter files', reason)];
  }
  const figures = [...sizes().map(sizeFigure), await treeShakingFigure()];
  console.log('  target 8:');
  for (const f of figures) console.log(describe(f));
  return figures;
}

if (process.argv[1]?.endsWith('bench/package.ts')) await run({ quick: process.argv.includes('--quick') });

// Size budgets for what an app bundles from the built package (`npm run check:size`, run by
// `npm test` after the build). Each case re-exports a few names from dist/index.js (the root)
// or dist/core.js ('loyalty-engine/core', where `evaluate` lives) and lets
// esbuild bundle, tree-shake and minify it for the browser; the gzip size must stay within its
// budget. Sizes are deterministic for a given lockfile, so a budget is a regression check.
// `--top N` lists the N largest inputs of each bundle (from esbuild's metafile).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'index.js');
const coreEntry = join(root, 'dist', 'core.js');

/**
 * Budgets in KB (1 KB = 1000 bytes) of gzip output. The goals are 60 KB (defineProgram +
 * evaluate) and 70 KB (createLoyalty); import changes alone reached 86.0 and 86.5 KB, and the
 * fixes of the adversarial review (argument schemas, id encoding, the new verify checks, rule
 * paths and params) brought them to 90.1 and 91.3 KB, so the budgets are those figures + 5 %
 * until the code shrinks (then lower them towards the goals).
 * What holds the size up (`--top 15`): zod classic, about 99 KB minified, incl. JSON Schema
 * conversion that its schema classes reference; the library's own code, about 134 KB minified,
 * every program kind included since evaluate dispatches on the kind; decimal.js, 32 KB.
 */
const cases = [
  { name: 'defineProgram + evaluate', names: ['defineProgram'], coreNames: ['evaluate'], budgetKb: 94.6, goalKb: 60 },
  { name: 'createLoyalty', names: ['createLoyalty'], coreNames: [], budgetKb: 95.9, goalKb: 70 },
];

const topArg = process.argv.indexOf('--top');
const top = topArg >= 0 ? Number(process.argv[topArg + 1] ?? 10) : 0;

for (const file of [entry, coreEntry]) {
  if (!existsSync(file)) {
    console.error(`check-size: ${file} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
}

const kb = (bytes) => (bytes / 1000).toFixed(1);
let failed = false;
for (const c of cases) {
  const result = await build({
    stdin: {
      contents: [[c.names, entry], [c.coreNames, coreEntry]]
        .filter(([names]) => names.length > 0)
        .map(([names, from]) => `export { ${names.join(', ')} } from ${JSON.stringify(from)};`)
        .join('\n'),
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const gz = gzipSync(code, { level: 9 }).length;
  const ok = gz <= c.budgetKb * 1000;
  if (!ok) failed = true;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.name}: ${kb(code.length)} KB minified, ${kb(gz)} KB gzip (budget ${c.budgetKb} KB gzip, goal ${c.goalKb} KB)`);
  if (top > 0) {
    // Bytes each input contributes to the minified output, largest first, grouped by package.
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const byPackage = new Map();
    for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1] : path.replace(/^.*?dist\//, 'dist/');
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
    for (const [key, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`       ${kb(bytes).padStart(7)} KB  ${key}`);
    }
    for (const [path, { bytesInOutput }] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, top)) {
      console.log(`       ${kb(bytesInOutput).padStart(7)} KB  ${path.replace(/^.*?node_modules\//, '')}`);
    }
  }
}
if (failed) {
  console.error('check-size: a bundle is over its budget (run with --top 15 to see what holds the size up).');
  process.exit(1);
}

// Type-checks with the oldest TypeScript the package supports (test/package/ts-min: 5.4.5;
// 5.3 fails on zod's declarations, which use the NoInfer intrinsic of 5.4). Two checks, both with
// skipLibCheck off so the declarations of the package and its dependencies are checked too:
// the public type tests against the sources, and the package's quick start against the built
// declarations (dist/, so run after `npm run build`), with node16 and bundler resolution.
// That compiler lives in its own folder because a second `typescript` in the root would race
// the project's for node_modules/.bin/tsc.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const minDir = join(root, 'test', 'package', 'ts-min');
const tsc = join(minDir, 'node_modules', 'typescript', 'bin', 'tsc');
const wanted = JSON.parse(readFileSync(join(minDir, 'package.json'), 'utf8')).devDependencies.typescript;

const run = (cmd, args, cwd) => {
  // A shell only on Windows, where npm is a .cmd file.
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: cmd === 'npm' && process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const installed = existsSync(tsc)
  ? JSON.parse(readFileSync(join(minDir, 'node_modules', 'typescript', 'package.json'), 'utf8')).version
  : undefined;
if (installed !== wanted) {
  run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], minDir);
}
console.log(`typecheck:min: TypeScript ${wanted}`);

console.log('  public and input type tests (test/types/public.test-d.ts, inputs.test-d.ts) against src/');
run(process.execPath, [tsc, '--noEmit', '-p', join(root, 'test', 'package', 'tsconfig.min.json')], root);

if (!existsSync(join(root, 'dist', 'index.d.ts'))) {
  console.error('typecheck:min: dist/ is missing; run `npm run build` first.');
  process.exit(1);
}
// A consumer outside the repo that sees the package as node_modules/loyalty-engine.
const app = mkdtempSync(join(tmpdir(), 'loyalty-ts-min-'));
try {
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules', 'loyalty-engine'), 'junction');
  writeFileSync(join(app, 'package.json'), '{ "private": true, "type": "module" }\n');
  copyFileSync(join(root, 'test', 'package', 'fixtures', 'quickstart.mjs'), join(app, 'quickstart.mts'));
  for (const [module, moduleResolution] of [['node16', 'node16'], ['esnext', 'bundler']]) {
    console.log(`  quick start against dist/ (--moduleResolution ${moduleResolution})`);
    run(process.execPath, [
      tsc, '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes',
      '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom',
      '--module', module, '--moduleResolution', moduleResolution, 'quickstart.mts',
    ], app);
  }
} finally {
  rmSync(app, { recursive: true, force: true });
}
console.log('typecheck:min: ok');

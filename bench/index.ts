/*
 * Runs every benchmark module in sequence: `npx tsx bench/index.ts` (npm run bench).
 * Each module exports `async function run(): Promise<void>` and prints its own figures and ratios.
 */
export {};

interface BenchModule {
  run(options: { readonly quick: boolean }): Promise<unknown>;
}

const modules: readonly { readonly name: string; readonly load: () => Promise<BenchModule> }[] = [
  { name: 'rules', load: () => import('./rules') },
  { name: 'pipeline', load: () => import('./pipeline') },
  { name: 'scaling', load: () => import('./scaling') },
  { name: 'service', load: () => import('./service') },
  { name: 'import-time', load: () => import('./import-time') },
  { name: 'simulate', load: () => import('./simulate') },
  { name: 'metrics', load: () => import('./metrics') },
];

for (const { name, load } of modules) {
  console.log(`\n## bench: ${name}`);
  const started = performance.now();
  await (await load()).run({ quick: process.argv.includes('--quick') });
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

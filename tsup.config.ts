import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      core: 'src/core.ts',
      schemas: 'src/schemas.ts',
      metrics: 'src/metrics.ts',
      simulate: 'src/simulate/index.ts',
      'adapters/json-rules-engine/index': 'src/adapters/json-rules-engine/index.ts',
      'adapters/postgres/index': 'src/adapters/postgres/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    // dist/cli/ is the command line's own build (below), which cleans it; the two run in parallel.
    clean: ['!cli/**'],
    treeshake: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['json-rules-engine'],
  },
  {
    // The `loyalty-engine` command (package.json `bin`): ES module for Node, with its shebang.
    // Observable Plot and linkedom stay external (optional peers, loaded with import() for --html).
    // shard: simulateSharded; shard-worker: the worker_threads entry it starts (next to it in dist/cli).
    entry: { index: 'src/cli/index.ts', shard: 'src/cli/shard.ts', 'shard-worker': 'src/cli/shard-worker.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    splitting: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['json-rules-engine', '@observablehq/plot', 'linkedom'],
  },
]);

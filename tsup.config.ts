import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    core: 'src/core.ts',
    schemas: 'src/schemas.ts',
    'adapters/json-rules-engine/index': 'src/adapters/json-rules-engine/index.ts',
    'adapters/postgres/index': 'src/adapters/postgres/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  // Optional peers: the subpaths that use them import them; the rest of the package never does.
  external: ['json-rules-engine', 'vitest'],
});

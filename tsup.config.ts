import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    core: 'src/core.ts',
    schemas: 'src/schemas.ts',
    metrics: 'src/metrics.ts',
    'adapters/json-rules-engine/index': 'src/adapters/json-rules-engine/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['json-rules-engine'],
});

process.env.BENCH_PIPELINE_N ??= '20000';
const { run } = await import('./pipeline');
await run();

/*
 * Same-process A/B comparison of two or more builds of the package (issue 13's acceptance: "the
 * bench figures do not regress by more than 10 %"). Not part of `npm run bench` nor `npm test`
 * (test/bench/ab-builds.test.ts runs it on dist/ against itself at tiny sizes, so it cannot rot).
 *
 *   npx tsx bench/ab-builds.ts --build A0=/work/wt/ab-a0/dist --build B=dist [--quick | --tiny]
 *        [--passes N] [--warmup N] [--warm-ms M] [--pass-ms M] [--only <substring>] [--markdown]
 *
 * Each build's ESM entry points (index.js, core.js, schemas.js of its dist/ directory) are
 * imported into this one process. For each workload (bench/lib/ab-workloads.ts: target 2's
 * evaluate, target 7's process, target 3's tick, quote and redeem on 1,000 open lots) the builds
 * must first compute the same outputs (entries and balances, compared as JSON): if they differ,
 * the first difference is printed and the run stops with exit code 1, nothing timed. Then the
 * workload is timed on every build, interleaved: each pass runs each build once, the order
 * rotated every pass (for two builds, swapped), in CPU time (process.cpuUsage, user + system).
 * The table gives each build's median CPU-µs per operation and, per later build, the median of
 * the per-pass ratios over the first build with their middle half (quartiles), and a verdict:
 * a regression when the median ratio is over 1.10.
 *
 * Builds: make them in throwaway worktrees, e.g.
 *   git worktree add --detach /work/wt/ab-a0 6febd7b && ln -s "$PWD/node_modules" /work/wt/ab-a0/
 *   (cd /work/wt/ab-a0 && npx tsup)
 * Every build imports decimal.js and zod from the node_modules it finds, so all share one copy.
 */
import { availableParallelism, loadavg } from 'node:os';
import { compareBuilds, formatResults, loadBuild, OutputMismatch } from './lib/ab';
import { allWorkloads, PRESETS, type Preset } from './lib/ab-workloads';

function usage(message: string): never {
  console.error(`ab-builds: ${message}\nusage: tsx bench/ab-builds.ts --build name=distDir --build name=distDir [...] [--quick|--tiny] [--passes N] [--warmup N] [--warm-ms M] [--pass-ms M] [--only text] [--markdown]`);
  process.exit(2);
}

function numberOption(args: readonly string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(args[i + 1]);
  if (!Number.isFinite(n) || n < 0) usage(`${name} needs a non-negative number`);
  return n;
}

function parseArgs(args: readonly string[]): { builds: [string, string][]; preset: Preset; only: string | undefined; markdown: boolean } {
  const builds: [string, string][] = [];
  args.forEach((a, i) => {
    if (a !== '--build') return;
    const spec = args[i + 1] ?? '';
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) usage(`--build takes name=distDir, not "${spec}"`);
    builds.push([spec.slice(0, eq), spec.slice(eq + 1)]);
  });
  if (builds.length < 2) usage('give at least two --build name=distDir');
  if (new Set(builds.map(([n]) => n)).size !== builds.length) usage('build names must differ');
  const base = PRESETS[args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full'];
  const options = {
    passes: numberOption(args, '--passes') ?? base.options.passes,
    warmup: numberOption(args, '--warmup') ?? base.options.warmup,
    warmMs: numberOption(args, '--warm-ms') ?? base.options.warmMs,
    passMs: numberOption(args, '--pass-ms') ?? base.options.passMs,
  };
  const onlyAt = args.indexOf('--only');
  return { builds, preset: { sizes: base.sizes, options }, only: onlyAt >= 0 ? args[onlyAt + 1] : undefined, markdown: args.includes('--markdown') };
}

async function main(): Promise<number> {
  const { builds: specs, preset, only, markdown } = parseArgs(process.argv.slice(2));
  const builds = [];
  for (const [name, dir] of specs) builds.push(await loadBuild(name, dir));
  const workloads = allWorkloads(preset.sizes).filter((w) => only === undefined || w.name.includes(only));
  if (workloads.length === 0) usage(`no workload matches --only ${only ?? ''}`);
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`ab-builds: ${builds.map((b) => `${b.name}=${b.dir}`).join(', ')}; node ${process.version}, ${availableParallelism()} cores, load ${load()}`);
  console.log(`  ${preset.options.passes} timed passes (+${preset.options.warmup} warm-up, after ${preset.options.warmMs} CPU-ms untimed per build) per workload, builds interleaved, CPU time; sizes ${JSON.stringify(preset.sizes)}`);
  const started = Date.now();
  try {
    const results = await compareBuilds(builds, workloads, { ...preset.options, log: (line) => console.log(line) });
    console.log(`\n  outputs identical on every workload (entries and balances, as JSON); ${((Date.now() - started) / 1000).toFixed(0)} s, load now ${load()}\n`);
    console.log(formatResults(results, { markdown }));
    return 0;
  } catch (error) {
    if (!(error instanceof OutputMismatch)) throw error;
    console.error(`\nab-builds: STOPPED, the builds do not compute the same outputs, so nothing is compared.\n${error.message}`);
    return 1;
  }
}

process.exitCode = await main();

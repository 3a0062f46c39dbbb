// `npm test`: every check of the package, the independent ones at the same time. On a 2-core
// machine the checks one after another took ~7 minutes, much of it single-threaded TypeScript
// programs (tsc, the d.ts build, typedoc, TypeScript 5.4) leaving the other core idle.
//
// Each step is a package.json script, so `npm run <step>` still runs any one of them alone. The
// static checks run two at a time (the build first: the checks of the built package need it);
// the tests come last, alone, once every check has passed, as they did before:
//
//   build ──────┬─ typecheck:min, check:size, check:package ─┐
//   typecheck ──┤                                            ├─ test:unit (vitest, its own workers)
//   lint ───────┤                                            │
//   docs:check ─┴────────────────────────────────────────────┘
//
// Why the tests do not overlap the checks: vitest runs several files at once (vitest.config.ts),
// and some of them (the real-server PostgreSQL stress test, the property tests) count work done
// in a time window or have per-test timeouts; a tsc or typedoc beside them on 2 cores would only
// trade their margin for a few seconds. A type error also stops the run in a minute, not after
// the test run.
//
// At most `--jobs N` steps run at once (default: the number of cores, at least 2; `--jobs 1`
// runs them one after another). Each step's output is printed whole when it ends, under a
// header naming it, so steps never interleave; the last step (the tests), alone by then, prints
// as it goes. The first failure stops the steps not yet started
// and ends the running ones; the exit code is 1 when any step failed, 2 on bad usage.
// Usage: node scripts/run-checks.mjs [--jobs N] [--only a,b]
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Steps in the order they start when free; `after` lists the steps each one waits for. */
const STEPS = [
  { name: 'build', after: [] },
  { name: 'typecheck', after: [] },
  { name: 'lint', after: [] },
  { name: 'docs:check', after: [] },
  { name: 'typecheck:min', after: ['build'] },
  { name: 'check:size', after: ['build'] },
  { name: 'check:package', after: ['build'] },
  { name: 'test:unit', after: ['build', 'typecheck', 'lint', 'docs:check', 'typecheck:min', 'check:size', 'check:package'] },
];

function option(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function chosenSteps() {
  const only = option('--only');
  if (only === undefined) return STEPS;
  const names = new Set(only.split(','));
  const unknown = [...names].filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`run-checks: unknown step(s) ${unknown.join(', ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  // A step left out is not waited for: `--only test:unit` runs the tests against the dist/ there is.
  return STEPS.filter((s) => names.has(s.name)).map((s) => ({ ...s, after: s.after.filter((a) => names.has(a)) }));
}

function jobCount() {
  const text = option('--jobs');
  if (text === undefined) return Math.max(2, availableParallelism());
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error('run-checks: --jobs needs a positive integer');
    process.exit(2);
  }
  return n;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Starts `npm run <name>` in a process group of its own (so a stop ends its children too). */
function start(step, live, onEnd) {
  const began = performance.now();
  const chunks = [];
  const child = spawn(npm, ['run', step.name], {
    stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
    detached: process.platform !== 'win32',
    shell: process.platform === 'win32',
    // LOYALTY_DIST_BUILT: the build step has run, so the steps after it use dist/ as it is and
    // never rebuild it under each other (check:package, and the pack test, rebuild a stale dist/
    // when run on their own; here typecheck:min and check:size may be reading it).
    env: { ...process.env, ...(done.has('build') ? { LOYALTY_DIST_BUILT: '1' } : {}) },
  });
  child.stdout?.on('data', (c) => chunks.push(c));
  child.stderr?.on('data', (c) => chunks.push(c));
  child.on('error', (error) => chunks.push(Buffer.from(`run-checks: could not start ${step.name}: ${error.message}\n`)));
  child.on('close', (code, signal) => onEnd({ code: code ?? (signal ? 1 : 0), signal, output: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - began }));
  return child;
}

/** Ends a step's whole process group (npm, its shell and what the script started). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function report(step, result, running) {
  const status = result.code === 0 ? 'ok' : result.signal && stopping ? 'stopped' : `FAILED (exit ${result.code}${result.signal ? `, ${result.signal}` : ''})`;
  const header = `── ${step.name}: ${status} in ${seconds(result.ms)} ──`;
  process.stdout.write(result.live ? `\n${header}\n` : `\n${header}\n${result.output.trimEnd()}\n`);
  const waiting = [...running].map((s) => s.name);
  if (waiting.length > 0) process.stdout.write(`(still running: ${waiting.join(', ')})\n`);
}

const steps = chosenSteps();
const jobs = jobCount();
const done = new Set();
const running = new Map();
const times = [];
let failed = [];
let stopping = false;
const wallStart = performance.now();

function ready(step) {
  return !done.has(step.name) && !running.has(step) && step.after.every((a) => done.has(a));
}

function schedule() {
  if (!stopping) {
    for (const step of steps) {
      if (running.size >= jobs) break;
      if (!ready(step)) continue;
      // The last step, with nothing beside it, prints as it goes (the test run is minutes long).
      const live = running.size === 0 && steps.every((s) => s === step || done.has(s.name));
      process.stdout.write(`run-checks: ${step.name} started${live ? '\n' : ''}\n`);
      running.set(step, start(step, live, (result) => finish(step, { ...result, live })));
    }
  }
  if (running.size === 0) summarise();
}

function finish(step, result) {
  running.delete(step);
  times.push([step.name, result.ms, result.code]);
  report(step, result, running.keys());
  if (result.code === 0) done.add(step.name);
  else if (!stopping) {
    failed.push(step.name);
    stopping = true;
    for (const child of running.values()) stop(child);
  }
  schedule();
}

function summarise() {
  const notRun = steps.filter((s) => !done.has(s.name) && !failed.includes(s.name) && !times.some(([n]) => n === s.name)).map((s) => s.name);
  process.stdout.write(`\nrun-checks: steps (${jobs} at a time), ${seconds(performance.now() - wallStart)} in all\n`);
  for (const [name, ms, code] of times) process.stdout.write(`  ${name.padEnd(14)} ${seconds(ms).padStart(8)}  ${code === 0 ? 'ok' : failed.includes(name) ? 'FAILED' : 'stopped'}\n`);
  if (notRun.length > 0) process.stdout.write(`  not run after the failure: ${notRun.join(', ')}\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    failed = failed.length > 0 ? failed : [`(${signal})`];
    for (const child of running.values()) stop(child);
  });
}

schedule();

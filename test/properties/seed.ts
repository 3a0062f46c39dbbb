// One place for property-test seeds: FC_SEED replays a failure exactly; the seed in use is printed.
export const FC_SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20271122;
/** FC_RUNS sets every suite's run count; FC_SCALE multiplies each suite's own default (FC_SCALE=10 for a soak). */
export function runsFor(fallback: number): number {
  if (process.env.FC_RUNS !== undefined) return Number(process.env.FC_RUNS);
  return process.env.FC_SCALE !== undefined ? Math.round(fallback * Number(process.env.FC_SCALE)) : fallback;
}
export function announce(name: string, runs: number): void {
  console.log(`[fast-check] ${name}: seed ${FC_SEED}, ${runs} runs (replay with FC_SEED=${FC_SEED})`);
}

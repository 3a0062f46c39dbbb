// One place for property-test seeds: FC_SEED replays a failure exactly; the seed in use is printed.
export const FC_SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20271122;
export function runsFor(fallback: number): number {
  return process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : fallback;
}
export function announce(name: string, runs: number): void {
  console.log(`[fast-check] ${name}: seed ${FC_SEED}, ${runs} runs (replay with FC_SEED=${FC_SEED})`);
}

/*
 * Profiles a workload in this process, for bench/profile.ts: a CPU profile from `node:inspector`'s
 * Profiler (self time per function, from the samples and their time deltas), a sampled allocation
 * profile from its HeapProfiler (`startSampling` with the objects later collected included, so the
 * bytes are bytes *allocated*, not retained), GC pauses from `PerformanceObserver('gc')`, CPU time
 * from `process.cpuUsage` and the heap's growth from `process.memoryUsage`. Everything is charged
 * to the buckets of ./profile-buckets.ts.
 */
import { Session } from 'node:inspector/promises';
import type { Profiler, HeapProfiler } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import { bucketOfFrame, IDLE, PROFILER, sourceFile, type Frame } from './profile-buckets';

/** A function's self time, for the fallback list of the top functions. */
export interface TopFunction {
  readonly name: string;
  readonly file: string;
  readonly bucket: string;
  readonly micros: number;
}

/** What one profiled run measured. */
export interface Measured {
  /** Operations the body reported (events, calls). */
  readonly ops: number;
  readonly wallMs: number;
  /** User + system CPU of the process (profiling included: ≈ 5–15 % more than unprofiled). */
  readonly cpuMs: number;
  /** Self time per bucket, µs (idle included; the caller decides whether it counts). */
  readonly cpuByBucket: Map<string, number>;
  /** Bytes allocated per bucket (sampled in a second pass; objects since collected included), scaled to `ops` operations. */
  readonly bytesByBucket: Map<string, number>;
  readonly top: readonly TopFunction[];
  readonly gc: { readonly ms: number; readonly count: number; readonly minor: number; readonly major: number };
  /** Heap used after the run minus before (what the run kept, plus garbage not yet collected). */
  readonly heapGrowth: number;
}

/** Walks a profile's tree, giving each node its own bucket or its caller's (for builtins). */
function bucketsOf<N extends { readonly id: number; readonly callFrame: Frame; readonly children?: readonly number[] | undefined }>(nodes: readonly N[], root: string): Map<number, string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<number, string>();
  const visit = (id: number, inherited: string): void => {
    const node = byId.get(id);
    if (!node) return;
    const own = bucketOfFrame(node.callFrame, root) ?? inherited;
    out.set(id, own);
    for (const child of node.children ?? []) visit(child, own);
  };
  if (nodes[0]) visit(nodes[0].id, 'other');
  return out;
}

function cpuShares(profile: Profiler.Profile, root: string): { byBucket: Map<string, number>; top: TopFunction[] } {
  const buckets = bucketsOf(profile.nodes, root);
  const selfById = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each delta is the time before its sample; the time of sample i runs until sample i + 1.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfById.set(id, (selfById.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const byBucket = new Map<string, number>();
  const byFunction = new Map<string, TopFunction>();
  for (const node of profile.nodes) {
    const micros = selfById.get(node.id) ?? 0;
    if (micros === 0) continue;
    const bucket = buckets.get(node.id) ?? 'other';
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + micros);
    const f = node.callFrame;
    // tsx's transpiled modules give no useful line numbers: the file is enough to find the function.
    const file = f.url === '' ? '' : sourceFile(f.url, root);
    const key = `${f.functionName} ${file}`;
    const was = byFunction.get(key);
    byFunction.set(key, { name: f.functionName || '(anonymous)', file, bucket, micros: (was?.micros ?? 0) + micros });
  }
  const top = [...byFunction.values()].filter((t) => t.bucket !== IDLE && t.bucket !== PROFILER).sort((a, b) => b.micros - a.micros).slice(0, 10);
  return { byBucket, top };
}

function allocationShares(profile: HeapProfiler.SamplingHeapProfile, root: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: HeapProfiler.SamplingHeapProfileNode, inherited: string): void => {
    const bucket = bucketOfFrame(node.callFrame, root) ?? inherited;
    if (node.selfSize > 0) out.set(bucket, (out.get(bucket) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, bucket);
  };
  walk(profile.head, 'other');
  return out;
}

/** Options of `profiled`. */
export interface ProfileRun {
  /** The CPU profiler's sampling interval, µs (default 200). */
  readonly intervalMicros?: number;
  /** The heap profiler's mean sampling interval, bytes (default 4096). */
  readonly heapSamplingBytes?: number;
}

/**
 * Runs `cpuBody` under the CPU profiler (and the GC observer), then `allocBody` under the sampling
 * heap profiler alone: two passes, because sampling every allocation slows the collector and would
 * inflate GC's share of the CPU profile. Each body returns how many operations it did.
 */
export async function profiled(root: string, cpuBody: () => Promise<number> | number, allocBody: () => Promise<number> | number, options: ProfileRun = {}): Promise<Measured> {
  const session = new Session();
  session.connect();
  const gc = { ms: 0, count: 0, minor: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration;
      gc.count += 1;
      // detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks.
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === 1) gc.minor += 1;
      else if (kind === 2) gc.major += 1;
    }
  });
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: options.intervalMicros ?? 200 });
    observer.observe({ entryTypes: ['gc'] });
    const heapBefore = process.memoryUsage().heapUsed;
    await session.post('Profiler.start');
    const started = performance.now();
    const cpu = process.cpuUsage();
    const ops = await cpuBody();
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - started;
    const { profile } = await session.post('Profiler.stop');
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    // Let the observer deliver the last entries before it stops.
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: options.heapSamplingBytes ?? 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as HeapProfiler.StartSamplingParameterType);
    const allocOps = await allocBody();
    const heap = await session.post('HeapProfiler.stopSampling');
    const bytesByBucket = new Map([...allocationShares(heap.profile, root)].map(([k, v]) => [k, (v * ops) / allocOps]));
    const { byBucket, top } = cpuShares(profile, root);
    return { ops, wallMs, cpuMs: (used.user + used.system) / 1000, cpuByBucket: byBucket, bytesByBucket, top, gc: { ...gc }, heapGrowth };
  } finally {
    observer.disconnect();
    session.disconnect();
  }
}

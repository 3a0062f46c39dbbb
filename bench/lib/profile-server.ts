/*
 * The CPU time a throwaway PostgreSQL server has used, for bench/profile.ts's target 6: the
 * postmaster and its live children (the backends, the WAL writer, the checkpointer...) read from
 * /proc, plus what its children that already exited left in its cutime/cstime. Linux only;
 * undefined elsewhere or when the server's pid file cannot be read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux Node supports). */
const TICKS = 100;

interface Stat {
  readonly ppid: number;
  /** utime + stime, and for the postmaster cutime + cstime, in ticks. */
  readonly own: number;
  readonly children: number;
}

function stat(pid: string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    return { ppid: f[1] ?? 0, own: (f[11] ?? 0) + (f[12] ?? 0), children: (f[13] ?? 0) + (f[14] ?? 0) };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by the server whose folder is `dir` (bench/lib/pg-server.ts's layout: `dir/data/postmaster.pid`). */
export function serverCpuMs(dir: string): number | undefined {
  let postmaster: string | undefined;
  try {
    postmaster = readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
  const main = postmaster === undefined ? undefined : stat(postmaster);
  if (postmaster === undefined || main === undefined) return undefined;
  let ticks = main.own + main.children;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || pid === postmaster) continue;
    const s = stat(pid);
    if (s?.ppid === Number(postmaster)) ticks += s.own;
  }
  return (ticks * 1000) / TICKS;
}

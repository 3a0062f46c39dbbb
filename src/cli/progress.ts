// The progress bar of long replays: on stderr, and only when stderr is a terminal (a pipe or a
// CI log gets no bar, and stdout — the table or the JSON — is never touched).
import { SingleBar, Presets } from 'cli-progress';
import type { Output } from './output';

/** Runs shorter than this draw no bar: they finish before it would be read. */
export const PROGRESS_MIN_EVENTS = 20_000;

/** Progress of one replay: `tick(done)` as events are read, `stop()` at the end. */
export interface Progress {
  tick(done: number): void;
  stop(): void;
}

const silent: Progress = { tick: () => undefined, stop: () => undefined };

/**
 * A bar over `total` events titled `title`, or a silent one when it should not be drawn.
 * `stream` is stderr (a test passes its own terminal).
 */
export function progressBar(io: Output, title: string, total: number, stream: NodeJS.WritableStream = process.stderr): Progress {
  if (!io.stderrIsTTY || total < PROGRESS_MIN_EVENTS) return silent;
  const bar = new SingleBar(
    { format: `${title} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`, stream, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  let shown = 0;
  return {
    // Redrawing on every event would cost more than the replay; once per 1,000 is smooth enough.
    tick: (done) => {
      if (done - shown >= 1000 || done === total) {
        shown = done;
        bar.update(done);
      }
    },
    stop: () => bar.stop(),
  };
}

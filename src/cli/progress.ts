// A spinner with elapsed time on stderr while something slow runs (an upload, the embedded mock
// starting, an API call). Drawn only when stderr is a terminal, so scripts and pipes get no noise.
import type { OutputStream } from './io.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressOptions {
  /** Milliseconds between frames. */
  intervalMs?: number;
  now?: () => number;
}

/** Runs `task`, showing `label` with a spinner and elapsed seconds on a TTY stream meanwhile. */
export async function withProgress<T>(stream: OutputStream, label: string, task: () => Promise<T>, options: ProgressOptions = {}): Promise<T> {
  if (!stream.isTTY) return task();
  const now = options.now ?? Date.now;
  const started = now();
  let frame = 0;
  const draw = () => {
    const seconds = ((now() - started) / 1000).toFixed(1);
    // \r and "erase line" redraw in place; the line never reaches a pipe (TTY only).
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} ${seconds}s`);
  };
  draw();
  const timer = setInterval(draw, options.intervalMs ?? 100);
  try {
    return await task();
  } finally {
    clearInterval(timer);
    stream.write('\r\x1b[2K');
  }
}

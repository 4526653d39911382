// Everything the CLI touches outside itself: streams, environment and process signals. main.ts
// passes the real ones; tests pass their own, so most of the CLI runs in-process in the tests.

/** A text sink; `isTTY` decides whether progress indicators are drawn. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read by `webhooks verify -` and `--password-stdin`. */
  stdin: AsyncIterable<string | Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls `handler` on SIGINT or SIGTERM until the returned function is called. Used to stop Prism
   * (the `mock` command, the embedded mock) instead of leaving it running.
   */
  onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void;
  /** Ends the process (after an interrupt, once Prism has stopped). */
  exit(code: number): void;
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt(handler) {
      const signals = ['SIGINT', 'SIGTERM'] as const;
      for (const signal of signals) process.on(signal, handler);
      return () => {
        for (const signal of signals) process.off(signal, handler);
      };
    },
    exit: (code) => process.exit(code),
  };
}

/** All of stdin (or another input) as bytes. */
export async function readAll(input: AsyncIterable<string | Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}

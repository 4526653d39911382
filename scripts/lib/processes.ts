// Small process helpers shared by the long-running scripts (mock, explorer) and their tests.

/** Whether a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PORT from the environment, or `fallback`; exits 2 with a clear message when it is no port. */
export function portFromEnv(fallback: number, { allowZero }: { allowZero: boolean }): number {
  const port = Number(process.env.PORT ?? fallback);
  const min = allowZero ? 0 : 1;
  if (!Number.isInteger(port) || port < min || port > 65535) {
    const range = allowZero ? '0-65535, 0 for a free one' : '1-65535';
    console.error(`PORT must be a TCP port number (${range}), got ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
  }
  return port;
}

/** Runs `stop` once on the first SIGINT or SIGTERM, then exits 0. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop().then(() => process.exit(0));
    });
  }
}

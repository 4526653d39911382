// A keep-alive HTTP server in its own process answering every request with a profile JSON, so the
// client under test does not share its event loop or CPU time with the server.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ProfileServer {
  url: string;
  close(): Promise<void>;
}

export async function startProfileServer(): Promise<ProfileServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./profile-server-process.mjs', import.meta.url)), { stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(message as number));
    child.once('exit', (code) => reject(new Error(`profile server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

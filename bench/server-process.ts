// The parent side of a benchmarked server: each server runs in its own Node process, so its peak
// resident memory (the kernel's VmHWM high-water mark) is its own and nobody else's.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peakRss } from './bench-os.ts';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  /** Peak resident set size so far, in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

function waitForPort(child: ChildProcess, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening`));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The compiled bench (npm run bench) starts compiled servers; the TypeScript one, under tsx, TypeScript ones. */
const COMPILED = import.meta.url.endsWith('.js');

/** Starts bench/<file> (named without extension); it answers on 127.0.0.1 at the port it reports. */
export async function startServerProcess(name: string, file: string, args: string[] = []): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL(`${file}${COMPILED ? '.js' : '.ts'}`, import.meta.url)), args, {
    execArgv: COMPILED ? [] : ['--import', 'tsx'],
    // The child's stdout goes to our stderr, so that --json output stays clean.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  try {
    const port = await waitForPort(child, name);
    return {
      name,
      pid: child.pid!,
      url: `http://127.0.0.1:${port}`,
      peakRss: () => peakRss(child.pid!),
      async stop() {
        // Letting go of the IPC channel is the child's signal to close its server and database.
        if (child.connected) child.disconnect();
        await waitForExit(child);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

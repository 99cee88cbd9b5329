// A worker thread running a module of this codebase: the compiled .js in the build, or the
// TypeScript source in tests and development, where the thread registers tsx first (the loader
// hooks of the thread that starts it do not reach a new thread).
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `entry`, a module given by URL without its extension (e.g. `new URL('./thread', import.meta.url)`). */
export function startThread(entry: URL, options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`${entry.href}.js`), options);
  const source = `${entry.href}.ts`;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

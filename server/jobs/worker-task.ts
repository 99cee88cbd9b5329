// What a kind of background work offers the worker's loops (server/worker/worker.ts).

/** One kind of background work. `run` returns how many items it handled. */
export interface WorkerTask {
  name: string;
  run(owner: string): Promise<number>;
  /** Loops running this task side by side when the worker runs on its own (default 1); runOnce runs it once. */
  lanes?: number;
}

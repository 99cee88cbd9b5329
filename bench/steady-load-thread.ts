// The open-loop load of steadyRate (webhook-load.ts), on a thread of its own: the bench's main
// thread keeps every acknowledged id and every latency of the run, and its collections of that
// heap (scavenges of 4 to 15 ms, seen at 75 a run) would stop the clock and the sends in the
// middle of the measurement, counted as the server's latency. This thread holds only its bodies.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { countAnswer, emptyResult, REQUEST_TIMEOUT_MS, webhookHeaders, WEBHOOK_PATH, type SteadyAnswer, type SteadyWork } from './webhook-load.ts';

/** One webhook every 1000/rate ms on a steady schedule, whatever the server does. */
function sendOnSchedule(work: SteadyWork): Promise<SteadyAnswer> {
  const result = emptyResult();
  const accepted: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: work.maxSockets });
  const url = new URL(WEBHOOK_PATH, work.url);
  const total = work.bodies.length;
  let issued = 0;
  let settled = 0;
  const started = performance.now();

  return new Promise((resolve) => {
    function settle(): void {
      settled += 1;
      if (settled < total) return;
      result.seconds = (performance.now() - started) / 1000;
      agent.destroy();
      resolve({ result, accepted });
    }

    function send(index: number): void {
      const sentAt = performance.now();
      let done = false;
      const fail = () => {
        if (done) return;
        done = true;
        result.errors += 1;
        settle();
      };
      const request = http.request(url, { method: 'POST', agent, headers: webhookHeaders(work.authorization), timeout: REQUEST_TIMEOUT_MS }, (res) => {
        res.on('error', fail);
        res.resume();
        res.on('end', () => {
          if (done) return;
          done = true;
          countAnswer(result, res.statusCode ?? 0, performance.now() - sentAt);
          if (res.statusCode === 202) accepted.push(index);
          settle();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', fail);
      request.end(work.bodies[index]);
    }

    // Timers fire about once a millisecond; each tick sends whatever the schedule says is due.
    function tick(): void {
      const due = Math.min(total, Math.floor(((performance.now() - started) * work.rate) / 1000));
      while (issued < due) send(issued++);
      if (issued < total) setTimeout(tick, 1);
    }
    tick();
  });
}

void sendOnSchedule(workerData as SteadyWork).then((answer) => parentPort!.postMessage(answer));

// The watchdog process of test/helpers/watchdog.ts: kills the servers a test process started once that
// process is gone. Its stdin is a pipe from the test process, one JSON line per order:
// {"watch": PID, "dir"?: PATH} or {"forget": PID}. The pipe ends when the test process exits, however
// it ends (kill -9 included): then each server still watched is killed (only if its start time is the
// one recorded, so a reused PID is left alone) and its temp dir removed. It also checks that the test
// process is alive, in case something else holds the pipe open.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isAlive } from '../../source/instance/alive.js';
import { readProcessStartTime } from '../../source/instance/process-info.js';

interface Watched {
  startTime: Promise<string | null>;
  dir?: string;
}

const parent = Number(process.argv[2]);
const watched = new Map<number, Watched>();
let ending = false;

async function end(): Promise<void> {
  if (ending) return;
  ending = true;
  for (const [pid, { startTime, dir }] of watched) {
    const recorded = await startTime;
    if (isAlive(pid) && recorded !== null && (await readProcessStartTime(pid)) === recorded) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  try {
    const order = JSON.parse(line) as { watch?: number; forget?: number; dir?: string };
    if (typeof order.watch === 'number')
      watched.set(order.watch, {
        startTime: readProcessStartTime(order.watch),
        ...(order.dir ? { dir: order.dir } : {}),
      });
    if (typeof order.forget === 'number') watched.delete(order.forget);
  } catch {
    // not an order
  }
});
lines.on('close', () => void end());
// Ctrl-C reaches the whole process group: the test process goes, the pipe ends, we clean up.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
setInterval(() => {
  if (!isAlive(parent)) void end();
}, 250);

/**
 * Replay: one viewer asks for everything (`since: 0`) from a journal of REPLAY_EVENTS 1 KB events,
 * written as segment files before the daemon starts. Events/s as the viewer receives them, and the
 * daemon's CPU per 10,000 events replayed. No baseline process: the goal is absolute (DESIGN §3).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { serializeEvent } from '../source/store/event-line.js';
import { segmentName } from '../source/store/segments.js';
import type { MonEvent } from '../source/protocol/event.js';
import {
  cpuTimeMs,
  figure,
  nowMs,
  payloadOf,
  round,
  waitFor,
  writeResult,
  type BenchOptions,
  type BenchResult,
} from './lib.js';
import { makeHome } from '../test/helpers/temp-home.js';
import { startDaemon } from '../test/helpers/daemon.js';

const SEGMENT_EVENTS = 15_000;

/** NDJSON segments of `count` events, as the journal writes them (seq first, 1 KB of data each). */
export function writeJournal(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let base = 1; base <= count; base += SEGMENT_EVENTS) {
    const lines: string[] = [];
    for (let seq = base; seq < Math.min(count + 1, base + SEGMENT_EVENTS); seq++) {
      const event: MonEvent = {
        seq,
        id: `bench-${seq}`,
        receivedAt: new Date(1_700_000_000_000 + seq).toISOString(),
        occurredAt: new Date(1_700_000_000_000 + seq).toISOString(),
        type: 'PreToolUse',
        sessionId: 'sess-bench',
        source: 'hook',
        tool: 'Bash',
        cwd: '/srv/project',
        data: payloadOf(seq),
      };
      lines.push(serializeEvent(event));
    }
    writeFileSync(join(dir, segmentName(base)), `${lines.join('\n')}\n`);
  }
}

async function replayOnce(port: number, token: string, expected: number): Promise<number> {
  const socket = io(`http://127.0.0.1:${port}/dashboard`, {
    transports: ['websocket'],
    auth: { token, since: 0 },
    reconnection: false,
    forceNew: true,
  });
  let received = 0;
  let lastSeq = 0;
  let gaps = 0;
  socket.on('events', (events: MonEvent[]) => {
    for (const event of events) {
      if (event.seq !== lastSeq + 1) gaps++;
      lastSeq = event.seq;
    }
    received += events.length;
  });
  const start = nowMs();
  try {
    await waitFor(() => received >= expected, `the replay of ${expected} events`, 120_000);
  } finally {
    socket.removeAllListeners();
    socket.disconnect();
  }
  if (gaps > 0) throw new Error(`replay had ${gaps} gaps`);
  return nowMs() - start;
}

export async function benchReplay(options: BenchOptions): Promise<BenchResult> {
  const events = options.quick ? 30_000 : 100_000;
  const home = makeHome();
  home.env.MPM_MON_LOG_LEVEL = 'warn';
  home.writeConfig({ events: { ratePerSecond: 1_000_000 }, viewers: { maxBacklog: 1_000_000 } });
  writeJournal(join(home.path, 'journal'), events);
  const daemon = await startDaemon(home);
  const runs: Array<{ ms: number; perSecond: number; cpuMsPer10k: number }> = [];
  try {
    for (let run = 0; run < (options.quick ? 1 : 3); run++) {
      const cpuBefore = cpuTimeMs(daemon.pid);
      const ms = await replayOnce(daemon.port, daemon.token, events);
      const cpuMs = cpuTimeMs(daemon.pid) - cpuBefore;
      runs.push({
        ms: round(ms),
        perSecond: round((events / ms) * 1000),
        cpuMsPer10k: round((cpuMs / events) * 10_000),
      });
    }
  } finally {
    await daemon.stop();
    home.remove();
  }
  const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return writeResult(
    'replay',
    options,
    [
      figure(
        `replay of ${events} events to one viewer`,
        'ev/s',
        best.perSecond,
        null,
        'none',
        '>= 50000',
        best.perSecond >= 50_000,
      ),
      figure(
        'daemon CPU per 10,000 events replayed',
        'ms',
        best.cpuMsPer10k,
        null,
        'none',
        '< 1000',
        best.cpuMsPer10k < 1000,
      ),
    ],
    { events, runs },
  );
}

/**
 * transcript — what reading a session's transcript costs the daemon: a 50 MB transcript shaped like
 * Claude Code's (prompts, large tool results, assistant messages of several lines that repeat their
 * usage) grows by 1 MB at a time; each growth step is one `TranscriptFile.refresh()`, the daemon's own
 * code. Baselines in the same run: reading the same new bytes with a bare `fs.read` (no parsing), and
 * what an incremental reader avoids, reading and parsing the whole file again.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createReaderStats,
  DEFAULT_READER,
  figuresOf,
  TranscriptFile,
} from '../source/claude/transcript-reader.js';
import { priceTable } from '../source/claude/prices.js';
import { consume, createTally } from '../source/claude/transcript.js';
import { figure, median, nowMs, round, writeResult, type BenchOptions, type BenchResult } from './lib.js';

const MODEL = 'claude-sonnet-4-5-20250929';

let messageId = 0;

/** About `bytes` of transcript lines: per message a prompt or tool result, then three assistant lines. */
function transcriptText(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    messageId += 1;
    const result = JSON.stringify({
      type: 'user',
      isSidechain: false,
      message: {
        role: 'user',
        content: [{ type: 'tool_result', content: 'x'.repeat(6000 + (messageId % 7) * 1000) }],
      },
      uuid: `u${messageId}`,
    });
    parts.push(result);
    size += result.length + 1;
    for (let block = 0; block < 3; block += 1) {
      const line = JSON.stringify({
        type: 'assistant',
        isSidechain: false,
        message: {
          id: `msg_${messageId}`,
          model: MODEL,
          role: 'assistant',
          content: [{ type: 'text', text: 'y'.repeat(400) }],
          usage: {
            input_tokens: 10,
            output_tokens: 20,
            cache_read_input_tokens: 1000,
            cache_creation_input_tokens: 50,
          },
        },
        uuid: `a${messageId}-${block}`,
      });
      parts.push(line);
      size += line.length + 1;
    }
  }
  return `${parts.join('\n')}\n`;
}

async function rawRead(path: string, from: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.length;
  } finally {
    await handle.close();
  }
}

export async function benchTranscript(options: BenchOptions): Promise<BenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'mpm-bench-transcript-'));
  try {
    const root = join(home, '.claude', 'projects');
    mkdirSync(join(root, '-p'), { recursive: true });
    const path = join(root, '-p', 's.jsonl');
    const startMb = options.quick ? 20 : 50;
    const steps = options.quick ? 5 : 10;
    writeFileSync(path, transcriptText(startMb * 1024 * 1024));

    const stats = createReaderStats();
    const file = new TranscriptFile(path, { root, ...DEFAULT_READER }, stats);
    const firstStart = nowMs();
    await file.refresh();
    const firstReadMs = nowMs() - firstStart;

    const stepMs: number[] = [];
    const stepCpuMs: number[] = [];
    const rawMs: number[] = [];
    const wholeMs: number[] = [];
    for (let step = 0; step < steps; step += 1) {
      const from = file.offset;
      appendFileSync(path, transcriptText(1024 * 1024));
      let started = nowMs();
      await rawRead(path, from);
      rawMs.push(nowMs() - started);

      const cpu = process.cpuUsage();
      started = nowMs();
      await file.refresh();
      stepMs.push(nowMs() - started);
      const used = process.cpuUsage(cpu);
      stepCpuMs.push((used.user + used.system) / 1000);

      if (step < 3) {
        started = nowMs();
        consume(createTally(), readFileSync(path), DEFAULT_READER.maxLineBytes);
        wholeMs.push(nowMs() - started);
      }
    }
    const figures = figuresOf(file, [], priceTable());
    const messages = file.tally.messages.size;
    if (messages !== messageId) throw new Error(`counted ${messages} messages of ${messageId}`);
    const step = median(stepMs);
    return writeResult(
      'transcript',
      options,
      [
        figure(
          `transcript growth step, ${startMb} MB + 1 MB (median of ${steps})`,
          'ms',
          step,
          median(rawMs),
          'fs.read of the new 1 MB',
          '< 50 ms',
          step < 50,
        ),
        figure('transcript growth step, CPU (median)', 'ms', median(stepCpuMs), null, '—', '—', null),
        figure(
          `transcript growth step vs reading the whole file again`,
          'ms',
          step,
          median(wholeMs),
          `whole ${startMb}+ MB re-read and parsed`,
          'much less',
          step < median(wholeMs) / 5,
        ),
        figure(`first read of ${startMb} MB`, 'ms', firstReadMs, null, '—', '—', null),
      ],
      {
        steps: stepMs.map((ms) => round(ms)),
        stepCpuMs: stepCpuMs.map((ms) => round(ms)),
        rawReadMs: rawMs.map((ms) => round(ms)),
        wholeFileMs: wholeMs.map((ms) => round(ms)),
        bytes: file.offset,
        messages,
        tokens: figures.tokens,
        reader: stats,
      },
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

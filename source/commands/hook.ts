/**
 * `mpm-mon hook`: Claude Code runs this for every hook event with one JSON payload on stdin.
 * It must never slow down or break Claude Code: it prints nothing, never throws, never starts a
 * daemon, and gives up on the daemon after a short timeout, spooling the payload instead.
 *
 * Keep the import graph tiny (node builtins, config/home, protocol/pidfile, hook/, store/spool):
 * every module loaded here is paid on every tool call. test/hook/import-graph.test.ts guards it.
 */
import { discoverDaemon } from '../client/discover.js';
import { homePaths, resolveHome } from '../config/home.js';
import { cutForPost, hookMaxBytes } from '../hook/cut-for-post.js';
import { checkInput, decideAfterPost, hookTimeoutMs } from '../hook/decide.js';
import { postEvent } from '../hook/post-event.js';
import { drainToRemote } from '../hook/drain-remote.js';
import { isBackingOff, readStallMark, stallMarkFor, writeStallMark } from '../hook/stall-backoff.js';
import { scrubForSpool } from '../hook/scrub-for-spool.js';
import { readBoundedFd, readBoundedInput, type ReadStdinOptions } from '../hook/read-input.js';
import { fstatSync } from 'node:fs';
import type { TruncatedField } from '../protocol/event.js';
import { recordSpoolError, spoolPayload, type SpoolErrorRecord, type SpoolLimits } from '../store/spool.js';

export interface HookOptions {
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** POST timeout; default `MPM_MON_HOOK_TIMEOUT_MS` or 200 ms. */
  timeoutMs?: number;
  /** Bounds on reading stdin (default 64 MiB, 2 s). */
  input?: ReadStdinOptions;
  now?: () => number;
  /** Spool bounds (default SPOOL_LIMITS: 10,000 files / 64 MiB). */
  spoolLimits?: SpoolLimits;
  /** Where the one human-facing hint goes (default stderr; stdout is never written). */
  stderr?: (text: string) => void;
}

/**
 * delivered: the daemon took it; spooled: kept for the daemon to drain; recorded: not deliverable
 * (bad input, or the daemon refused the payload itself) and noted in spool/errors.log;
 * dropped_spool_full / failed: lost, and noted; no_input: stdin was a terminal, nothing to do.
 */
export type HookOutcome = 'delivered' | 'spooled' | 'recorded' | 'dropped_spool_full' | 'failed' | 'no_input';

/** How long a hook spends handing the local spool to a daemon on another machine after its own post. */
const REMOTE_DRAIN_MS = 1000;

/** Never rejects. Resolves with what happened (for tests and benchmarks; the CLI ignores it). */
export async function runHook(options: HookOptions = {}): Promise<HookOutcome> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  let spoolDir: string | undefined;
  try {
    const paths = homePaths(resolveHome(env));
    spoolDir = paths.spoolDir;
    const dir = spoolDir;
    const record = (entry: SpoolErrorRecord): Promise<void> => recordSpoolError(dir, entry, now);

    // Claude Code always pipes the payload; a terminal means a person typed `mpm-mon hook`.
    if (options.stdin ? (options.stdin as { isTTY?: boolean }).isTTY === true : stdinIsTerminal()) {
      (options.stderr ?? ((text: string) => void process.stderr.write(text)))(
        'mpm-mon hook reads one Claude Code hook payload on stdin; Claude Code runs it (see `mpm-mon install-hooks`).\n',
      );
      return 'no_input';
    }
    const input = checkInput(
      await (options.stdin
        ? readBoundedInput(options.stdin, options.input)
        : readBoundedFd(0, options.input)),
    );
    // When it happened, not when the daemon gets it (a spooled event keeps this time).
    const occurredAt = new Date(now()).toISOString();
    if (!input.ok) {
      await record(input.record);
      return 'recorded';
    }
    let body = input.raw;
    let truncated: TruncatedField[] | undefined;
    const maxBytes = hookMaxBytes(env);
    if (Buffer.byteLength(body, 'utf8') > maxBytes) {
      const cut = await cutForPost(input.value, maxBytes);
      body = cut.text;
      truncated = cut.truncated;
    }
    const size = Buffer.byteLength(body, 'utf8');
    const meta = { occurredAt, truncated };

    const daemon = discoverDaemon({ home: paths.home, env });
    // A setting the hook cannot use (url, tokenFile, tls.ca): said once per event in errors.log, by key.
    if (!daemon.ok && daemon.setting) await record({ reason: 'setting', size, key: daemon.setting.key });
    if (daemon.ok && !isBackingOff(readStallMark(paths.stallMark), daemon.daemon, now())) {
      const timeoutMs = hookTimeoutMs(options.timeoutMs, env);
      const answer = await postEvent(daemon.daemon, body, timeoutMs, meta);
      if (answer.kind === 'timeout') writeStallMark(paths.stallMark, stallMarkFor(daemon.daemon, now()));
      const decision = decideAfterPost(answer, size);
      if (decision.action === 'done') {
        if (daemon.daemon.remote) await drainToRemote(dir, daemon.daemon, timeoutMs, REMOTE_DRAIN_MS, now);
        return 'delivered';
      }
      if (decision.action === 'drop') {
        await record(decision.record);
        return 'recorded';
      }
      if (decision.record) await record(decision.record);
    }

    const written = await spoolPayload(dir, await scrubForSpool(body), now, options.spoolLimits, meta);
    if (written.ok) return 'spooled';
    if (written.reason === 'spool_full') {
      await record({ reason: 'spool_full', size, files: written.files, bytes: written.bytes });
      return 'dropped_spool_full';
    }
    await record({ reason: 'spool_write_failed', size, code: written.code });
    return 'failed';
  } catch (error) {
    if (spoolDir) await recordSpoolError(spoolDir, { reason: 'internal', error: String(error) }, now);
    return 'failed';
  }
}

/** A character device other than /dev/null & co. (major 1): a terminal, without loading `tty` (and net). */
function stdinIsTerminal(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isCharacterDevice() && Math.floor(stat.rdev / 256) !== 1;
  } catch {
    return false;
  }
}

/** Renders the TUI against a daemon: wires the client into the store, follows resizes, returns the exit code. */
import { render } from 'ink';
import { httpJson } from '../client/http-json.js';
import {
  DashboardClient,
  type DashboardClientHandlers,
  type DashboardClientOptions,
} from '../client/dashboard-client.js';
import type { TlsTrust } from '../client/tls-trust.js';
import { daemonUrl } from '../client/discover.js';
import type { NotifyMode } from '../config/schema.js';
import type { StatusResponse } from '../protocol/messages.js';
import { listedSessions } from './state/session-list.js';
import { newWaits, noticeSequence, noticeText } from './state/notify.js';
import { App } from './app.js';
import type { FindingsOptions } from '../doctor/findings.js';
import { watchFindings } from './findings-watch.js';
import { homePaths } from '../config/home.js';
import { terminalEffects } from './effects.js';
import { MOUSE_OFF, MOUSE_ON } from './state/input.js';
import { createTuiStore, type TuiStore } from './store.js';
import { makeTheme } from './theme.js';
import { daemonAddressText } from './format.js';

export interface RunTuiOptions {
  host: string;
  port: number;
  token: string;
  scheme?: 'http' | 'https';
  tls?: TlsTrust;
  /** ASCII-only drawing (borders, symbols, sparklines). */
  ascii: boolean;
  color: boolean;
  /** Events the viewer keeps (and asks the daemon to replay on attach). */
  bufferSize: number;
  /** How often /status is polled for viewers and the daemon's rate; 0 turns it off. */
  statusIntervalMs?: number;
  /** How often the daemon is asked for its sessions' transcript figures; 0 turns it off. */
  sessionsIntervalMs?: number;
  /** SGR mouse reporting (wheel, clicks); `--no-mouse` turns it off (the terminal's own selection then works). */
  mouse?: boolean;
  /** Where `e` writes its NDJSON files (`$MPM_MON_HOME/exports`). */
  exportsDir?: string;
  /** Tell the terminal when a session starts waiting for the user. */
  notify?: NotifyMode;
  /** Draw on the terminal's alternate screen so quitting restores what was there (default: on a TTY). */
  alternateScreen?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Where the daemon is now (the PID file read again), asked before each reconnect. */
  rediscover?: DashboardClientOptions['rediscover'];
  /** Where doctor's checks look (the Troubleshoot view shows their findings); none when omitted. */
  doctor?: FindingsOptions;
}

const ENTER_ALT_SCREEN = '\u001b[?1049h';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

export async function runTui(options: RunTuiOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  // One render per 200 ms of events, one a second while they flood in: Ink lays out and re-tokenises
  // the whole screen on every render (≈30 ms at 120×40), so this is what keeps a flood of 1,000 ev/s
  // under a tenth of a core. Keys still apply at once.
  const store = createTuiStore({ bufferSize: options.bufferSize, batchMs: 200, floodBatchMs: 1000 });
  let client: DashboardClient | null = null;
  const status = pollStatus(store, options, () => client?.endpoint ?? options);
  const handlers = feedStore(store);
  client = new DashboardClient(
    {
      host: options.host,
      port: options.port,
      token: options.token,
      scheme: options.scheme,
      tls: options.tls,
      last: options.bufferSize,
      rediscover: options.rediscover,
    },
    {
      ...handlers,
      // Ask /status again once attached, so the header counts this viewer at once, not 5 s later.
      onHello: (hello) => {
        handlers.onHello?.(hello);
        status.now();
      },
    },
  );
  const theme = makeTheme({ color: options.color, ascii: options.ascii });
  const address = daemonAddressText(options);

  const alternate = options.alternateScreen ?? stdout.isTTY === true;
  const mouse = options.mouse ?? false;
  // Given back on every way out: a terminal left reporting the mouse types escape codes into the shell.
  const leaveAltScreen = () => {
    if (mouse) stdout.write(MOUSE_OFF);
    if (alternate) stdout.write(LEAVE_ALT_SCREEN);
  };
  if (alternate) stdout.write(ENTER_ALT_SCREEN);
  if (mouse) stdout.write(MOUSE_ON);
  if (alternate || mouse) process.once('exit', leaveAltScreen);
  const effects = terminalEffects(stdout, options.exportsDir ?? homePaths().exportsDir);

  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const app = (columns: number, rows: number) => (
    <App
      store={store}
      theme={theme}
      columns={columns}
      rows={rows}
      address={address}
      effects={effects}
      onQuit={quit}
    />
  );
  const size = () => [stdout.columns || 80, stdout.rows || 24] as const;
  const instance = render(app(...size()), { stdout, stdin, exitOnCtrlC: false, patchConsole: true });
  const onResize = () => instance.rerender(app(...size()));
  stdout.on('resize', onResize);
  // Without raw mode (stdin not a terminal) keys never reach the app: Ctrl-C arrives as SIGINT.
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  const sessions = pollSessions(store, client, options.sessionsIntervalMs ?? 2000);
  const notices = watchWaits(store, options.notify ?? 'off', stdout);
  const findings = options.doctor ? watchFindings(store, options.doctor) : () => {};
  client.start();

  try {
    await Promise.race([quitting, instance.waitUntilExit()]);
    return 0;
  } catch {
    return 1;
  } finally {
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    stdout.off('resize', onResize);
    status.stop();
    sessions();
    notices();
    findings();
    client.stop();
    instance.unmount();
    store.dispose();
    leaveAltScreen();
    process.off('exit', leaveAltScreen);
  }
}

/** The client's callbacks, feeding the store (events batched, the rest at once). */
export function feedStore(store: TuiStore): DashboardClientHandlers {
  return {
    onEvents: (events) => store.pushEvents(events),
    onState: (state) => store.dispatch({ type: 'connection', state }),
    onHello: (hello) => store.dispatch({ type: 'hello', hello }),
    onHealth: (report) => store.dispatch({ type: 'health', report }),
    onRecovery: (entry) => store.dispatch({ type: 'recovery', entry }),
    onShutdown: (message) => store.dispatch({ type: 'shutdown', message }),
    onGap: (gap) => store.dispatch({ type: 'gap', ...gap }),
  };
}

function pollStatus(
  store: TuiStore,
  options: RunTuiOptions,
  address: () => { scheme?: 'http' | 'https'; host: string; port: number; tls?: TlsTrust },
): { now: () => void; stop: () => void } {
  const interval = options.statusIntervalMs ?? 5000;
  if (interval <= 0) return { now: () => {}, stop: () => {} };
  const poll = async () => {
    try {
      const where = address();
      const answer = await httpJson(`${daemonUrl(where)}/status`, {
        timeoutMs: 2000,
        ...(where.tls ? { tls: where.tls } : {}),
      });
      if (answer.status === 200 && answer.body && typeof answer.body === 'object')
        store.dispatch({ type: 'status', status: answer.body as StatusResponse });
    } catch {
      // The header already shows the connection state; a missed poll changes nothing.
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), interval);
  timer.unref();
  return { now: () => void poll(), stop: () => clearInterval(timer) };
}

/** Asks the daemon for its sessions (the transcript figures) while connected. Returns the stop. */
function pollSessions(store: TuiStore, client: DashboardClient, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let asking = false;
  const poll = async () => {
    if (asking || !client.connected) return;
    asking = true;
    try {
      store.dispatch({ type: 'sessions', answer: await client.sessions(Math.max(1000, intervalMs)) });
    } catch {
      // An older daemon without the request, or a slow answer: the live model still shows the rest.
    } finally {
      asking = false;
    }
  };
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Writes one notice per wait that starts after the TUI did. Returns the stop. */
export function watchWaits(
  store: TuiStore,
  mode: NotifyMode,
  stdout: { write: (text: string) => unknown },
  startedAt = Date.now(),
): () => void {
  if (mode === 'off') return () => {};
  let told = new Set<string>();
  let last: unknown = null;
  return store.subscribe(() => {
    const state = store.getSnapshot();
    if (state.sessions === last) return;
    last = state.sessions;
    const result = newWaits(listedSessions(state), told, startedAt);
    told = result.told;
    for (const session of result.fresh) stdout.write(noticeSequence(mode, noticeText(session)));
  });
}

/** Parses the command line (meow) and runs one command, loading only what that command needs. */
import meow from 'meow';
import { presentFailure } from '../errors/present.js';

const HELP = `
  Usage
    $ mpm-mon [command] [options]

  Commands
    (none)            live TUI attached to the daemon (starts it in the background if none runs)
    --daemon          run the daemon in the foreground (for tmux, SSH, systemd, launchd)
    start             start the daemon in the background; returns once /health answers
    stop              stop the daemon gracefully
    restart           stop, then start
    status            one-screen summary (exit 0 running, 3 not running)
    doctor            diagnose why it is not working (--fix repairs what is safe)
    events            query or follow events (--follow, --since SEQ, --session ID, --type NAME)
    sessions          one row per Claude Code session (--json one object per line, --session ID detail)
    hook              the Claude Code hook command (reads one event on stdin)
    install-hooks     register "mpm-mon hook" in Claude Code's settings.json
    uninstall-hooks   remove it again

  Options
    --port N          daemon port (default 8765; MPM_MON_PORT)
    --host ADDR       daemon address (default 127.0.0.1; MPM_MON_HOST)
    --json            machine-readable output (NDJSON for streams)
    --no-color        no colour (also NO_COLOR)
    --ascii           ASCII-only drawing
    --no-start        (TUI) do not start a daemon when none runs
    --notify          (TUI) ring the bell when a session starts waiting for you
                      (config key notify: bell | osc9 | osc777 picks how)
    --log-level L     debug | info | warn | error (daemon)
    --scope S         (install-hooks) user | project | local
    --dry-run         (install-hooks) show what would change, write nothing
    --http            (install-hooks) register Claude Code's http hook form (user scope only)
    --follow, -f      (events) keep streaming
    --since SEQ       (events) only events after SEQ
    --last N          (events) the last N events
    --session ID      (events) only this session; (sessions) this session's detail
    --type NAME       (events) only this hook event type
    --fix             (doctor) repair what is safe to repair
    --start           (doctor --fix) start the daemon to drain a leftover spool
    --hooks           (doctor --fix) install missing hooks
    --verbose         more detail (and stack traces)
    --version, --help

  State lives in $MPM_MON_HOME (default: the platform's state directory for mpm-mon).
`;

export async function main(argv: string[]): Promise<number> {
  const cli = meow(HELP, {
    importMeta: import.meta,
    argv,
    allowUnknownFlags: false,
    booleanDefault: undefined,
    flags: {
      daemon: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean', default: false },
      color: { type: 'boolean', default: true },
      ascii: { type: 'boolean', default: false },
      start: { type: 'boolean' },
      logLevel: { type: 'string' },
      scope: { type: 'string', default: 'user' },
      dryRun: { type: 'boolean', default: false },
      http: { type: 'boolean', default: false },
      follow: { type: 'boolean', shortFlag: 'f', default: false },
      since: { type: 'string' },
      last: { type: 'string' },
      session: { type: 'string' },
      type: { type: 'string' },
      fix: { type: 'boolean', default: false },
      hooks: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      notify: { type: 'boolean', default: false },
    },
  });
  const flags = cli.flags;
  const configFlags: Record<string, unknown> = {
    port: flags.port,
    host: flags.host,
    logLevel: flags.logLevel,
  };
  const command = flags.daemon ? '--daemon' : (cli.input[0] ?? '');
  const common = { json: flags.json, color: flags.color && !process.env.NO_COLOR, configFlags };
  try {
    switch (command) {
      case '--daemon': {
        const { runDaemonForeground } = await import('./daemon.js');
        return await runDaemonForeground({ configFlags });
      }
      case 'start':
      case 'stop':
      case 'restart':
      case 'status': {
        const lifecycle = await import('./lifecycle.js');
        return await lifecycle[command]({ ...common });
      }
      case 'events': {
        const { runEvents } = await import('./events.js');
        return await runEvents({
          ...common,
          follow: flags.follow,
          since: flags.since,
          last: flags.last,
          session: flags.session,
          type: flags.type,
        });
      }
      case 'sessions': {
        const { runSessions } = await import('./sessions.js');
        return await runSessions({ json: flags.json, session: flags.session });
      }
      case 'doctor': {
        const { runDoctor } = await import('./doctor.js');
        return await runDoctor({
          json: flags.json,
          fix: flags.fix,
          start: flags.start === true,
          hooks: flags.hooks,
          verbose: flags.verbose,
          ascii: flags.ascii,
          color: common.color,
          env: process.env,
          cwd: process.cwd(),
        });
      }
      case 'install-hooks':
      case 'uninstall-hooks': {
        const hooks = await import('./install-hooks.js');
        const { host, port } = await daemonAddressFor(configFlags);
        const options = {
          scope: flags.scope,
          dryRun: flags.dryRun,
          http: flags.http,
          json: flags.json,
          host,
          port,
        };
        return command === 'install-hooks'
          ? hooks.runInstallHooks(options)
          : hooks.runUninstallHooks(options);
      }
      case '': {
        const { runViewer } = await import('./viewer.js');
        return await runViewer({
          ...common,
          ascii: flags.ascii,
          start: flags.start !== false,
          notify: flags.notify,
        });
      }
      default:
        process.stderr.write(`mpm-mon: unknown command "${command}". Run \`mpm-mon --help\` for the list.\n`);
        return 2;
    }
  } catch (error) {
    return reportFailure(error, flags.json, flags.verbose);
  }
}

/** Where http hooks should post: the running daemon's address, else the configured one. */
async function daemonAddressFor(
  configFlags: Record<string, unknown>,
): Promise<{ host: string; port: number }> {
  const { discoverDaemon } = await import('../client/discover.js');
  const found = discoverDaemon();
  if (found.ok && found.daemon.port > 0) return { host: found.daemon.host, port: found.daemon.port };
  const { loadConfig } = await import('../config/load.js');
  const { config } = loadConfig({ flags: configFlags });
  return { host: config.host, port: config.port };
}

/** Expected failures are structured errors, printed without a stack; anything else is a bug. */
export function reportFailure(error: unknown, json: boolean, verbose: boolean): number {
  const failure = presentFailure(error, { verbose });
  process.stderr.write(`${json ? JSON.stringify(failure.json) : failure.text}\n`);
  return failure.exitCode;
}

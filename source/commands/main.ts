/** Parses the command line (meow) and runs one command, loading only what that command needs. */
import meow, { type AnyFlags } from 'meow';
import { colorRefused } from '../errors/text-style.js';
import { invocation } from '../instance/invocation.js';
import { VERSION } from '../protocol/version.js';
import { describeProblem, readArgv } from './argv.js';
import { exitQuietlyOnClosedPipe } from './closed-pipe.js';
import { commandHelp, mainHelp } from './help.js';
import { FLAGS, commandSpec } from './spec.js';
import { reportFailure } from './report-failure.js';

/** meow's flag table, from the one in spec.ts. */
function meowFlags(): AnyFlags {
  const flags: AnyFlags = {};
  for (const spec of FLAGS) {
    const short = spec.short ? { shortFlag: spec.short } : {};
    flags[spec.name] =
      spec.type === 'string'
        ? { type: 'string', ...short }
        : { type: 'boolean', ...short, ...(spec.negated ? { default: true } : {}) };
  }
  return flags;
}

interface ParsedFlags {
  daemon?: boolean;
  port?: string;
  host?: string;
  json?: boolean;
  color: boolean;
  ascii?: boolean;
  start?: boolean;
  mouse: boolean;
  notify?: boolean;
  logLevel?: string;
  scope?: string;
  dryRun?: boolean;
  http?: boolean;
  follow?: boolean;
  since?: string;
  until?: string;
  last?: string;
  session?: string;
  type?: string;
  fix?: boolean;
  hooks?: boolean;
  verbose?: boolean;
  help?: boolean;
  version?: boolean;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout);
  const shape = readArgv(argv);
  const wantsHelp = argv.some((arg) => arg === '--help' || arg === '-h');
  if (wantsHelp && shape.problem?.kind !== 'unknown-command') {
    const spec = commandSpec(shape.command === '--daemon' ? '' : shape.command);
    process.stdout.write(spec && spec.name !== '' ? commandHelp(spec) : mainHelp());
    return 0;
  }
  if (argv.some((arg) => arg === '--version' || arg === '-v')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (shape.problem) {
    process.stderr.write(`${describeProblem(shape.problem, invocation().command)}\n`);
    return 2;
  }
  if (shape.command === 'help') return help(shape.positionals[1]);

  const cli = meow({
    importMeta: import.meta,
    argv,
    autoHelp: false,
    autoVersion: false,
    allowUnknownFlags: true,
    booleanDefault: undefined,
    flags: meowFlags(),
  });
  const flags = cli.flags as unknown as ParsedFlags;
  const configFlags: Record<string, unknown> = {
    port: flags.port,
    host: flags.host,
    logLevel: flags.logLevel,
  };
  const command = shape.command;
  const json = flags.json === true;
  const verbose = flags.verbose === true;
  const common = {
    json,
    color: flags.color && !colorRefused({ flag: flags.color, env: process.env }),
    configFlags,
  };
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
          follow: flags.follow === true,
          since: flags.since,
          until: flags.until,
          last: flags.last,
          session: flags.session,
          type: flags.type,
        });
      }
      case 'sessions': {
        const { runSessions } = await import('./sessions.js');
        return await runSessions({ json, session: flags.session });
      }
      case 'doctor': {
        const { runDoctor } = await import('./doctor.js');
        return await runDoctor({
          json,
          fix: flags.fix === true,
          start: flags.start === true,
          hooks: flags.hooks === true,
          verbose,
          ascii: flags.ascii === true,
          color: common.color,
          flags: configFlags,
          env: process.env,
          cwd: process.cwd(),
        });
      }
      case 'install-hooks':
      case 'uninstall-hooks': {
        const hooks = await import('./install-hooks.js');
        const { scheme, host, port } = await daemonAddressFor(configFlags);
        const options = {
          scope: flags.scope ?? 'user',
          dryRun: flags.dryRun === true,
          http: flags.http === true,
          json,
          scheme,
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
          ascii: flags.ascii === true,
          start: flags.start !== false,
          mouse: flags.mouse !== false,
          notify: flags.notify === true,
        });
      }
      default:
        // readArgv refused every other name already.
        return 2;
    }
  } catch (error) {
    return reportFailure(error, json, verbose);
  }
}

/** `mpm-mon help [command]`. */
function help(name: string | undefined): number {
  if (name === undefined) {
    process.stdout.write(mainHelp());
    return 0;
  }
  const spec = commandSpec(name);
  if (!spec) {
    const problem = readArgv([name]).problem;
    const text = problem
      ? describeProblem(problem, invocation().command)
      : `mpm-mon: unknown command "${name}".`;
    process.stderr.write(`${text}\n`);
    return 2;
  }
  process.stdout.write(commandHelp(spec));
  return 0;
}

/**
 * Where http hooks should post: the daemon `url` names or the running daemon's address, else the
 * configured one; https when it serves TLS.
 */
async function daemonAddressFor(
  configFlags: Record<string, unknown>,
): Promise<{ scheme: 'http' | 'https'; host: string; port: number }> {
  const { discoverDaemon } = await import('../client/discover.js');
  const found = discoverDaemon();
  if (found.ok && found.daemon.port > 0)
    return { scheme: found.daemon.scheme, host: found.daemon.host, port: found.daemon.port };
  const { loadConfig } = await import('../config/load.js');
  const { servesTls } = await import('../config/tls-settings.js');
  const { config } = loadConfig({ flags: configFlags });
  return { scheme: servesTls(config.tls) ? 'https' : 'http', host: config.host, port: config.port };
}

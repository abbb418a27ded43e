import { MpmError } from './base.js';
import type { ErrorCode } from './codes.js';
import type { Guidance, Severity } from './guidance.js';
import {
  findPortOwnerCommands,
  inspectProcessCommands,
  killProcessCommands,
  ownerOnlyFileCommands,
  perPlatform,
  showPermissionsCommands,
  viewLogsCommands,
} from './platform-commands.js';

export type UnreachableReason = 'not-running' | 'hung' | 'refused';

const UNREACHABLE_CODES: Record<UnreachableReason, ErrorCode> = {
  'not-running': 'DAEMON_NOT_RUNNING',
  hung: 'DAEMON_HUNG',
  refused: 'DAEMON_REFUSED',
};

/** The daemon cannot be talked to: nothing runs, it runs but does not answer, or it refuses. */
export class DaemonUnreachableError extends MpmError implements Guidance {
  readonly explanation: string;
  readonly severity: Severity = 'fail';
  readonly reason: UnreachableReason;

  constructor(input: {
    reason: UnreachableReason;
    host: string;
    port: number;
    pid?: number;
    timeoutMs?: number;
    logFile?: string;
  }) {
    const { reason, host, port, pid } = input;
    const where = `${host}:${port}`;
    const message =
      reason === 'not-running'
        ? `no mpm-mon daemon is running (nothing answers on ${where})`
        : reason === 'hung'
          ? `the daemon on ${where} accepted the connection but did not answer within ${input.timeoutMs ?? '?'} ms`
          : `the daemon${pid ? ` (PID ${pid})` : ''} is alive but refuses connections on ${where}`;
    const steps =
      reason === 'not-running'
        ? [
            'Start it: `mpm-mon start` (or `mpm-mon --daemon` in the foreground to watch it start).',
            'If it fails to start, the printed error says why; `mpm-mon doctor` checks everything.',
          ]
        : reason === 'hung'
          ? [
              'Look at the daemon log for what it was doing.',
              'Restart it: `mpm-mon restart`.',
              pid
                ? `If it does not stop, end PID ${pid} by force (commands below), then \`mpm-mon start\`.`
                : 'If it does not stop, find the process on the port and end it, then `mpm-mon start`.',
            ]
          : [
              'Check which port the daemon really uses: `mpm-mon status`.',
              'Look at the daemon log for a listen error.',
              'Restart it: `mpm-mon restart`.',
            ];
    super(UNREACHABLE_CODES[reason], message, {
      context: { reason, host, port, pid, timeoutMs: input.timeoutMs, logFile: input.logFile },
      steps,
      commands: {
        all: reason === 'not-running' ? ['mpm-mon start', 'mpm-mon status'] : ['mpm-mon restart'],
        ...perPlatform((platform) => [
          ...(reason === 'not-running' ? [] : findPortOwnerCommands(platform, port)),
          ...(pid && reason !== 'not-running' ? inspectProcessCommands(platform, pid) : []),
          ...(pid && reason === 'hung' ? killProcessCommands(platform, pid) : []),
          ...(input.logFile && reason !== 'not-running' ? viewLogsCommands(platform, input.logFile) : []),
        ]),
      },
    });
    this.reason = reason;
    this.explanation =
      reason === 'not-running'
        ? 'Hooks spool events to disk while no daemon runs, and viewers have nothing to attach to. ' +
          '`mpm-mon` starts the daemon on demand; `mpm-mon start` does it now.'
        : reason === 'hung'
          ? 'The process is there but its event loop is stuck or overloaded: hooks time out and spool, ' +
            'viewers see nothing new.'
          : 'The PID file names a live process, but nothing accepts connections where it should listen.';
  }
}

export type AuthProblem = 'token-missing' | 'token-permissions' | 'token-rejected';

const AUTH_CODES: Record<AuthProblem, ErrorCode> = {
  'token-missing': 'AUTH_TOKEN_MISSING',
  'token-permissions': 'AUTH_TOKEN_PERMISSIONS',
  'token-rejected': 'AUTH_TOKEN_REJECTED',
};

/** The access token is missing, readable by others, or not the daemon's. */
export class AuthError extends MpmError implements Guidance {
  readonly explanation: string;
  readonly severity: Severity = 'fail';

  constructor(input: { problem: AuthProblem; tokenFile: string; mode?: number; status?: number }) {
    const { problem, tokenFile } = input;
    const mode = input.mode === undefined ? undefined : `0${(input.mode & 0o777).toString(8)}`;
    const message =
      problem === 'token-missing'
        ? `the access token ${tokenFile} is missing or empty`
        : problem === 'token-permissions'
          ? `the access token ${tokenFile} has mode ${mode ?? '?'}; it must be 0600 (owner only)`
          : `the daemon rejected the access token in ${tokenFile}${input.status ? ` (HTTP ${input.status})` : ''}`;
    const steps =
      problem === 'token-missing'
        ? [
            'Restart the daemon: it writes a new token when it starts (`mpm-mon restart`).',
            'Check that MPM_MON_HOME is the same for the daemon and for this command.',
          ]
        : problem === 'token-permissions'
          ? [
              'Make the token readable by you only (`mpm-mon doctor --fix` does it).',
              'Anyone who could read it could read and inject events: restart the daemon to rotate it.',
            ]
          : [
              'The daemon was probably started with another MPM_MON_HOME, or the token was replaced.',
              'Restart the daemon so that it and the token file agree: `mpm-mon restart`.',
            ];
    super(AUTH_CODES[problem], message, {
      context: { problem, tokenFile, mode, httpStatus: input.status },
      steps,
      commands: {
        all: problem === 'token-permissions' ? ['mpm-mon doctor --fix'] : ['mpm-mon restart'],
        ...perPlatform((platform) => [
          ...showPermissionsCommands(platform, tokenFile),
          ...(problem === 'token-permissions' ? ownerOnlyFileCommands(platform, tokenFile) : []),
        ]),
      },
    });
    this.explanation =
      problem === 'token-permissions'
        ? 'The token guards every route that reads or writes events; other local users can read it now.'
        : 'Without the right token, viewers, `mpm-mon events` and the hook cannot talk to the daemon.';
  }
}

/** An export (`mpm-mon events`) lost the daemon after it had printed part of its answer. */
export class ExportInterruptedError extends MpmError implements Guidance {
  readonly explanation =
    'The events above were printed once each, in order; the rest of the answer was not. ' +
    'Reading the journal on disk now would print some of them again, so the command stops here.';
  readonly severity: Severity = 'fail';

  constructor(input: { host: string; port: number; printed: number; lastSeq: number; cause?: unknown }) {
    const { host, port, printed, lastSeq } = input;
    const why = input.cause instanceof Error ? `: ${input.cause.message}` : '';
    super(
      'EXPORT_INTERRUPTED',
      `the export stopped after ${printed} events (the last printed: seq ${lastSeq}): ` +
        `the daemon on ${host}:${port} went away${why}`,
      {
        context: { host, port, printed, lastSeq },
        cause: input.cause,
        steps: [
          `Print the rest: the same command with \`--since ${lastSeq}\` (it prints events after seq ${lastSeq}).`,
          'Check the daemon: `mpm-mon status`; `mpm-mon start` if it is down.',
        ],
        commands: { all: ['mpm-mon status'] },
      },
    );
  }
}

/**
 * A TLS connection to the daemon failed before anything was sent: its certificate did not verify
 * (unknown CA, another name, not the certificate its PID file records, expired), or it speaks clear text.
 */
export class DaemonCertificateError extends MpmError {
  constructor(input: { url: string; code: string; detail?: string }) {
    const clear = input.code === 'ERR_SSL_WRONG_VERSION_NUMBER';
    super(
      'DAEMON_TLS_UNTRUSTED',
      clear
        ? `${input.url} does not speak TLS (${input.code}); nothing was sent`
        : `the daemon at ${input.url} presented a certificate that does not verify (${input.code}${input.detail ? `: ${input.detail}` : ''}); nothing was sent, the token did not leave this machine`,
      {
        context: { url: input.url, code: input.code },
        steps: clear
          ? [
              'The daemon there serves clear text: give it tls.cert and tls.key, or, on a network you trust, use http:// in url with tls.insecure set to true.',
            ]
          : [
              "For a private CA, set tls.ca to the PEM file of the CA that signed the daemon's certificate (for a self-signed certificate: the certificate itself).",
              "The host in url must be one of the certificate's names: `openssl x509 -in CERT.pem -noout -ext subjectAltName` lists them.",
              'Run `mpm-mon doctor` to check the connection step by step.',
            ],
      },
    );
  }
}

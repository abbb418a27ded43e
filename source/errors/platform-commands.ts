/**
 * The one place that knows the real commands per operating system. Pure: every function takes the
 * platform and the facts (port, pid, path) and returns command lines a user can paste.
 *
 * Windows lines are for cmd.exe; where only PowerShell can do the job the line starts with
 * `powershell -NoProfile -Command`, so it runs from either shell.
 */
import type { Platform, PlatformCommands } from './base.js';
import { PLATFORMS } from './base.js';

/** Builds a PlatformCommands with one line list per platform. */
export function perPlatform(build: (platform: Platform) => string[]): PlatformCommands {
  const commands: PlatformCommands = {};
  for (const platform of PLATFORMS) commands[platform] = build(platform);
  return commands;
}

/** Quotes a path for the platform's shell when it needs quoting. */
export function quotePath(platform: Platform, path: string): string {
  if (platform === 'win32') return /[\s&()^%!]/.test(path) ? `"${path}"` : path;
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Who listens on a TCP port. */
export function findPortOwnerCommands(platform: Platform, port: number): string[] {
  switch (platform) {
    case 'linux':
      return [`ss -ltnp 'sport = :${port}'`, `lsof -nP -iTCP:${port} -sTCP:LISTEN`];
    case 'darwin':
      return [`lsof -nP -iTCP:${port} -sTCP:LISTEN`];
    case 'win32':
      return [
        `netstat -ano | findstr :${port}`,
        `powershell -NoProfile -Command "Get-NetTCPConnection -LocalPort ${port} -State Listen | Select-Object LocalAddress,OwningProcess"`,
      ];
  }
}

/** What a process is, with its start time (to tell a reused PID from ours). */
export function inspectProcessCommands(platform: Platform, pid: number): string[] {
  switch (platform) {
    case 'linux':
      return [`ps -o pid,ppid,stat,lstart,etime,cmd -p ${pid}`];
    case 'darwin':
      return [`ps -p ${pid} -o pid,ppid,stat,lstart,etime,command`];
    case 'win32':
      return [
        `tasklist /V /FI "PID eq ${pid}"`,
        `powershell -NoProfile -Command "Get-Process -Id ${pid} | Select-Object Id,ProcessName,StartTime,Path"`,
      ];
  }
}

/** Stops a process: politely, by force, or both (politely first). */
export function killProcessCommands(
  platform: Platform,
  pid: number,
  how: 'both' | 'polite' | 'force' = 'both',
): string[] {
  const polite = platform === 'win32' ? `taskkill /PID ${pid}` : `kill ${pid}`;
  const force = platform === 'win32' ? `taskkill /PID ${pid} /F` : `kill -9 ${pid}`;
  return how === 'polite' ? [polite] : how === 'force' ? [force] : [polite, force];
}

/** Removes one file. */
export function removeFileCommands(platform: Platform, path: string): string[] {
  return [`${platform === 'win32' ? 'del' : 'rm'} ${quotePath(platform, path)}`];
}

/** The open-files limit, and how many a process holds. */
export function openFilesCommands(platform: Platform, pid?: number): string[] {
  if (platform === 'win32')
    return pid ? [`powershell -NoProfile -Command "(Get-Process -Id ${pid}).HandleCount"`] : [];
  if (platform === 'linux') return ['ulimit -n', ...(pid ? [`ls /proc/${pid}/fd | wc -l`] : [])];
  return ['ulimit -n', ...(pid ? [`lsof -p ${pid} | wc -l`] : [])];
}

/** Installs a Node.js of at least `major`. */
export function installNodeCommands(platform: Platform, major: number): string[] {
  switch (platform) {
    case 'linux':
      return [`nvm install ${major} && nvm use ${major}`];
    case 'darwin':
      return [`brew install node@${major}`, `nvm install ${major} && nvm use ${major}`];
    case 'win32':
      return ['winget install OpenJS.NodeJS.LTS'];
  }
}

/** The daemon's log: its own file, and the service manager's journal where there is one. */
export function viewLogsCommands(platform: Platform, logFile: string): string[] {
  const file = quotePath(platform, logFile);
  switch (platform) {
    case 'linux':
      return [`tail -n 100 ${file}`, 'journalctl --user -u mpm-mon -n 100 --no-pager'];
    case 'darwin':
      return [`tail -n 100 ${file}`, 'launchctl print gui/$(id -u)/dev.mpm-mon'];
    case 'win32':
      return [`powershell -NoProfile -Command "Get-Content -Tail 100 ${file}"`];
  }
}

/** Free space on the volume that holds `dir`, and what in `dir` uses it. */
export function diskSpaceCommands(platform: Platform, dir: string): string[] {
  const path = quotePath(platform, dir);
  switch (platform) {
    case 'linux':
      return [`df -h ${path}`, `du -sh ${path}/*`];
    case 'darwin':
      return [`df -h ${path}`, `du -sh ${path}/*`];
    case 'win32':
      return [`powershell -NoProfile -Command "Get-PSDrive -PSProvider FileSystem"`, `dir /S ${path}`];
  }
}

/** Shows who owns a file or folder and its permissions. */
export function showPermissionsCommands(platform: Platform, path: string): string[] {
  const quoted = quotePath(platform, path);
  switch (platform) {
    case 'linux':
      return [`ls -ld ${quoted}`, `stat -c '%a %U:%G %n' ${quoted}`];
    case 'darwin':
      return [`ls -ld ${quoted}`, `stat -f '%Lp %Su:%Sg %N' ${quoted}`];
    case 'win32':
      return [`icacls ${quoted}`];
  }
}

/** Makes a secret file readable and writable by its owner only (mode 0600). */
export function ownerOnlyFileCommands(platform: Platform, path: string): string[] {
  const quoted = quotePath(platform, path);
  if (platform === 'win32') return [`icacls ${quoted} /inheritance:r /grant:r "%USERNAME%:F"`];
  return [`chmod 600 ${quoted}`];
}

/** Creates a folder the current user owns and can write. */
export function makeWritableDirCommands(platform: Platform, dir: string): string[] {
  const quoted = quotePath(platform, dir);
  if (platform === 'win32') return [`mkdir ${quoted}`, `icacls ${quoted} /grant "%USERNAME%:(OI)(CI)F"`];
  return [`mkdir -p ${quoted}`, `chmod 700 ${quoted}`, `sudo chown -R "$(id -un)" ${quoted}`];
}

export interface LoginServiceOptions {
  /** The node binary that runs mpm-mon. */
  execPath: string;
  /** The mpm-mon entry script (dist/cli.js); absolute, as service managers do not search PATH alike. */
  cliPath: string;
  /** MPM_MON_HOME to pass on, when the user set one. */
  home?: string;
  /** Where the service manager should write the daemon's output (macOS). */
  logFile?: string;
}

/** How to keep the daemon running at login: the file to write (if any) and the commands to run. */
export interface LoginServiceHint {
  platform: Platform;
  manager: 'systemd' | 'launchd' | 'schtasks';
  /** A file to create first, with its full text. */
  file?: { path: string; contents: string };
  commands: string[];
  /** Commands to undo it. */
  removeCommands: string[];
  notes: string[];
}

export const SYSTEMD_UNIT_PATH = '~/.config/systemd/user/mpm-mon.service';
export const LAUNCHD_LABEL = 'dev.mpm-mon';
export const LAUNCHD_PLIST_PATH = `~/Library/LaunchAgents/${LAUNCHD_LABEL}.plist`;
export const WINDOWS_TASK_NAME = 'mpm-mon';

function daemonArgv(options: LoginServiceOptions): string[] {
  return [options.execPath, options.cliPath, '--daemon'];
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function systemdQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}

export function loginServiceHint(platform: Platform, options: LoginServiceOptions): LoginServiceHint {
  const argv = daemonArgv(options);
  switch (platform) {
    case 'linux':
      return {
        platform,
        manager: 'systemd',
        file: {
          path: SYSTEMD_UNIT_PATH,
          contents: [
            '[Unit]',
            'Description=mpm-mon daemon (monitor for Claude Code sessions)',
            '',
            '[Service]',
            `ExecStart=${argv.map(systemdQuote).join(' ')}`,
            ...(options.home ? [`Environment=${systemdQuote(`MPM_MON_HOME=${options.home}`)}`] : []),
            // 0 is a clean stop (stay stopped); 75 is an emergency stop by the recovery manager.
            'Restart=on-failure',
            'RestartSec=2',
            '',
            '[Install]',
            'WantedBy=default.target',
            '',
          ].join('\n'),
        },
        commands: [
          'mkdir -p ~/.config/systemd/user',
          'systemctl --user daemon-reload && systemctl --user enable --now mpm-mon',
          'systemctl --user status mpm-mon',
          'journalctl --user -u mpm-mon',
        ],
        removeCommands: [
          'systemctl --user disable --now mpm-mon',
          `rm ${SYSTEMD_UNIT_PATH}`,
          'systemctl --user daemon-reload',
        ],
        notes: [
          `Write the unit file to ${SYSTEMD_UNIT_PATH}, then run the commands.`,
          'To keep it running after you log out: loginctl enable-linger "$(id -un)"',
        ],
      };
    case 'darwin': {
      const logFile = options.logFile ?? '/tmp/mpm-mon.log';
      const env = options.home
        ? [
            '  <key>EnvironmentVariables</key>',
            '  <dict>',
            '    <key>MPM_MON_HOME</key>',
            `    <string>${xmlEscape(options.home)}</string>`,
            '  </dict>',
          ]
        : [];
      return {
        platform,
        manager: 'launchd',
        file: {
          path: LAUNCHD_PLIST_PATH,
          contents: [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
            '<plist version="1.0">',
            '<dict>',
            '  <key>Label</key>',
            `  <string>${LAUNCHD_LABEL}</string>`,
            '  <key>ProgramArguments</key>',
            '  <array>',
            ...argv.map((arg) => `    <string>${xmlEscape(arg)}</string>`),
            '  </array>',
            ...env,
            '  <key>RunAtLoad</key>',
            '  <true/>',
            '  <key>KeepAlive</key>',
            '  <dict>',
            '    <key>SuccessfulExit</key>',
            '    <false/>',
            '  </dict>',
            '  <key>StandardOutPath</key>',
            `  <string>${xmlEscape(logFile)}</string>`,
            '  <key>StandardErrorPath</key>',
            `  <string>${xmlEscape(logFile)}</string>`,
            '</dict>',
            '</plist>',
            '',
          ].join('\n'),
        },
        commands: [
          `launchctl bootstrap gui/$(id -u) ${LAUNCHD_PLIST_PATH}`,
          `launchctl print gui/$(id -u)/${LAUNCHD_LABEL}`,
          `launchctl kickstart -k gui/$(id -u)/${LAUNCHD_LABEL}`,
        ],
        removeCommands: [`launchctl bootout gui/$(id -u)/${LAUNCHD_LABEL}`, `rm ${LAUNCHD_PLIST_PATH}`],
        notes: [`Write the agent to ${LAUNCHD_PLIST_PATH}, then run the commands.`],
      };
    }
    case 'win32': {
      const action = argv.map((arg) => (/\s/.test(arg) ? `\\"${arg}\\"` : arg)).join(' ');
      return {
        platform,
        manager: 'schtasks',
        commands: [
          `schtasks /Create /SC ONLOGON /TN "${WINDOWS_TASK_NAME}" /TR "${action}" /RL LIMITED /F`,
          `schtasks /Run /TN "${WINDOWS_TASK_NAME}"`,
          `schtasks /Query /TN "${WINDOWS_TASK_NAME}" /V /FO LIST`,
        ],
        removeCommands: [`schtasks /Delete /TN "${WINDOWS_TASK_NAME}" /F`],
        notes: [
          'Creating a log-on task may need an elevated prompt ("Run as administrator") if schtasks says Access is denied.',
          ...(options.home
            ? [`Set MPM_MON_HOME=${options.home} for your user first: setx MPM_MON_HOME "${options.home}"`]
            : []),
        ],
      };
    }
  }
}

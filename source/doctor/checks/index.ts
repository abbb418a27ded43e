/** Every doctor check, in the order they are shown (the order of causes: environment first). */
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';
import { checkConfig } from './config.js';
import { checkAuthentication, checkHealthVerdict, checkReachable, checkRecovery } from './daemon.js';
import { checkInstall, checkNodeVersion } from './environment.js';
import { checkHome } from './home.js';
import { checkHooks, checkHttpHooks } from './hooks.js';
import { checkJournal } from './journal.js';
import { checkPidFile } from './pid-file.js';
import { checkPort } from './port.js';
import { checkDaemonProcess } from './process.js';
import { checkSpool } from './spool.js';
import { checkToken } from './token.js';

export interface CheckSpec {
  name: string;
  label: string;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export function allChecks(options: { startCommand?: string[] } = {}): CheckSpec[] {
  return [
    { name: 'node', label: 'Node.js', run: checkNodeVersion },
    { name: 'install', label: 'mpm-mon install', run: checkInstall },
    { name: 'config', label: 'configuration', run: checkConfig },
    { name: 'home', label: 'home folder', run: checkHome },
    { name: 'token', label: 'access token', run: checkToken },
    { name: 'pid-file', label: 'PID file', run: checkPidFile },
    { name: 'process', label: 'daemon process', run: checkDaemonProcess },
    { name: 'port', label: 'port', run: checkPort },
    { name: 'reachable', label: 'daemon reachable', run: checkReachable },
    { name: 'health', label: 'daemon health', run: checkHealthVerdict },
    { name: 'auth', label: 'authentication', run: checkAuthentication },
    { name: 'journal', label: 'journal', run: checkJournal },
    { name: 'spool', label: 'spool', run: (ctx) => checkSpool(ctx, options.startCommand) },
    { name: 'hooks', label: 'Claude Code hooks', run: checkHooks },
    { name: 'hooks-http', label: 'Claude Code http hooks', run: checkHttpHooks },
    { name: 'recovery', label: 'breaker and recoveries', run: checkRecovery },
  ];
}

/**
 * A daemon on another machine, reached by the `url` setting: no PID file is read; the token comes from
 * MPM_MON_TOKEN or the file `tokenFile` names (read as a secret: a regular file of ours, mode 0600, no
 * link); `tls.ca` is the CA its certificate is verified with, and the name in the URL is checked.
 * Light: the hook goes through here too.
 */
import { homePaths } from '../config/home.js';
import { daemonUrlProblem, parseDaemonUrl } from '../config/daemon-url.js';
import { oneLine, readSettingFile } from '../instance/setting-file.js';
import {
  readCa,
  settingFailure,
  TOKEN_ENV,
  type ClientKey,
  type ClientSettings,
  type SettingFailure,
} from './client-settings.js';
import type { DaemonAddress } from './discover.js';

export type RemoteResult = { ok: true; daemon: DaemonAddress } | { ok: false; setting: SettingFailure };

export function remoteDaemon(settings: ClientSettings, env: NodeJS.ProcessEnv, home: string): RemoteResult {
  const fail = (key: ClientKey, value: string, expected: string): RemoteResult => ({
    ok: false,
    setting: settingFailure(settings, key, value, expected),
  });
  const problem = daemonUrlProblem(settings.url, settings.insecure);
  if (problem !== null) return fail('url', settings.url, problem);
  const target = parseDaemonUrl(settings.url);
  if (typeof target === 'string') return fail('url', settings.url, target);

  let token = env[TOKEN_ENV]?.trim() ?? '';
  if (/\s/.test(token))
    return {
      ok: false,
      setting: {
        key: TOKEN_ENV,
        value: '(hidden)',
        expected: 'the access token on its own: one word, no spaces',
        source: 'env',
        where: TOKEN_ENV,
      },
    };
  if (token === '') {
    const path = settings.tokenFile || homePaths(home).tokenFile;
    const read = readSettingFile(path, 'token');
    if (!read.ok) return fail('tokenFile', path, `${read.expected}; or set ${TOKEN_ENV}`);
    token = oneLine(read.text).trim();
  }

  const trusted = readCa(settings);
  if (!trusted.ok) return trusted;
  const { ca } = trusted;
  return {
    ok: true,
    daemon: {
      scheme: target.scheme,
      host: target.host,
      port: target.port,
      token,
      pid: 0,
      version: '',
      startedAt: '',
      remote: true,
      ...(target.scheme === 'https' ? { tls: ca !== undefined ? { ca } : {} } : {}),
    },
  };
}

/**
 * The settings every client reads to find the daemon (`url`, `tokenFile`, `tls.ca`, `tls.insecure`),
 * from the environment, then the config file: the same keys, names and precedence as config/resolve.ts,
 * read without conf or the schema because the hook reads them on every call. Validation is
 * resolve.ts's at start-up (and `client/remote.ts` says what is wrong with a value it cannot use).
 * The token itself is never a setting: MPM_MON_TOKEN or the file `tokenFile` names.
 */
import { homedir } from 'node:os';
import { confFilePath } from '../config/home.js';
import { readSmallFile } from '../instance/safe-file.js';
import { readSettingFile } from '../instance/setting-file.js';

export type ClientKey = 'url' | 'tokenFile' | 'tls.ca' | 'tls.insecure';

export const CLIENT_ENV: Record<ClientKey, string> = {
  url: 'MPM_MON_URL',
  tokenFile: 'MPM_MON_TOKEN_FILE',
  'tls.ca': 'MPM_MON_TLS_CA',
  'tls.insecure': 'MPM_MON_TLS_INSECURE',
};

/** The token for a daemon reached by `url`, when it is not read from `tokenFile`. */
export const TOKEN_ENV = 'MPM_MON_TOKEN';

export interface ClientSettings {
  url: string;
  tokenFile: string;
  ca: string;
  insecure: boolean;
  /** Where each set value came from (an env variable's name or the config file), for error messages. */
  origin: Partial<Record<ClientKey, { source: 'env' | 'file'; where: string }>>;
}

/** A client setting that cannot be used as it is (ConfigError's fields). */
export interface SettingFailure {
  key: string;
  value: string;
  expected: string;
  source: 'env' | 'file' | 'default';
  where?: string;
}

export function settingFailure(
  settings: ClientSettings,
  key: ClientKey,
  value: string,
  expected: string,
): SettingFailure {
  return { key, value, expected, ...(settings.origin[key] ?? { source: 'default' }) };
}

/** The PEM text of `tls.ca` (undefined: the system's CAs), or why it cannot be used. */
export function readCa(
  settings: ClientSettings,
): { ok: true; ca?: string } | { ok: false; setting: SettingFailure } {
  if (settings.ca === '') return { ok: true };
  const read = readSettingFile(settings.ca, 'certificate');
  return read.ok
    ? { ok: true, ca: read.text }
    : { ok: false, setting: settingFailure(settings, 'tls.ca', settings.ca, read.expected) };
}

const CONFIG_MAX_BYTES = 1024 * 1024;

export function readClientSettings(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = homedir(),
): ClientSettings {
  const file = confFilePath(env, homeDir, platform);
  const content = configContent(file);
  const origin: ClientSettings['origin'] = {};
  const value = (key: ClientKey): string => {
    const fromEnv = env[CLIENT_ENV[key]]?.trim();
    if (fromEnv) {
      origin[key] = { source: 'env', where: CLIENT_ENV[key] };
      return fromEnv;
    }
    const fromFile = fileValue(content, key);
    if (fromFile === undefined) return '';
    origin[key] = { source: 'file', where: file };
    return fromFile;
  };
  const insecure = value('tls.insecure');
  return {
    url: value('url'),
    tokenFile: value('tokenFile'),
    ca: value('tls.ca'),
    insecure: insecure === 'true' || insecure === '1',
    origin,
  };
}

/** The config file's object; an unreadable or broken file reads as empty here (resolve.ts reports it). */
function configContent(file: string): Record<string, unknown> {
  const read = readSmallFile(file, CONFIG_MAX_BYTES, { followLinks: true });
  if (read.kind !== 'text') return {};
  try {
    const parsed: unknown = JSON.parse(read.text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** A key nested (`{"tls": {"ca": …}}`) or dotted (`{"tls.ca": …}`), as text. */
function fileValue(content: Record<string, unknown>, key: ClientKey): string | undefined {
  const [head, tail] = key.split('.') as [string, string | undefined];
  const nested = content[head];
  const raw =
    key in content
      ? content[key]
      : tail !== undefined && typeof nested === 'object' && nested !== null
        ? (nested as Record<string, unknown>)[tail]
        : tail === undefined
          ? nested
          : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  if (typeof raw === 'boolean') return String(raw);
  return undefined;
}

/** A file a setting names, needed to start: read by `setting-file.ts`, or a ConfigError naming the key. */
import { ConfigError, type ConfigSource } from '../errors/config-error.js';
import { readSettingFile, type SettingFileKind } from './setting-file.js';

/** Where a key's value came from (resolve.ts `originOf`, bound to the sources and the config file). */
export type SettingOrigin = (key: string) => { source: ConfigSource; where?: string };

export function requireSettingFile(
  key: string,
  path: string,
  kind: SettingFileKind,
  originOf: SettingOrigin,
): string {
  const read = readSettingFile(path, kind);
  if (read.ok) return read.text;
  throw new ConfigError({ key, value: path, expected: read.expected, ...originOf(key) });
}

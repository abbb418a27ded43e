/**
 * The files `store.redis` names, read once at start-up through the one setting-file reader: the
 * password file and the client key as secrets, the CA and the client certificate as public files.
 */
import type { RedisTransportSettings } from '../config/redis-url.js';
import { requireSettingFile, type SettingOrigin } from '../instance/required-file.js';
import { oneLine } from '../instance/setting-file.js';

/** What the connection needs from those files. */
export interface RedisCredentials {
  password?: string;
  tls?: { ca?: string; cert?: string; key?: string };
}

export function readRedisCredentials(
  settings: RedisTransportSettings,
  originOf: SettingOrigin,
): RedisCredentials {
  const credentials: RedisCredentials = {};
  const { passwordFile, tls } = settings;
  if (passwordFile !== '')
    credentials.password = oneLine(
      requireSettingFile('store.redis.passwordFile', passwordFile, 'password', originOf),
    );
  const pem = (name: 'ca' | 'cert' | 'key'): string | undefined =>
    tls[name] === ''
      ? undefined
      : requireSettingFile(
          `store.redis.tls.${name}`,
          tls[name],
          name === 'key' ? 'private-key' : 'certificate',
          originOf,
        );
  const ca = pem('ca');
  const cert = pem('cert');
  const key = pem('key');
  if (ca !== undefined || cert !== undefined || key !== undefined)
    credentials.tls = {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
    };
  return credentials;
}

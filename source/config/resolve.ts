/** Pure resolution: flags > environment > config file > defaults, every value validated. */
import { ConfigError, type ConfigSource } from '../errors/config-error.js';
import { daemonUrlProblem } from './daemon-url.js';
import { redisTransportProblem } from './redis-url.js';
import { tlsListenProblem } from './tls-settings.js';
import {
  KEYS,
  KEY_INDEX,
  LOWER_IS_WORSE,
  THRESHOLD_DEFAULTS,
  coerce,
  describeExpected,
  envName,
  suggestKey,
  type Config,
  type ThresholdName,
} from './schema.js';

export interface ConfigInputs {
  /** Flag values by key (only those the user gave). */
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** The config file's contents (nested objects or dotted keys). */
  file?: Record<string, unknown>;
  /** The config file's path, for error messages. */
  fileWhere?: string;
}

export interface ResolvedConfig {
  config: Config;
  /** Where each key's value came from. */
  sources: Record<string, ConfigSource>;
}

/** `{health: {intervalMs: 1}}` → `{"health.intervalMs": 1}`; arrays are values, not branches. */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && !KEY_INDEX.has(path)) {
      Object.assign(flat, flatten(child as Record<string, unknown>, path));
    } else flat[path] = child;
  }
  return flat;
}

export function resolveConfig(inputs: ConfigInputs): ResolvedConfig {
  const env = inputs.env ?? {};
  const file = flatten(inputs.file ?? {});
  for (const key of Object.keys(file)) {
    if (!KEY_INDEX.has(key)) {
      const suggestion = suggestKey(key);
      throw new ConfigError({
        key,
        value: file[key],
        expected: suggestion
          ? `a known key (did you mean "${suggestion}"?)`
          : 'a known key (see README "Configuration")',
        source: 'file',
        where: inputs.fileWhere,
      });
    }
  }
  const flat: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const spec of KEYS) {
    const candidates: Array<[ConfigSource, unknown, string | undefined]> = [
      ['flag', inputs.flags?.[spec.key], `--${spec.key}`],
      ['env', env[envName(spec.key)], envName(spec.key)],
      ['file', file[spec.key], inputs.fileWhere],
    ];
    const found = candidates.find(([, raw]) => raw !== undefined && raw !== '');
    if (!found) {
      flat[spec.key] = spec.default;
      sources[spec.key] = 'default';
      continue;
    }
    const [source, raw, where] = found;
    const value = coerce(spec, raw);
    if (value === undefined)
      throw new ConfigError({ key: spec.key, value: raw, expected: describeExpected(spec), source, where });
    flat[spec.key] = value;
    sources[spec.key] = source;
  }
  const config = unflatten(flat) as unknown as Config;
  checkThresholdOrder(config, sources, inputs.fileWhere);
  checkRedisTransport(config, sources, inputs.fileWhere);
  checkDaemonTransport(config, sources, inputs.fileWhere);
  return { config, sources };
}

function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return root;
}

/** With `store.kind: redis`: a URL we can connect to, never in clear text to another machine by default. */
function checkRedisTransport(
  config: Config,
  sources: Record<string, ConfigSource>,
  fileWhere?: string,
): void {
  if (config.store.kind !== 'redis') return;
  const problem = redisTransportProblem(config.store.redis);
  if (!problem) return;
  throw new ConfigError({ ...problem, ...originOf(problem.key, sources, fileWhere) });
}

/** The daemon's listener and a client's `url`: never clear text beyond loopback unless `tls.insecure`. */
function checkDaemonTransport(
  config: Config,
  sources: Record<string, ConfigSource>,
  fileWhere?: string,
): void {
  const listen = tlsListenProblem(config.host, config.tls);
  if (listen) throw new ConfigError({ ...listen, ...originOf(listen.key, sources, fileWhere) });
  const url = config.url === '' ? null : daemonUrlProblem(config.url, config.tls.insecure);
  if (url)
    throw new ConfigError({
      key: 'url',
      value: config.url,
      expected: url,
      ...originOf('url', sources, fileWhere),
    });
}

/** Where a key's value came from, as a ConfigError names it (the env variable, the file). */
export function originOf(
  key: string,
  sources: Record<string, ConfigSource>,
  fileWhere?: string,
): { source: ConfigSource; where?: string } {
  const source = sources[key] ?? 'default';
  return { source, where: source === 'env' ? envName(key) : source === 'file' ? fileWhere : undefined };
}

function checkThresholdOrder(
  config: Config,
  sources: Record<string, ConfigSource>,
  fileWhere?: string,
): void {
  for (const name of Object.keys(THRESHOLD_DEFAULTS) as ThresholdName[]) {
    const { warn, fail } = config.health.thresholds[name];
    const lowerIsWorse = LOWER_IS_WORSE.has(name);
    if (lowerIsWorse ? warn >= fail : warn <= fail) continue;
    const key = `health.thresholds.${name}.warn`;
    throw new ConfigError({
      key,
      value: warn,
      expected: lowerIsWorse
        ? `a value >= health.thresholds.${name}.fail (${fail}): for ${name} lower is worse`
        : `a value <= health.thresholds.${name}.fail (${fail})`,
      ...originOf(key, sources, fileWhere),
    });
  }
}

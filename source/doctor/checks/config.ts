/** The configuration from every source (flags, MPM_MON_* environment, config file, defaults) is valid. */
import { KEYS, envName, suggestKey } from '../../config/schema.js';
import { insecureListenWarning } from '../../config/tls-settings.js';
import type { DoctorContext } from '../context.js';
import type { CheckOutcome } from '../types.js';

/** MPM_MON_* variables that are not configuration keys but are read by mpm-mon. */
const OTHER_VARIABLES = new Set([
  'MPM_MON_HOME',
  'MPM_MON_TOKEN',
  'MPM_MON_HOOK_TIMEOUT_MS',
  'MPM_MON_TEST_TIMEOUT_MS',
  'MPM_MON_PARENT_PID',
]);

/** MPM_MON_* variables that nothing reads (typos), each with the closest known one. */
export function unknownVariables(env: NodeJS.ProcessEnv): Array<{ name: string; suggestion: string | null }> {
  const known = new Map(KEYS.map((spec) => [envName(spec.key), spec.key]));
  return Object.keys(env)
    .filter((name) => name.startsWith('MPM_MON_') && !known.has(name) && !OTHER_VARIABLES.has(name))
    .sort()
    .map((name) => {
      const asKey = name
        .slice('MPM_MON_'.length)
        .toLowerCase()
        .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const key = suggestKey(asKey);
      return { name, suggestion: key ? envName(key) : null };
    });
}

export async function checkConfig(ctx: DoctorContext): Promise<CheckOutcome> {
  const base = { name: 'config', label: 'configuration', topic: 'config' as const };
  const probe = await ctx.config();
  if (!probe.ok)
    return {
      ...base,
      status: 'fail',
      message: probe.error.message,
      fix: probe.error.steps[0],
      error: probe.error,
      details: { file: probe.file },
    };
  const { sources } = probe.resolved;
  const fromUser = Object.entries(sources).filter(([, source]) => source !== 'default');
  const details = {
    file: probe.file,
    fileExists: probe.fileExists,
    port: probe.resolved.config.port,
    host: probe.resolved.config.host,
    set: Object.fromEntries(fromUser),
  };
  const unknown = unknownVariables(ctx.env);
  if (unknown.length > 0)
    return {
      ...base,
      status: 'warn',
      message: `unknown environment variable${unknown.length === 1 ? '' : 's'} ignored: ${unknown.map((entry) => entry.name).join(', ')}`,
      fix: unknown
        .map((entry) =>
          entry.suggestion ? `${entry.name}: did you mean ${entry.suggestion}?` : `unset ${entry.name}`,
        )
        .join('; '),
      details: { ...details, unknown },
    };
  const { config } = probe.resolved;
  const insecure = insecureListenWarning(config.host, config.tls);
  if (insecure)
    return {
      ...base,
      status: 'warn',
      message: insecure,
      fix: "set tls.cert and tls.key to the daemon's certificate and key (README: Across machines)",
      details,
    };
  const counts = ['flag', 'env', 'file'].map(
    (source) => [source, fromUser.filter(([, s]) => s === source).length] as const,
  );
  const summary = counts
    .filter(([, n]) => n > 0)
    .map(([source, n]) => `${n} from ${source}`)
    .join(', ');
  return {
    ...base,
    status: 'pass',
    message: `valid (${summary || 'all defaults'}; file ${probe.fileExists ? probe.file : 'not created yet'})`,
    details,
  };
}

import { MpmError } from './base.js';

export type ConfigSource = 'flag' | 'env' | 'file' | 'default';

/** An invalid setting: names the key, the value, what is allowed and where the value came from. */
export class ConfigError extends MpmError {
  constructor(input: {
    key: string;
    value: unknown;
    expected: string;
    source: ConfigSource;
    where?: string;
  }) {
    const shown =
      typeof input.value === 'string' ? JSON.stringify(input.value) : String(JSON.stringify(input.value));
    const from = input.where ? `${input.source} ${input.where}` : input.source;
    super(
      'CONFIG_INVALID',
      `invalid value ${shown} for "${input.key}" (from ${from}): expected ${input.expected}`,
      {
        context: {
          key: input.key,
          value: input.value,
          expected: input.expected,
          source: input.source,
          where: input.where,
        },
        steps: [
          input.source === 'flag'
            ? `Run the command again with a valid --${input.key} value.`
            : input.source === 'env'
              ? `Fix or unset the environment variable ${input.where ?? ''}.`.replace(' .', '.')
              : `Edit ${input.where ?? 'the config file'} and fix or remove "${input.key}".`,
          'Run `mpm-mon doctor` to check every configuration source.',
        ],
      },
    );
  }
}

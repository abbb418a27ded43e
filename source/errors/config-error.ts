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

/** The config file is there but is not a JSON object: where it breaks, and what to do. */
export class ConfigFileError extends MpmError {
  constructor(input: { file: string; reason: string; line?: number; column?: number }) {
    const { file, line, column } = input;
    const at = line !== undefined ? ` (line ${line}${column !== undefined ? `, column ${column}` : ''})` : '';
    super('CONFIG_FILE_INVALID', `the config file ${file} is not valid JSON${at}: ${input.reason}`, {
      context: { file, line, column },
      steps: [
        `Fix the JSON in ${file}${line !== undefined ? ` near line ${line}` : ''}: it must be one JSON object, e.g. {"port": 8765}.`,
        `Or move it away to run on the defaults: mv "${file}" "${file}.broken"`,
        'Run `mpm-mon doctor` to check every configuration source.',
      ],
    });
  }

  /** From JSON.parse's message on the file's text (Node 20+ says "at position N"). */
  static fromParse(file: string, text: string, error: unknown): ConfigFileError {
    const reason = error instanceof Error ? error.message : String(error);
    const match = /position (\d+)/.exec(reason);
    if (!match) return new ConfigFileError({ file, reason });
    const before = text.slice(0, Number(match[1])).split('\n');
    return new ConfigFileError({
      file,
      reason: reason.replace(/ in JSON at position \d+.*$/, ''),
      line: before.length,
      column: (before.at(-1) ?? '').length + 1,
    });
  }
}

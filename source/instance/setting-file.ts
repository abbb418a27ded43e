/**
 * The files settings name (a private key, a certificate, a password, the access token), read one way:
 * secrets only from a regular file of this user that no one else may read, never through a link;
 * certificates (public) with links followed, since systems keep CAs as links; each size-capped. Light
 * (safe-file only): the hook reads its token file and CA through it. `required-file.ts` turns a refusal
 * into the start-up error naming the key.
 */
import { readSmallFile } from './safe-file.js';

export type SettingFileKind = 'private-key' | 'certificate' | 'password' | 'token';

const PEM_MAX_BYTES = 256 * 1024;

const RULES: Record<SettingFileKind, { secret: boolean; maxBytes: number; expected: string }> = {
  'private-key': {
    secret: true,
    maxBytes: PEM_MAX_BYTES,
    expected: `a PEM private key: a regular file of yours with mode 0600, at most ${PEM_MAX_BYTES} bytes`,
  },
  certificate: {
    secret: false,
    maxBytes: PEM_MAX_BYTES,
    expected: `a readable PEM file (a regular file, at most ${PEM_MAX_BYTES} bytes)`,
  },
  password: {
    secret: true,
    maxBytes: 4096,
    expected:
      'a readable file holding the password on one line: a regular file of yours with mode 0600, at most 4096 bytes',
  },
  token: {
    secret: true,
    maxBytes: 1024,
    expected:
      "a readable file holding the access token on one line (a copy of the daemon's $MPM_MON_HOME/token): a regular file of yours with mode 0600",
  },
};

export type SettingFileRead = { ok: true; text: string } | { ok: false; expected: string };

/** The file's text, or what was expected and why it is not that. Never the content in a refusal. */
export function readSettingFile(path: string, kind: SettingFileKind): SettingFileRead {
  const rule = RULES[kind];
  const result = readSmallFile(path, rule.maxBytes, { secret: rule.secret, followLinks: !rule.secret });
  if (result.kind === 'text' && result.text.trim() !== '') return { ok: true, text: result.text };
  const why =
    result.kind === 'missing'
      ? 'it does not exist'
      : result.kind === 'error'
        ? result.message
        : 'it is empty';
  return { ok: false, expected: `${rule.expected} (${why})` };
}

/** A one-line secret (a password, a token) without its line end. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * The secret shapes the scrubber knows, each replacing only the secret itself with `[REDACTED:kind]` so
 * that the text around it stays readable. Rules run in order: specific token formats first (they name
 * the kind best), then credentials by context (Bearer, Basic, URL passwords, `NAME=value`).
 *
 * Every regex must stay linear on adversarial input: each starts with a literal or a token-boundary
 * lookbehind, and every repetition that can fail is bounded, so no position is rescanned without limit.
 */
import { isSecretName } from './secret-names.js';

export type SecretKind =
  | 'private-key'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'github-token'
  | 'anthropic-key'
  | 'openai-key'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-key'
  | 'google-api-key'
  | 'gitlab-token'
  | 'huggingface-token'
  | 'sendgrid-key'
  | 'azure-key'
  | 'jwt'
  | 'bearer-token'
  | 'basic-auth'
  | 'url-password'
  | 'assignment'
  | 'cli-password'
  | 'key-name';

export function marker(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}

const ONLY_MARKER = /^\[REDACTED:[a-z-]{1,40}\]$/;
/** A value an earlier rule already redacted (`AccountKey=[REDACTED:azure-key];Endpoint…`). */
const STARTS_WITH_MARKER = /^\[REDACTED:[a-z-]{1,40}\]/;

/**
 * Values that hide nothing: empty, already redacted, a variable reference (`$TOKEN`, `${{ secrets.X }}`),
 * a mask (`****`) or a literal such as `true`/`null`. Leaving them keeps scrubbing idempotent and text readable.
 */
export function isInertValue(value: string): boolean {
  return (
    value.trim() === '' ||
    ONLY_MARKER.test(value) ||
    value.startsWith('$') ||
    /^\*+$/.test(value) ||
    /^(?:true|false|null|none|nil|undefined)$/i.test(value)
  );
}

/** A value worth redacting: not inert, and not already (partly) redacted by an earlier rule. */
export function hidesSomething(value: string): boolean {
  return !isInertValue(value) && !STARTS_WITH_MARKER.test(value.replace(/^['"]/, ''));
}

export interface ScrubRule {
  kind: SecretKind;
  /** A cheap test; when it fails on a string the rule cannot match there. */
  hint: RegExp;
  /** Returns the text with this rule's secrets replaced, calling `found` once per replacement. */
  apply(text: string, found: (kind: SecretKind) => void): string;
}

type Groups = ReadonlyArray<string | undefined>;

/** A rule from a global regex; `redact` returns the replacement for a match, or undefined to keep it. */
function regexRule(
  kind: SecretKind,
  hint: RegExp,
  pattern: RegExp,
  redact: (match: string, groups: Groups) => string | undefined = () => marker(kind),
): ScrubRule {
  if (!pattern.global) throw new Error(`scrub rule ${kind}: the pattern must be global`);
  return {
    kind,
    hint,
    apply(text, found) {
      return text.replace(pattern, (match: string, ...args: unknown[]) => {
        const replacement = redact(match, args.slice(0, -2) as Groups);
        if (replacement === undefined || replacement === match) return match;
        found(kind);
        return replacement;
      });
    },
  };
}

/** PEM private key blocks, whole. A block cut off before its END line is redacted up to where its body ends. */
const privateKeyRule: ScrubRule = {
  kind: 'private-key',
  hint: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY/,
  apply(text, found) {
    const begin = /-----BEGIN ((?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?)-----/g;
    const body = /(?:[A-Za-z0-9+/=:,\s-]|\\[nr])*/y;
    // Once an END line is missing after some offset it is missing after every later one: remember that,
    // so many BEGIN lines without an END cannot make this quadratic.
    const missingEnd = new Set<string>();
    let out = '';
    let copied = 0;
    for (let match = begin.exec(text); match !== null; match = begin.exec(text)) {
      const label = match[1]!;
      const afterHeader = match.index + match[0].length;
      const endLine = `-----END ${label}-----`;
      let stop = missingEnd.has(label) ? -1 : text.indexOf(endLine, afterHeader);
      if (stop === -1) {
        missingEnd.add(label);
        // The body ends at the next BEGIN line at the latest (seen on its own); scanning only up to it
        // keeps a run of headers without END lines linear.
        const nextBegin = text.indexOf('-----BEGIN ', afterHeader);
        const segment = nextBegin === -1 ? text.slice(afterHeader) : text.slice(afterHeader, nextBegin);
        body.lastIndex = 0;
        body.test(segment);
        stop = afterHeader + body.lastIndex;
      } else stop += endLine.length;
      out += text.slice(copied, match.index) + marker('private-key');
      found('private-key');
      copied = stop;
      begin.lastIndex = Math.max(stop, afterHeader);
    }
    return copied === 0 ? text : out + text.slice(copied);
  },
};

const SCHEME_PREFIX = /^(?:bearer|basic|token|digest)[ \t]+(?=\S)/i;

/** `NAME=value` style: keep an auth scheme word (`Bearer`), redact the rest unless it hides nothing. */
function redactAssignedValue(value: string): string | undefined {
  const scheme = SCHEME_PREFIX.exec(value);
  const prefix = scheme ? scheme[0] : '';
  const rest = value.slice(prefix.length);
  if (isInertValue(rest) || STARTS_WITH_MARKER.test(rest.trim())) return undefined;
  // `Authorization: Bearer` with the token on the next line: the scheme word hides nothing.
  if (prefix === '' && /^(?:bearer|basic|token|digest)$/i.test(rest)) return undefined;
  return prefix + marker('assignment');
}

// A value after `=`/`:`: "double-quoted" (the quotes may be backslash-escaped, as in JSON inside a shell
// command), 'single-quoted', or bare up to whitespace, a quote, a backslash or the `&name=` of the next
// query parameter (a lone `&` may be part of a password).
const VALUE =
  String.raw`(?:(\\?")((?:[^"\\\n]|\\[^"\n]){0,4096})(\\?")|(')([^'\n]{0,4096})(')|` +
  String.raw`((?:(?:bearer|basic|token|digest)[ \t]+)?(?:[^\s"'&\\]|&(?![A-Za-z_][A-Za-z0-9_.-]{0,63}=)){1,4096}))`;

/** Rebuilds a quoted or bare value from VALUE's seven groups, redacting its content. */
function redactValueGroups(groups: Groups): string | undefined {
  const [dq1, dqContent, dq2, sq1, sqContent, sq2, bare] = groups;
  if (dqContent !== undefined) {
    const redacted = redactAssignedValue(dqContent);
    return redacted === undefined ? undefined : `${dq1}${redacted}${dq2}`;
  }
  if (sqContent !== undefined) {
    const redacted = redactAssignedValue(sqContent);
    return redacted === undefined ? undefined : `${sq1}${redacted}${sq2}`;
  }
  return bare === undefined ? undefined : redactAssignedValue(bare);
}

const SECRET_NAME_HINT = /secret|token|pass|pwd|_pw|credential|key|auth/i;

/**
 * A name followed by a separator (`lead` has three groups: prefix, name, separator). The value is
 * read only after a secret name, and scanning resumes right after the separator otherwise: so in
 * `headers: X-Auth-Token: abc` the innocent `headers:` does not swallow the `X-Auth-Token` that follows,
 * and no text is scanned for a value more than once.
 */
function assignmentRule(lead: RegExp): ScrubRule {
  const value = new RegExp(VALUE, 'iy');
  return {
    kind: 'assignment',
    hint: SECRET_NAME_HINT,
    apply(text, found) {
      lead.lastIndex = 0;
      let out = '';
      let copied = 0;
      for (let match = lead.exec(text); match !== null; match = lead.exec(text)) {
        const valueStart = match.index + match[0].length;
        if (!isSecretName(match[2]!)) continue;
        value.lastIndex = valueStart;
        const valueMatch = value.exec(text);
        if (valueMatch === null) continue;
        lead.lastIndex = value.lastIndex;
        const redacted = redactValueGroups(valueMatch.slice(1));
        if (redacted === undefined) continue;
        out += text.slice(copied, valueStart) + redacted;
        copied = value.lastIndex;
        found('assignment');
      }
      return copied === 0 ? text : out + text.slice(copied);
    },
  };
}

export const SCRUB_RULES: readonly ScrubRule[] = [
  privateKeyRule,
  regexRule(
    'aws-access-key-id',
    /A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA)/,
    /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  ),
  regexRule(
    'aws-secret-access-key',
    /secret/i,
    /((?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    (_match, [name]) => `${name}${marker('aws-secret-access-key')}`,
  ),
  regexRule(
    'github-token',
    /gh[pousr]_|github_pat_/,
    /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})/g,
  ),
  regexRule('anthropic-key', /sk-ant-/, /(?<![A-Za-z0-9-])sk-ant-[A-Za-z0-9_-]{10,300}/g),
  regexRule(
    'openai-key',
    /sk-/,
    /(?<![A-Za-z0-9-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,300}|[A-Za-z0-9]{20,300})/g,
  ),
  regexRule(
    'slack-token',
    /xox|xapp-/,
    /(?<![A-Za-z0-9-])(?:xox[abprse]-[A-Za-z0-9-]{10,250}|xapp-[0-9]-[A-Za-z0-9-]{10,250})/g,
  ),
  regexRule(
    'slack-webhook',
    /hooks\.slack\.com/,
    /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/-]{8,300})/g,
    (_match, [prefix]) => `${prefix}${marker('slack-webhook')}`,
  ),
  regexRule(
    'stripe-key',
    /[spr]k_(?:live|test)_/,
    /(?<![A-Za-z0-9])(?:sk_live|sk_test|rk_live|rk_test|pk_live)_[A-Za-z0-9]{10,250}/g,
  ),
  regexRule('google-api-key', /AIza/, /(?<![A-Za-z0-9-])AIza[0-9A-Za-z_-]{35,60}/g),
  regexRule(
    'gitlab-token',
    /gl(?:pat|dt|rt|ptt)-/,
    /(?<![A-Za-z0-9-])gl(?:pat|dt|rt|ptt)-[0-9A-Za-z_-]{20,255}/g,
  ),
  regexRule('huggingface-token', /hf_/, /(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,100}/g),
  regexRule('sendgrid-key', /SG\./, /(?<![A-Za-z0-9-])SG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,128}/g),
  regexRule(
    'azure-key',
    /AccountKey=|SharedAccess(?:Key|Signature)=/i,
    /(?<![A-Za-z0-9])((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)([^;"'\s]{1,4096})/gi,
    (_match, [name, value]) => (hidesSomething(value!) ? `${name}${marker('azure-key')}` : undefined),
  ),
  regexRule(
    'jwt',
    /eyJ/,
    /(?<![A-Za-z0-9-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,4096}/g,
  ),
  regexRule(
    'bearer-token',
    /bearer/i,
    /\b(bearer)([ \t]*\r?\n[ \t]*|[ \t]+)([A-Za-z0-9._~+/-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=-]|\[REDACTED:)/gi,
    (_match, [word, space, token]) =>
      looksLikeToken(token!) ? `${word}${space}${marker('bearer-token')}` : undefined,
  ),
  regexRule(
    'basic-auth',
    /basic/i,
    /\b(basic)([ \t]+)([A-Za-z0-9+/]{6,4096}={0,2})(?![A-Za-z0-9+/=])/gi,
    (_match, [word, space, encoded]) =>
      isBasicCredential(encoded!) ? `${word}${space}${marker('basic-auth')}` : undefined,
  ),
  regexRule(
    'url-password',
    /:\/\//,
    /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^\s:/?#@"'\\]{0,256}):([^\s/?#"'\\]{1,256})@(?=[^\s/?#@"'\\])/g,
    (_match, [scheme, user, password]) =>
      isInertValue(password!) || ONLY_MARKER.test(password!)
        ? undefined
        : `${scheme}${user}:${marker('url-password')}@`,
  ),
  // `curl -u user:pass`, `--user user:pass`: the password after the first colon.
  regexRule(
    'cli-password',
    /-u|--user/,
    /(?<![A-Za-z0-9_-])((?:-u|--user)(?:[ \t]+|=)['"]?[^\s:'"[\]]{1,256}:)(?!\/\/)([^\s'"]{1,256})/g,
    (_match, [lead, password]) =>
      hidesSomething(password!) ? `${lead}${marker('cli-password')}` : undefined,
  ),
  // `mysql -pPASS` (the password glued to -p; `-p` alone prompts).
  regexRule(
    'cli-password',
    /mysql|mariadb/i,
    /(?<![A-Za-z0-9_-])((?:mysql|mariadb)[A-Za-z-]{0,12}[ \t](?:[^\n;|&-]|-(?!p)|-p(?=[ \t\n;|&]|$)){0,300}[ \t]-p)('[^'\n]{1,256}'|"[^"\n]{1,256}"|[^\s'"-][^\s'"]{0,255})/gi,
    (_match, [lead, password]) =>
      hidesSomething(password!) ? `${lead}${marker('cli-password')}` : undefined,
  ),
  // `sshpass -p X`.
  regexRule(
    'cli-password',
    /sshpass/,
    /(?<![A-Za-z0-9_-])(sshpass[ \t]+(?:-[a-oq-zA-Z][^\s]{0,100}[ \t]+){0,4}-p[ \t]*)('[^'\n]{1,256}'|"[^"\n]{1,256}"|[^\s'"]{1,256})/g,
    (_match, [lead, password]) =>
      hidesSomething(password!) ? `${lead}${marker('cli-password')}` : undefined,
  ),
  // `aws configure set aws_secret_access_key V`, `git config user.password V`, `npm config set …:_authToken V`.
  regexRule(
    'cli-password',
    /set[ \t]|config[ \t]/i,
    /(?<![A-Za-z0-9_-])((?:set|config|--global|--local)[ \t]+)([\w./:@][\w./:@-]{0,199})([ \t]+)('[^'\n]{1,4096}'|"[^"\n]{1,4096}"|[^\s'"-][^\s'"]{0,4095})/gi,
    (_match, [lead, name, space, value]) => {
      const last =
        name!
          .split(/[./:@]/)
          .filter((part) => part !== '')
          .at(-1) ?? '';
      if (!isSecretName(last) || !hidesSomething(value!.replace(/^['"]|['"]$/g, ''))) return undefined;
      return `${lead}${name}${space}${marker('cli-password')}`;
    },
  ),
  assignmentRule(
    // `NAME=value`, `NAME: value`, `"name": "value"`, `name := value`. A name starts a word (or follows
    // `--`), never inside a URL's user:password.
    new RegExp(
      String.raw`(?<![A-Za-z0-9_.]|[A-Za-z0-9_.]-|:\/\/)(\\?["']?)([A-Za-z_][A-Za-z0-9_.-]{0,63})` +
        String.raw`(\\?["']?[ \t]{0,3}(?::=|=|:(?!\/\/))[ \t]{0,3})`,
      'g',
    ),
  ),
  // `--password value` (the `--password=value` form is the rule above); a value never starts with '-'.
  assignmentRule(/(?<![A-Za-z0-9_-])(--)([A-Za-z][A-Za-z0-9_-]{0,63})([ \t]+)(?=[^\s-])/g),
];

/** One quick test for "could any rule match here?", run before the rules on every string. */
export const ANY_RULE_HINT = new RegExp(
  [...new Set(SCRUB_RULES.map((rule) => rule.hint.source))].join('|'),
  'i',
);

/** "Bearer of bad news" is prose; a token has a digit, a symbol, or is long. */
function looksLikeToken(token: string): boolean {
  return token.length >= 24 || /[0-9._~+/=-]/.test(token);
}

/** `Basic` credentials are base64 of `user:password`; "Basic configuration" does not decode to that. */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

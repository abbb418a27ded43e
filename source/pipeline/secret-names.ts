/**
 * Does a name (an object key, `NAME=` in text, a `--flag`) say that its value is a secret? Names are
 * split into words (snake, kebab, dot and camel case) so that `max_tokens`, `tokenizer` and `author`
 * stay readable while `GITHUB_TOKEN`, `apiKey` and `x-auth-token` are caught.
 */

/** Matched anywhere in the joined lowercase words: strong words with few innocent uses. */
const SECRET_SUBSTRING =
  /secret|passw(?:or)?d|passphrase|credential|api_?key|private_?key|(?:account|access|signing|encryption|master|shared_?access)_?key(?!_?(?:id|name)\b)/;

/** A word that ends in one of these (`token`, `accesstoken`, `tokens`, `dbpwd`). */
const SECRET_WORD_ENDING = /(?:tokens?|pwd)$/;

/** A whole word. */
const SECRET_WORDS: ReadonlySet<string> = new Set(['auth', 'authorization']);

/** The last word of a compound name (`DB_PASS`, `smtp_pw`): alone, `pass` is too common a word. */
const SECRET_LAST_WORDS: ReadonlySet<string> = new Set(['pass', 'pw']);

/** `input_tokens`, `max_tokens`: counts of tokens, not tokens. */
const COUNT_WORDS: ReadonlySet<string> = new Set([
  'max',
  'min',
  'input',
  'output',
  'total',
  'num',
  'cache',
  'prompt',
  'completion',
  'reasoning',
  'used',
  'remaining',
  'context',
  'creation',
  'read',
  'write',
]);

/** `token_type`, `password_file`, `secret_name`: the value describes the secret, it is not the secret. */
const DESCRIPTIVE_LAST_WORDS: ReadonlySet<string> = new Set([
  'file',
  'path',
  'dir',
  'name',
  'type',
  'url',
  'uri',
  'endpoint',
  'count',
  'limit',
  'length',
  'size',
  'id',
  'ref',
  'env',
  'var',
]);

/** Shell variables that hold directories, not passwords. */
const SHELL_DIRECTORY_VARIABLES: ReadonlySet<string> = new Set(['PWD', 'OLDPWD', 'pwd', 'oldpwd']);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Object keys repeat on every event (`session_id`, `tool_input`…): remember the answers, boundedly. */
const MEMO_LIMIT = 2048;
const memo = new Map<string, boolean>();

export function isSecretName(name: string): boolean {
  let answer = memo.get(name);
  if (answer === undefined) {
    answer = judgeName(name);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(name, answer);
  }
  return answer;
}

function judgeName(name: string): boolean {
  if (name.length > 100 || SHELL_DIRECTORY_VARIABLES.has(name)) return false;
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (words.length > 1 && DESCRIPTIVE_LAST_WORDS.has(words[words.length - 1]!)) return false;
  if (SECRET_SUBSTRING.test(words.join('_'))) return true;
  const last = words[words.length - 1]!;
  if (words.length > 1 && SECRET_LAST_WORDS.has(last)) return true;
  if (last.endsWith('tokens') && words.some((word) => COUNT_WORDS.has(word))) return false;
  return words.some((word) => SECRET_WORD_ENDING.test(word) || SECRET_WORDS.has(word));
}

/**
 * Realistic strings and what the scrubber must make of them. Secret-shaped values are assembled from
 * pieces so that this file itself does not look like a leaked credential to secret scanners.
 */
export interface ScrubCase {
  name: string;
  input: string;
  expected: string;
}

const R = (kind: string): string => `[REDACTED:${kind}]`;

const GHP = 'ghp' + '_R4nd0mT0k3nV4lu3F0rT3st1ngOnly0000';
const GH_PAT = 'github' + '_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789';
export const ANTHROPIC = 'sk-' + 'ant-api03-EXAMPLEEXAMPLEEXAMPLEEXAMPLE-EXAMPLEAA';
const OPENAI = 'sk-' + 'proj-Abc123Def456Ghi789Jkl012Mno345_Pqr-678';
const OPENAI_LEGACY = 'sk-' + 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34';
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const SLACK_BOT = 'xox' + 'b-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const SLACK_HOOK_PATH = 'T00000000/B00000000/' + 'XXXXXXXXXXXXXXXXXXXXXXXX';
const STRIPE = 'sk_' + 'live_51H8abcdefghijklmnopqrstuvwxyz0123';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ' +
  '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4\n';
const PEM = '-----BEGIN ' + 'PRIVATE KEY-----\n' + PEM_BODY + '-----END ' + 'PRIVATE KEY-----';
const OPENSSH =
  '-----BEGIN OPENSSH ' +
  'PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH ' +
  'PRIVATE KEY-----';

export const GOOGLE = 'AIza' + 'SyD-EXAMPLEexampleEXAMPLEexample123';
export const GITLAB = 'glpat' + '-xYz12AbCdEfGhIjKlMnOp';
export const HUGGINGFACE = 'hf' + '_AbCdEfGhIjKlMnOpQrStUvWxYz01234567';
export const SENDGRID = 'SG' + '.AbCdEfGhIjKlMnOpQrStUv.WxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz012';
export const AZURE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu' + 'Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export const SCRUB_CORPUS: readonly ScrubCase[] = [
  // --- shapes added after an attack run ---
  {
    name: 'Google API key in a URL',
    input: `curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${GOOGLE}"`,
    expected: `curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${R('google-api-key')}"`,
  },
  {
    name: 'GitLab personal access token in a header',
    input: `curl --header "PRIVATE-TOKEN: ${GITLAB}" https://gitlab.example.com/api/v4/projects`,
    expected: `curl --header "PRIVATE-TOKEN: ${R('gitlab-token')}" https://gitlab.example.com/api/v4/projects`,
  },
  {
    name: 'Hugging Face token as a CLI argument',
    input: `huggingface-cli login --token ${HUGGINGFACE}`,
    expected: `huggingface-cli login --token ${R('huggingface-token')}`,
  },
  {
    name: 'SendGrid key in code',
    input: `sg = sendgrid.SendGridAPIClient('${SENDGRID}')`,
    expected: `sg = sendgrid.SendGridAPIClient('${R('sendgrid-key')}')`,
  },
  {
    name: 'Azure storage connection string',
    input: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
    expected: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${R('azure-key')};EndpointSuffix=core.windows.net`,
  },
  {
    name: 'curl -u user:pass',
    input: 'curl -u admin:Sup3rS3cret! https://ci.example.com/api/json',
    expected: `curl -u admin:${R('cli-password')} https://ci.example.com/api/json`,
  },
  {
    name: 'mysql -pPASS',
    input: 'mysql -h db.internal -u root -pHunter2Hunter2 shop < dump.sql',
    expected: `mysql -h db.internal -u root -p${R('cli-password')} shop < dump.sql`,
  },
  {
    name: 'mysql -p alone prompts: nothing to hide',
    input: 'mysql -u root -p shop',
    expected: 'mysql -u root -p shop',
  },
  {
    name: 'sshpass -p',
    input: "sshpass -p 'w0rd w1th spaces' ssh deploy@10.0.0.5 uptime",
    expected: `sshpass -p ${R('cli-password')} ssh deploy@10.0.0.5 uptime`,
  },
  {
    name: '--password X and --password=X',
    input: 'psql --password Pg-Pa55 --host db && mysqldump --password=My-Pa55 shop',
    expected: `psql --password ${R('assignment')} --host db && mysqldump --password=${R('assignment')} shop`,
  },
  {
    name: 'aws configure set aws_secret_access_key V',
    input: 'aws configure set aws_secret_access_key Zx9Yw8Vu7Ts6 --profile ci',
    expected: `aws configure set aws_secret_access_key ${R('cli-password')} --profile ci`,
  },
  {
    name: 'git config user.password',
    input: 'git config --global user.password hunter22',
    expected: `git config --global user.password ${R('cli-password')}`,
  },
  {
    name: '.env-style DB_PASS=',
    input: 'DB_HOST=localhost\nDB_USER=app\nDB_PASS=pa55word-for-app\nSMTP_PW=x1y2z3',
    expected: `DB_HOST=localhost\nDB_USER=app\nDB_PASS=${R('assignment')}\nSMTP_PW=${R('assignment')}`,
  },
  {
    name: 'a key glued after _ in a tool name',
    input: `mcp__vault_${ANTHROPIC}`,
    expected: `mcp__vault_${R('anthropic-key')}`,
  },
  {
    name: 'a Bearer split across lines',
    input: `Authorization: Bearer\n  ${'abcDEF123456'}ghiJKL789`,
    expected: `Authorization: Bearer\n  ${R('bearer-token')}`,
  },
  {
    name: 'a backslash-newline continuation inside the secret',
    input: `curl -H "Authorization: Bearer ${'abc123def456'}\\\n  ghi789" https://api`,
    expected: `curl -H "Authorization: Bearer ${R('bearer-token')}" https://api`,
  },
  {
    name: 'a URL-encoded secret',
    input: `https://example.com/cb?payload=%7B%22password%22%3A%22${'hunter2hunter2'}%22%7D`,
    expected: `https://example.com/cb?payload={"password":"${R('assignment')}"}`,
  },

  // --- token formats ---
  {
    name: 'curl with a GitHub token in a Bearer header',
    input: `curl -H "Authorization: Bearer ${GHP}" https://api.github.com/user`,
    expected: `curl -H "Authorization: Bearer ${R('github-token')}" https://api.github.com/user`,
  },
  {
    name: 'fine-grained GitHub token in an env export',
    input: `export GH_TOKEN=${GH_PAT}`,
    expected: `export GH_TOKEN=${R('github-token')}`,
  },
  {
    name: 'GitHub token in a git remote URL',
    input: `git remote set-url origin https://x-access-token:${GHP}@github.com/acme/shop.git`,
    expected: `git remote set-url origin https://x-access-token:${R('github-token')}@github.com/acme/shop.git`,
  },
  {
    name: 'Anthropic key in an x-api-key header',
    input: `curl https://api.anthropic.com/v1/messages -H 'x-api-key: ${ANTHROPIC}' -H 'anthropic-version: 2023-06-01'`,
    expected: `curl https://api.anthropic.com/v1/messages -H 'x-api-key: ${R('anthropic-key')}' -H 'anthropic-version: 2023-06-01'`,
  },
  {
    name: 'OpenAI project key in prose',
    input: `Use the key ${OPENAI} for the staging project.`,
    expected: `Use the key ${R('openai-key')} for the staging project.`,
  },
  {
    name: 'legacy OpenAI key in a Python snippet',
    input: `client = OpenAI(api_key="${OPENAI_LEGACY}")`,
    expected: `client = OpenAI(api_key="${R('openai-key')}")`,
  },
  {
    name: 'AWS access key id and secret in ~/.aws/credentials',
    input: `[default]\naws_access_key_id = ${AWS_ID}\naws_secret_access_key = ${AWS_SECRET}\nregion = eu-west-1`,
    expected: `[default]\naws_access_key_id = ${R('aws-access-key-id')}\naws_secret_access_key = ${R('aws-secret-access-key')}\nregion = eu-west-1`,
  },
  {
    name: 'AWS keys as docker run -e flags',
    input: `docker run -e AWS_ACCESS_KEY_ID=${AWS_ID} -e AWS_SECRET_ACCESS_KEY=${AWS_SECRET} amazon/aws-cli s3 ls`,
    expected: `docker run -e AWS_ACCESS_KEY_ID=${R('aws-access-key-id')} -e AWS_SECRET_ACCESS_KEY=${R('aws-secret-access-key')} amazon/aws-cli s3 ls`,
  },
  {
    name: 'Slack bot token in a log line',
    input: `2024-05-01T10:00:00Z INFO connecting with ${SLACK_BOT} to workspace acme`,
    expected: `2024-05-01T10:00:00Z INFO connecting with ${R('slack-token')} to workspace acme`,
  },
  {
    name: 'Slack webhook URL keeps its host',
    input: `curl -X POST -d '{"text":"deployed"}' https://hooks.slack.com/services/${SLACK_HOOK_PATH}`,
    expected: `curl -X POST -d '{"text":"deployed"}' https://hooks.slack.com/services/${R('slack-webhook')}`,
  },
  {
    name: 'Stripe live key in a .env line',
    input: `STRIPE_KEY=${STRIPE}`,
    expected: `STRIPE_KEY=${R('stripe-key')}`,
  },
  {
    name: 'JWT in a cookie header',
    input: `Cookie: session=${JWT}; theme=dark`,
    expected: `Cookie: session=${R('jwt')}; theme=dark`,
  },
  {
    name: 'JWT as a Bearer token keeps the word Bearer',
    input: `Authorization: Bearer ${JWT}`,
    expected: `Authorization: Bearer ${R('jwt')}`,
  },
  {
    name: 'opaque Bearer token',
    input: `fetch(url, { headers: { Authorization: 'Bearer 9f8e7d6c5b4a3210.abcdef' } })`,
    expected: `fetch(url, { headers: { Authorization: 'Bearer ${R('bearer-token')}' } })`,
  },
  {
    name: 'Basic credentials keep the word Basic',
    input: `curl -H 'Authorization: Basic YWRtaW46aHVudGVyMg==' http://localhost:9200/_cat/indices`,
    expected: `curl -H 'Authorization: Basic ${R('basic-auth')}' http://localhost:9200/_cat/indices`,
  },
  // --- private keys ---
  {
    name: 'PEM private key block inside a cat output',
    input: `$ cat key.pem\n${PEM}\n$ ls`,
    expected: `$ cat key.pem\n${R('private-key')}\n$ ls`,
  },
  {
    name: 'OpenSSH private key block',
    input: `id_ed25519:\n${OPENSSH}\n`,
    expected: `id_ed25519:\n${R('private-key')}\n`,
  },
  {
    name: 'truncated private key (no END line) is redacted to the end of its body',
    input: `-----BEGIN RSA ` + `PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc+/=\n`,
    expected: R('private-key'),
  },
  // --- passwords in URLs ---
  {
    name: 'postgres URL keeps user, host and database',
    input: 'DATABASE_URL=postgres://app:s3cr3t-P4ss@db.internal:5432/shop',
    expected: `DATABASE_URL=postgres://app:${R('url-password')}@db.internal:5432/shop`,
  },
  {
    name: 'redis URL with an empty user',
    input: 'redis-cli -u redis://:Zx9!pass@cache:6379/0 ping',
    expected: `redis-cli -u redis://:${R('url-password')}@cache:6379/0 ping`,
  },
  {
    name: 'password containing @ is redacted whole',
    input: 'mongodb://root:p@ss@mongo:27017/admin',
    expected: `mongodb://root:${R('url-password')}@mongo:27017/admin`,
  },
  // --- NAME=value, NAME: value, "name": "value" ---
  {
    name: '.env file',
    input: 'NODE_ENV=production\nDB_PASSWORD=hunter2\nAPI_KEY="abc123def456"\nPORT=3000',
    expected: `NODE_ENV=production\nDB_PASSWORD=${R('assignment')}\nAPI_KEY="${R('assignment')}"\nPORT=3000`,
  },
  {
    name: 'shell export with single quotes',
    input: "export NPM_TOKEN='npm_AbCdEf0123456789' && npm publish",
    expected: `export NPM_TOKEN='${R('assignment')}' && npm publish`,
  },
  {
    name: 'YAML config',
    input: 'database:\n  host: db\n  password: Tr0ub4dor&3\n  user: app',
    expected: `database:\n  host: db\n  password: ${R('assignment')}\n  user: app`,
  },
  {
    name: 'JSON config text',
    input: '{"name":"shop","client_secret":"cs_9a8b7c6d","retries":3}',
    expected: `{"name":"shop","client_secret":"${R('assignment')}","retries":3}`,
  },
  {
    name: 'escaped JSON inside a shell command',
    input: 'curl -d "{\\"username\\": \\"bob\\", \\"password\\": \\"hunter2\\"}" https://example.com/login',
    expected: `curl -d "{\\"username\\": \\"bob\\", \\"password\\": \\"${R('assignment')}\\"}" https://example.com/login`,
  },
  {
    name: 'query string token keeps the other parameters',
    input: 'GET /callback?code=abc&access_token=tok_9f8e7d&state=xyz',
    expected: `GET /callback?code=abc&access_token=${R('assignment')}&state=xyz`,
  },
  {
    name: 'long flag with a space-separated password',
    input: 'mysql --user root --password hunter2 --host db shop',
    expected: `mysql --user root --password ${R('assignment')} --host db shop`,
  },
  {
    name: 'long flag with = and a kebab-case name',
    input: 'vault login --auth-token=s.AbCdEf123456 -address=https://vault:8200',
    expected: `vault login --auth-token=${R('assignment')} -address=https://vault:8200`,
  },
  {
    name: 'docker run -e with a password and a plain variable',
    input: 'docker run -e POSTGRES_PASSWORD=example -e POSTGRES_DB=shop -p 5432:5432 postgres:16',
    expected: `docker run -e POSTGRES_PASSWORD=${R('assignment')} -e POSTGRES_DB=shop -p 5432:5432 postgres:16`,
  },
  {
    name: 'Spring-style dotted property',
    input: 'spring.datasource.password=changeit\nspring.datasource.url=jdbc:mysql://db/shop',
    expected: `spring.datasource.password=${R('assignment')}\nspring.datasource.url=jdbc:mysql://db/shop`,
  },
  {
    name: 'camelCase apiKey in a JS object literal',
    input: "const config = { apiKey: 'AIzaSyA-1234567890abcdefghijklmnopqrstu', region: 'eu' };",
    expected: `const config = { apiKey: '${R('google-api-key')}', region: 'eu' };`,
  },
  {
    name: 'custom auth header in a log',
    input: 'request headers: X-Auth-Token: 4f3c2b1a0987 Accept: application/json',
    expected: `request headers: X-Auth-Token: ${R('assignment')} Accept: application/json`,
  },
  {
    name: 'GitHub-style "token" scheme in an Authorization header',
    input: 'Authorization: token abc123secretvalue',
    expected: `Authorization: token ${R('assignment')}`,
  },
  {
    name: '.npmrc auth token',
    input: '//registry.npmjs.org/:_authToken=npm_AbCdEf0123456789xyz\nalways-auth=true',
    expected: `//registry.npmjs.org/:_authToken=${R('assignment')}\nalways-auth=true`,
  },
  {
    name: 'kubeconfig user token (a JWT) in YAML',
    input: `users:\n- name: ci\n  user:\n    token: ${JWT}`,
    expected: `users:\n- name: ci\n  user:\n    token: ${R('jwt')}`,
  },
  // --- negatives: must stay untouched ---
  {
    name: 'GitHub Actions secret references',
    input: 'env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  password: ${DB_PASSWORD:-}',
    expected: 'env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  password: ${DB_PASSWORD:-}',
  },
  {
    name: 'git SHA',
    input: 'HEAD is now at 3f786850e387550fdab836ed7e6dc881de23001b Fix tokenizer',
    expected: 'HEAD is now at 3f786850e387550fdab836ed7e6dc881de23001b Fix tokenizer',
  },
  {
    name: 'UUID',
    input: 'session 5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f started',
    expected: 'session 5f1c2d7e-8a41-4b0e-9d3a-1c2b3a4d5e6f started',
  },
  {
    name: 'path with token in it',
    input: 'Edited src/tokenizer.ts and src/auth/token-store.ts',
    expected: 'Edited src/tokenizer.ts and src/auth/token-store.ts',
  },
  {
    name: 'the word password in prose',
    input: 'Please enter your password to continue; the password reset link was sent.',
    expected: 'Please enter your password to continue; the password reset link was sent.',
  },
  {
    name: 'sk- inside task-list',
    input: 'npm run task-list-generator-for-everything-here',
    expected: 'npm run task-list-generator-for-everything-here',
  },
  {
    name: 'base64 image data',
    input:
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    expected:
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  },
  {
    name: 'max_tokens is a number, not a token',
    input: 'max_tokens=4096 input_tokens: 1200',
    expected: 'max_tokens=4096 input_tokens: 1200',
  },
  {
    name: 'PWD is a directory',
    input: 'PWD=/home/dev/shop OLDPWD=/home/dev',
    expected: 'PWD=/home/dev/shop OLDPWD=/home/dev',
  },
  {
    name: 'Bearer in prose',
    input: 'The bearer of this letter is trusted.',
    expected: 'The bearer of this letter is trusted.',
  },
  {
    name: 'Basic in prose',
    input: 'Basic configuration is described below.',
    expected: 'Basic configuration is described below.',
  },
  {
    name: 'variable references are not secrets',
    input:
      'export GITHUB_TOKEN=$GH_TOKEN; curl -H "Authorization: Bearer $TOKEN" -u "$USER:$PASS" https://api',
    expected:
      'export GITHUB_TOKEN=$GH_TOKEN; curl -H "Authorization: Bearer $TOKEN" -u "$USER:$PASS" https://api',
  },
  {
    name: 'URL with a port, no credentials',
    input: 'open http://localhost:8765/health and https://user@example.com/repo',
    expected: 'open http://localhost:8765/health and https://user@example.com/repo',
  },
  {
    name: 'author is not auth',
    input: 'author: Jane Doe <jane@example.com>',
    expected: 'author: Jane Doe <jane@example.com>',
  },
  {
    name: 'descriptive names',
    input: 'token_type=bearer password_file=/run/secrets/db secretName: db-creds',
    expected: 'token_type=bearer password_file=/run/secrets/db secretName: db-creds',
  },
  {
    name: 'AKIA-like word inside a longer identifier',
    input: 'class AKIAIOSFODNN7EXAMPLEEXTRA {}',
    expected: 'class AKIAIOSFODNN7EXAMPLEEXTRA {}',
  },
  {
    // Found by the idempotence property: the second pass took `password=` for a Bearer token.
    name: 'Bearer followed by an assignment',
    input: 'Bearer password=YWRtaW46cHc=',
    expected: `Bearer password=${R('assignment')}`,
  },
  {
    name: 'empty and masked values',
    input: 'PASSWORD=\nTOKEN=****\nSECRET=""',
    expected: 'PASSWORD=\nTOKEN=****\nSECRET=""',
  },
];

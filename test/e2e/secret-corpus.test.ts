// Every kind of secret the scrubber knows, planted through every route (the hook, POST /events,
// Socket.IO /ingest, the spool) and in refused requests, then looked for everywhere it could end up:
// every file under MPM_MON_HOME, the live stream, `mpm-mon events` (plain and --json) and /diagnostics.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connectProducer, connectViewer, get, http, postEvents, type Viewer } from './harness.js';
import { makeHome, type Home } from '../helpers/temp-home.js';
import { runCli, startDaemon, type DaemonProcess } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const j = (...parts: string[]): string => parts.join('');
/** Each plant: the secret values that must never be found, and where in a payload they go. */
const PLANTS: Array<{ kind: string; secrets: string[]; put: (payload: Record<string, unknown>) => void }> =
  [];
function plant(kind: string, secrets: string[], put: (payload: Record<string, unknown>) => void): void {
  PLANTS.push({ kind, secrets, put });
}
/** Each command under its own key (the index when the plant is made), so none overwrites another. */
const command = (text: string) => {
  const key = `command_${PLANTS.length}`;
  return (payload: Record<string, unknown>): void => {
    payload.tool_input = { ...(payload.tool_input as object), [key]: text };
  };
};

const GHP = j('ghp', '_PlantedT0k3nV4lu3F0rC0rpus0000001');
const ANT = j('sk-', 'ant-api03-PlantedPlantedPlanted-Planted0002');
const OAI = j('sk-', 'proj-PlantedOpenAi0003Planted0003Planted');
const AWS_ID = j('AKIA', 'PLANTED000000004');
const AWS_SECRET = j('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'PLANTED005');
const SLACK = j('xox', 'b-123456789012-1234567890123-PlantedSlack0006');
const STRIPE = j('sk_', 'live_PlantedStripe0007Planted');
const JWT = j('eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiJQbGFudGVkMDAwOCJ9', '.UGxhbnRlZFNpZ25hdHVyZTAwMDg');
const PEM_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCPlanted0009';
const GOOGLE = j('AIza', 'SyPlanted0010PlantedPlantedPlanted1');
const GITLAB = j('glpat', '-Planted0011PlantedPlant');
const HF = j('hf', '_Planted0012PlantedPlantedPlantedPl');
const SENDGRID = j('SG', '.Planted0013PlantedPlan.Planted0013PlantedPlantedPlantedPlantedPl');
const AZURE = j('Planted0014PlantedPlantedPlantedPlanted', 'PlantedPlantedPlanted==');

plant('github-token', [GHP], command(`curl -H "Authorization: Bearer ${GHP}" https://api`));
plant('anthropic-key', [ANT], command(`curl -H 'x-api-key: ${ANT}'`));
plant('openai-key', [OAI], command(`OPENAI_API_KEY=${OAI} python x.py`));
plant(
  'aws',
  [AWS_ID, AWS_SECRET],
  command(`AWS_ACCESS_KEY_ID=${AWS_ID} AWS_SECRET_ACCESS_KEY=${AWS_SECRET} aws s3 ls`),
);
plant('slack-token', [SLACK], command(`echo ${SLACK}`));
plant('stripe-key', [STRIPE], command(`stripe --api-key ${STRIPE}`));
plant('jwt', [JWT], command(`echo ${JWT}`));
plant(
  'private-key',
  [PEM_LINE],
  command(j('-----BEGIN ', 'PRIVATE KEY-----\n', PEM_LINE, '\n-----END ', 'PRIVATE KEY-----')),
);
plant('google-api-key', [GOOGLE], command(`curl "https://maps.example/api?key=${GOOGLE}"`));
plant('gitlab-token', [GITLAB], command(`curl --header "PRIVATE-TOKEN: ${GITLAB}" https://gitlab`));
plant('huggingface-token', [HF], command(`huggingface-cli login --token ${HF}`));
plant('sendgrid-key', [SENDGRID], command(`send('${SENDGRID}')`));
plant(
  'azure-key',
  [AZURE],
  command(`DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${AZURE};EndpointSuffix=core`),
);
plant('curl -u', ['PlantedCurlPass0015'], command('curl -u admin:PlantedCurlPass0015 https://ci'));
plant('mysql -p', ['PlantedMysqlPass0016'], command('mysql -u root -pPlantedMysqlPass0016 shop'));
plant('sshpass -p', ['PlantedSshpass0017'], command('sshpass -p PlantedSshpass0017 ssh host'));
plant('--password X', ['PlantedFlagPass0018'], command('psql --password PlantedFlagPass0018 -h db'));
plant('--password=X', ['PlantedFlagPass0019'], command('mysqldump --password=PlantedFlagPass0019 shop'));
plant(
  'aws configure set',
  ['PlantedAwsSet0020'],
  command('aws configure set aws_secret_access_key PlantedAwsSet0020'),
);
plant('.env', ['PlantedEnvPass0021'], command('DB_HOST=db\nDB_PASS=PlantedEnvPass0021\n'));
plant('glued in a tool name', [ANT.replace('0002', '0022')], (payload) => {
  payload.tool_name = `mcp__vault_${ANT.replace('0002', '0022')}`;
});
plant(
  'Bearer split across lines',
  ['PlantedSplit0023abcDEF'],
  command('Authorization: Bearer\n  PlantedSplit0023abcDEF'),
);
plant(
  'backslash-newline',
  ['PlantedCont0024aa', 'PlantedCont0024bb'],
  command('curl -H "Authorization: Bearer PlantedCont0024aa\\\n  PlantedCont0024bb" https://api'),
);
plant('URL-encoded', ['PlantedUrlPass0025'], command('cb?p=%7B%22password%22%3A%22PlantedUrlPass0025%22%7D'));
plant('a number under password', ['918273645501926'], (payload) => (payload.password = 918273645501926));
plant('an object under credentials', ['PlantedCredUser0027'], (payload) => {
  payload.credentials = { user: 'PlantedCredUser0027', port: 5432 };
});
plant('plural tokens', ['PlantedTokens0028'], (payload) => (payload.tokens = ['PlantedTokens0028']));
plant('auth.pass', ['PlantedAuthPass0029'], (payload) => (payload.auth = { pass: 'PlantedAuthPass0029' }));
plant('db_password', ['PlantedDbPassword0030'], (payload) => (payload.db_password = 'PlantedDbPassword0030'));

/** Secrets sent in refused requests: a query string and an Origin header. */
const REFUSED = ['PlantedQueryToken0031', GHP.replace('0001', '0032')];

function payloadFor(session: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    session_id: session,
    hook_event_name: 'PreToolUse',
    cwd: '/work/project',
    tool_name: 'Bash',
    tool_input: {},
  };
  for (const { put } of PLANTS) put(payload);
  return payload;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let h: Home;
let daemon: DaemonProcess;
let viewer: Viewer;
before(async () => {
  h = makeHome();
  // The spool route: the daemon is down when the hook runs.
  assert.equal(runCli(h, ['hook'], JSON.stringify(payloadFor('sess-spool'))).code, 0);
  daemon = await startDaemon(h, ['--port', '0', '--log-level', 'debug']);
  viewer = await connectViewer(daemon.port, { token: daemon.token, since: 0 });
});
after(async () => {
  viewer.close();
  await daemon.stop();
  h.remove();
});

test('every kind planted through every route: none is stored, streamed, listed or diagnosed', async () => {
  assert.equal(runCli(h, ['hook'], JSON.stringify(payloadFor('sess-hook'))).code, 0);
  const posted = await postEvents(daemon.port, daemon.token, JSON.stringify(payloadFor('sess-post')));
  assert.equal(posted.status, 202, posted.text);
  const socket = await connectProducer(daemon.port, daemon.token);
  const ack = await socket.timeout(5000).emitWithAck('event', payloadFor('sess-ingest'));
  socket.disconnect();
  assert.equal(ack.ok, true, JSON.stringify(ack));
  await http(daemon.port, 'GET', `/diagnostics?token=${REFUSED[0]}`, {});
  await http(daemon.port, 'POST', '/events', {
    headers: { Origin: `https://evil.example/?k=${REFUSED[1]}` },
    body: '{}',
  });
  await waitFor(() => viewer.events.length >= 4, 'four events at the viewer', 10_000);
  const sessions = new Set(viewer.events.map((event) => event.sessionId));
  assert.deepEqual([...sessions].sort(), ['sess-hook', 'sess-ingest', 'sess-post', 'sess-spool']);

  const places: Record<string, string> = {
    stream: JSON.stringify(viewer.events),
    'events --json': runCli(h, ['events', '--since', '0', '--json']).stdout,
    events: runCli(h, ['events', '--since', '0']).stdout,
    '/diagnostics': (await get(daemon.port, '/diagnostics', daemon.token)).text,
  };
  for (const file of filesUnder(h.path))
    if (!file.endsWith('token')) places[file] = readFileSync(file, 'utf8');
  assert.ok(
    Object.keys(places).some((place) => place.includes('journal')),
    'the journal was read',
  );

  const secrets = [...PLANTS.flatMap((entry) => entry.secrets), ...REFUSED];
  const found: string[] = [];
  for (const secret of secrets)
    for (const [place, text] of Object.entries(places))
      if (text.includes(secret)) found.push(`${secret} in ${place}`);
  const planted = PLANTS.reduce((sum, entry) => sum + entry.secrets.length, 0) * 4 + REFUSED.length;
  console.log(`secret corpus: ${PLANTS.length} kinds, planted ${planted}, stored ${found.length}`);
  assert.deepEqual(found, []);
  // The events are still readable: what is not secret stays.
  const hookEvent = viewer.events.find((event) => event.sessionId === 'sess-hook')!;
  assert.match(JSON.stringify(hookEvent.data), /curl -H/, JSON.stringify(hookEvent.data).slice(0, 3000));
  const markers = JSON.stringify(hookEvent.data).match(/\[REDACTED:/g) ?? [];
  assert.ok(
    markers.length >= PLANTS.length,
    `each plant arrived and was redacted (${markers.length} markers)`,
  );
});

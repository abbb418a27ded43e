import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createLogger, formatReadable, REDACTED } from '../../source/instance/logger.js';
import { generateToken } from '../../source/instance/token.js';
import { tempDir } from '../helpers/temp-home.js';

let dir: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = join(dir.path, 'logs', 'daemon.log');
});
afterEach(() => dir.remove());

function lines(path = file): Record<string, unknown>[] {
  return fs
    .readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  test('writes one JSON object per line: time, level, msg, then the fields', () => {
    const logger = createLogger({ file, level: 'debug' });
    logger.info('daemon listening', { port: 8765, host: '127.0.0.1' });
    logger.error('boom', { error: Object.assign(new Error('disk on fire'), { code: 'EIO' }) });
    const [first, second] = lines();
    assert.deepEqual(Object.keys(first!), ['time', 'level', 'msg', 'port', 'host']);
    assert.equal(first!.level, 'info');
    assert.equal(first!.msg, 'daemon listening');
    assert.equal(first!.port, 8765);
    assert.ok(!Number.isNaN(Date.parse(first!.time as string)));
    const error = second!.error as Record<string, unknown>;
    assert.equal(error.message, 'disk on fire');
    assert.equal(error.code, 'EIO');
    assert.equal(error.name, 'Error');
  });

  test('a field cannot overwrite time, level or msg', () => {
    const logger = createLogger({ file });
    logger.warn('real message', { msg: 'forged', level: 'debug', time: 'never' });
    const [line] = lines();
    assert.equal(line!.msg, 'real message');
    assert.equal(line!.level, 'warn');
    assert.notEqual(line!.time, 'never');
  });

  test('filters by level, and the level can change at run time', () => {
    const logger = createLogger({ file, level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.setLevel('debug');
    logger.debug('d2');
    assert.deepEqual(
      lines().map((line) => line.msg),
      ['w', 'e', 'd2'],
    );
  });

  test('rotates by size: daemon.log → .1 → .2, keeping at most maxFiles old files', () => {
    const logger = createLogger({ file, maxBytes: 400, maxFiles: 2 });
    for (let index = 0; index < 60; index++) logger.info('line', { index, padding: 'x'.repeat(40) });
    const names = fs.readdirSync(join(dir.path, 'logs')).sort();
    assert.deepEqual(names, ['daemon.log', 'daemon.log.1', 'daemon.log.2']);
    for (const name of names) {
      const size = fs.statSync(join(dir.path, 'logs', name)).size;
      assert.ok(size <= 400, `${name} is ${size} bytes`);
      assert.ok(lines(join(dir.path, 'logs', name)).length > 0);
    }
    // Newest lines are in daemon.log, the ones before in .1, then .2.
    const last = (name: string) => lines(join(dir.path, 'logs', name)).map((line) => line.index as number);
    assert.equal(last('daemon.log').at(-1), 59);
    assert.ok(last('daemon.log.1').at(-1)! < last('daemon.log')[0]!);
    assert.ok(last('daemon.log.2').at(-1)! < last('daemon.log.1')[0]!);
  });

  test('continues the size count of an existing file across restarts', () => {
    fs.mkdirSync(join(dir.path, 'logs'));
    fs.writeFileSync(file, `${JSON.stringify({ msg: 'old' })}\n`.repeat(10));
    const logger = createLogger({ file, maxBytes: fs.statSync(file).size + 10 });
    logger.info('this line does not fit any more');
    assert.equal(lines().length, 1);
    assert.equal(lines(`${file}.1`).length, 10);
  });

  test('never writes the token: not in the message, not in fields, not in errors, not under secret names', () => {
    const token = generateToken();
    const logger = createLogger({ file, level: 'debug', redact: [token] });
    logger.info(`client presented ${token}`, {
      url: `/events?token=${token}`,
      nested: { deeper: [`Bearer ${token}`] },
      error: new Error(`bad token ${token}`),
      token: 'some-other-value',
      authorization: 'Basic abc',
      apiKey: 'k',
      tokenFile: '/state/token',
    });
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes(token), 'the token never reaches the file');
    const [line] = lines();
    assert.equal(line!.msg, `client presented ${REDACTED}`);
    assert.equal(line!.url, `/events?token=${REDACTED}`);
    assert.equal(line!.token, REDACTED);
    assert.equal(line!.authorization, REDACTED);
    assert.equal(line!.apiKey, REDACTED);
    assert.equal(line!.tokenFile, '/state/token', 'a path to the token is not a secret');
  });

  test('a secret registered later is redacted from then on', () => {
    const logger = createLogger({ file });
    const token = generateToken();
    logger.addRedaction(token);
    logger.info('got', { value: token });
    assert.ok(!fs.readFileSync(file, 'utf8').includes(token));
  });

  test('never throws: an unwritable log file drops lines and counts them', () => {
    fs.mkdirSync(file, { recursive: true }); // a folder where the file should be
    const logger = createLogger({ file });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.doesNotThrow(() => logger.error('cannot be written', { circular, big: 10n }));
    assert.equal(logger.droppedLines, 1);
  });

  test('odd field values are written safely: circular, bigint, functions, dates', () => {
    const logger = createLogger({ file });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    logger.info('odd', { circular, big: 10n, fn: () => 1, when: new Date(0) });
    const [line] = lines();
    assert.deepEqual(line!.circular, { name: 'loop', self: '[Circular]' });
    assert.equal(line!.big, '10');
    assert.equal('fn' in line!, false);
    assert.equal(line!.when, '1970-01-01T00:00:00.000Z');
  });

  test('with stderr: also a readable line, redacted too', () => {
    const token = generateToken();
    const written: string[] = [];
    const logger = createLogger({
      file,
      stderr: true,
      redact: [token],
      stderrWrite: (line) => written.push(line),
      now: () => new Date(2024, 0, 2, 3, 4, 5),
    });
    logger.warn('port taken', { port: 8765, owner: 'node server.js', secret: token, note: token });
    assert.deepEqual(written, [
      `03:04:05 warn  port taken port=8765 owner="node server.js" secret=${REDACTED} note=${REDACTED}\n`,
    ]);
  });

  test('a stderr that throws does not stop the file line', () => {
    const logger = createLogger({
      file,
      stderr: true,
      stderrWrite: () => {
        throw new Error('EPIPE');
      },
    });
    assert.doesNotThrow(() => logger.info('still logged'));
    assert.equal(lines()[0]!.msg, 'still logged');
  });
});

test('formatReadable quotes values with spaces and shows objects as JSON', () => {
  const line = formatReadable(new Date(2024, 0, 1, 13, 2, 3), 'info', 'hello', {
    a: 'plain',
    b: 'two words',
    c: { x: 1 },
    d: undefined,
  });
  assert.equal(line, '13:02:03 info  hello a=plain b="two words" c={"x":1}');
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpJson } from '../../source/client/http-json.js';

describe('httpJson', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ url?: string; authorization?: string; body: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, authorization: req.headers.authorization, body });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/text') return res.end('not json');
        res.writeHead(req.url === '/health' ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'fail' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('returns status and parsed body, with the bearer token and a JSON body', async () => {
    const answer = await httpJson(`${base}/health`, {
      timeoutMs: 2000,
      token: 'tok',
      method: 'POST',
      body: { a: 1 },
    });
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body, { status: 'fail' });
    assert.deepEqual(seen.at(-1), { url: '/health', authorization: 'Bearer tok', body: '{"a":1}' });
  });

  test('a body that is not JSON gives null with the text kept', async () => {
    const answer = await httpJson(`${base}/text`, { timeoutMs: 2000 });
    assert.equal(answer.body, null);
    assert.equal(answer.text, 'not json');
  });

  test('times out with ETIMEDOUT', async () => {
    await assert.rejects(httpJson(`${base}/slow`, { timeoutMs: 50 }), { code: 'ETIMEDOUT' });
  });

  test('a closed port rejects with ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(httpJson(`http://127.0.0.1:${port}/health`, { timeoutMs: 2000 }), {
      code: 'ECONNREFUSED',
    });
  });
});

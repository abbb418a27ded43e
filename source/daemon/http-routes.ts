/** The HTTP surface (DESIGN.md "Network surface"): a thin router over the daemon's parts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REFUSAL_STATUS, type IngestResponse, type RefusalCode, type WireError } from '../protocol/event.js';
import type { HealthReport } from '../protocol/health.js';
import type { StatusResponse } from '../protocol/messages.js';
import type { Logger } from '../instance/logger-types.js';
import { readBody } from './read-body.js';
import { bearerToken, checkHost, checkOrigin, checkToken, type GuardRefusal } from './request-guard.js';

export interface HttpIngestResult {
  status: number;
  body: IngestResponse | { error: WireError };
  retryAfterSeconds?: number;
}

export interface RouteDeps {
  token: string;
  allowedHosts: () => Set<string>;
  maxBodyBytes: number;
  health: () => HealthReport;
  status: () => StatusResponse;
  diagnostics: () => Promise<unknown>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  ingestBody: (body: Buffer, producer: string, source: 'hook' | 'http') => Promise<HttpIngestResult>;
  onRefused: (code: RefusalCode, message: string, source: string) => void;
  logger: Logger;
}

export function createRequestHandler(
  deps: RouteDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.logger.error('request failed', { url: request.url, error: String(error) });
      if (!response.headersSent)
        sendError(response, { code: 'internal', message: 'internal error; see the daemon log' });
      else response.destroy();
    });
  };
}

async function handle(deps: RouteDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refusal = checkOrigin(request.headers) ?? checkHost(request.headers.host, deps.allowedHosts());
  if (refusal) return refuse(deps, response, refusal, request);
  const path = (request.url ?? '/').split('?')[0];
  const method = request.method ?? 'GET';
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /health': {
      const report = deps.health();
      return sendJson(response, report.status === 'fail' ? 503 : 200, report);
    }
    case 'GET /status':
      return sendJson(response, 200, deps.status());
    case 'GET /diagnostics':
    case 'GET /metrics':
    case 'POST /events': {
      const denied = checkToken(bearerToken(request.headers.authorization), deps.token);
      if (denied) return refuse(deps, response, denied, request);
      if (route === 'GET /diagnostics') return sendJson(response, 200, await deps.diagnostics());
      if (route === 'GET /metrics') {
        const metrics = await deps.metrics();
        response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
        response.end(metrics.body);
        return;
      }
      return ingest(deps, request, response);
    }
    default: {
      const known = ['GET /health', 'GET /status', 'GET /diagnostics', 'GET /metrics', 'POST /events'];
      const samePath = known.filter((entry) => entry.endsWith(` ${path}`));
      if (samePath.length > 0) {
        response.setHeader('Allow', samePath.map((entry) => entry.split(' ')[0]).join(', '));
        return sendJson(response, 405, {
          error: {
            code: 'method_not_allowed',
            message: `${method} is not allowed on ${path}; use ${samePath.join(' or ')}`,
          },
        });
      }
      return sendError(response, {
        code: 'not_found',
        message: `no route ${route}; routes: ${known.join(', ')}`,
      });
    }
  }
}

async function ingest(deps: RouteDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const source = request.headers['x-mpm-mon-source'] === 'hook' ? 'hook' : 'http';
  const result = await readBody(request, deps.maxBodyBytes);
  if (!result.ok) {
    const error: WireError = {
      code: 'too_large',
      message: `request body of ${result.received} bytes is over the limit of ${deps.maxBodyBytes} bytes`,
    };
    deps.onRefused(error.code, error.message, source);
    response.setHeader('Connection', 'close');
    return sendError(response, error);
  }
  const producer = `${source}:${request.socket.remoteAddress ?? 'unknown'}`;
  const answer = await deps.ingestBody(result.body, producer, source);
  if (answer.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(answer.retryAfterSeconds));
  // Claude Code reads an http hook's answer as hook output and reports keys it does not know.
  const fromClaudeCode = answer.status < 300 && isFromClaudeCode(request.url);
  sendJson(response, answer.status, fromClaudeCode ? {} : answer.body);
}

/** `install-hooks --http` writes `/events?from=claude-code` (CLAUDE_CODE_QUERY in claude/settings). */
function isFromClaudeCode(url: string | undefined): boolean {
  const query = (url ?? '').split('?')[1];
  return query !== undefined && new URLSearchParams(query).get('from') === 'claude-code';
}

function refuse(
  deps: RouteDeps,
  response: ServerResponse,
  refusal: GuardRefusal,
  request: IncomingMessage,
): void {
  deps.onRefused(refusal.code, refusal.message, `http ${request.method ?? ''} ${request.url ?? ''}`);
  if (refusal.code === 'unauthorized') response.setHeader('WWW-Authenticate', 'Bearer realm="mpm-mon"');
  sendError(response, refusal);
}

export function sendError(response: ServerResponse, error: WireError | GuardRefusal): void {
  sendJson(response, REFUSAL_STATUS[error.code], { error });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

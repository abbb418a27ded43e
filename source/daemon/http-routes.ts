/** The HTTP surface (DESIGN.md "Network surface"): a thin router over the daemon's parts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  OCCURRED_AT_HEADER,
  REFUSAL_STATUS,
  TRUNCATED_HEADER,
  type IngestAck,
  type IngestResponse,
  type RefusalCode,
  type WireError,
} from '../protocol/event.js';
import { readOccurredAt, type Provenance } from '../pipeline/enrich.js';
import type { BodyOutcome } from '../pipeline/ingest.js';
import type { DiagnosticsResponse } from '../protocol/diagnostics.js';
import type { HealthReport } from '../protocol/health.js';
import type { SessionsAnswer, StatusResponse } from '../protocol/messages.js';
import type { Logger } from '../instance/logger-types.js';
import { drainRequest, readBody } from './read-body.js';
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
  diagnostics: () => Promise<DiagnosticsResponse>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  sessions: () => SessionsAnswer;
  ingestBody: (
    body: Buffer,
    producer: string,
    source: 'hook' | 'http',
    provenance: Provenance,
  ) => Promise<BodyOutcome>;
  onRefused: (code: RefusalCode, message: string, source: string) => void;
  logger: Logger;
}

export function createRequestHandler(
  deps: RouteDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.logger.error('request failed', { path: pathOf(request), error: String(error) });
      if (!response.headersSent)
        sendError(response, { code: 'internal', message: 'internal error; see the daemon log' });
      else response.destroy();
    });
  };
}

async function handle(deps: RouteDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refusal = checkOrigin(request.headers) ?? checkHost(request.headers.host, deps.allowedHosts());
  if (refusal) return refuse(deps, response, refusal, request);
  const path = pathOf(request);
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
    case 'GET /sessions':
    case 'POST /events': {
      const denied = checkToken(bearerToken(request.headers.authorization), deps.token);
      if (denied) return refuse(deps, response, denied, request);
      if (route === 'GET /diagnostics') return sendJson(response, 200, await deps.diagnostics());
      if (route === 'GET /sessions') return sendJson(response, 200, deps.sessions());
      if (route === 'GET /metrics') {
        const metrics = await deps.metrics();
        response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
        response.end(metrics.body);
        return;
      }
      return ingest(deps, request, response);
    }
    default: {
      const known = [
        'GET /health',
        'GET /status',
        'GET /diagnostics',
        'GET /metrics',
        'GET /sessions',
        'POST /events',
      ];
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
  // Reading and processing a big body takes a while; events posted after it may be stored first.
  const arrivedAt = new Date().toISOString();
  const result = await readBody(request, deps.maxBodyBytes);
  if (!result.ok) {
    const error: WireError = {
      code: 'too_large',
      message: `request body of ${result.received} bytes is over the limit of ${deps.maxBodyBytes} bytes (events.maxRequestBytes); send fewer or smaller events per request`,
    };
    deps.onRefused(error.code, error.message, source);
    await drainRequest(request, 2 * deps.maxBodyBytes);
    response.setHeader('Connection', 'close');
    return sendError(response, error);
  }
  const producer = `${source}:${request.socket.remoteAddress ?? 'unknown'}`;
  const answer = httpAnswer(
    await deps.ingestBody(result.body, producer, source, provenanceOf(request, arrivedAt)),
  );
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

/**
 * The HTTP answer to an ingested body: 202 with the seqs when anything was accepted, else the status of
 * the (first) refusal, with Retry-After for a rate limit.
 */
export function httpAnswer(outcome: BodyOutcome): HttpIngestResult {
  if (!outcome.ok) return refusal(outcome.error);
  const { acks } = outcome;
  const accepted = acks.filter((ack): ack is Extract<IngestAck, { ok: true }> => ack.ok);
  const failures = acks.flatMap((ack, index) => (ack.ok ? [] : [{ index, error: ack.error }]));
  if (!outcome.array) {
    const ack = acks[0]!;
    return ack.ok
      ? { status: 202, body: { accepted: 1, seqs: [ack.seq], ...(ack.duplicate ? { duplicates: 1 } : {}) } }
      : refusal(ack.error);
  }
  if (accepted.length === 0 && failures.length > 0) {
    const first = failures[0]!.error;
    return { status: REFUSAL_STATUS[first.code], body: { error: first, errors: failures } as never };
  }
  const duplicates = accepted.filter((ack) => ack.duplicate).length;
  return {
    status: 202,
    body: {
      accepted: accepted.length,
      seqs: accepted.map((ack) => ack.seq),
      ...(duplicates > 0 ? { duplicates } : {}),
      ...(failures.length > 0 ? { errors: failures } : {}),
    },
  };
}

function refusal(error: WireError): HttpIngestResult {
  return {
    status: REFUSAL_STATUS[error.code],
    body: { error },
    retryAfterSeconds:
      error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
  };
}

function refuse(
  deps: RouteDeps,
  response: ServerResponse,
  refusal: GuardRefusal,
  request: IncomingMessage,
): void {
  deps.onRefused(refusal.code, refusal.message, `http ${request.method ?? ''} ${pathOf(request)}`);
  if (refusal.code === 'unauthorized') response.setHeader('WWW-Authenticate', 'Bearer realm="mpm-mon"');
  sendError(response, refusal);
}

/** The request's path: a query string may carry a token (`?token=`), so it is never logged or echoed. */
export function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0]!.slice(0, 200);
}

/**
 * What the hook says besides the payload: when it read it, and what it cut (headers; junk is ignored).
 * Other producers (Claude Code's http hooks) say neither: the event occurred when its request arrived.
 */
function provenanceOf(request: IncomingMessage, arrivedAt: string): Provenance {
  const header = request.headers[TRUNCATED_HEADER];
  let truncated: unknown;
  if (typeof header === 'string' && header.length <= 64 * 1024) {
    try {
      truncated = JSON.parse(header);
    } catch {
      truncated = undefined;
    }
  }
  return { occurredAt: readOccurredAt(request.headers[OCCURRED_AT_HEADER]) ?? arrivedAt, truncated };
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

/**
 * A stand-in of the Anthropic Messages API for driving the real Claude Code offline: node:http on
 * 127.0.0.1 (free port), `HEAD /` and `POST /v1/messages` answered with SSE streams, scripted per
 * scenario by how many `tool_result` blocks the request carries (the conversation so far). Usage and
 * model are set by the script, so the totals a transcript should show are known (`scriptUsage`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface ToolCall {
  name: string;
  /** String values may hold `{{cwd}}`, replaced by the session's working directory. */
  input: Record<string, unknown>;
}

export type Step =
  | { kind: 'tools'; tools: ToolCall[]; usage: Usage }
  | { kind: 'text'; text: string; usage: Usage }
  | { kind: 'error'; status: number; errorType: string; message: string };

export interface Script {
  model: string;
  steps: Step[];
}

export interface Scenario {
  name: string;
  prompt: string;
  main: Script;
  /**
   * The script a subagent follows: its requests carry the main session's id, so they are told apart by
   * content (the first user message holds `marker`, which the main script puts in the Agent prompt).
   */
  subagent?: { marker: string; script: Script };
}

export interface RecordedRequest {
  sessionId: string | undefined;
  path: string;
  /** `main`, `subagent`, or `other` (a request no script claims, answered with plain text). */
  role: 'main' | 'subagent' | 'other';
  toolResults: number;
  model: string | undefined;
}

export interface StandIn {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Which scenario the next requests follow. */
  use(scenario: Scenario): void;
  close(): Promise<void>;
}

interface MessagesRequest {
  model?: string;
  system?: unknown;
  messages?: Array<{ role?: string; content?: unknown }>;
}

function blocksOf(content: unknown): Array<Record<string, unknown>> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as Array<Record<string, unknown>>) : [];
}

function countToolResults(request: MessagesRequest): number {
  let count = 0;
  for (const message of request.messages ?? [])
    for (const block of blocksOf(message.content)) if (block.type === 'tool_result') count += 1;
  return count;
}

function firstUserText(request: MessagesRequest): string {
  const first = (request.messages ?? []).find((message) => message.role === 'user');
  return blocksOf(first?.content)
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .join('\n');
}

function workingDirectory(request: MessagesRequest): string {
  const system = JSON.stringify(request.system ?? '');
  const match = /Primary working directory: ([^\s\\]+)/.exec(system);
  return match?.[1] ?? '/tmp';
}

/** The step that answers a request that carries `results` tool results. */
export function stepFor(script: Script, results: number): Step | undefined {
  let seen = 0;
  for (const step of script.steps) {
    if (seen === results) return step;
    if (step.kind === 'tools') seen += step.tools.length;
    else return undefined;
  }
  return undefined;
}

/** What a script's successful responses add up to (each response counted once). */
export function scriptUsage(script: Script): Usage & { responses: number } {
  const total = {
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    responses: 0,
  };
  for (const step of script.steps) {
    if (step.kind === 'error') continue;
    total.input_tokens += step.usage.input_tokens;
    total.output_tokens += step.usage.output_tokens;
    total.cache_creation_input_tokens += step.usage.cache_creation_input_tokens;
    total.cache_read_input_tokens += step.usage.cache_read_input_tokens;
    total.responses += 1;
  }
  return total;
}

function fill(value: unknown, cwd: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{{cwd}}', cwd);
  if (Array.isArray(value)) return value.map((item) => fill(item, cwd));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, cwd)]));
  return value;
}

function sse(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const JSON_CHUNK = 64 * 1024;

function streamStep(
  response: ServerResponse,
  step: Exclude<Step, { kind: 'error' }>,
  model: string,
  ids: { message: string; tool: (index: number) => string },
  cwd: string,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': `req_${ids.message}`,
  });
  sse(response, 'message_start', {
    type: 'message_start',
    message: {
      id: ids.message,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...step.usage, output_tokens: 1 },
    },
  });
  if (step.kind === 'text') {
    sse(response, 'content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    sse(response, 'content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: step.text },
    });
    sse(response, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  } else {
    step.tools.forEach((tool, index) => {
      sse(response, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: ids.tool(index), name: tool.name, input: {} },
      });
      const json = JSON.stringify(fill(tool.input, cwd));
      for (let at = 0; at < json.length; at += JSON_CHUNK)
        sse(response, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: json.slice(at, at + JSON_CHUNK) },
        });
      sse(response, 'content_block_stop', { type: 'content_block_stop', index });
    });
  }
  sse(response, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: step.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: step.usage,
  });
  sse(response, 'message_stop', { type: 'message_stop' });
  response.end();
}

const FALLBACK: Step = {
  kind: 'text',
  text: 'ok',
  usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

function readJson(request: IncomingMessage): Promise<MessagesRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequest);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}

export async function startStandIn(): Promise<StandIn> {
  let scenario: Scenario | undefined;
  let counter = 0;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'HEAD' || (request.method === 'GET' && path === '/')) {
      response.writeHead(200).end();
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: path } }));
      return;
    }
    readJson(request).then(
      (body) => {
        counter += 1;
        const results = countToolResults(body);
        const isSubagent =
          scenario?.subagent !== undefined && firstUserText(body).includes(scenario.subagent.marker);
        const script = isSubagent ? scenario?.subagent?.script : scenario?.main;
        const step = script ? stepFor(script, results) : undefined;
        requests.push({
          sessionId: request.headers['x-claude-code-session-id'] as string | undefined,
          path: request.url ?? '',
          role: step ? (isSubagent ? 'subagent' : 'main') : 'other',
          toolResults: results,
          model: body.model,
        });
        const answer = step ?? FALLBACK;
        if (answer.kind === 'error') {
          response.writeHead(answer.status, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ type: 'error', error: { type: answer.errorType, message: answer.message } }),
          );
          return;
        }
        const tag = `${scenario?.name ?? 'none'}_${isSubagent ? 'sub' : 'main'}_${counter}`;
        streamStep(
          response,
          answer,
          script?.model ?? body.model ?? 'claude-standin',
          { message: `msg_${tag}`, tool: (index) => `toolu_${tag}_${index}` },
          workingDirectory(body),
        );
      },
      () => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad JSON' } }),
        );
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    use: (next) => {
      scenario = next;
      counter = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

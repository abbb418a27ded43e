/**
 * A tiny JSON-over-HTTP(S) helper on `node:http`/`node:https` (cheaper to load than fetch), for /health,
 * /status, /diagnostics, /sessions. An https URL is verified as `tls` says, never skipped.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as secureRequest } from 'node:https';
import { tlsConnectOptions, type TlsTrust } from './tls-trust.js';

export interface HttpJsonOptions {
  token?: string;
  timeoutMs: number;
  method?: 'GET' | 'POST';
  body?: unknown;
  /** For an https URL: the CA and pin to verify with (default: the system's CAs and the name). */
  tls?: TlsTrust;
}

export interface HttpJsonResponse {
  status: number;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
  text: string;
}

/** Rejects with an Error whose `code` is the socket error code (ECONNREFUSED…) or `ETIMEDOUT`. */
export function httpJson(url: string, options: HttpJsonOptions): Promise<HttpJsonResponse> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const send = (onAnswer: (res: IncomingMessage) => void): ClientRequest =>
      url.startsWith('https:')
        ? secureRequest(
            url,
            { method: options.method ?? 'GET', headers, ...tlsConnectOptions(options.tls ?? {}) },
            onAnswer,
          )
        : request(url, { method: options.method ?? 'GET', headers }, onAnswer);
    const req = send((res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: parseJsonOrNull(text), text });
      });
    });
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer from ${url} within ${options.timeoutMs} ms`), {
        code: 'ETIMEDOUT',
      });
      req.destroy(error);
    }, options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(payload);
  });
}

function parseJsonOrNull(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * Socket.IO's packet encoder, taught to splice in JSON that is already text (`EncodedJson`): a history
 * page of 5,000 events was one 5 MB JSON.stringify, plus socket.io's walk of every value looking for
 * binary, on the event loop, and live frames waited behind it. The page's events are the journal's
 * lines as read, so joining them is a copy. The bytes on the wire are those socket.io's own encoder
 * writes for the same values; a packet without EncodedJson goes to socket.io's encoder unchanged.
 */
import type { DaemonServer } from './socket-types.js';

/** A value held as its JSON text. */
export class EncodedJson {
  constructor(readonly json: string) {}

  /** The value itself, for whatever serializes it as a value (JSON.stringify). */
  toJSON(): unknown {
    return JSON.parse(this.json) as unknown;
  }
}

/** JSON texts as one JSON array. */
export function jsonArray(texts: readonly string[]): EncodedJson {
  return new EncodedJson(`[${texts.join(',')}]`);
}

/** The fields of socket.io-parser's Packet this reads (protocol 5). */
export interface WirePacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

const EVENT = 2;
const ACK = 3;

/** Makes `io` splice EncodedJson into the packets it sends; everything else is encoded as before. */
export function useEncodedJson(io: DaemonServer): void {
  const encoder = io.encoder;
  const encode = encoder.encode.bind(encoder);
  encoder.encode = (packet: WirePacket): unknown[] => {
    const text = encodeWithJson(packet);
    if (text !== null) return [text];
    // Binary beside EncodedJson (not sent today): socket.io's binary encoder copies objects field by
    // field, so it is handed the values themselves.
    const encoded: unknown[] = encode(
      holdsEncodedJson(packet) ? { ...packet, data: revive(packet.data as unknown[]) } : packet,
    );
    return encoded;
  };
}

/**
 * The packet as socket.io-parser's `encodeAsString` writes it, with EncodedJson spliced in where it
 * is an argument or a property of an argument that is a plain object (a history ack, `{ok, events}`).
 * Null, for socket.io's encoder, when there is none there, or when anything else in it is binary.
 */
export function encodeWithJson(packet: WirePacket): string | null {
  if (!holdsEncodedJson(packet)) return null;
  const args = packet.data as unknown[];
  const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
  // Concatenated, not joined: the page's text is not copied again here.
  let out = `${packet.type}${nsp}${packet.id ?? ''}[`;
  for (const [index, arg] of args.entries()) {
    const object = plainObject(arg);
    const text = object ? properties(object) : leaf(arg);
    if (text === null) return null;
    // JSON.stringify writes null for what it cannot represent inside an array.
    out += `${index > 0 ? ',' : ''}${text ?? 'null'}`;
  }
  return `${out}]`;
}

function holdsEncodedJson(packet: WirePacket): boolean {
  if ((packet.type !== EVENT && packet.type !== ACK) || !Array.isArray(packet.data)) return false;
  return (packet.data as unknown[]).some(
    (arg) =>
      arg instanceof EncodedJson ||
      Object.values(plainObject(arg) ?? {}).some((value) => value instanceof EncodedJson),
  );
}

/** The arguments with each EncodedJson (an argument, or a property of one) replaced by its value. */
function revive(args: readonly unknown[]): unknown[] {
  const value = (item: unknown): unknown => (item instanceof EncodedJson ? item.toJSON() : item);
  return args.map((arg) => {
    const object = plainObject(arg);
    if (!object) return value(arg);
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, value(item)]));
  });
}

/** A plain object JSON.stringify walks key by key (no toJSON of its own). */
function plainObject(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return null;
  const object = value as Record<string, unknown>;
  return typeof object.toJSON === 'function' ? null : object;
}

function properties(object: Record<string, unknown>): string | null {
  let out = '';
  for (const key of Object.keys(object)) {
    const text = leaf(object[key]);
    if (text === null) return null;
    // ...and leaves out such a property of an object.
    if (text !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `{${out}}`;
}

/** JSON.stringify's text (undefined for what it leaves out), or null for a value holding binary. */
function leaf(value: unknown): string | null | undefined {
  if (value instanceof EncodedJson) return value.json;
  if (hasBinary(value)) return null;
  // JSON.stringify gives undefined for what JSON leaves out (undefined, a function), whatever its type says.
  const text: string | undefined = JSON.stringify(value);
  return text;
}

/** Whether socket.io would send `value` as a binary packet (a Buffer, typed array or Blob inside). */
function hasBinary(value: unknown, viaToJSON = false): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Blob) return true;
  if (Array.isArray(value)) return value.some((element) => hasBinary(element));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (!viaToJSON && typeof toJSON === 'function') return hasBinary(toJSON.call(value), true);
  return Object.values(value).some((element) => hasBinary(element));
}

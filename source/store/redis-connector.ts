/**
 * How ioredis opens its socket, with one difference from its own connector: the socket keeps an error
 * listener for its whole life. ioredis listens for one error per socket (`once`), and a failed TLS
 * handshake can raise two (our verdict on the certificate, then the server's alert): the second had
 * no listener and became an uncaught exception, which stops a daemon. ioredis still sees the first.
 */
import { createConnection } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { AbstractConnector, type RedisOptions } from 'ioredis';

type Stream = ReturnType<typeof createConnection> | ReturnType<typeof connectTls>;

export class GuardedConnector extends AbstractConnector {
  private readonly options: RedisOptions;

  /** ioredis passes its whole options object (typed `unknown` in its ConnectorConstructor). */
  constructor(options: unknown) {
    const redisOptions = options as RedisOptions;
    super(redisOptions.disconnectTimeout ?? 2000);
    this.options = redisOptions;
  }

  connect(): Promise<Stream> {
    this.connecting = true;
    const { path, host, port, family, tls } = this.options;
    return new Promise((resolve, reject) => {
      // As ioredis does: the stream is made on the next tick, unless disconnect() came first.
      process.nextTick(() => {
        if (!this.connecting) {
          reject(new Error('Connection is closed.'));
          return;
        }
        let stream: Stream;
        try {
          const where = path ? { path } : { host, port, ...(family !== undefined ? { family } : {}) };
          stream = tls ? connectTls({ ...where, ...tls }) : createConnection(where as { path: string });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        this.stream = stream;
        stream.once('error', (error: Error) => (this.firstError = error));
        stream.on('error', () => undefined);
        resolve(stream);
      });
    });
  }
}

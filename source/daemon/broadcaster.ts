/**
 * Fans stored events out to viewers, in seq order, with no gap and no duplicate.
 *
 * Live events are gathered for `batchMs` and sent as one `events` frame. Viewers that keep up sit in
 * the `live` room and get that frame through one broadcast (socket.io encodes it once for all of them).
 * A viewer whose transport is still busy when a frame is due leaves the room and gets its own queue of
 * (shared, not copied) events; it rejoins once it has caught up, and is disconnected with a reason when
 * its queue passes `maxBacklog`, so a viewer that stops reading cannot grow the daemon's memory.
 * Live and replay come from one place, the store's tail: `follow` reads it once for every viewer
 * (from this daemon's writes or, with a shared store, any daemon's), and each new viewer reads it from
 * its `since` until it reaches what the live tail had delivered when the viewer arrived. The viewer is
 * registered first, so nothing delivered meanwhile is missed; every send is filtered by the viewer's last
 * sent seq, so nothing is sent twice.
 */
import type { DaemonNamespace as Namespace, DaemonSocket as Socket } from './socket-types.js';
import type { MonEvent } from '../protocol/event.js';
import type { Logger } from '../instance/logger-types.js';
import type { ViewerInfo } from '../protocol/diagnostics.js';

const LIVE_ROOM = 'live';
/** Wait before the live tail is read again after it failed (a store that went away). */
const FOLLOW_RETRY_MS = 250;

export interface TailSource {
  readonly lastSeq: number;
  tail(since: number, signal?: AbortSignal): AsyncIterable<MonEvent[]>;
}

interface Viewer {
  socket: Socket;
  /** Highest seq sent to this viewer. */
  sentSeq: number;
  /** Events waiting for this viewer while it is not in the live room (replaying or lagging). */
  queue: MonEvent[];
  replaying: boolean;
  connectedAt: number;
  delivered: number;
}

export interface BroadcasterOptions {
  batchMs: number;
  maxBacklog: number;
  logger: Logger;
}

export type { ViewerInfo };

export class Broadcaster {
  private readonly viewers = new Map<string, Viewer>();
  private pending: MonEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private deliveredTotal = 0;
  private lastFlushAt = -Infinity;
  private droppedSlow = 0;

  private nsp: Namespace | null = null;
  /** Highest seq the live tail delivered. */
  private liveSeq = 0;
  private following: AbortController | null = null;

  constructor(private readonly options: BroadcasterOptions) {}

  /** Binds the `/dashboard` namespace; after a listener restart it is a new one. */
  rebind(nsp: Namespace): void {
    this.nsp = nsp;
    this.viewers.clear();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  get delivered(): number {
    return this.deliveredTotal;
  }

  get droppedSlowViewers(): number {
    return this.droppedSlow;
  }

  /** Largest queue of any viewer, in events (0 when everyone keeps up). */
  maxBacklog(): number {
    let max = 0;
    for (const viewer of this.viewers.values()) max = Math.max(max, viewer.queue.length);
    return max;
  }

  viewersInfo(): ViewerInfo[] {
    return [...this.viewers.values()].map((viewer) => ({
      id: viewer.socket.id,
      address: viewer.socket.handshake.address,
      connectedAt: new Date(viewer.connectedAt).toISOString(),
      sentSeq: viewer.sentSeq,
      backlog: viewer.queue.length,
      live: !viewer.replaying && viewer.queue.length === 0,
      delivered: viewer.delivered,
    }));
  }

  /** Highest seq the live tail delivered (what a new viewer's replay must reach). */
  get followedSeq(): number {
    return this.liveSeq;
  }

  /**
   * Reads the store's tail from `from` (default: what is stored now) and publishes each batch, until
   * `stop()`. A failed read is retried from the last seq delivered, so a store that comes back resumes
   * the stream without a gap.
   */
  follow(store: TailSource, from = store.lastSeq): void {
    this.following?.abort();
    const following = new AbortController();
    this.following = following;
    this.liveSeq = from;
    void (async () => {
      while (!following.signal.aborted) {
        try {
          for await (const batch of store.tail(this.liveSeq, following.signal)) this.publish(batch);
        } catch (error) {
          if (following.signal.aborted) return;
          this.options.logger.warn('live tail failed; retrying', { error: String(error) });
          await new Promise((resolve) => setTimeout(resolve, FOLLOW_RETRY_MS).unref());
        }
      }
    })();
  }

  /**
   * Stored events, in seq order. After a quiet spell they go out at once (no added latency at low
   * rates); what arrives within `batchMs` of the last frame waits for the next one (few frames, and
   * one encoding each, at high rates).
   */
  publish(events: readonly MonEvent[]): void {
    if (events.length === 0) return;
    this.liveSeq = Math.max(this.liveSeq, events.at(-1)!.seq);
    if (this.viewers.size === 0) return;
    for (const event of events) this.pending.push(event);
    if (this.timer) return;
    const sinceLastFrame = performance.now() - this.lastFlushAt;
    if (sinceLastFrame >= this.options.batchMs) this.flush();
    else this.timer = setTimeout(() => this.flush(), this.options.batchMs - sinceLastFrame);
  }

  /**
   * Registers a viewer and replays what it asked for: every stored event with seq > since, then live.
   * `since` null means live only.
   */
  async attach(socket: Socket, since: number | null, store: TailSource): Promise<void> {
    const startSeq = since ?? this.liveSeq;
    const viewer: Viewer = {
      socket,
      sentSeq: startSeq,
      queue: [],
      replaying: true,
      connectedAt: Date.now(),
      delivered: 0,
    };
    this.viewers.set(socket.id, viewer);
    socket.once('disconnect', () => this.viewers.delete(socket.id));
    // Everything after this seq reaches the viewer's queue through the live tail.
    const target = this.liveSeq;
    const replay = new AbortController();
    try {
      if (viewer.sentSeq < target) {
        for await (const batch of store.tail(viewer.sentSeq, replay.signal)) {
          if (!socket.connected) return;
          this.send(
            viewer,
            batch.filter((event) => event.seq > viewer.sentSeq),
          );
          if (viewer.sentSeq >= target) break;
        }
      }
    } catch (error) {
      this.options.logger.error('replay failed', { viewer: socket.id, error: String(error) });
      socket.disconnect(true);
      return;
    } finally {
      replay.abort();
    }
    viewer.replaying = false;
    this.drainQueue(viewer);
  }

  /** Sends everything pending now (also on shutdown, before the `shutdown` message). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.lastFlushAt = performance.now();
    let liveCount = 0;
    /** Viewers in the room that already have part of this frame: they get the rest on their own. */
    const ahead: string[] = [];
    for (const viewer of this.viewers.values()) {
      if (batch.length > 0) {
        const inRoom = viewer.socket.rooms.has(LIVE_ROOM);
        // Its replay read this frame's events from the store and it joined the room while the frame
        // waited for its batch window: the room's copy would repeat them.
        if (inRoom && viewer.sentSeq >= batch[0]!.seq) {
          ahead.push(viewer.socket.id);
          this.send(
            viewer,
            batch.filter((event) => event.seq > viewer.sentSeq),
          );
          continue;
        }
        if (inRoom && this.writable(viewer)) {
          liveCount++;
          viewer.sentSeq = batch.at(-1)!.seq;
          viewer.delivered += batch.length;
          continue;
        }
        if (inRoom) void viewer.socket.leave(LIVE_ROOM);
        for (const event of batch) viewer.queue.push(event);
      }
      if (!viewer.replaying && viewer.queue.length > 0) this.drainQueue(viewer);
    }
    if (liveCount > 0 && this.nsp) {
      this.nsp.to(LIVE_ROOM).except(ahead).emit('events', batch);
      this.deliveredTotal += liveCount * batch.length;
    }
    // A lagging viewer whose transport became free gets its queue at the next frame; make sure one comes.
    if (this.maxBacklog() > 0)
      this.timer ??= setTimeout(() => this.flush(), Math.max(this.options.batchMs, 5));
  }

  /** Drops viewers that are stale or too slow; healthy viewers are kept. Returns how many were dropped. */
  dropLagging(minBacklog: number): number {
    let dropped = 0;
    for (const viewer of this.viewers.values()) {
      if (viewer.queue.length >= minBacklog || !viewer.socket.connected) {
        this.drop(viewer, 'dropped by recovery (clear-connections): lagging or stale; reconnect to replay');
        dropped++;
      }
    }
    return dropped;
  }

  /** Stops the batching timer (listener closed); `unfollow` also ends the live tail. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  unfollow(): void {
    this.following?.abort();
    this.following = null;
  }

  private drainQueue(viewer: Viewer): void {
    if (viewer.queue.length > this.options.maxBacklog) {
      this.droppedSlow++;
      this.options.logger.warn('viewer dropped: too slow to keep up', {
        viewer: viewer.socket.id,
        backlog: viewer.queue.length,
        maxBacklog: this.options.maxBacklog,
      });
      this.drop(
        viewer,
        `dropped: too slow to keep up (backlog ${viewer.queue.length} > ${this.options.maxBacklog} events); reconnect to replay`,
      );
      return;
    }
    if (viewer.queue.length === 0 || !this.writable(viewer)) {
      if (viewer.queue.length === 0) void viewer.socket.join(LIVE_ROOM);
      return;
    }
    const fresh = viewer.queue.filter((event) => event.seq > viewer.sentSeq);
    viewer.queue = [];
    this.send(viewer, fresh);
    void viewer.socket.join(LIVE_ROOM);
  }

  private send(viewer: Viewer, events: MonEvent[]): void {
    if (events.length === 0) return;
    viewer.socket.emit('events', events);
    viewer.sentSeq = events.at(-1)!.seq;
    viewer.delivered += events.length;
    this.deliveredTotal += events.length;
  }

  /** True when the viewer's transport has nothing waiting: a frame now would go straight out. */
  private writable(viewer: Viewer): boolean {
    const conn = viewer.socket.conn as unknown as {
      writeBuffer?: unknown[];
      transport?: { writable?: boolean };
    };
    return (conn.writeBuffer?.length ?? 0) === 0 && conn.transport?.writable !== false;
  }

  /** `restarting: true` tells the viewer the daemon stays up: reconnect and replay from its last seq. */
  private drop(viewer: Viewer, reason: string): void {
    this.viewers.delete(viewer.socket.id);
    viewer.queue = [];
    viewer.socket.emit('shutdown', { reason, restarting: true });
    viewer.socket.disconnect(true);
  }
}

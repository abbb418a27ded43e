/**
 * The daemon's sessions: the session model fed from the events it stores, plus each session's
 * transcript figures. Off the event path: `observe` only queues (the pipeline never waits); the
 * queue is applied and transcripts are read a little later, one session after another, each read
 * bounded. A transcript that grew is looked at again `settleMs` later, since Claude Code may still
 * be writing the message a hook fired for.
 */
import type { SessionsDiagnostics } from '../protocol/diagnostics.js';
import { costUsd, PRICES_AS_OF, type PriceTable } from '../claude/prices.js';
import {
  createReaderStats,
  DEFAULT_READER,
  figuresOf,
  TranscriptFile,
  type ReaderOptions,
} from '../claude/transcript-reader.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../instance/logger-types.js';
import type { MonEvent } from '../protocol/event.js';
import type { SessionsAnswer } from '../protocol/messages.js';
import { ZERO_TOKENS, type Session, type TokenTotals, type TranscriptFigures } from '../protocol/session.js';
import {
  applyEvents,
  createSessionsState,
  sortedRecords,
  toolStatsAcross,
  toSession,
  type SessionRecord,
  type SessionsLimits,
  type SessionsState,
} from '../sessions/index.js';

export interface SessionTrackerOptions {
  /** The Claude Code projects folder (only transcripts below it are read). */
  root: string;
  prices: PriceTable;
  logger: Logger;
  reader?: Partial<Omit<ReaderOptions, 'root'>>;
  limits?: Partial<SessionsLimits>;
  /** Delay between an event and looking at its session. */
  debounceMs?: number;
  settleMs?: number;
}

interface SessionFiles {
  main: TranscriptFile | null;
  agents: Map<string, TranscriptFile>;
}

/** Cumulative per-model figures for /metrics: they only grow. */
export interface ModelTotals {
  tokens: TokenTotals;
  costUsd: number | null;
}

const KINDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;
const QUEUE_LIMIT = 10_000;
const TAIL_RETRY_MS = 1000;

export interface TailSource {
  tail(since: number, signal?: AbortSignal): AsyncIterable<MonEvent[]>;
}

export class SessionTracker {
  private state: SessionsState;
  private queue: MonEvent[] = [];
  private readonly files = new Map<string, SessionFiles>();
  private readonly dirty = new Set<string>();
  private readonly settling = new Set<string>();
  private workTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private working: Promise<void> | null = null;
  private stopped = false;
  private following: AbortController | null = null;
  private readonly reader: ReaderOptions;
  readonly readerStats = createReaderStats();
  private readonly counted = new Map<string, Record<string, TokenTotals>>();
  private readonly cumulative = new Map<string, TokenTotals>();

  constructor(private readonly options: SessionTrackerOptions) {
    this.state = createSessionsState(options.limits);
    this.reader = { ...DEFAULT_READER, ...options.reader, root: options.root };
  }

  /** Stored events, in seq order. O(1): the work happens later. */
  observe(events: readonly MonEvent[]): void {
    if (this.stopped || events.length === 0) return;
    for (const event of events) this.queue.push(event);
    if (this.queue.length >= QUEUE_LIMIT) this.applyQueued();
    this.scheduleWork(this.options.debounceMs ?? 50);
  }

  /**
   * Follows the store's tail from `from` (at start-up: the last ring's worth, so the sessions are
   * rebuilt from what the store holds) until `stop`. A failing tail is read again a second later.
   */
  follow(store: TailSource, from: number): void {
    this.following?.abort();
    const following = new AbortController();
    this.following = following;
    let since = from;
    void (async () => {
      while (!following.signal.aborted) {
        try {
          for await (const batch of store.tail(since, following.signal)) {
            this.observe(batch);
            if (batch.length > 0) since = batch.at(-1)!.seq;
          }
        } catch (error) {
          if (following.signal.aborted) return;
          this.options.logger.warn('sessions: store tail failed; retrying', { error: String(error) });
        }
        if (!following.signal.aborted) await delay(TAIL_RETRY_MS, undefined, { ref: false }).catch(() => {});
      }
    })();
  }

  /** Every session in the Sessions view's order (waiting first). */
  list(): Session[] {
    this.applyQueued();
    return sortedRecords(this.state).map((record) => toSession(record, this.figures(record.sessionId)));
  }

  answer(): SessionsAnswer {
    const sessions = this.list();
    return {
      generatedAt: new Date().toISOString(),
      pricesAsOf: PRICES_AS_OF,
      sessions,
      tools: toolStatsAcross(this.state.byId.values()),
    };
  }

  /** Tokens and cost per model since the daemon started (never decreasing). */
  modelTotals(): Map<string, ModelTotals> {
    const out = new Map<string, ModelTotals>();
    for (const [model, tokens] of this.cumulative) {
      out.set(model, { tokens, costUsd: costUsd({ [model]: tokens }, this.options.prices) });
    }
    return out;
  }

  diagnostics(): SessionsDiagnostics {
    const transcripts: SessionsDiagnostics['byStatus'] = {};
    let files = 0;
    for (const set of this.files.values()) {
      for (const file of [set.main, ...set.agents.values()]) {
        if (!file) continue;
        files += 1;
        transcripts[file.status] = (transcripts[file.status] ?? 0) + 1;
      }
    }
    return {
      sessions: this.state.byId.size,
      queued: this.queue.length,
      root: this.reader.root,
      readBytes: this.reader.readBytes,
      files,
      byStatus: transcripts,
      reader: { ...this.readerStats },
    };
  }

  /** Stops reading; what is being read finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.following?.abort();
    if (this.workTimer) clearTimeout(this.workTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    await this.working;
  }

  /** Resolves once the queue is applied and no read is pending (for tests and the bench). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.dirty.size > 0 || this.working) {
      if (!this.working) this.startWork();
      await this.working;
    }
  }

  private figures(sessionId: string): TranscriptFigures {
    const set = this.files.get(sessionId);
    return figuresOf(set?.main ?? null, set ? [...set.agents.values()] : [], this.options.prices);
  }

  private applyQueued(): void {
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    this.state = applyEvents(this.state, events);
    const touched = new Set(events.map((event) => event.sessionId));
    for (const id of touched) {
      const record = this.state.byId.get(id);
      if (record && this.syncFiles(record)) this.dirty.add(id);
    }
    if (this.files.size > this.state.byId.size)
      for (const id of this.files.keys()) {
        if (this.state.byId.has(id)) continue;
        this.files.delete(id);
        this.counted.delete(id);
        this.dirty.delete(id);
      }
  }

  /** The transcript files the session's events name; true when there is one to read. */
  private syncFiles(record: SessionRecord): boolean {
    let set = this.files.get(record.sessionId);
    if (!set) {
      set = { main: null, agents: new Map() };
      this.files.set(record.sessionId, set);
    }
    if (record.transcriptPath && set.main?.path !== record.transcriptPath)
      set.main = new TranscriptFile(record.transcriptPath, this.reader, this.readerStats);
    for (const agent of record.subagents.values()) {
      if (!agent.transcriptPath || set.agents.get(agent.agentId)?.path === agent.transcriptPath) continue;
      set.agents.set(agent.agentId, new TranscriptFile(agent.transcriptPath, this.reader, this.readerStats));
    }
    return set.main !== null || set.agents.size > 0;
  }

  private scheduleWork(ms: number): void {
    if (this.stopped || this.workTimer) return;
    this.workTimer = setTimeout(() => {
      this.workTimer = null;
      this.startWork();
    }, ms);
    this.workTimer.unref();
  }

  private startWork(): void {
    if (this.working) {
      this.scheduleWork(this.options.debounceMs ?? 50);
      return;
    }
    this.working = this.work()
      .catch((error: unknown) => this.options.logger.warn('session figures failed', { error: String(error) }))
      .finally(() => (this.working = null));
  }

  private async work(): Promise<void> {
    this.applyQueued();
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      if (this.stopped) return;
      const set = this.files.get(id);
      if (!set) continue;
      let grew = false;
      for (const file of [set.main, ...set.agents.values()]) if (file && (await file.refresh())) grew = true;
      if (!grew) continue;
      this.account(id);
      this.settling.add(id);
    }
    if (this.settling.size > 0 && !this.settleTimer && !this.stopped) {
      this.settleTimer = setTimeout(() => {
        this.settleTimer = null;
        for (const id of this.settling) this.dirty.add(id);
        this.settling.clear();
        this.startWork();
      }, this.options.settleMs ?? 1000);
      this.settleTimer.unref();
    }
  }

  /** Adds what a session's transcripts newly show to the per-model totals. */
  private account(sessionId: string): void {
    const { byModel } = this.figures(sessionId);
    const before = this.counted.get(sessionId) ?? {};
    for (const [model, tokens] of Object.entries(byModel)) {
      const previous = before[model] ?? ZERO_TOKENS;
      const total = { ...(this.cumulative.get(model) ?? ZERO_TOKENS) };
      for (const kind of KINDS) total[kind] += Math.max(0, tokens[kind] - previous[kind]);
      this.cumulative.set(model, total);
    }
    this.counted.set(sessionId, byModel);
  }
}

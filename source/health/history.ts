/** Bounded per-check history: the last `size` results of each check and when its status last changed. */
import type { CheckHistory, CheckResult, HealthHistoryPoint } from '../protocol/health.js';

interface Track {
  points: HealthHistoryPoint[];
  /** Index of the oldest point once the ring is full. */
  start: number;
  latest: CheckResult;
  lastChangedAt: string | null;
}

export class HealthHistory {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`history size must be an integer >= 1, got ${String(size)}`);
    }
  }

  add(result: CheckResult): void {
    const point: HealthHistoryPoint = {
      time: result.time,
      status: result.status,
      observedValue: result.observedValue,
    };
    const track = this.tracks.get(result.name);
    if (!track) {
      this.tracks.set(result.name, { points: [point], start: 0, latest: result, lastChangedAt: null });
      return;
    }
    if (track.latest.status !== result.status) track.lastChangedAt = result.time;
    track.latest = result;
    if (track.points.length < this.size) track.points.push(point);
    else {
      track.points[track.start] = point;
      track.start = (track.start + 1) % this.size;
    }
  }

  /** One check's history, oldest first; undefined for a check never seen. */
  get(name: string): CheckHistory | undefined {
    const track = this.tracks.get(name);
    if (!track) return undefined;
    const points = [...track.points.slice(track.start), ...track.points.slice(0, track.start)];
    return { latest: track.latest, lastChangedAt: track.lastChangedAt, points };
  }

  /** Every check's history, by name. */
  all(): Record<string, CheckHistory> {
    const out: Record<string, CheckHistory> = {};
    for (const name of [...this.tracks.keys()].sort()) out[name] = this.get(name)!;
    return out;
  }
}

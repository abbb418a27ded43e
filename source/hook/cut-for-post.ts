/**
 * A payload bigger than events.maxBytes (a Write of a big file is a big PreToolUse) is cut here, before
 * it is posted or spooled, so the daemon never refuses it for its size. Loaded only for such payloads:
 * the common hook never pays for the truncation code.
 */
import { DEFAULT_MAX_EVENT_BYTES, type TruncatedField } from '../protocol/event.js';

export interface CutPayload {
  text: string;
  truncated: TruncatedField[];
}

/** `MPM_MON_EVENTS_MAX_BYTES` when it is a sane number (the daemon's setting), else the default. */
export function hookMaxBytes(env: NodeJS.ProcessEnv): number {
  const value = Number(env.MPM_MON_EVENTS_MAX_BYTES);
  return Number.isSafeInteger(value) && value >= 1024 ? value : DEFAULT_MAX_EVENT_BYTES;
}

export async function cutForPost(value: Record<string, unknown>, maxBytes: number): Promise<CutPayload> {
  const { dataBudget, truncateToFit } = await import('../pipeline/truncate.js');
  const cut = truncateToFit(value, dataBudget(maxBytes));
  return { text: JSON.stringify(cut.value), truncated: cut.truncated };
}

/** Whether an event says Claude Code now waits for the user, and for what. Pure. */
import type { MonEvent } from '../protocol/event.js';
import { record, text } from './event-fields.js';

/** Notification types Claude Code sends while it waits (`notification_type`). */
const WAITING_NOTIFICATIONS: Readonly<Record<string, string>> = {
  permission_prompt: 'permission',
  idle_prompt: 'idle',
  elicitation_dialog: 'elicitation',
};

/** `permission`, `elicitation`, `idle`, or null when the event is not a wait. */
export function waitKind(event: MonEvent): string | null {
  switch (event.type) {
    case 'PermissionRequest':
      return 'permission';
    case 'Elicitation':
      return 'elicitation';
    case 'Notification': {
      const data = record(event.data);
      const kind = text(data.notification_type);
      if (kind) return WAITING_NOTIFICATIONS[kind] ?? null;
      // Older Claude Code sends no type: its two waiting messages.
      const message = text(data.message) ?? '';
      if (/needs your permission/i.test(message)) return 'permission';
      if (/waiting for your input/i.test(message)) return 'idle';
      return null;
    }
    default:
      return null;
  }
}

/** A Notification that is not a wait (e.g. auth success) does not show the session moved on. */
export function showsMovedOn(event: MonEvent): boolean {
  return event.type !== 'Notification' && waitKind(event) === null;
}

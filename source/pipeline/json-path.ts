/** `$`, `$.tool_input.command`, `$[3].session_id`, `$["odd key"]`: a JSONPath-like location (no imports). */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_KEY_SHOWN = 40;

export function jsonPath(segments: readonly PathSegment[], root = '$'): string {
  let path = root;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment) && segment.length <= MAX_KEY_SHOWN) path += `.${segment}`;
    else {
      const shown = segment.length > MAX_KEY_SHOWN ? `${segment.slice(0, MAX_KEY_SHOWN)}…` : segment;
      path += `[${JSON.stringify(shown)}]`;
    }
  }
  return path;
}

/**
 * The static import graph of a module in source/: what loading it costs before anything runs. The
 * import-graph tests walk it to keep heavy packages off paths that must stay light.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface ImportSite {
  from: string;
  specifier: string;
}

export interface GraphOptions {
  /** Modules allowed to load others lazily (`import()`); any other with a dynamic import fails the walk. */
  lazy?: readonly RegExp[];
}

/** Runtime imports of one module (`import type` is erased by the compiler and costs nothing). */
function runtimeImports(file: string, options: GraphOptions): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm)) {
    if (!match[2]) found.push(match[4]!);
  }
  for (const match of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push(match[1]!);
  if (options.lazy && !options.lazy.some((pattern) => pattern.test(file)))
    assert.doesNotMatch(text, /\bimport\(/, `${file} uses a dynamic import`);
  return found;
}

/** Own modules (repo-relative) and external specifiers reached from `entry` by static imports. */
export function importGraph(
  entry: string,
  options: GraphOptions = {},
): { own: string[]; external: ImportSite[] } {
  const own = new Set<string>();
  const external: ImportSite[] = [];
  const queue = [path.isAbsolute(entry) ? entry : path.join(repo, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const relative = path.relative(repo, file).split(path.sep).join('/');
    if (own.has(relative)) continue;
    own.add(relative);
    for (const specifier of runtimeImports(file, options)) {
      if (specifier.startsWith('.'))
        queue.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.push({ from: relative, specifier });
    }
  }
  return { own: [...own].sort(), external };
}

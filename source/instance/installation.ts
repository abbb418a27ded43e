/**
 * Files of this installation, found from this module: beside it once built (`dist/`), or in `dist/`
 * when it runs from source (tests, tsx). The one place that knows the package layout.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `name` at the package's top level of dist/ (e.g. `cli.js`, `mpm-mon.cjs`), when it exists. */
export function installedFile(name: string): string | null {
  for (const relative of [`../../${name}`, `../../dist/${name}`]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The entry script (dist/cli.js), which starts the daemon with the same Node; null before a build. */
export function cliScriptPath(): string | null {
  return installedFile('cli.js');
}

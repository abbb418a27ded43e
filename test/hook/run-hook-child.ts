// Child process for the hook tests: runs the hook exactly as the CLI does (stdin, env, exit 0), then
// reports the outcome and the time runHook took on stderr (the hook itself must print nothing).
import { runHook } from '../../source/commands/hook.js';

const started = performance.now();
const outcome = await runHook();
const elapsedMs = performance.now() - started;
process.stderr.write(`${JSON.stringify({ outcome, elapsedMs })}\n`);
process.exitCode = 0;

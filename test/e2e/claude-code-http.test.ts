/** The real Claude Code with `mpm-mon install-hooks --http` hooks: test/claude-code/e2e-suite.ts. */
import { claudeCodeSuite } from '../claude-code/e2e-suite.js';

claudeCodeSuite('http');

/** Types for install-claude-code.mjs (plain node, so that CI can run it before anything is built). */
export declare const CLAUDE_CODE_VERSION: string;
export declare function claudeCodeCache(env?: NodeJS.ProcessEnv): string;
export declare function claudeCodeBinary(env?: NodeJS.ProcessEnv): string;
export declare function ensureClaudeCode(env?: NodeJS.ProcessEnv): string;

// Kept in step with package.json by test/protocol/version.test.ts (reading package.json at run time
// would cost the hook a file read and a JSON parse on every call).
export const VERSION = '0.1.0';

export * from './base.js';
export * from './guidance.js';
export * from './codes.js';
export * from './platform-commands.js';
export * from './config-error.js';
export * from './daemon-errors.js';
export {
  JournalError,
  isJournalError,
  type JournalErrorCode,
  type JournalErrorFacts,
} from './journal-error.js';
export * from './home-error.js';
export * from './connection-errors.js';
export * from './hooks-error.js';
export * from './health-errors.js';
export * from './threshold-error.js';
export * from './environment-error.js';
export * from './present.js';

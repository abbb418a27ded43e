export * from './event.js';
export * from './health.js';
export * from './messages.js';
export { VERSION } from './version.js';
export * from './session.js';

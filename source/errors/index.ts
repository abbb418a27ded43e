export * from './base.js';
export * from './config-error.js';

export * from './home.js';
export * from './schema.js';
export * from './resolve.js';
export * from './load.js';

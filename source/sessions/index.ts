export * from './model.js';
export * from './view.js';
export { waitKind } from './waiting.js';
export { eventTime, agentIdOf, toolUseId } from './event-fields.js';
export { percentile } from './percentile.js';

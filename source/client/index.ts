export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export {
  DashboardClient,
  type ConnectionState,
  type DashboardClientHandlers,
  type DashboardClientOptions,
} from './dashboard-client.js';
export {
  daemonUrl,
  discoverDaemon,
  isProcessAlive,
  type DaemonAddress,
  type DiscoverFailure,
  type DiscoverOptions,
  type DiscoverResult,
} from './discover.js';
export { httpJson, type HttpJsonOptions, type HttpJsonResponse } from './http-json.js';

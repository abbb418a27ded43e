/** The daemon's Socket.IO, typed by what it listens for and what it sends (protocol/messages.ts). */
import type { Namespace, Server, Socket } from 'socket.io';
import type { DaemonListens, DashboardServerToClient } from '../protocol/messages.js';

export type DaemonServer = Server<DaemonListens, DashboardServerToClient>;
export type DaemonNamespace = Namespace<DaemonListens, DashboardServerToClient>;
export type DaemonSocket = Socket<DaemonListens, DashboardServerToClient>;

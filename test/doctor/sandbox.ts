/** A throw-away MPM_MON_HOME and user home for doctor tests, and a way to run doctor against them. */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { runDoctor, type DoctorOptions } from '../../source/commands/doctor.js';
import type { DoctorJson } from '../../source/doctor/types.js';
import { daemonTestEnv, tempDir } from '../helpers/temp-home.js';

export interface Sandbox {
  dir: string;
  home: string;
  state: string;
  project: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function makeSandbox(port: number, extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
  const { path: dir, remove } = tempDir('mpm-mon-doctor-');
  const home = join(dir, 'user');
  const state = join(dir, 'state');
  const project = join(dir, 'project');
  fs.mkdirSync(home);
  fs.mkdirSync(project);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: home,
    MPM_MON_HOME: state,
    MPM_MON_PORT: String(port),
    ...daemonTestEnv(),
    ...extraEnv,
  };
  return { dir, home, state, project, env, cleanup: remove };
}

export interface DoctorRun {
  code: number;
  output: string;
  json: DoctorJson;
  ms: number;
}

export async function doctor(box: Sandbox, options: Partial<DoctorOptions> = {}): Promise<DoctorRun> {
  let output = '';
  const started = Date.now();
  const code = await runDoctor({
    json: true,
    fix: false,
    start: false,
    hooks: false,
    verbose: false,
    ascii: false,
    env: box.env,
    cwd: box.project,
    homeDir: box.home,
    stdout: { write: (text: string) => (output += text) },
    timeoutMs: 400,
    ...options,
  });
  const ms = Date.now() - started;
  const json = (options.json ?? true) ? (JSON.parse(output) as DoctorJson) : ({} as DoctorJson);
  return { code, output, json, ms };
}

export function check(run: DoctorRun, name: string): DoctorJson['checks'][number] {
  const found = run.json.checks.find((entry) => entry.name === name);
  if (!found)
    throw new Error(`no check named ${name} in ${run.json.checks.map((entry) => entry.name).join(', ')}`);
  return found;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export async function listenOn(server: Server | import('node:http').Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export function writePidFile(
  state: string,
  data: { pid: number; port: number; processStartTime: string | null; version?: string },
): void {
  fs.mkdirSync(state, { recursive: true });
  fs.writeFileSync(
    join(state, 'daemon.pid'),
    JSON.stringify({
      pid: data.pid,
      port: data.port,
      host: '127.0.0.1',
      startedAt: new Date().toISOString(),
      processStartTime: data.processStartTime,
      version: data.version ?? '0.1.0',
      nodeVersion: process.version,
      argv: ['cli.js', '--daemon'],
    }),
  );
}

/** Checks a doctor --json document against its documented shape, by hand. */
export function assertDoctorJsonShape(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const doc = value as Record<string, unknown>;
  const allowedTop = new Set(['checks', 'summary', 'repairs']);
  for (const key of Object.keys(doc))
    if (!allowedTop.has(key)) problems.push(`unexpected top-level key ${key}`);
  if (!Array.isArray(doc.checks)) return [...problems, 'checks is not an array'];
  const counts = { pass: 0, warn: 0, fail: 0 };
  const names = new Set<string>();
  doc.checks.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null)
      return problems.push(`checks[${index}] is not an object`);
    const item = entry as Record<string, unknown>;
    const keys = Object.keys(item).sort().join(',');
    if (keys !== 'details,fix,message,name,status') problems.push(`checks[${index}] has keys ${keys}`);
    if (typeof item.name !== 'string' || item.name === '') problems.push(`checks[${index}].name`);
    else if (names.has(item.name)) problems.push(`duplicate check ${item.name}`);
    else names.add(item.name);
    if (item.status !== 'pass' && item.status !== 'warn' && item.status !== 'fail')
      problems.push(`checks[${index}].status is ${String(item.status)}`);
    else counts[item.status]++;
    if (typeof item.message !== 'string' || item.message === '' || item.message.includes('\n'))
      problems.push(`checks[${index}].message must be one non-empty line`);
    if (item.fix !== null && typeof item.fix !== 'string') problems.push(`checks[${index}].fix`);
    if (typeof item.details !== 'object' || item.details === null || Array.isArray(item.details))
      problems.push(`checks[${index}].details`);
    return undefined;
  });
  const summary = doc.summary as Record<string, unknown> | undefined;
  if (typeof summary !== 'object' || summary === null) problems.push('summary is missing');
  else {
    if (Object.keys(summary).sort().join(',') !== 'fail,pass,warn') problems.push('summary keys');
    for (const key of ['pass', 'warn', 'fail'] as const)
      if (summary[key] !== counts[key])
        problems.push(`summary.${key} is ${String(summary[key])}, counted ${counts[key]}`);
  }
  if (doc.repairs !== undefined) {
    if (!Array.isArray(doc.repairs)) problems.push('repairs is not an array');
    else
      doc.repairs.forEach((entry: unknown, index) => {
        const repair = entry as Record<string, unknown>;
        if (
          typeof repair.check !== 'string' ||
          typeof repair.description !== 'string' ||
          typeof repair.message !== 'string'
        )
          problems.push(`repairs[${index}] fields`);
        if (!['done', 'failed', 'skipped'].includes(String(repair.outcome)))
          problems.push(`repairs[${index}].outcome`);
      });
  }
  return problems;
}

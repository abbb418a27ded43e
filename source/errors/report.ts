/**
 * The troubleshooting report: ONE generator that turns findings (structured errors, doctor check
 * results, the daemon's /diagnostics, recent recovery entries) into an ordered list of problems —
 * failures before warnings, and among equals the cause before what follows from it (a daemon that is
 * not reachable before its health, its authentication, its spool) — with what each means, the steps,
 * the commands for this platform, and what is fine. Pure: no I/O, no clock unless given.
 */
import type { CheckResult, RecoveryEntry } from '../protocol/health.js';
import { isMpmError, type MpmError, type Platform } from './base.js';
import { explanationOf, severityOf } from './guidance.js';
import { RecoveryFailedError } from './health-errors.js';
import { localizeCommand } from './localize.js';
import { viewLogsCommands } from './platform-commands.js';
import { HealthThresholdError } from './threshold-error.js';
import { bold, dim, mark, toAscii, wrap, type TextStyle } from './text-style.js';

export type ReportSeverity = 'fail' | 'warn' | 'pass';

export interface ReportItem {
  severity: ReportSeverity;
  title: string;
  /** What it means for the user. */
  explanation: string;
  steps: string[];
  /** Commands for the report's platform, in the order to try them. */
  commands: string[];
  /** The stable error code, when the item comes from a structured error. */
  code?: string;
}

export interface TroubleshootingReport {
  generatedAt: string;
  platform: Platform;
  status: ReportSeverity;
  /** Problems first (most important first); successful recoveries last, as 'pass'. */
  items: ReportItem[];
  /** One line per thing that was checked and is fine. */
  fine: string[];
}

/**
 * Where a finding sits in the chain of causes; earlier topics are causes of later ones (an invalid
 * config stops the daemon from starting, which makes it unreachable, which hides its health).
 */
export const TOPICS = [
  'node',
  'install',
  'config',
  'home',
  'pidfile',
  'process',
  'port',
  'reachability',
  'auth',
  'health',
  'recovery',
  'journal',
  'spool',
  'hooks',
  'other',
] as const;
export type Topic = (typeof TOPICS)[number];

/** A doctor check result, or anything shaped like one. */
export interface CheckFinding {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix?: string;
  details?: Record<string, unknown>;
  /** The structured error behind a problem: gives the steps and per-platform commands. */
  error?: MpmError;
  topic?: Topic;
  /** What it means, when there is no error to say it. */
  explanation?: string;
}

export interface ReportInput {
  platform: Platform;
  /** The report's time (ISO); the current time when omitted. */
  generatedAt?: string;
  errors?: MpmError[];
  checks?: CheckFinding[];
  /** The body of GET /diagnostics (or the `diagnostics` ack), read defensively. */
  diagnostics?: unknown;
  recoveries?: RecoveryEntry[];
  /** Log file to point at in health and recovery items. */
  logFile?: string;
  /** How `mpm-mon` is run here (instance/invocation.ts): every command and step is said that way. */
  invoke?: string;
}

const CODE_TOPICS: Array<[RegExp, Topic]> = [
  [/^NODE_/, 'node'],
  [/^CONFIG_/, 'config'],
  [/^(HOME_|STATE_DIR_)/, 'home'],
  [/^STALE_/, 'pidfile'],
  [/^DAEMON_CONFLICT/, 'process'],
  [/^(PORT_|LISTEN_)/, 'port'],
  [/^DAEMON_/, 'reachability'],
  [/^AUTH_/, 'auth'],
  [/^HEALTH_/, 'health'],
  [/^RECOVERY_/, 'recovery'],
  [/^JOURNAL_/, 'journal'],
  [/^SPOOL_/, 'spool'],
  [/^HOOKS_/, 'hooks'],
];

export function topicOfCode(code: string | undefined): Topic {
  if (code === undefined) return 'other';
  return CODE_TOPICS.find(([pattern]) => pattern.test(code))?.[1] ?? 'other';
}

const SEVERITY_RANK: Record<ReportSeverity, number> = { fail: 0, warn: 1, pass: 2 };

interface RankedItem {
  item: ReportItem;
  topic: Topic;
  order: number;
  /** Two findings with the same key are one problem seen twice. */
  key: string;
}

function errorKey(error: MpmError): string {
  return `error:${error.code}:${error.message}`;
}

function factsOf(error: MpmError): string {
  return Object.entries(error.context)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

function itemFromError(
  error: MpmError,
  platform: Platform,
  severity?: ReportSeverity,
  title?: string,
): ReportItem {
  return {
    severity: severity ?? severityOf(error),
    title: title ?? error.message,
    explanation: explanationOf(error) ?? factsOf(error),
    steps: [...error.steps],
    commands: error.commandsFor(platform),
    code: error.code,
  };
}

function itemFromCheck(check: CheckFinding, platform: Platform): ReportItem {
  const title = `${check.name}: ${check.message}`;
  if (check.error) {
    const item = itemFromError(check.error, platform, check.status, title);
    if (check.fix && item.steps.length === 0) item.steps.push(check.fix);
    if (check.explanation) item.explanation = check.explanation;
    return item;
  }
  return {
    severity: check.status,
    title,
    explanation: check.explanation ?? '',
    steps: check.fix ? [check.fix] : [],
    commands: [],
  };
}

// ---- /diagnostics, read defensively: the daemon may add fields, older ones may lack some ----

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCheckResult(value: unknown): value is CheckResult {
  return (
    isRecord(value) &&
    (value.status === 'pass' || value.status === 'warn' || value.status === 'fail') &&
    (typeof value.observedValue === 'number' || value.observedValue === null)
  );
}

function isRecoveryEntry(value: unknown): value is RecoveryEntry {
  return isRecord(value) && typeof value.action === 'string' && typeof value.outcome === 'string';
}

/** Check results in /diagnostics: `checks` or `health.checks`, each a result or a history `{latest}`. */
export function diagnosticsChecks(diagnostics: unknown): CheckResult[] {
  if (!isRecord(diagnostics)) return [];
  const source = isRecord(diagnostics.checks)
    ? diagnostics.checks
    : isRecord(diagnostics.health) && isRecord(diagnostics.health.checks)
      ? diagnostics.health.checks
      : {};
  const results: CheckResult[] = [];
  for (const [name, value] of Object.entries(source)) {
    const result = isCheckResult(value)
      ? value
      : isRecord(value) && isCheckResult(value.latest)
        ? value.latest
        : null;
    if (result) results.push({ ...result, name: typeof result.name === 'string' ? result.name : name });
  }
  return results;
}

export function diagnosticsRecoveries(diagnostics: unknown): RecoveryEntry[] {
  if (!isRecord(diagnostics)) return [];
  const recovery = diagnostics.recovery;
  const candidates = [
    diagnostics.recoveries,
    diagnostics.recoveryLog,
    Array.isArray(recovery) ? recovery : isRecord(recovery) ? (recovery.log ?? recovery.entries) : undefined,
  ];
  const list = candidates.find(Array.isArray) as unknown[] | undefined;
  return (list ?? []).filter(isRecoveryEntry);
}

export function diagnosticsBreaker(
  diagnostics: unknown,
): { state: 'closed' | 'open' | 'half-open'; failures: number; nextTrialAt: string | null } | null {
  if (!isRecord(diagnostics)) return null;
  const candidates = [
    diagnostics.breaker,
    isRecord(diagnostics.recovery) ? diagnostics.recovery.breaker : undefined,
    isRecord(diagnostics.health) ? diagnostics.health.breaker : undefined,
  ];
  for (const value of candidates) {
    if (!isRecord(value)) continue;
    const { state } = value;
    if (state !== 'closed' && state !== 'open' && state !== 'half-open') continue;
    return {
      state,
      failures: typeof value.failures === 'number' ? value.failures : 0,
      nextTrialAt: typeof value.nextTrialAt === 'string' ? value.nextTrialAt : null,
    };
  }
  return null;
}

function diagnosticsRecentErrors(diagnostics: unknown): string[] {
  if (!isRecord(diagnostics)) return [];
  const list = [diagnostics.recentErrors, diagnostics.errors].find(Array.isArray) as unknown[] | undefined;
  return (list ?? [])
    .map((entry) =>
      typeof entry === 'string'
        ? entry
        : isRecord(entry) && typeof entry.message === 'string'
          ? entry.message
          : null,
    )
    .filter((message): message is string => message !== null);
}

function diagnosticsPid(diagnostics: unknown): number | undefined {
  if (!isRecord(diagnostics)) return undefined;
  const candidates = [diagnostics.pid, isRecord(diagnostics.pidFile) ? diagnostics.pidFile.pid : undefined];
  return candidates.find((value): value is number => typeof value === 'number');
}

const RECOVERY_MEANING = {
  open: 'The daemon serves in a degraded mode and no longer repairs itself until the breaker closes.',
  halfOpen: 'The breaker lets one recovery through as a trial; if it fails, the breaker opens again.',
  failed: 'The daemon tried to repair a failing health check and could not; it escalates and tries again.',
};

function logCommands(platform: Platform, logFile: string | undefined): string[] {
  return logFile ? viewLogsCommands(platform, logFile) : [];
}

function recoveryItems(entries: RecoveryEntry[], platform: Platform, logFile?: string): ReportItem[] {
  const newestFirst = [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
  const items: ReportItem[] = [];
  const failed = newestFirst.filter(
    (entry) => entry.outcome === 'failed' || entry.outcome === 'skipped-breaker-open',
  );
  const latestFailure = failed[0];
  if (latestFailure) {
    const breakerOpen = latestFailure.outcome === 'skipped-breaker-open' || latestFailure.breaker === 'open';
    const error = new RecoveryFailedError({
      action: latestFailure.action,
      checks: latestFailure.trigger.map((trigger) => trigger.check),
      detail: latestFailure.detail ?? latestFailure.outcome,
      failures: failed.length,
      breaker: breakerOpen ? 'open' : latestFailure.breaker,
    });
    const item = itemFromError(error, platform, breakerOpen ? 'fail' : 'warn');
    item.explanation = breakerOpen ? RECOVERY_MEANING.open : RECOVERY_MEANING.failed;
    if (failed.length > 1) item.explanation += ` ${failed.length} recent recoveries did not succeed.`;
    item.commands.push(...logCommands(platform, logFile));
    items.push(item);
  }
  const latestSuccess = newestFirst.find((entry) => entry.outcome === 'succeeded');
  if (latestSuccess) {
    const causes = latestSuccess.trigger.map((trigger) => `${trigger.check} ${trigger.status}`).join(', ');
    items.push({
      severity: 'pass',
      title: `recovered at ${latestSuccess.at}: ${latestSuccess.action}${causes ? ` after ${causes}` : ''}`,
      explanation: 'The daemon repaired itself; nothing to do unless it keeps happening.',
      steps: [],
      commands: [],
    });
  }
  return items;
}

/** Turns every finding into one ordered report. Duplicates (same code, or same title) are merged. */
export function buildReport(input: ReportInput): TroubleshootingReport {
  const { platform } = input;
  const ranked: RankedItem[] = [];
  const fine: string[] = [];
  const add = (item: ReportItem, topic: Topic, key = `title:${item.title}`) =>
    ranked.push({ item, topic, order: ranked.length, key });

  for (const error of input.errors ?? [])
    add(itemFromError(error, platform), topicOfCode(error.code), errorKey(error));

  for (const check of input.checks ?? []) {
    if (check.status === 'pass') {
      // A check that could not run (its subject is absent) is not evidence that anything is fine.
      if (check.details?.skipped !== true) fine.push(`${check.name}: ${check.message}`);
      continue;
    }
    add(
      itemFromCheck(check, platform),
      check.topic ?? topicOfCode(check.error?.code),
      check.error ? errorKey(check.error) : `check:${check.name}`,
    );
  }

  const pid = diagnosticsPid(input.diagnostics);
  for (const result of diagnosticsChecks(input.diagnostics)) {
    if (result.status === 'pass') {
      fine.push(`daemon check ${result.name}: ${result.output || 'pass'}`);
      continue;
    }
    const error = new HealthThresholdError({
      check: result.name,
      status: result.status,
      value: result.observedValue,
      unit: result.observedUnit,
      threshold: result.threshold,
      output: result.output,
      pid,
      logFile: input.logFile,
    });
    add(itemFromError(error, platform), 'health');
  }

  const breaker = diagnosticsBreaker(input.diagnostics);
  if (breaker && breaker.state !== 'closed') {
    const error = new RecoveryFailedError({
      action: 'automatic recovery',
      checks: [],
      detail: `the circuit breaker is ${breaker.state}`,
      failures: breaker.failures,
      breaker: breaker.state,
      nextTrialAt: breaker.nextTrialAt,
    });
    const item = itemFromError(error, platform, breaker.state === 'open' ? 'fail' : 'warn');
    item.explanation = breaker.state === 'open' ? RECOVERY_MEANING.open : RECOVERY_MEANING.halfOpen;
    item.commands.push(...logCommands(platform, input.logFile));
    add(item, 'recovery');
  }

  const recentErrors = diagnosticsRecentErrors(input.diagnostics);
  if (recentErrors.length > 0) {
    add(
      {
        severity: 'warn',
        title: `the daemon reported ${recentErrors.length} recent error(s)`,
        explanation: `Latest: ${recentErrors.slice(-3).join(' | ')}`,
        steps: ['Read the daemon log around those times.'],
        commands: [],
      },
      'other',
    );
  }

  const recoveries = [...(input.recoveries ?? []), ...diagnosticsRecoveries(input.diagnostics)];
  const uniqueRecoveries = [
    ...new Map(recoveries.map((entry) => [`${entry.id}@${entry.at}`, entry])).values(),
  ];
  for (const item of recoveryItems(uniqueRecoveries, platform, input.logFile)) add(item, 'recovery');

  const items = mergeDuplicates(ranked)
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] ||
        TOPICS.indexOf(a.topic) - TOPICS.indexOf(b.topic) ||
        a.order - b.order,
    )
    .map(({ item }) => localizeItem(item, input.invoke ?? 'mpm-mon'));

  const status: ReportSeverity = items.some((item) => item.severity === 'fail')
    ? 'fail'
    : items.some((item) => item.severity === 'warn')
      ? 'warn'
      : 'pass';
  return { generatedAt: input.generatedAt ?? new Date().toISOString(), platform, status, items, fine };
}

function localizeItem(item: ReportItem, invoke: string): ReportItem {
  if (invoke === 'mpm-mon') return item;
  return {
    ...item,
    explanation: localizeCommand(item.explanation, invoke),
    steps: item.steps.map((step) => localizeCommand(step, invoke)),
    commands: item.commands.map((command) => localizeCommand(command, invoke)),
  };
}

/** Keeps one finding per problem: the worst one, or the first among equals. */
function mergeDuplicates(ranked: RankedItem[]): RankedItem[] {
  const byKey = new Map<string, RankedItem>();
  for (const entry of ranked) {
    const seen = byKey.get(entry.key);
    // The worse finding speaks for the problem (its title, its topic); ties keep the first.
    if (!seen || SEVERITY_RANK[entry.item.severity] < SEVERITY_RANK[seen.item.severity])
      byKey.set(entry.key, entry);
  }
  return [...byKey.values()];
}

/** Every MpmError found in a list of unknown failures (others are not findings the report can explain). */
export function structuredErrors(failures: unknown[]): MpmError[] {
  return failures.filter(isMpmError);
}

export function reportToJson(report: TroubleshootingReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function summaryLine(report: TroubleshootingReport): string {
  const fails = report.items.filter((item) => item.severity === 'fail').length;
  const warns = report.items.filter((item) => item.severity === 'warn').length;
  if (fails + warns === 0) return 'no problems found';
  const parts = [
    fails ? `${fails} failure${fails === 1 ? '' : 's'}` : '',
    warns ? `${warns} warning${warns === 1 ? '' : 's'}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** Text for a terminal: wrapped to `style.width`, ✓ ! ✗ (or + ! x), coloured only if allowed. */
export function renderReportText(report: TroubleshootingReport, style: TextStyle): string {
  const { width } = style;
  const plain = (text: string) => (style.ascii ? toAscii(text) : text);
  const out: string[] = [];
  out.push(
    bold(`Troubleshooting: ${summaryLine(report)}`, style),
    dim(`(${report.platform}, ${report.generatedAt})`, style),
  );
  for (const item of report.items) {
    out.push('');
    const [head = '', ...tail] = wrap(plain(item.title), width, '  ', '    ');
    out.push(`${mark(item.severity, style)} ${bold(head.slice(2), style)}`, ...tail);
    if (item.explanation) out.push(...wrap(plain(item.explanation), width, '    '));
    if (item.steps.length > 0) {
      out.push('    To fix:');
      item.steps.forEach((step, index) => {
        const number = `${index + 1}. `;
        out.push(...wrap(plain(step), width, `      ${number}`, `      ${' '.repeat(number.length)}`));
      });
    }
    if (item.commands.length > 0) {
      out.push(`    Commands (${report.platform}):`);
      // Commands are never wrapped: they must stay copyable.
      for (const command of item.commands) out.push(`      $ ${plain(command)}`);
    }
  }
  if (report.fine.length > 0) {
    out.push('', 'What is fine:');
    for (const line of report.fine) {
      const [head = '', ...tail] = wrap(plain(line), width, '    ', '    ');
      out.push(`  ${mark('pass', style)} ${head.slice(4)}`, ...tail);
    }
  }
  return `${out.join('\n')}\n`;
}

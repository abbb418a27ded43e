/**
 * The troubleshooting report, as data: ONE generator that turns findings (structured errors and
 * doctor's check outcomes — what the daemon says of itself reaches the report through doctor's
 * checks) into an ordered list of problems — failures before warnings, and among equals the cause
 * before what follows from it (a daemon that is not reachable before its health, its authentication,
 * its spool) — with what each means, the steps, the commands for this platform, and what is fine.
 * Pure: no I/O, no clock unless given. Renderings: report-text.ts (doctor, the CLI) and the TUI's
 * Troubleshoot view.
 */
import type { CheckStatus } from '../protocol/health.js';
import type { MpmError, Platform } from './base.js';
import { explanationOf, severityOf } from './guidance.js';
import { localizeCommand } from './localize.js';

/** The one severity vocabulary: the health checks', doctor's and the report's. */
export type ReportSeverity = CheckStatus;

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
  /** One line per check that could not run (its subject is absent): neither fine nor a problem. */
  notChecked: string[];
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
  status: ReportSeverity;
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

/** Turns every finding into one ordered report. Duplicates (same code, or same title) are merged. */
export function buildReport(input: ReportInput): TroubleshootingReport {
  const { platform } = input;
  const ranked: RankedItem[] = [];
  const fine: string[] = [];
  const notChecked: string[] = [];
  const add = (item: ReportItem, topic: Topic, key = `title:${item.title}`) =>
    ranked.push({ item, topic, order: ranked.length, key });

  for (const error of input.errors ?? [])
    add(itemFromError(error, platform), topicOfCode(error.code), errorKey(error));

  for (const check of input.checks ?? []) {
    if (check.status === 'pass') {
      // A check that could not run (its subject is absent) is not evidence that anything is fine.
      (check.details?.skipped === true ? notChecked : fine).push(`${check.name}: ${check.message}`);
      continue;
    }
    add(
      itemFromCheck(check, platform),
      check.topic ?? topicOfCode(check.error?.code),
      check.error ? errorKey(check.error) : `check:${check.name}`,
    );
  }

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
  return {
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    platform,
    status,
    items,
    fine,
    notChecked,
  };
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

/** "no problems found", or "1 failure, 2 warnings": the report in a few words. */
export function reportSummary(report: Pick<TroubleshootingReport, 'items'>): string {
  const fails = report.items.filter((item) => item.severity === 'fail').length;
  const warns = report.items.filter((item) => item.severity === 'warn').length;
  if (fails + warns === 0) return 'no problems found';
  const parts = [
    fails ? `${fails} failure${fails === 1 ? '' : 's'}` : '',
    warns ? `${warns} warning${warns === 1 ? '' : 's'}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

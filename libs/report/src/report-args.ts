import type { CostMode } from '@ccpulse/domain';

export type ReportKind = 'daily' | 'weekly' | 'monthly' | 'sessions' | 'session' | 'blocks' | 'team';

/** Parsed `ccpulse report` options. */
export interface ReportArgs {
  kind: ReportKind;
  sessionId?: string;
  json: boolean;
  since?: string;
  until?: string;
  timeZone?: string;
  breakdown: boolean;
  project?: string;
  dir?: string;
  mode: CostMode;
  pricingFile?: string;
  budgetUsd?: number;
  /** `team`: `anthropic` prints Anthropic's Claude Code analytics field names (JSON). */
  format?: 'anthropic';
  help: boolean;
}

/** A bad command line: printed with the usage, exit code 2. */
export class ReportUsageError extends Error {
  readonly code = 'REPORT_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'ReportUsageError';
  }
}

export const REPORT_USAGE = `usage: ccpulse report <daily|weekly|monthly|sessions|session <id>|blocks|team> [options]

  --json                 machine-readable output
  --since YYYY-MM-DD     first local day to include
  --until YYYY-MM-DD     last local day to include
  -z, --timezone ZONE    IANA zone for day boundaries (default: local)
  --breakdown            per-model rows
  --project TEXT         only transcripts whose cwd or project dir contains TEXT
  --dir PATH             transcript root (overrides CLAUDE_CONFIG_DIR and the defaults)
  --mode MODE            cost: auto (line costUSD, else computed) | calculate | display
  --pricing FILE         JSON price overrides (or CCPULSE_PRICING_FILE)
  --budget USD           'session': project when this budget runs out
  --format anthropic     'team': per day in the field names of Anthropic's Claude Code analytics (JSON)`;

const KINDS: ReportKind[] = ['daily', 'weekly', 'monthly', 'sessions', 'session', 'blocks', 'team'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

export function parseReportArgs(argv: string[]): ReportArgs {
  const args: ReportArgs = { kind: 'daily', json: false, breakdown: false, mode: 'auto', help: false };
  const rest = [...argv];
  const value = (flag: string): string => {
    const v = rest.shift();
    if (v === undefined || v.startsWith('--')) throw new ReportUsageError(`${flag} needs a value`);
    return v;
  };
  let kindSeen = false;
  while (rest.length) {
    const arg = rest.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const v = (name: string) => inline ?? value(name);
    switch (flag) {
      case '--json': case '-j': args.json = true; break;
      case '--breakdown': case '-b': args.breakdown = true; break;
      case '--help': case '-h': args.help = true; break;
      case '--since': case '-s': args.since = day(flag, v(flag)); break;
      case '--until': case '-u': args.until = day(flag, v(flag)); break;
      case '--timezone': case '-z': args.timeZone = v(flag); break;
      case '--project': case '-p': args.project = v(flag); break;
      case '--dir': args.dir = v(flag); break;
      case '--pricing': args.pricingFile = v(flag); break;
      case '--mode': case '-m': {
        const mode = v(flag);
        if (mode !== 'auto' && mode !== 'calculate' && mode !== 'display') throw new ReportUsageError(`--mode must be auto, calculate or display, not '${mode}'`);
        args.mode = mode;
        break;
      }
      case '--format': {
        const format = v(flag);
        if (format !== 'anthropic') throw new ReportUsageError(`--format must be anthropic, not '${format}'`);
        args.format = format;
        break;
      }
      case '--budget': {
        const n = Number(v(flag));
        if (!Number.isFinite(n) || n <= 0) throw new ReportUsageError('--budget must be a positive number of USD');
        args.budgetUsd = n;
        break;
      }
      default:
        if (flag.startsWith('-')) throw new ReportUsageError(`unknown option '${flag}'`);
        if (!kindSeen) {
          if (!KINDS.includes(flag as ReportKind)) throw new ReportUsageError(`unknown report '${flag}'`);
          args.kind = flag as ReportKind;
          kindSeen = true;
        } else if (args.kind === 'session' && args.sessionId === undefined) args.sessionId = flag;
        else throw new ReportUsageError(`unexpected argument '${flag}'`);
    }
  }
  if (args.format && args.kind !== 'team') throw new ReportUsageError('--format is for report team');
  if (args.kind === 'session' && !args.sessionId && !args.help) throw new ReportUsageError('report session needs a session id');
  if (args.since && args.until && args.since > args.until) throw new ReportUsageError('--since is after --until');
  return args;
}

/** `YYYY-MM-DD` (ccusage's `YYYYMMDD` accepted too). */
function day(flag: string, v: string): string {
  const compact = COMPACT_DAY.exec(v);
  const d = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : v;
  if (!DAY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw new ReportUsageError(`${flag} must be a date YYYY-MM-DD, not '${v}'`);
  return d;
}

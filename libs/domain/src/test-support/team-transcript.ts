/**
 * Deterministic transcripts of several people (same seed → same bytes), shaped like Claude Code's
 * own: prompts, Edit/MultiEdit/Write/NotebookEdit uses with structured patches, Bash commits and
 * pull requests, rejected uses, failing results, results written before their use. For the team
 * read model's tests, without the shared fixtures.
 */
import { rng } from './synthetic-transcript';

export interface TeamFile {
  user: string;
  /** `<project dir>/<session>.jsonl` */
  file: string;
  lines: string[];
}

export interface TeamOptions {
  seed: number;
  users?: string[];
  sessionsPerUser?: number;
  turnsPerSession?: number;
  startMs?: number;
}

const MODELS = ['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];
const REJECTED =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

export function teamTranscripts(opts: TeamOptions): TeamFile[] {
  const rand = rng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const files: TeamFile[] = [];
  for (const [u, user] of (opts.users ?? ['alice', 'bob']).entries()) {
    let t = (opts.startMs ?? Date.UTC(2026, 2, 2, 7, 0, 0)) + u * 1_800_000;
    for (let s = 0; s < (opts.sessionsPerUser ?? 3); s++) {
      const sessionId = uuid();
      const cwd = `/home/${user}/work/${pick(['shop', 'api'])}`;
      const lines: string[] = [];
      let parent: string | null = null;
      const line = (type: string, extra: object) => {
        const id = uuid();
        const l = { parentUuid: parent, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.0.42', gitBranch: 'main', type, uuid: id, timestamp: new Date(t).toISOString(), ...extra };
        parent = id;
        return JSON.stringify(l);
      };
      t += int(60_000, 20 * 3_600_000);
      for (let turn = 0; turn < (opts.turnsPerSession ?? 5); turn++) {
        t += int(5_000, 900_000);
        lines.push(line('user', { message: { role: 'user', content: `Please change the cart ${int(1, 99)}` } }));
        const model = pick(MODELS);
        const id = `toolu_01${hex(22)}`;
        const kind = pick(['edit', 'multi', 'write-new', 'write-over', 'notebook', 'commit', 'pr', 'read'] as const);
        const [name, input, okResult] = toolCall(kind, int);
        t += int(500, 20_000);
        lines.push(line('assistant', {
          requestId: `req_${hex(24)}`,
          message: { id: `msg_${hex(24)}`, type: 'message', role: 'assistant', model, content: [{ type: 'tool_use', id, name, input }], stop_reason: null,
            usage: { input_tokens: int(1, 40), cache_creation_input_tokens: int(0, 9_000), cache_read_input_tokens: int(0, 90_000), output_tokens: int(10, 700), service_tier: 'standard' } },
        }));
        t += int(200, 60_000);
        const r = rand();
        const result =
          r < 0.15
            ? line('user', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: REJECTED, is_error: true }] }, toolUseResult: 'User rejected tool use' })
            : r < 0.25
              ? line('user', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'Exit code 1\nfailed', is_error: true }] }, toolUseResult: 'Error: Exit code 1\nfailed' })
              : line('user', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'done', is_error: false }] }, toolUseResult: okResult });
        if (rand() < 0.15) lines.splice(lines.length - 1, 0, result);
        else lines.push(result);
      }
      files.push({ user, file: `-home-${user}-work/${sessionId}.jsonl`, lines });
    }
  }
  return files;
}

type Kind = 'edit' | 'multi' | 'write-new' | 'write-over' | 'notebook' | 'commit' | 'pr' | 'read';

function toolCall(kind: Kind, int: (lo: number, hi: number) => number): [string, object, unknown] {
  const body = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `  line ${tag}${i};`).join('\n');
  switch (kind) {
    case 'edit': {
      const removed = int(0, 3);
      const added = int(1, 5);
      const old = body(removed, 'o');
      const next = body(added, 'n');
      return ['Edit', { file_path: '/src/cart.ts', old_string: old, new_string: next }, {
        filePath: '/src/cart.ts', oldString: old, newString: next, originalFile: old, userModified: false, replaceAll: false,
        structuredPatch: [{ oldStart: 1, oldLines: removed, newStart: 1, newLines: added, lines: [...old.split('\n').filter(Boolean).map((l) => `-${l}`), ...next.split('\n').map((l) => `+${l}`)] }],
      }];
    }
    case 'multi':
      return ['MultiEdit', { file_path: '/src/a.ts', edits: [{ old_string: 'a\nb', new_string: 'c' }, { old_string: 'x', new_string: 'y\nz' }] }, 'ok'];
    case 'write-new': {
      const content = body(int(1, 30), 'w') + '\n';
      return ['Write', { file_path: '/src/new.ts', content }, { type: 'create', filePath: '/src/new.ts', content, structuredPatch: [] }];
    }
    case 'write-over':
      return ['Write', { file_path: '/src/old.ts', content: 'one\nTWO\nthree\n' }, {
        type: 'update', filePath: '/src/old.ts', content: 'one\nTWO\nthree\n', originalFile: 'one\ntwo\nthree\n',
        structuredPatch: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3, lines: [' one', '-two', '+TWO', ' three'] }],
      }];
    case 'notebook':
      return ['NotebookEdit', { notebook_path: '/nb.ipynb', new_source: 'import os\nprint(os.getcwd())', edit_mode: 'insert', cell_type: 'code' }, 'ok'];
    case 'commit':
      return ['Bash', { command: 'git add -A && git commit -m "$(cat <<\'EOF\'\nfeat: cart\nEOF\n)"', description: 'Commit' }, { stdout: '[main 1a2b3c4] feat: cart', stderr: '', interrupted: false, isImage: false }];
    case 'pr':
      return ['Bash', { command: 'git push -u origin cart && gh pr create --title "Cart" --body "adds a cart"' }, { stdout: 'https://github.com/acme/shop/pull/7', stderr: '', interrupted: false, isImage: false }];
    default:
      return ['Read', { file_path: '/src/cart.ts' }, { type: 'text', file: { filePath: '/src/cart.ts', content: 'x', numLines: 1, startLine: 1, totalLines: 1 } }];
  }
}

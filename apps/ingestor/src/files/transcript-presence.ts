import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WHERE_TO_POINT } from '@ccpulse/report';

/** Which of the searched transcript folders exist, and whether any holds a transcript. */
export interface TranscriptPresence {
  searched: string[];
  existing: string[];
  anyTranscript: boolean;
}

/** Depth-first until the first `*.jsonl`: cheap on a full folder, complete on an empty one. */
async function holdsTranscript(dir: string): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  if (entries.some((e) => e.name.endsWith('.jsonl') && !e.isDirectory())) return true;
  for (const e of entries) if (e.isDirectory() && (await holdsTranscript(join(dir, e.name)))) return true;
  return false;
}

export async function checkTranscriptPresence(roots: readonly string[]): Promise<TranscriptPresence> {
  const existing: string[] = [];
  for (const root of roots) {
    try {
      if ((await stat(root)).isDirectory()) existing.push(root);
    } catch {
      // missing: reported below
    }
  }
  let anyTranscript = false;
  for (const root of existing) if (!anyTranscript) anyTranscript = await holdsTranscript(root);
  return { searched: [...roots], existing, anyTranscript };
}

/**
 * What to tell a user whose ingest would find nothing (none of the folders exists, or none holds
 * a transcript), naming the folders searched and how `CLAUDE_CONFIG_DIR` chose them; undefined
 * when there are transcripts.
 */
export function describeNoTranscripts(p: TranscriptPresence, env: NodeJS.ProcessEnv): string | undefined {
  if (p.anyTranscript) return undefined;
  const configDir = env.CLAUDE_CONFIG_DIR?.trim();
  const how = configDir
    ? `CLAUDE_CONFIG_DIR=${configDir}`
    : 'CLAUDE_CONFIG_DIR is not set, so the defaults';
  const what = p.existing.length === 0 ? 'no transcript folder exists' : 'no transcripts found';
  return `${what}: searched ${p.searched.join(', ')} (${how}); ${WHERE_TO_POINT}`;
}

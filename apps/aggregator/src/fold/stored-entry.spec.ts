import { evolveSession, initialSessionState, type Entry } from '@ccpulse/domain';
import { decodeMessage } from './decode-envelope';
import { storedEntryOf } from './stored-entry';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { fixtureMessages } from '../test-support/fixture-messages';

/** Folds entries the way a re-fold does: a tool use counts only in the entry that owns its id. */
function foldAll(sessionId: string, entries: readonly Entry[], owners: Map<string, string>) {
  const state = initialSessionState(sessionId);
  for (const e of entries) evolveSession(state, e, { countToolUse: (id) => owners.get(id) === e.uuid });
  return state;
}

describe('storedEntryOf', () => {
  it('keeps what a re-fold reads and drops the rest', () => {
    const entry: Entry = {
      type: 'assistant', kind: 'assistant', uuid: 'u1', sessionId: 's1', timestamp: '2026-01-01T00:00:00.000Z', ts: 1767225600000,
      cwd: '/w', gitBranch: 'main', isSidechain: true, isMeta: false, isCompactSummary: false, version: '2.0.1', requestId: 'r1',
      message: { id: 'm1', model: 'claude-x', usage: { input: 1, output: 2, cacheRead: 3, cacheCreation: 4, cacheCreation5m: 4, cacheCreation1h: 0 } },
      toolUses: [{ id: 't1', name: 'TodoWrite', todoStatuses: ['completed'] }], toolResults: [{ toolUseId: 't0', isError: true, patchLines: 3 }],
      commands: [], isPrompt: false, content: [{ type: 'text', text: 'secret' }],
    };
    expect(storedEntryOf(entry)).toEqual({
      type: 'assistant', kind: 'assistant', uuid: 'u1', ts: 1767225600000, cwd: '/w', gitBranch: 'main', isSidechain: true, isMeta: false,
      isCompactSummary: false, message: { model: 'claude-x' }, toolUses: entry.toolUses, toolResults: entry.toolResults, commands: [], isPrompt: false,
    });
  });

  it.each(corpora().map((c) => [c.name, c] as const))('folds every session of the %s transcripts to the same state as the whole entry, after a JSON round trip', (_, corpus) => {
    const bySession = new Map<string, Entry[]>();
    for (const m of fixtureMessages(corpus.dir, 'ann', 'ccpulse')) {
      for (const d of decodeMessage(m.data)) {
        if (!d.ok || !d.line.entry.sessionId) continue;
        const id = d.line.entry.sessionId;
        const list = bySession.get(id) ?? bySession.set(id, []).get(id)!;
        list.push(d.line.entry);
      }
    }
    expect(bySession.size).toBeGreaterThan(10);
    let toolUses = 0;
    for (const [sessionId, entries] of bySession) {
      const owners = new Map<string, string>();
      for (const e of entries) for (const u of e.toolUses) if (u.id && e.uuid && !owners.has(u.id)) owners.set(u.id, e.uuid);
      toolUses += owners.size;
      const stored = entries.map((e) => JSON.parse(JSON.stringify(storedEntryOf(e))) as Entry);
      expect(foldAll(sessionId, stored, owners)).toEqual(foldAll(sessionId, entries, owners));
    }
    expect(toolUses).toBeGreaterThan(corpus.generated ? 30 : 100);
  });
});

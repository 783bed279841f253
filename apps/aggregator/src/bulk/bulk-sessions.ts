import { evolveSession, initialSessionState, type SessionState } from '@ccpulse/domain';
import type { KeyedEntry } from '../fold/fold-rows';

/** Where a session state goes when it leaves memory: `(sessionId, user, state as JSON)`. */
export type StateSink = (sessionId: string, user: string, stateJson: string) => void;

/**
 * Session states folded as a bulk build reads the stream, every copy of every entry counted
 * (the stored winners are settled only at the end; sessions where that makes a difference are
 * folded again then). At most `capacity` states stay in memory, so memory does not grow with the
 * history: the least recently fed one is written out, and a session fed again after that is
 * marked to be folded again from its stored entries. Transcripts are read file by file, so that
 * is rare.
 */
export class BulkSessions {
  private readonly states = new Map<string, { user: string; state: SessionState }>();
  /** Sessions whose state left memory and then got more entries. */
  readonly refold = new Set<string>();
  private readonly written = new Set<string>();

  constructor(
    private readonly capacity: number,
    private readonly sink: StateSink,
  ) {}

  add(k: KeyedEntry): void {
    const id = k.sessionId;
    if (id === '') return;
    let held = this.states.get(id);
    if (held === undefined) {
      if (this.written.has(id)) {
        this.refold.add(id);
        return;
      }
      if (this.states.size >= this.capacity) this.writeOldest();
      held = { user: k.envelope.user, state: initialSessionState(id) };
      this.states.set(id, held);
    } else if (this.states.size > 1) {
      // Map order is insertion order: re-inserting keeps the most recently fed session last.
      this.states.delete(id);
      this.states.set(id, held);
    }
    evolveSession(held.state, k.entry);
  }

  /** Writes every state still in memory. */
  flush(): void {
    for (const id of [...this.states.keys()]) this.write(id);
  }

  private writeOldest(): void {
    const oldest = this.states.keys().next();
    if (!oldest.done) this.write(oldest.value);
  }

  private write(id: string): void {
    const held = this.states.get(id)!;
    this.sink(id, held.user, JSON.stringify(held.state));
    this.states.delete(id);
    this.written.add(id);
  }
}

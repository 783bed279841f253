/** Where a line's working directory belongs: its project, and the subagent worktree it ran in, if any. */
export interface ProjectIdentity {
  /** The project the work counts towards (a subagent worktree's parent repository). */
  project: string;
  /** The worktree directory name (`agent-<id>`) when the cwd was a subagent worktree. */
  worktree?: string;
}

// Claude Code runs isolated subagents in `<repo>/.claude/worktrees/agent-<id>` (optionally a
// subdirectory of it). They edit the same repository, so their tokens, sessions and tools belong
// to `<repo>`; counting each worktree as its own project would split one project into dozens.
// Both separators: transcripts written on Windows carry backslashes.
const WORKTREE = /^(.+?)[\\/]\.claude[\\/]worktrees[\\/](agent-[^\\/]+)(?:[\\/].*)?$/;

/** The project key of a working directory: subagent worktrees fold into their parent project. */
export function projectIdentity(cwd: string): ProjectIdentity {
  const m = WORKTREE.exec(cwd);
  return m ? { project: m[1], worktree: m[2] } : { project: cwd };
}

/** {@link projectIdentity}'s project, for callers that need only the key. */
export function projectOf(cwd: string): string;
export function projectOf(cwd: string | undefined): string | undefined;
export function projectOf(cwd: string | undefined): string | undefined {
  return cwd === undefined ? undefined : projectIdentity(cwd).project;
}

import { projectIdentity, projectOf } from './project-identity';

describe('projectIdentity', () => {
  it('folds a subagent worktree into its parent project and keeps the worktree as a detail', () => {
    expect(projectIdentity('/home/ann/src/shop/.claude/worktrees/agent-a1b2c3')).toEqual({ project: '/home/ann/src/shop', worktree: 'agent-a1b2c3' });
    expect(projectIdentity('/home/ann/src/shop/.claude/worktrees/agent-a1b2c3/packages/web')).toEqual({ project: '/home/ann/src/shop', worktree: 'agent-a1b2c3' });
    expect(projectIdentity('C:\\src\\shop\\.claude\\worktrees\\agent-9f')).toEqual({ project: 'C:\\src\\shop', worktree: 'agent-9f' });
  });

  it('leaves every other directory as its own project', () => {
    expect(projectIdentity('/home/ann/src/shop')).toEqual({ project: '/home/ann/src/shop' });
    expect(projectIdentity('/home/ann/src/shop/.claude/worktrees/feature-x')).toEqual({ project: '/home/ann/src/shop/.claude/worktrees/feature-x' });
    expect(projectIdentity('/home/ann/.claude')).toEqual({ project: '/home/ann/.claude' });
    expect(projectIdentity('.claude/worktrees/agent-1')).toEqual({ project: '.claude/worktrees/agent-1' });
  });

  it('projectOf passes undefined through', () => {
    expect(projectOf(undefined)).toBeUndefined();
    expect(projectOf('/r/.claude/worktrees/agent-x')).toBe('/r');
  });
});

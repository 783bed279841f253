import type { Budget } from '../api/budget.queries';
import { h } from './dom';
import { pathLabel } from './path';

/**
 * A budget's name for a table cell or the banner: "Team", "User ana", or "Project " with the
 * project's path shortened in the middle (full path on hover), so a long path cannot widen the page.
 */
export function budgetSubjectLabel(b: Pick<Budget, 'scope' | 'subject'>): HTMLElement {
  if (b.scope === 'TEAM') return h('span', null, 'Team');
  if (b.scope === 'USER') return h('span', null, `User ${b.subject}`);
  return h('span', null, 'Project ', pathLabel(b.subject));
}

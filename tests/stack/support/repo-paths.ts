/** Paths of the deployable files, from the repository root. */
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const repoPath = (...parts: string[]): string => path.join(repoRoot, ...parts);

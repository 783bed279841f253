import type { OutcomeCounts } from '@ccpulse/domain';

/** The domain's outcome counts summed over session hours (per-tool decisions are read apart). */
export type OutcomeSums = Omit<OutcomeCounts, 'tools'>;

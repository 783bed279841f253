/** What a person's sessions produced over a window (docs/outcome-metrics.md). */
export interface OutcomeSums {
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
  editsAccepted: number;
  editsRejected: number;
}

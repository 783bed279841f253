/** Posted by the aggregator after each commit on `ccpulse.updated.<user>.<session>`. */
export interface UpdatedNotice {
  v: 1;
  user: string;
  sessions: string[];
  /** UTC days (`YYYY-MM-DD`) whose rollups changed. */
  days: string[];
  users: string[];
  /** Last stream sequence included in the commit. */
  seq: number;
  /** Commit time, epoch ms (for push-latency metrics). */
  committedAt: number;
  /**
   * Set when only the user's last sync moved (an ingestor heartbeat) and no projection row did:
   * home stats refresh, usage caches and usage/session subscribers ignore it.
   */
  syncOnly?: true;
}

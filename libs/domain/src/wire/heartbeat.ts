/** What an ingestor says every 30 s on `ccpulse.heartbeat.<user>`: the API's "last sync". */
export interface Heartbeat {
  v: 1;
  user: string;
  host: string;
  version: string;
  filesTracked: number;
  lagBytes: number;
  /** RFC 3339, the ingestor's clock. */
  at: string;
}

// `ccpulse report` itself is loaded by path (bin/ccpulse.js); the ingestor shares only where
// transcripts live and the hint for when there are none.
export { discoverRoots, WHERE_TO_POINT } from './transcript-roots';

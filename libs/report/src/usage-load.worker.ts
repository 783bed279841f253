import { parentPort, workerData } from 'node:worker_threads';
import type { UnitRequest, UnitReply, UsageWorkerData } from './parallel-usage-load';
import { readUsageUnit } from './usage-segment.reader';

/** A reader thread of the parallel report load: reads each unit it is sent and sends back what it read. */
const { project, projectDirMatches } = workerData as UsageWorkerData;
parentPort!.on('message', (request: UnitRequest) => {
  const reply: UnitReply = { index: request.index, result: readUsageUnit(request.unit, project, projectDirMatches) };
  parentPort!.postMessage(reply);
});

// jest globalTeardown of the int and e2e tiers: stops what global-setup.ts started, if anything.
import './source-aliases';
import { teardownTestServers } from './test-servers';

export default async function globalTeardown(): Promise<void> {
  await teardownTestServers();
}

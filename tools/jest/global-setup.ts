// jest globalSetup of the int and e2e tiers: embedded servers when the machine has none (test-servers.ts).
import './source-aliases';
import { setupTestServers } from './test-servers';

export default async function globalSetup(): Promise<void> {
  await setupTestServers();
}

#!/usr/bin/env node
'use strict';
// One process of simulated ingestors (forked by publishers.ts): `node publisher.js <job.json>`.
// Each user of the job gets its own NATS connection and publishes its pre-built messages with a
// bounded window of un-acked publishes, paced to its share of the total rate from the start time
// the parent sends. Plain JavaScript, so a process starts without compiling anything and the
// publishing loop has the whole event loop to itself (the scenario's jest process runs the API
// and the subscribers).
const fs = require('node:fs');
const { jetstream } = require('@nats-io/jetstream');
const { connect } = require('@nats-io/transport-node');

/** Un-acked publishes per user, as the ingestor's window bounds them. */
const WINDOW = 512;
const TICK_MS = 20;

async function publishUser(js, messages, ratePerSecond, started, counts) {
  const inflight = new Set();
  const retry = [];
  let next = 0;
  while (next < messages.length || retry.length || inflight.size) {
    const due = Math.min(messages.length, Math.floor(((Date.now() - started) / 1000) * ratePerSecond) + 1);
    while ((retry.length || next < due) && inflight.size < WINDOW) {
      const m = retry.shift() ?? messages[next++];
      const p = js
        .publish(m.subject, m.data, { msgID: m.msgId, timeout: 30_000 })
        .then((ack) => {
          counts.acked++;
          if (ack.duplicate) counts.duplicates++;
        })
        .catch(() => {
          // A publish that failed is retried with the same id (as the ingestor's window does).
          counts.failed++;
          retry.push(m);
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const users = job.users.map((u) => ({
    name: u.name,
    messages: u.messages.map(([subject, msgId, data]) => ({ subject, msgId, data: Buffer.from(data, 'base64') })),
  }));
  const conns = [];
  for (const u of users) conns.push(await connect({ servers: job.natsUrl, name: `load-${u.name}` }));
  const started = await new Promise((resolve) => {
    process.once('message', (m) => resolve(m.started));
    process.send({ ready: true });
  });
  const counts = { acked: 0, duplicates: 0, failed: 0 };
  await Promise.all(users.map((u, i) => publishUser(jetstream(conns[i]), u.messages, job.ratePerUser, started, counts)));
  const finished = Date.now();
  await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
  process.send({ done: { ...counts, finished } }, () => process.disconnect());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

#!/usr/bin/env node
// The image's HEALTHCHECK: GET /healthz of the Holdout process in this container, on PORT for `api`
// and `serve`, on WORKER_METRICS_PORT for `worker`. The role is the argument, or else read from PID 1's
// command line (tini … bin/holdout.js ROLE). Exit 0: healthy; 1: not (with one line saying why).
// Plain Node, nothing imported from Holdout: it runs every 10 s and must stay cheap.
import { readFileSync } from 'node:fs';

const ROLES = ['api', 'serve', 'worker'];

function roleOfPid1() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8')
      .split('\0')
      .find((arg) => ROLES.includes(arg));
  } catch {
    return undefined;
  }
}

const role = process.argv[2] ?? roleOfPid1();
const port = role === 'worker' ? process.env.WORKER_METRICS_PORT : (process.env.PORT ?? '8080');
if (!role || !port) {
  console.error(`healthcheck: no HTTP endpoint to check for ${role ?? 'this process'}`);
  process.exit(1);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
} catch (error) {
  console.error(`healthcheck: ${role} on port ${port}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

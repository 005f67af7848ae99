// `node dist/src/healthcheck.js [file] [maxAgeSeconds]`: exit 0 while the bot's heartbeat file (data/.heartbeat,
// kept fresh by src/health-file.ts while the bot is connected to Discord) is recent, 1 otherwise. Used by the
// Dockerfile's HEALTHCHECK; run it from the bot's working directory.
import { statSync } from 'node:fs';
import { HEARTBEAT_FILE, HEARTBEAT_MAX_AGE_MS } from './health-file.js';

const file = process.argv[2] ?? (process.env.HEARTBEAT_FILE?.trim() || HEARTBEAT_FILE);
const maxAgeMs = process.argv[3] ? Number(process.argv[3]) * 1000 : HEARTBEAT_MAX_AGE_MS;

let ageMs: number;
try {
  ageMs = Date.now() - statSync(file).mtimeMs;
} catch {
  process.stdout.write(`unhealthy: no heartbeat file at ${file} (not connected to Discord yet?)\n`);
  process.exit(1);
}
const age = Math.round(ageMs / 1000);
if (!(ageMs <= maxAgeMs)) {
  process.stdout.write(`unhealthy: last heartbeat ${age} s ago (limit ${Math.round(maxAgeMs / 1000)} s)\n`);
  process.exit(1);
}
process.stdout.write(`healthy: last heartbeat ${age} s ago\n`);

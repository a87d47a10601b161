import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RedisServer, startRedisServer } from './redis-server.js';

const ACL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'redis', 'users.acl');

/** A private redis-server on the shipped ACL file, its placeholder replaced as an operator would. */
export interface AclRedisServer extends RedisServer {
  /** redis://holdout:<password>@127.0.0.1:port: what the production guard accepts. */
  holdoutUrl: string;
}

export async function startAclRedisServer(): Promise<AclRedisServer> {
  const password = randomBytes(18).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'holdout-acl-'));
  const hash = createHash('sha256').update(password).digest('hex');
  const aclFile = join(dir, 'users.acl');
  writeFileSync(aclFile, readFileSync(ACL_FILE, 'utf8').replace('#PASSWORD_SHA256', `#${hash}`));
  let server: RedisServer;
  try {
    server = await startRedisServer(['--aclfile', aclFile]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    holdoutUrl: `redis://holdout:${password}@127.0.0.1:${server.port}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

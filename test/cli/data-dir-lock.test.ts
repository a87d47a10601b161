import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/durable/data-dir-lock.js';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, runHoldout, startHoldout } from '../support/holdout-process.js';

/** Embedded mode (PGlite, in-process store) on a data folder of the test's own. */
async function embeddedEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  return { HOLDOUT_DATA_DIR: dataDir, PORT: String(await freePort()) };
}

describe('the embedded data folder belongs to one process', () => {
  let dir: string;
  const running: HoldoutProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'holdout-lock-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a second holdout serve on the same HOLDOUT_DATA_DIR, naming the first one's pid", async () => {
    const data = join(dir, 'shared');
    const first = startHoldout(['serve'], await embeddedEnv(data));
    running.push(first);
    await first.waitFor(/serving on http/, 60_000);
    expect(readFileSync(join(data, LOCK_FILE), 'utf8').trim()).toBe(String(first.child.pid));

    const second = await runHoldout(['serve'], await embeddedEnv(data));
    expect(second.code).toBe(2);
    expect(second.output).toContain(`is in use by another Holdout process (pid ${first.child.pid})`);
    expect(second.output).not.toMatch(/\n\s+at /);
    // So does any other command that opens the folder.
    const migrate = await runHoldout(['migrate'], { HOLDOUT_DATA_DIR: data });
    expect(migrate.code).toBe(2);
    expect(migrate.output).toContain(`(pid ${first.child.pid})`);

    // The first one goes on serving, and lets go of the folder when it stops.
    expect(first.child.exitCode).toBeNull();
    expect(await first.stop()).toBe(0);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  }, 180_000);

  it('takes over the lock of a process that was killed, keeping what it wrote', async () => {
    const data = join(dir, 'killed');
    const first = startHoldout(['serve'], await embeddedEnv(data));
    running.push(first);
    const [, url] = (await first.waitFor(/serving on (http:\/\/\S+)/, 60_000)) as [string, string];
    const token = (await (
      await fetch(`${url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ opaqueUserId: 'Ulock1', channelId: '77' }),
      })
    ).json()) as { token: string };
    const created = await fetch(`${url}/v1/survivors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
      body: JSON.stringify({ name: 'Keeper' }),
    });
    expect(created.status).toBe(201);
    await first.stop('SIGKILL');
    expect(existsSync(join(data, LOCK_FILE))).toBe(true);

    const second = startHoldout(['serve'], await embeddedEnv(data));
    running.push(second);
    const [, url2] = (await second.waitFor(/serving on (http:\/\/\S+)/, 60_000)) as [string, string];
    expect(readFileSync(join(data, LOCK_FILE), 'utf8').trim()).toBe(String(second.child.pid));
    const roster = await fetch(`${url2}/v1/me`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(JSON.stringify(await roster.json())).toContain('Keeper');
    expect(await second.stop()).toBe(0);
  }, 180_000);
});

describe('a port already in use', () => {
  it('stops holdout serve with one line naming the address, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'holdout-port-'));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      // Embedded mode, so that the lock's release on the way out is seen too.
      const { code, output } = await runHoldout(['serve'], { HOLDOUT_DATA_DIR: dir, PORT: String(port) });
      expect(output.trim()).toBe(
        `holdout: 127.0.0.1:${port} is already in use by another process: stop it, or set PORT (or HOST) to a free one`,
      );
      expect(code).toBe(2);
      // It let go of its data folder on the way out.
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_ENVIRONMENT } from '../../src/cli/command-environment.js';
import { runHoldout } from '../support/holdout-process.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIMIT_PACKAGES = join(ROOT, 'test', 'support', 'limit-packages.mjs');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
/** The variables in the README's Configuration table. */
const documented = new Set(
  [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!),
);

/** `holdout …` where importing any package but commander fails: proof that nothing else is loaded. */
function withCommanderOnly(args: string[]) {
  return runHoldout(args, { LIMIT_PACKAGES: 'commander' }, ['--import', LIMIT_PACKAGES]);
}

describe('holdout --version and --help', () => {
  it('print the version, loading no package but commander', async () => {
    const { code, output } = await withCommanderOnly(['--version']);
    expect(output.trim()).toBe(version);
    expect(code).toBe(0);
  });

  it('list every command, loading no package but commander', async () => {
    const { code, output } = await withCommanderOnly(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'serve',
      'api',
      'worker',
      'migrate',
      'simulate',
      'reconcile',
      'replay',
      'partitions',
    ]) {
      expect(output).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('the check above can fail: a command that needs its server modules does not start under it', async () => {
    const { code, output } = await withCommanderOnly(['serve']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/Cannot find package/);
  });

  it('answers a mistyped command with a suggestion, not a stack trace', async () => {
    const { code, output } = await runHoldout(['serv']);
    expect(code).toBe(1);
    expect(output).toMatch(/unknown command 'serv'[\s\S]*Did you mean serve\?/);
    expect(output).not.toMatch(/ at /);
  });
});

describe('serve, api, worker and migrate --help', () => {
  it('name the variables each reads and which it needs', async () => {
    const help = Object.fromEntries(
      await Promise.all(
        ['serve', 'api', 'worker', 'migrate'].map(async (c) => [c, (await runHoldout([c, '--help'])).output]),
      ),
    ) as Record<string, string>;
    expect(help.api).toMatch(/^ {2}REDIS_URL +\[required\]/m);
    expect(help.worker).toMatch(/^ {2}REDIS_URL +\[required\]/m);
    expect(help.serve).toMatch(/^ {2}REDIS_URL +\[required in production\]/m);
    expect(help.serve).toMatch(/^ {2}DATABASE_URL +\[required in production\]/m);
    expect(help.migrate).toMatch(/^ {2}DATABASE_URL +\[required in production\]/m);
    expect(help.worker).toMatch(/^ {2}WORKER_METRICS_PORT /m);
    expect(help.api).not.toMatch(/WORKER_METRICS_PORT/);
    expect(help.api).toMatch(/^ {2}METRICS_PORT /m);
    expect(help.serve).toMatch(/^ {2}METRICS_HOST /m);
    expect(help.worker).toMatch(/^ {2}METRICS_HOST /m);
  });

  it('name only variables the README documents, and serve names every one', () => {
    for (const [command, { reads }] of Object.entries(COMMAND_ENVIRONMENT)) {
      for (const name of reads) expect(documented, `${command} names ${name}`).toContain(name);
    }
    const serve = new Set(COMMAND_ENVIRONMENT.serve!.reads);
    const notForServe = [
      'HOLDOUT_FAULT_COMMIT_DELAY_MS',
      'HOLDOUT_FAULT_COMPLETION_DELAY_MS',
      'WORKER_METRICS_PORT',
      'HOLDOUT_ARCHIVE_DIR',
    ];
    for (const name of documented) {
      if (!notForServe.includes(name)) expect(serve, `serve --help names ${name}`).toContain(name);
    }
  });
});

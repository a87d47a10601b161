import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describeEnvironment } from './command-environment.js';

/*
 * The `holdout` command. Each subcommand's module (and with it Fastify, pg, ioredis, PGlite…) is
 * imported only when that subcommand runs: `holdout --version` and `holdout --help` load commander
 * and nothing else, and `holdout worker` never loads the HTTP API.
 */

type Register = (program: Command) => void;

/** Every subcommand: its one line in `holdout --help`, and how to load it. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Register> }> = {
  serve: {
    summary: 'API, tick engine and maintenance in one process (embedded stores unless configured)',
    load: async () => (await import('./serve.js')).registerServeCommand,
  },
  api: {
    summary: 'the HTTP API alone, to scale out behind a load balancer (needs REDIS_URL)',
    load: async () => (await import('./api.js')).registerApiCommand,
  },
  worker: {
    summary: 'the tick engine alone: tick worker, outbox flusher, reconciler (needs REDIS_URL)',
    load: async () => (await import('./worker.js')).registerWorkerCommand,
  },
  migrate: {
    summary: 'apply pending migrations and create upcoming mission_logs partitions',
    load: async () => (await import('./migrate.js')).registerMigrateCommand,
  },
  simulate: {
    summary: 'Monte Carlo balance report',
    load: async () => (await import('./simulate.js')).registerSimulateCommand,
  },
  reconcile: {
    summary: 'make Redis agree with Postgres once and print what changed',
    load: async () => (await import('./reconcile.js')).registerReconcileCommand,
  },
  replay: {
    summary: "print a mission's durable log; --verify re-runs it from its seed",
    load: async () => (await import('./replay.js')).registerReplayCommand,
  },
  bits: {
    summary: 'Bits purchases: reconcile the durable record with Helix Get Extension Transactions',
    load: async () => (await import('./bits.js')).registerBitsCommand,
  },
  partitions: {
    summary: 'maintain the monthly partitions of mission_logs: ensure, list, archive, restore',
    load: async () => (await import('./partitions.js')).registerPartitionsCommand,
  },
};

function packageVersion(): string {
  // src/cli/ and dist/cli/ both sit two folders below package.json.
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(manifest.version);
}

const program = new Command('holdout')
  .description('Holdout: a Twitch Extension survival game and the backend that runs it')
  .version(packageVersion(), '-V, --version', "print Holdout's version")
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

// `holdout serve …` or `holdout help serve`: load that one command, for real.
const [first, second] = process.argv.slice(2);
const name = first === 'help' ? second : first;
const chosen = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
if (name !== undefined && chosen) {
  (await chosen.load())(program);
  const command = program.commands.find((c) => c.name() === name);
  const environment = describeEnvironment(name);
  if (command && environment) command.addHelpText('after', `\n${environment}`);
} else {
  // Anything else (--help, --version, a typo): the list alone, which loads nothing.
  for (const [commandName, { summary }] of Object.entries(COMMANDS)) {
    program.command(commandName).summary(summary).description(summary).allowUnknownOption();
  }
}

await program.parseAsync(process.argv);

import { Command } from 'commander';
import { registerApiCommand } from './api.js';
import { registerMigrateCommand } from './migrate.js';
import { registerPartitionsCommand } from './partitions.js';
import { registerReconcileCommand } from './reconcile.js';
import { registerReplayCommand } from './replay.js';
import { registerServeCommand } from './serve.js';
import { registerSimulateCommand } from './simulate.js';
import { registerWorkerCommand } from './worker.js';

const program = new Command('holdout')
  .description('Holdout: a Twitch Extension survival game and the backend that runs it')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerServeCommand(program);
registerApiCommand(program);
registerWorkerCommand(program);
registerMigrateCommand(program);
registerSimulateCommand(program);
registerReconcileCommand(program);
registerReplayCommand(program);
registerPartitionsCommand(program);

await program.parseAsync(process.argv);

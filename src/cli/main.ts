import { Command } from 'commander';
import { registerMigrateCommand } from './migrate.js';
import { registerServeCommand } from './serve.js';

const program = new Command('holdout')
  .description('Holdout: a Twitch Extension survival game and the backend that runs it')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerServeCommand(program);
registerMigrateCommand(program);

await program.parseAsync(process.argv);

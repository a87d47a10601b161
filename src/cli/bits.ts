import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { bitsGrantShownIn } from '../twitch/bits-grant-shown.js';
import { reconcileBits } from '../twitch/bits-reconcile.js';
import { broadcastsEnabled } from '../twitch/broadcasts-enabled.js';
import { twitchApiFor } from '../twitch/twitch-api.js';
import { action, UsageError } from './command-errors.js';

export function registerBitsCommand(program: Command): void {
  const bits = program.command('bits').description('Bits in Extensions: the durable record of purchases');
  bits
    .command('reconcile')
    .description(
      'compare the recorded Bits transactions with Helix Get Extension Transactions; fulfil missing ones that need no choice, list the rest',
    )
    .option('--json', 'print the report as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const config = loadConfig();
        if (!config.TWITCH_CLIENT_SECRET) {
          throw new UsageError(
            'holdout bits reconcile needs TWITCH_CLIENT_SECRET (Helix wants an app access token)',
          );
        }
        const runtime = await openRuntime(config, createLogger('warn'));
        try {
          // A grant drops the buyer's cached roster and name and tells the channel's panels to poll.
          const shown = bitsGrantShownIn(
            runtime.store,
            broadcastsEnabled(config) ? runtime.store.broadcasts : null,
          );
          const report = await reconcileBits(twitchApiFor(config), runtime.db, shown);
          if (options.json) {
            console.log(JSON.stringify(report));
            return;
          }
          console.log(`Helix lists ${report.seen} transaction(s); ${report.recorded} were recorded already`);
          console.log(`fulfilled now: ${report.fulfilledNow.length}${list(report.fulfilledNow)}`);
          console.log(
            `awaiting the viewer's receipt (the product needs their choice): ${report.awaitingReceipt.length}${list(
              report.awaitingReceipt.map((t) => `${t.transactionId} (${t.sku}, user ${t.twitchUserId})`),
            )}`,
          );
          console.log(
            `not matching the catalog: ${report.mismatched.length}${list(report.mismatched.map((m) => `${m.transactionId}: ${m.reason}`))}`,
          );
          if (report.mismatched.length > 0) process.exitCode = 1;
        } finally {
          await runtime.close();
        }
      }),
    );
}

function list(items: string[]): string {
  if (items.length === 0) return '';
  return `\n  ${items.slice(0, 50).join('\n  ')}${items.length > 50 ? `\n  … (${items.length - 50} more)` : ''}`;
}

import type { BadInputWorld, Case } from './bad-input-world.js';

/** Stash purchases: bad bodies, other viewers' survivors, purchases the rules or the stash refuse. */
export function stashCases({ ids }: BadInputWorld): Case[] {
  const spend = (name: string, who: string, body: unknown, status: number, code: string, field?: string) =>
    ({
      name,
      who,
      method: 'POST',
      url: '/v1/stash/spend',
      body,
      status,
      code,
      ...(field ? { field } : {}),
    }) satisfies Case;
  return [
    spend('spend without a body', 'ada', undefined, 400, 'invalid_request'),
    spend(
      'an unknown purchase',
      'ada',
      { purchase: 'feast', survivorId: ids.adaIdle },
      400,
      'invalid_request',
      'body.purchase',
    ),
    spend(
      'a purchase without a survivor',
      'ada',
      { purchase: 'recover' },
      400,
      'invalid_request',
      'body.survivorId',
    ),
    spend(
      'a survivor id that is not one',
      'ada',
      { purchase: 'recover', survivorId: 'x1' },
      400,
      'invalid_request',
      'body.survivorId',
    ),
    spend(
      'a purchase with an extra field',
      'ada',
      { purchase: 'recover', survivorId: ids.adaIdle, free: true },
      400,
      'invalid_request',
    ),
    spend(
      "spend on another viewer's survivor",
      'bo',
      { purchase: 'reroll_offers', survivorId: ids.adaIdle },
      404,
      'survivor_not_found',
    ),
    spend(
      'recover a survivor that is not recovering',
      'ada',
      { purchase: 'recover', survivorId: ids.adaIdle },
      409,
      'not_recovering',
    ),
    spend(
      'revive a retired survivor',
      'ada',
      { purchase: 'revive', survivorId: ids.adaDead },
      409,
      'not_revivable',
    ),
    spend(
      'revive a survivor out on a mission',
      'ada',
      { purchase: 'revive', survivorId: ids.adaBusy },
      409,
      'not_revivable',
    ),
    spend(
      'new offers with an empty stash',
      'bo',
      { purchase: 'reroll_offers', survivorId: ids.boIdle },
      409,
      'not_enough_supplies',
    ),
    spend(
      'spend while logged out',
      'anon',
      { purchase: 'recover', survivorId: ids.adaIdle },
      403,
      'login_required',
    ),
  ];
}

import type { BadInputWorld, Case } from './bad-input-world.js';

/** Channel settings: only the broadcaster may change them, only to valid values, and they are enforced. */
export function channelCases({ ids }: BadInputWorld): Case[] {
  return [
    // who may change them
    {
      name: 'viewer changes channel settings',
      who: 'ada',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 1 },
      status: 403,
      code: 'broadcaster_only',
    },
    {
      name: 'moderator changes channel settings',
      who: 'mod',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 1 },
      status: 403,
      code: 'broadcaster_only',
    },
    // values
    {
      name: 'difficulty above 5',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 9 },
      status: 400,
      code: 'invalid_request',
      field: 'body.maxDifficulty',
    },
    {
      name: 'difficulty as a string',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: '3' },
      status: 400,
      code: 'invalid_request',
      field: 'body.maxDifficulty',
    },
    {
      name: 'unknown mission length',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { missionLength: 'epic' },
      status: 400,
      code: 'invalid_request',
      field: 'body.missionLength',
    },
    // enforced: channel 3000 allows difficulty 2 at most and no group missions
    {
      name: 'difficulty above the channel maximum',
      who: 'ada3000',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 3 },
      status: 403,
      code: 'difficulty_not_allowed',
    },
    {
      name: 'a lobby where group missions are off',
      who: 'ada3000',
      method: 'POST',
      url: '/v1/lobbies',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 403,
      code: 'group_missions_disabled',
    },
  ];
}

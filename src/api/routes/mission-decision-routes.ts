import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { castChoice } from '../../engine/mission-choice.js';
import { callRetreat } from '../../engine/retreat-vote.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { choiceView, missionIdParams, stanceId } from '../schemas.js';

/** What participants decide inside a running mission: the stance at a choice point, and a retreat. */
export function registerMissionDecisionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['missions'];

  r.post(
    '/v1/missions/:missionId/choice',
    {
      config: { endpoint: 'missions.choice' },
      schema: {
        tags,
        summary: "Vote for the party's stance at the open choice point (solo: choose it)",
        description:
          'A choice opens every few ticks for a short time (rules: choiceEvery, choiceWindow). Participants ' +
          'only; a vote replaces your earlier one. When the tick that applies it runs, the stance with the ' +
          'most votes wins; no vote or a tie keeps the current stance. 409 choice_closed when no choice is open.',
        params: missionIdParams,
        body: z.strictObject({ stance: stanceId }),
        response: { 200: choiceView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const { missionId } = request.params;
      return castChoice(ctx.engine, { missionId, userId, stance: request.body.stance });
    },
  );

  r.post(
    '/v1/missions/:missionId/retreat',
    {
      config: { endpoint: 'missions.retreat' },
      schema: {
        tags,
        summary: 'Call your party back (solo), or vote to (group): partial rewards',
        description:
          'Solo, the mission ends at once with a retreat tick. In a group this is a vote: the party retreats ' +
          'once more than half of its members have asked within 30 s (a duo needs both).',
        params: missionIdParams,
        response: {
          202: z.object({
            missionId: z.string(),
            retreating: z.boolean().describe('true: the party falls back; false: your vote waits for others'),
            votes: z.number(),
            needed: z.number(),
          }),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const { missionId } = request.params;
      const call = await callRetreat(ctx.engine, { missionId, userId });
      return reply.code(202).send({ missionId, ...call });
    },
  );
}

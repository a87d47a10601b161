import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Queryable } from '../../durable/database.js';
import { survivorHistory } from '../../durable/mission-history.js';
import {
  countLivingSurvivors,
  findOwnSurvivor,
  insertSurvivor,
  listRoster,
  lockOwnSurvivor,
  renameSurvivor,
  retireSurvivor,
  type SurvivorRecord,
  setSurvivorPerks,
  wakeRecoveredSurvivors,
} from '../../durable/survivors.js';
import { lockUser } from '../../durable/users.js';
import { SurvivorNotFoundError } from '../../engine/engine-errors.js';
import { settleSurvivors, toSurvivorView } from '../../engine/viewer-roster.js';
import {
  createSurvivor,
  firstPerkOffers,
  MAX_LIVING_SURVIVORS,
  returnPerkToOffers,
  SurvivorBusyError,
  SurvivorDeadError,
  takeOfferedPerk,
  transition,
  validateSurvivorName,
} from '../../game/index.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { SurvivorLimitError } from '../problem-errors.js';
import {
  idParam,
  missionSummary,
  pageQuery,
  perkId,
  survivorIdParams,
  survivorName,
  survivorView,
} from '../schemas.js';
import { missionFor } from './mission-routes.js';

/**
 * Runs `change` on one of the caller's survivors inside a transaction (the survivor row locked), then
 * drops the caller's cached roster. Someone else's survivor is as unknown as a missing one.
 */
export async function changeOwnSurvivor(
  ctx: ApiContext,
  userId: string,
  survivorId: string,
  change: (tx: Queryable, survivor: SurvivorRecord) => Promise<SurvivorRecord>,
): Promise<SurvivorRecord> {
  await wakeRecoveredSurvivors(ctx.db, userId, ctx.clock());
  const changed = await ctx.db.transaction(async (tx) => {
    const survivor = await lockOwnSurvivor(tx, userId, survivorId);
    if (!survivor) throw new SurvivorNotFoundError(survivorId);
    return change(tx, survivor);
  });
  await ctx.viewerCache.invalidate([userId]);
  return changed;
}

export function registerSurvivorRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['survivors'];

  r.get(
    '/v1/me',
    {
      config: { endpoint: 'me', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "The caller and their survivors, fresh from Postgres (the panel's first load)",
        response: {
          200: z.object({
            viewer: z.object({
              opaqueUserId: z.string(),
              userId: z.string().nullable(),
              loggedIn: z.boolean(),
              role: z.string(),
              channelId: z.string(),
            }),
            survivors: z.array(survivorView),
            maxLivingSurvivors: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      if (!viewer.loggedIn) {
        return {
          viewer: { ...viewer, userId: null },
          survivors: [],
          maxLivingSurvivors: MAX_LIVING_SURVIVORS,
        };
      }
      const userId = await ctx.users.userIdOf(viewer);
      await settleSurvivors(ctx, userId);
      const survivors = await listRoster(ctx.db, userId);
      return {
        viewer: {
          opaqueUserId: viewer.opaqueUserId,
          userId,
          loggedIn: true,
          role: viewer.role,
          channelId: viewer.channelId,
        },
        survivors: survivors.map((s) => toSurvivorView(s)),
        maxLivingSurvivors: MAX_LIVING_SURVIVORS,
      };
    },
  );

  r.post(
    '/v1/survivors',
    {
      config: { endpoint: 'survivors.create' },
      schema: {
        tags,
        summary: 'Create a survivor (at most 3 living per viewer)',
        body: z.strictObject({ name: survivorName }),
        response: { 201: survivorView },
      },
    },
    async (request, reply) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const name = validateSurvivorName(request.body.name);
      const created = await ctx.db.transaction(async (tx) => {
        // Serializes one user's creations, so that two at once cannot both pass the limit.
        await lockUser(tx, userId);
        if ((await countLivingSurvivors(tx, userId)) >= MAX_LIVING_SURVIVORS) {
          throw new SurvivorLimitError(MAX_LIVING_SURVIVORS);
        }
        const seed = randomBytes(16).toString('hex');
        const fresh = createSurvivor({ id: '0', name, seed });
        return insertSurvivor(tx, userId, fresh, firstPerkOffers(seed, ctx.content));
      });
      await ctx.viewerCache.invalidate([userId]);
      return reply.code(201).send(toSurvivorView(created));
    },
  );

  r.patch(
    '/v1/survivors/:survivorId',
    {
      config: { endpoint: 'survivors.rename' },
      schema: {
        tags,
        summary: 'Rename a survivor',
        params: survivorIdParams,
        body: z.strictObject({ name: survivorName }),
        response: { 200: survivorView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const name = validateSurvivorName(request.body.name);
      const renamed = await changeOwnSurvivor(ctx, userId, request.params.survivorId, (tx, s) => {
        if (s.state === 'dead') throw new SurvivorDeadError(s.id);
        return renameSurvivor(tx, s.id, name);
      });
      return toSurvivorView(renamed);
    },
  );

  r.post(
    '/v1/survivors/:survivorId/perks',
    {
      config: { endpoint: 'survivors.equip' },
      schema: {
        tags,
        summary: 'Equip a perk it was offered (idle survivors only, one per free slot)',
        params: survivorIdParams,
        body: z.strictObject({ perkId }),
        response: { 200: survivorView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const changed = await changeOwnSurvivor(ctx, userId, request.params.survivorId, (tx, s) =>
        setSurvivorPerks(tx, s.id, takeOfferedPerk(s, request.body.perkId, ctx.content)),
      );
      return toSurvivorView(changed);
    },
  );

  r.delete(
    '/v1/survivors/:survivorId/perks/:perkId',
    {
      config: { endpoint: 'survivors.unequip' },
      schema: {
        tags,
        summary: 'Unequip a perk (it goes back among the offers)',
        params: z.strictObject({ survivorId: idParam('survivor'), perkId }),
        response: { 200: survivorView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const changed = await changeOwnSurvivor(ctx, userId, request.params.survivorId, (tx, s) =>
        setSurvivorPerks(tx, s.id, returnPerkToOffers(s, request.params.perkId)),
      );
      return toSurvivorView(changed);
    },
  );

  r.post(
    '/v1/survivors/:survivorId/retire',
    {
      config: { endpoint: 'survivors.retire' },
      schema: {
        tags,
        summary: 'Retire an idle survivor for good (kept for history, frees a roster place)',
        params: survivorIdParams,
        // Irreversible: the caller says so explicitly, and `false` is not a yes.
        body: z.strictObject({
          confirm: z.literal(true, { error: 'must be true: retiring cannot be undone' }),
        }),
        response: { 200: survivorView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const retired = await changeOwnSurvivor(ctx, userId, request.params.survivorId, (tx, s) => {
        // The rules let a survivor die out on a mission; retiring is a choice made at home.
        if (s.state === 'dead') throw new SurvivorDeadError(s.id);
        if (s.state !== 'idle') throw new SurvivorBusyError(s.id, s.state);
        transition(s, 'dead', { now: ctx.clock() });
        return retireSurvivor(tx, s.id);
      });
      return toSurvivorView(retired);
    },
  );

  r.get(
    '/v1/survivors/:survivorId/history',
    {
      config: { endpoint: 'survivors.history', budget: 'read' },
      schema: {
        tags,
        summary: "A survivor's missions, newest first (pages of `limit`, continue with `before`)",
        params: survivorIdParams,
        querystring: pageQuery,
        response: { 200: z.object({ missions: z.array(missionSummary), nextBefore: z.string().nullable() }) },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const { survivorId } = request.params;
      if (!(await findOwnSurvivor(ctx.db, userId, survivorId))) throw new SurvivorNotFoundError(survivorId);
      const { limit, before } = request.query;
      const missions = await survivorHistory(ctx.db, survivorId, { before: before ?? null, limit });
      return {
        missions: missions.map((m) => missionFor(m, userId)),
        nextBefore: missions.length === limit ? (missions.at(-1)?.id ?? null) : null,
      };
    },
  );
}

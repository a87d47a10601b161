import { describe, expect, it } from 'vitest';
import { DEV_CHANNEL_ID } from '../../src/api/routes/dev-token-route.js';
import { shot, webFixtureWithDatabase } from './web-fixture.js';

const SEEN = { timeout: 20_000, interval: 200 };
/** Missions of the channel held out this season (seeded as durable results: the goal meter counts them). */
const HELD = 3;
const GOAL = 40;

const fixture = webFixtureWithDatabase();

describe("the channel's season in the viewer panel and on stream, in a real browser", () => {
  it("shows the season's name and the channel goal meter in the panel's Ranks tab and in the video view", async () => {
    await fixture.db.query(
      `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
                             tick_interval_ms, start_snapshot, ended_at)
       SELECT $1, 'solo', 'flooded-mall', 1, g::text, 'seeded', 'succeeded', 24, 5000, '{}', now()
         FROM generate_series(1, $2::int) AS g`,
      [DEV_CHANNEL_ID, HELD],
    );
    // The broadcaster's choices: a monthly season with a goal of its own.
    const caster = await fixture.web.token('Udevcaster', 'broadcaster');
    const set = await fetch(`${fixture.web.url}/v1/channel/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${caster}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seasonPeriod: 'monthly', seasonGoal: GOAL }),
    });
    expect(set.status).toBe(200);

    const context = await fixture.web.context({ width: 1760, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${fixture.web.url}/dev`);
    const goalText = new RegExp(
      `^The channel held out ${HELD} / ${GOAL} missions · until \\w{3}, \\d{2} \\w{3}$`,
    );

    // On stream: a viewer who never opens the panel sees the season and its goal.
    const video = page.frameLocator('iframe[name=video]');
    const onStream = video.locator('[data-testid=video-season]');
    await expect.poll(() => onStream.locator('strong').textContent(), SEEN).toBe("This month's season");
    expect(await onStream.locator('[data-testid=season-goal]').textContent()).toMatch(goalText);

    // In the panel: the Ranks tab opens on the season, above the leaderboard.
    const panel = page.frameLocator('iframe[name=Udevalice]');
    await panel.getByRole('tab', { name: 'Ranks' }).click();
    const inPanel = panel.locator('[data-testid=panel-season]');
    await expect.poll(() => inPanel.locator('strong').textContent(), SEEN).toBe("This month's season");
    expect(await inPanel.locator('[data-testid=season-goal]').textContent()).toMatch(goalText);
    await shot(page, 'issue16-season');
    await context.close();
  }, 120_000);
});

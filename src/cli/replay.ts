import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { loadContent } from '../content/index.js';
import { isDurableId } from '../durable/durable-id.js';
import { type DurableLogLine, missionLogLines } from '../durable/mission-logs.js';
import { loadMissionRows, type MissionRow } from '../durable/missions.js';
import { openDatabase } from '../durable/open-database.js';
import { replayMission } from '../engine/replay-mission.js';
import { action, EXIT_FAILURE, UsageError } from './command-errors.js';

interface ReplayOptions {
  verify?: boolean;
  json?: boolean;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      "print a mission's durable log; with --verify, re-run it from its seed and report where the log differs",
    )
    .argument('<mission>', 'mission id')
    .option('--verify', 're-run the mission from its starting snapshot and seed and compare, line by line')
    .option('--json', 'print JSON instead of text')
    .action(
      action(async (missionId: string, options: ReplayOptions) => {
        if (!isDurableId(missionId))
          throw new UsageError(`expected a mission id (digits), got "${missionId}"`);
        const db = await openDatabase(loadConfig());
        try {
          const [mission] = await loadMissionRows(db, [missionId]);
          if (!mission) throw new UsageError(`there is no mission ${missionId}`);
          const lines = await missionLogLines(db, missionId);
          if (!options.verify) return printLog(mission, lines, options);
          if (verify(mission, lines, options) === 'differs') process.exitCode = EXIT_FAILURE;
        } finally {
          await db.close();
        }
      }),
    );
}

function printLog(mission: MissionRow, lines: DurableLogLine[], options: ReplayOptions): void {
  if (options.json) {
    const shown = lines.map(({ effects: _effects, ...line }) => line);
    console.log(JSON.stringify({ mission: mission.id, status: mission.status, lines: shown }));
    return;
  }
  console.log(
    `mission ${mission.id} · ${mission.kind} · ${mission.location} · difficulty ${mission.difficulty} · ${mission.status} · seed ${mission.seed}`,
  );
  for (const line of lines)
    console.log(`${String(line.tick_index).padStart(4)}  ${line.encounter_id.padEnd(24)} ${line.text}`);
  console.log(`${lines.length} of ${mission.length_ticks} ticks logged`);
}

function verify(mission: MissionRow, lines: DurableLogLine[], options: ReplayOptions): 'matches' | 'differs' {
  const content = loadContent();
  const sameContent = mission.content_version === content.version;
  const replay = replayMission(mission, lines, content, { complete: mission.status !== 'active' });
  const difference = replay.firstDifference;
  if (options.json) {
    console.log(
      JSON.stringify({
        mission: mission.id,
        contentVersion: { recorded: mission.content_version, loaded: content.version },
        ticks: lines.length,
        firstDifference: difference,
      }),
    );
  } else {
    if (!sameContent) {
      console.log(
        `warning: mission ran on content ${mission.content_version}; replaying on ${content.version}`,
      );
    }
    if (difference) {
      console.log(
        `mission ${mission.id} differs from its replay at tick ${difference.tick} (${difference.field})`,
      );
      console.log(`  replay: ${difference.expected ?? '(no line)'}`);
      console.log(`  log:    ${difference.actual ?? '(no line)'}`);
    } else {
      console.log(
        `mission ${mission.id}: all ${lines.length} logged ticks match the replay from seed ${mission.seed}`,
      );
    }
  }
  return difference ? 'differs' : 'matches';
}

/** The broadcaster's mission length setting: it scales every difficulty's length in ticks. */
export const MISSION_LENGTH_SCALE = { short: 0.5, standard: 1, long: 1.5 } as const;

export type MissionLength = keyof typeof MISSION_LENGTH_SCALE;

/** A difficulty's length in ticks under a channel's setting; never less than one tick. */
export function scaledMissionLength(lengthTicks: number, length: MissionLength): number {
  return Math.max(1, Math.round(lengthTicks * MISSION_LENGTH_SCALE[length]));
}

import { type Content, UnknownLocationError } from '../game/index.js';
import { DifficultyNotAllowedError } from './engine-errors.js';

/** Refuses a mission (solo or group) at a location the game lacks or harder than the channel allows. */
export function assertMissionAllowed(
  content: Pick<Content, 'locations'>,
  settings: { maxDifficulty: number },
  location: string,
  level: number,
): void {
  if (!Object.hasOwn(content.locations, location)) throw new UnknownLocationError(location);
  if (level > settings.maxDifficulty) throw new DifficultyNotAllowedError(settings.maxDifficulty);
}

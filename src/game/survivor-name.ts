import { InvalidSurvivorNameError } from './errors.js';

export const MIN_NAME_LENGTH = 2;
export const MAX_NAME_LENGTH = 24;

// Letters (any script, with combining marks), digits, space and ' - . only: names go into story
// lines, so braces, markup and control characters are kept out at the door.
const ALLOWED = /^[\p{L}\p{M}\p{Nd}' .-]+$/u;
const HAS_LETTER = /\p{L}/u;

/** Returns the cleaned name (NFC, trimmed, inner spaces collapsed) or throws InvalidSurvivorNameError. */
export function validateSurvivorName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidSurvivorNameError('it must be text');
  const cleaned = name.normalize('NFC').trim().replace(/ {2,}/g, ' ');
  const length = [...cleaned].length;
  if (length < MIN_NAME_LENGTH || length > MAX_NAME_LENGTH) {
    throw new InvalidSurvivorNameError(`it must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters long`);
  }
  if (!ALLOWED.test(cleaned)) {
    throw new InvalidSurvivorNameError("only letters, digits, spaces and ' - . are allowed");
  }
  if (!HAS_LETTER.test(cleaned)) throw new InvalidSurvivorNameError('it must contain a letter');
  return cleaned;
}

import { InvalidSurvivorNameError } from './errors.js';

export const MIN_NAME_LENGTH = 2;
/** The one limit of a name's length, in characters: the API's and the panel's input's. */
export const MAX_NAME_LENGTH = 24;

// Letters (any script, with combining marks), digits, space and ' - . only: names go into story
// lines, so braces, markup and control characters are kept out at the door.
const ALLOWED = /^[\p{L}\p{M}\p{Nd}' .-]+$/u;
const HAS_LETTER = /\p{L}/u;
// Characters that render as nothing: zero-width joiners and spaces, the Hangul fillers (letters by
// category, blank on screen), variation selectors, the combining grapheme joiner.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
// A combining mark first has nothing to combine with.
const STARTS_WITH_MARK = /^\p{M}/u;

/** Returns the cleaned name (NFC, trimmed, inner spaces collapsed) or throws InvalidSurvivorNameError. */
export function validateSurvivorName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidSurvivorNameError('it must be text');
  const cleaned = name.normalize('NFC').trim().replace(/ {2,}/g, ' ');
  const length = [...cleaned].length;
  if (length < MIN_NAME_LENGTH || length > MAX_NAME_LENGTH) {
    throw new InvalidSurvivorNameError(`it must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters long`);
  }
  if (INVISIBLE.test(cleaned)) throw new InvalidSurvivorNameError('it contains characters that do not show');
  if (!ALLOWED.test(cleaned)) {
    throw new InvalidSurvivorNameError("only letters, digits, spaces and ' - . are allowed");
  }
  if (STARTS_WITH_MARK.test(cleaned))
    throw new InvalidSurvivorNameError('it must start with a letter or digit');
  if (!HAS_LETTER.test(cleaned)) throw new InvalidSurvivorNameError('it must contain a letter');
  return cleaned;
}

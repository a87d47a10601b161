import type { Item } from './content-types.js';

/*
 * How a line names a found item: "a bandage roll", "an antibiotic", "some energy bars". One rule
 * for rendering, content validation and the text lint, so none of them can disagree.
 */

// Words whose first letter misleads: an hour, a unit.
const AN_DESPITE_CONSONANT = /^(hour|honest|honou?r|heir)/;
const A_DESPITE_VOWEL = /^(one\b|once|uni|use|usu|uti|eu|ewe|ur[aeio])/;

/** The indefinite article a word takes: "an" before a vowel sound, "a" otherwise. */
export function indefiniteArticle(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (AN_DESPITE_CONSONANT.test(w)) return 'an';
  if (A_DESPITE_VOWEL.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

/** The determiner an item takes where a line names it as found: "some" for plurals, else a/an. */
export function itemDeterminer(item: Pick<Item, 'name' | 'plural'>): string {
  return item.plural ? 'some' : indefiniteArticle(item.name);
}

/** "a bandage roll", "some energy bars": the item as a line names it. */
export function itemPhrase(item: Pick<Item, 'name' | 'plural'>): string {
  return `${itemDeterminer(item)} ${item.name.toLowerCase()}`;
}

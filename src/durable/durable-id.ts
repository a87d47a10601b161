/**
 * Ids of users, survivors and missions are Postgres bigint identities, sent as decimal strings. At
 * most 18 digits always fits a bigint, so a value that passes is safe to hand to `$1::bigint`.
 */
export const DURABLE_ID = /^[1-9][0-9]{0,17}$/;

export function isDurableId(value: string): boolean {
  return DURABLE_ID.test(value);
}

/** Orders two durable ids as the numbers they are ("9" before "10"): the order rows are locked in. */
export function compareDurableIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

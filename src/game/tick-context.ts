import type { Content, Difficulty, ModifierRule } from './content-types.js';
import type { MissionState, PartyMember } from './mission-state.js';
import type { Rng } from './rng.js';
import type { TickEffect } from './tick-effects.js';
import { applyEffectInPlace } from './tick-effects.js';

/**
 * What one tick's resolution works with. Every change goes through `emit`, which records the
 * effect and applies it to the draft at once, so later steps of the same tick see it and the
 * effect list is, by construction, exactly what happened.
 */
export class TickContext {
  readonly effects: TickEffect[] = [];
  readonly applied: string[] = [];
  /** Tags active this tick: location traits, weather/time tags, then the encounter's tags. */
  tags: string[];
  readonly level: Difficulty;

  constructor(
    readonly draft: MissionState,
    readonly content: Content,
    readonly rng: Rng,
  ) {
    const level = content.difficulties[draft.difficulty - 1];
    const location = content.locations[draft.location];
    if (!level || !location) throw new RangeError('Mission state does not match its content');
    this.level = level;
    this.tags = [...location.traits];
    for (const id of draft.modifiers) {
      const modifier = content.modifiers[id];
      if (modifier) this.tags.push(...modifier.tags);
    }
  }

  emit(effect: TickEffect): void {
    this.effects.push(effect);
    applyEffectInPlace(this.draft, effect);
  }

  note(source: string): void {
    if (!this.applied.includes(source)) this.applied.push(source);
  }

  member(index: number): PartyMember {
    const m = this.draft.party[index];
    if (!m) throw new RangeError(`No party member ${index}`);
    return m;
  }

  /**
   * Sum of the rules of one kind in play for a member (its perks, then the mission's weather
   * and time), noting each source that changed something. `member` -1 means mission rules only.
   */
  ruleBonus(member: number, kind: ModifierRule['kind'], attribute?: string): number {
    let total = 0;
    if (member >= 0) {
      const m = this.member(member);
      for (const id of m.perks) {
        const perk = this.content.perks[id];
        if (perk) total += this.sum(perk.rules, kind, attribute, `perk:${id}`);
      }
      for (const id of m.items) {
        const item = this.content.items[id];
        if (item) total += this.sum(item.rules, kind, attribute, `item:${id}`);
      }
    }
    for (const id of this.draft.modifiers) {
      const modifier = this.content.modifiers[id];
      if (modifier) total += this.sum(modifier.rules, kind, attribute, `${modifier.kind}:${id}`);
    }
    const stance = this.content.stances[this.draft.stance];
    if (stance) total += this.sum(stance.rules, kind, attribute, `stance:${this.draft.stance}`);
    return total;
  }

  /** The party stance's rules of one kind, with their source: encounter weights read these. */
  stanceRules(kind: ModifierRule['kind']): [string, ModifierRule][] {
    const stance = this.content.stances[this.draft.stance];
    const rules: [string, ModifierRule][] = [];
    for (const rule of stance?.rules ?? []) {
      if (rule.kind === kind) rules.push([`stance:${this.draft.stance}`, rule]);
    }
    return rules;
  }

  private sum(rules: readonly ModifierRule[], kind: string, attribute: string | undefined, source: string) {
    let total = 0;
    for (const rule of rules) {
      if (rule.kind !== kind) continue;
      if (rule.tag !== undefined && !this.tags.includes(rule.tag)) continue;
      if (rule.attribute !== undefined && rule.attribute !== attribute) continue;
      total += rule.value;
    }
    if (total !== 0) this.note(source);
    return total;
  }
}

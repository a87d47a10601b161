import { BullmqSystem } from '../peers/bullmq-ticker.js';
import { GraphileSystem } from '../peers/graphile-ticker.js';
import { HoldoutSystem } from './holdout-system.js';
import { runStep, type StepResult } from './run-step.js';
import type { TickSystem } from './tick-system.js';

/** A few hundred missions ticking every second for two seconds: proves each system's bench still runs. */
export const SMOKE_MISSIONS = 200;

export function smokeSystems(): TickSystem[] {
  return [new HoldoutSystem(1), new BullmqSystem(), new GraphileSystem()];
}

export function runTickSmoke(system: TickSystem): Promise<StepResult> {
  return runStep(system, SMOKE_MISSIONS, {
    durationMs: 2_000,
    intervalMs: 1_000,
    warmUpMs: 1_000,
    graceMs: 1_500,
  });
}

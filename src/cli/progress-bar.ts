import cliProgress from 'cli-progress';

/** A bar for one long step at a time, drawn on stderr only when it is a terminal. */
export interface StepProgress {
  update(label: string, done: number, total: number): void;
  stop(): void;
}

export function stepProgress(stream: NodeJS.WriteStream = process.stderr): StepProgress {
  // Redirected output (CI logs, files) gets the summary lines only, not bar redraws.
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let current: string | undefined;
  return {
    update(label, done, total) {
      if (label !== current) {
        if (current !== undefined) bar.stop();
        bar.start(Math.max(total, 1), done, { label });
        current = label;
      } else {
        bar.update(done, { label });
      }
    },
    stop() {
      if (current !== undefined) bar.stop();
      current = undefined;
    },
  };
}

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** One wording of a mission's status everywhere in the panel. */
export const STATUS_WORDS: Record<'active' | 'succeeded' | 'failed' | 'retreated', string> = {
  active: 'Under way',
  succeeded: 'Held out',
  failed: 'Overrun',
  retreated: 'Retreated',
};

/** Re-renders every `intervalMs` and returns the current time (in the server's clock with `offset`). */
export function useNow(intervalMs = 1000, offset = 0): number {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const timer = setInterval(() => setNow(Date.now() + offset), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, offset]);
  return now;
}

/** 75 → "1:15"; 4000 → "1:06:40". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A duration in rough words: "40 s", "3 min", "2 h". */
export function roughly(ms: number): string {
  // No-break spaces: "24 s" never wraps between the number and its unit.
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))}\u00a0s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}\u00a0min`;
  return `${Math.round(ms / 3_600_000)}\u00a0h`;
}

export function ago(at: number, now: number): string {
  return `${roughly(Math.max(1000, now - at))} ago`;
}

interface BarProps {
  label: string;
  value: number;
  max: number;
  kind: 'health' | 'stamina' | 'xp' | 'progress';
  /** What the bar says in text, e.g. "7/10"; default value/max. */
  text?: string;
}

/** A labelled meter: the width shows the share, the text says the numbers. */
export function Bar({ label, value, max, kind, text }: BarProps) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const low = kind === 'health' && share <= 0.3;
  return (
    <div class="bar-row">
      <span class="bar-label">{label}</span>
      {/* The numbers beside it say what the bar shows: screen readers read those. */}
      <div class={`bar bar-${kind}${low ? ' bar-low' : ''}`} aria-hidden="true">
        <div class="bar-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span class="bar-text">{text ?? `${value}/${max}`}</span>
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'warn' }) {
  return <p class={`notice notice-${tone}`}>{children}</p>;
}

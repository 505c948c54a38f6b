import type { ProgressSnapshot } from '../core/workflow/progress-contract';

/** `[████░░░░] 2/4 Assessing risk · 3s` — or a plain line when output is not a terminal. */
export function renderProgress(
  progress: ProgressSnapshot | undefined,
  elapsedMs: number,
  width = 20,
): string {
  const elapsed = `${Math.round(elapsedMs / 1000)}s`;
  if (!progress) return `running · ${elapsed}`;
  const total = progress.totalSteps ?? Math.max(progress.step, 1);
  const done = progress.state === 'completed' ? total : Math.max(progress.step - 1, 0);
  const filled = Math.round((done / total) * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const what =
    progress.state === 'waiting'
      ? `waiting for ${progress.waitingFor ?? 'input'}`
      : (progress.current ?? 'starting');
  return `${bar} ${progress.step}/${total} ${what} · ${elapsed}`;
}

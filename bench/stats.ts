/** Percentiles and the one-line summary every benchmark prints last. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summaryLine(
  name: string,
  ours: readonly number[],
  baseline: readonly number[],
  goal: string,
): string {
  const ratio = percentile(ours, 50) / percentile(baseline, 50);
  const f = (n: number) => n.toFixed(2);
  return `${name}: ratio ${f(ratio)} p50 ${f(percentile(ours, 50))} ms p99 ${f(percentile(ours, 99))} ms (goal ${goal}; baseline p50 ${f(percentile(baseline, 50))} ms p99 ${f(percentile(baseline, 99))} ms)`;
}

import { proxyActivities } from '@temporalio/workflow';
import { runActivity } from '../../core/workflow/run-activity';
import { echoSpec, sampleRecord } from './echo-spec';
import type { EchoInput } from './echo-spec';

/** N activities through Pantheon's catalogue, registry validation and data converter. */
export async function ours(count: number): Promise<number> {
  for (let i = 0; i < count; i++) await runActivity(echoSpec, sampleRecord);
  return count;
}

const plain = proxyActivities<{ echo(input: EchoInput): Promise<EchoInput> }>({
  startToCloseTimeout: '1 minute',
});

/** The same N activities as plain Temporal: proxyActivities, default converter, no validation. */
export async function baseline(count: number): Promise<number> {
  for (let i = 0; i < count; i++) await plain.echo(sampleRecord);
  return count;
}

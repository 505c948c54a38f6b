import { proxyActivities } from '@temporalio/workflow';
import { ActivityCatalogue } from '../../core/workflow/activity-catalogue';
import { echoSpec, sampleRecord } from './echo-spec';
import type { EchoInput } from './echo-spec';

const catalogue = new ActivityCatalogue([echoSpec]);

/** N activities through Pantheon's catalogue, registry validation and data converter. */
export async function ours(count: number): Promise<number> {
  for (let i = 0; i < count; i++) await catalogue.run(echoSpec, sampleRecord);
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

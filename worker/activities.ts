import type { Config } from '../core/config';
import type { Database } from '../core/db/pool';
import { ActivityRegistry } from '../core/registry/activity-registry';
import { activitySpecs } from '../tools/catalogue';
import { createInvoiceActivities } from '../tools/invoices/activities';
import { InvoicesTool } from '../tools/invoices/tool';

export interface ActivityDependencies {
  readonly config: Config;
  readonly db: Database;
}

/**
 * Every activity implementation, closed over its clients. Fails at start-up when a spec that
 * workflows can call has no implementation, or a name is registered twice.
 */
export function createActivityRegistry({ config, db }: ActivityDependencies): ActivityRegistry {
  const registry = new ActivityRegistry();
  registry.register(
    ...createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
  );
  const missing = activitySpecs.filter((spec) => !registry.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}

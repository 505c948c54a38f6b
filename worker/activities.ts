import type { Config } from '../core/config';
import type { Database } from '../core/db/pool';
import type { Logger } from '../core/logger';
import { ActivityRegistry } from '../core/registry/activity-registry';
import { activitySpecs } from '../tools/catalogue';
import { createInvoiceActivities } from '../tools/invoices/activities';
import { InvoicesTool } from '../tools/invoices/tool';
import { createLlmActivities } from '../tools/llm/activities';
import { createLlmRouter } from '../tools/llm/tool';

export interface ActivityDependencies {
  readonly config: Config;
  readonly db: Database;
  readonly logger?: Logger;
}

/**
 * Every activity implementation, closed over its clients. Fails at start-up when a spec that
 * workflows can call has no implementation, or a name is registered twice.
 */
export function createActivityRegistry({ config, db, logger }: ActivityDependencies): ActivityRegistry {
  const registry = new ActivityRegistry();
  const llm = createLlmRouter({ config, logger });
  registry.onClose(llm.close);
  registry.register(
    ...createInvoiceActivities(new InvoicesTool({ db, recordLatencyMs: config.SAMPLE_RECORD_LATENCY_MS })),
    ...createLlmActivities({ router: llm.router }),
  );
  const missing = activitySpecs.filter((spec) => !registry.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Activities without an implementation: ${missing.join(', ')}`);
  return registry;
}

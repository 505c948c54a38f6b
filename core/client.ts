import { Client, Connection } from '@temporalio/client';
import type { ClientInterceptors } from '@temporalio/client';
import type { CoreConfig } from './config';
import { createDataConverter } from './temporal/data-converter';

/**
 * A Temporal client with Pantheon's data converter (and payload encryption when configured). Apps
 * pass their interceptors (run tracing: tools/llm/temporal-tracing.ts), so core knows no feature.
 */
export async function connectClient(
  config: CoreConfig,
  interceptors: ClientInterceptors = {},
): Promise<Client> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '10 seconds',
  });
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(config),
    interceptors,
  });
}

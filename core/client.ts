import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';
import { createDataConverter } from './temporal/data-converter';
import { runTracingClientInterceptors } from '../tools/llm/temporal-tracing';

/** A Temporal client with Pantheon's data converter (and payload encryption when configured). */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '10 seconds',
  });
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(config),
    // Starts and signals join the run's Langfuse trace (a no-op without Langfuse keys).
    interceptors: runTracingClientInterceptors(config),
  });
}

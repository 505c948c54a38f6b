/**
 * `npm run codec-server`: the endpoint the Temporal UI and CLI call to show encrypted payloads
 * (PAYLOAD_ENCRYPTION_KEYS), behind CODEC_SERVER_TOKEN, on CODEC_SERVER_PORT.
 */
import { loadConfigOrExit } from '../config/load';
import { startCodecServer } from '../core/temporal/codec-server';

const config = loadConfigOrExit();
if (!config.PAYLOAD_ENCRYPTION_KEYS) {
  process.stderr.write('PAYLOAD_ENCRYPTION_KEYS is not set: there is nothing to decode\n');
  process.exit(1);
}
const server = await startCodecServer({ config });
process.stdout.write(`codec server ready at ${server.url} (Authorization: Bearer $CODEC_SERVER_TOKEN)\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());

import { google } from 'googleapis';
import type { gmail_v1 } from 'googleapis';
import type { ApprovalsConfig } from '../../approvals/config';

export type Gmail = gmail_v1.Gmail;

/**
 * A Gmail API client for one mailbox, authorized by a refresh token. `GMAIL_ROOT_URL` and
 * `GMAIL_TOKEN_URL` point it elsewhere (tests run a local server speaking Gmail's REST API).
 */
export function createGmailClient(
  config: Pick<
    ApprovalsConfig,
    'GMAIL_CLIENT_ID' | 'GMAIL_CLIENT_SECRET' | 'GMAIL_REFRESH_TOKEN' | 'GMAIL_ROOT_URL' | 'GMAIL_TOKEN_URL'
  >,
): Gmail {
  if (!config.GMAIL_CLIENT_ID || !config.GMAIL_CLIENT_SECRET || !config.GMAIL_REFRESH_TOKEN) {
    throw new Error(
      'GMAIL_CLIENT_ID, GMAIL_CLIENT_SECRET and GMAIL_REFRESH_TOKEN are all needed to read Gmail',
    );
  }
  const auth = new google.auth.OAuth2({
    clientId: config.GMAIL_CLIENT_ID,
    clientSecret: config.GMAIL_CLIENT_SECRET,
    endpoints: { oauth2TokenUrl: config.GMAIL_TOKEN_URL },
  });
  auth.setCredentials({ refresh_token: config.GMAIL_REFRESH_TOKEN });
  return google.gmail({ version: 'v1', auth, rootUrl: config.GMAIL_ROOT_URL });
}

import { authMethods } from './auth';
import { chatMethods } from './chat';
import type { MethodTable } from './context';
import { conversationMethods } from './conversations';
import { fileMethods } from './files';
import { reactionMethods } from './reactions';
import { userMethods } from './users';
import { viewMethods } from './views';

export type { MethodContext, MethodHandler, MethodTable } from './context';

/** Every Web API method the local Slack answers; anything else is `unknown_method`. */
export const apiMethods: MethodTable = {
  ...authMethods,
  ...chatMethods,
  ...reactionMethods,
  ...viewMethods,
  ...fileMethods,
  ...userMethods,
  ...conversationMethods,
};

/** Methods Slack answers without a token. */
export const UNAUTHENTICATED_METHODS = new Set(['api.test']);

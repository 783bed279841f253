import { Kind, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { ApiContext } from './api-context';

/**
 * One `audit` log line per mutation: who (user and role, or nobody when the caller was not
 * signed in), which root fields it called, and whether it succeeded. Arguments are left out,
 * since they may carry secrets (a webhook URL); mutations are rare, so this costs nothing.
 */
export function auditPlugin(log: Pick<Logger, 'info'>): Plugin<ApiContext> {
  return {
    onExecute({ args }) {
      const op = getOperationAST(args.document, args.operationName ?? undefined);
      if (op?.operation !== 'mutation') return undefined;
      const fields = op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
      const context = args.contextValue as ApiContext;
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          const line = (who: { user: string | null; role: string | null }) =>
            log.info({ audit: true, ...who, mutation: fields, operation: op.name?.value ?? null, outcome: failed ? 'error' : 'ok' }, `audit: ${fields.join(', ')}`);
          void context.viewer().then(
            (v) => line({ user: v.name, role: v.role }),
            () => line({ user: null, role: null }),
          );
        },
      };
    },
  };
}

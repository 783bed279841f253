import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiMetrics } from '../metrics/api-metrics';
import { operationLabeller } from '../metrics/operation-name';
import { badUserInput } from './api-errors';
import { nulLiteralRule, variableWithNul } from './nul-string.guard';

/**
 * Cross-cutting GraphQL concerns in one envelop plugin: NUL-free strings at validation (and for
 * variables before execution), and
 * request count/duration labelled by operation name (never by the raw query text).
 */
export function apiPlugin(options: { metrics: ApiMetrics }): Plugin {
  const label = operationLabeller();
  const { metrics } = options;
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(nulLiteralRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const nul = variableWithNul(args.variableValues);
      if (nul) setResultAndStopExecution({ errors: [badUserInput(nul, 'must not contain a NUL character')] });
      const op = getOperationAST(args.document, args.operationName ?? undefined);
      const operation = label(args.operationName ?? op?.name?.value);
      const type = op?.operation ?? 'query';
      const stop = metrics.requestDuration.startTimer({ operation, type });
      return {
        onExecuteDone({ result }) {
          stop();
          const errors = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.requests.inc({ operation, type, outcome: errors ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe({ args }) {
      const op = getOperationAST(args.document, args.operationName ?? undefined);
      metrics.requests.inc({ operation: label(args.operationName ?? op?.name?.value), type: 'subscription', outcome: 'ok' });
    },
  };
}

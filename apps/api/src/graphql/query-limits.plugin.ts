import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getOperationAST,
  isNonNullType,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Which guard refused a query (`extensions.limit`). */
export type QueryLimitName = 'cost' | 'aliases' | 'depth' | 'tokens';

/** Sizes of the query guards (settings `API_MAX_COST`, `API_MAX_ALIASES`, `API_MAX_DEPTH`, `API_MAX_TOKENS`). */
export interface QueryLimits {
  maxCost: number;
  maxAliases: number;
  maxDepth: number;
  maxTokens: number;
  /** The largest page a list field serves; a larger `first` is refused by the resolver, so it is costed at this. */
  maxPageSize: number;
}

/** A refused query: `extensions.code` LIMIT_EXCEEDED and `extensions.limit` naming the guard. */
export function limitExceeded(limit: QueryLimitName, max: number, detail: string): GraphQLError {
  return new GraphQLError(`query refused: ${detail} (the ${limit} limit is ${max})`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit, max, http: { status: 400 } },
  });
}

// graphql-armor reports "Syntax Error: <what>"; we keep its finding and give it our code.
const finding = (err: GraphQLError) => err.message.replace(/^Syntax Error:\s*/, '');

function reportAs(limit: QueryLimitName, max: number) {
  return [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      const typed = limitExceeded(limit, max, finding(err));
      // The token limit fires while parsing (no validation context): throwing aborts the parse.
      if (!ctx) throw typed;
      ctx.reportError(typed);
    },
  ];
}

/**
 * The document with every `first`/`last` page-size argument as a literal: a variable's value or
 * the schema default when the argument is left out, capped at `maxPageSize` (a larger page is
 * refused by the resolver as BAD_USER_INPUT, which says more than a cost). graphql-armor's cost
 * rule only reads literals, so without this a `first: $n` or an omitted `first` counted as 1.
 */
export function withPageSizes(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, maxPageSize: number): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const literal = (n: number) => ({ kind: Kind.INT, value: String(Math.min(n, maxPageSize)) }) as const;
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const def = typeInfo.getFieldDef();
        const sizeArg = def?.args.find((a) => a.name === 'first' || a.name === 'last');
        if (!sizeArg) return undefined;
        const given = node.arguments?.find((a) => a.name.value === sizeArg.name);
        let args: readonly ArgumentNode[] | undefined;
        if (!given) {
          const fallback = sizeArg.defaultValue;
          if (typeof fallback !== 'number' || isNonNullType(sizeArg.type)) return undefined;
          args = [...(node.arguments ?? []), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: sizeArg.name }, value: literal(fallback) }];
        } else if (given.value.kind === Kind.VARIABLE) {
          const v = variables?.[given.value.name.value];
          const n = v === undefined || v === null ? sizeArg.defaultValue : v;
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return undefined; // the resolver refuses it
          args = node.arguments!.map((a) => (a === given ? { ...a, value: literal(n) } : a));
        } else if (given.value.kind === Kind.INT && Number(given.value.value) > maxPageSize) {
          args = node.arguments!.map((a) => (a === given ? { ...a, value: literal(maxPageSize) } : a));
        } else {
          return undefined;
        }
        return { ...node, arguments: args };
      },
    }),
  );
}

/**
 * graphql-armor's guards as Yoga plugins, each refusal a LIMIT_EXCEEDED error naming its limit:
 * tokens at parse, depth and aliases at validation, and cost just before execution, where the
 * variables' page sizes are known (validation results are cached per document, so a cost that
 * depends on variables cannot be checked there).
 */
export function queryLimitPlugins(limits: QueryLimits): Plugin[] {
  const cost = { maxCost: limits.maxCost, ignoreIntrospection: true, propagateOnRejection: false, onReject: reportAs('cost', limits.maxCost) };
  // Yoga's parse cache hands out the same document object for the same query text, so verdicts
  // are kept per document and (operation, variables): a repeated query, hostile or not, is
  // costed once. A few variable sets per document at most, so this cannot grow without bound.
  const verdicts = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();
  const costErrors = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined) => {
    const key = JSON.stringify([operationName ?? null, variables ?? null]);
    let perDocument = verdicts.get(document);
    const known = key.length <= 1024 ? perDocument?.get(key) : undefined;
    if (known) return known;
    const errors = validate(schema, withPageSizes(schema, document, variables, limits.maxPageSize), [costLimitRule(cost)]);
    if (key.length <= 1024) {
      if (!perDocument) verdicts.set(document, (perDocument = new Map()));
      if (perDocument.size >= 16) perDocument.delete(perDocument.keys().next().value!);
      perDocument.set(key, errors);
    }
    return errors;
  };
  const costWithPageSizes: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      if (!getOperationAST(args.document, args.operationName ?? undefined)) return;
      const errors = costErrors(args.schema, args.document, args.operationName ?? undefined, args.variableValues ?? undefined);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
  return [
    maxTokensPlugin({ n: limits.maxTokens, propagateOnRejection: false, onReject: reportAs('tokens', limits.maxTokens) }),
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: reportAs('depth', limits.maxDepth) }),
    maxAliasesPlugin({ n: limits.maxAliases, propagateOnRejection: false, onReject: reportAs('aliases', limits.maxAliases) }),
    costWithPageSizes,
  ] as Plugin[];
}

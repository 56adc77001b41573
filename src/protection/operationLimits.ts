/**
 * The one set of operation limits. Every transport parses and validates
 * through `parseOperation` / `validateOperation` (the WebSocket gateway and
 * the HTTP fast path through the OperationCache, yoga through
 * `operationLimitsPlugin`), so one document gets one answer, with one code,
 * everywhere, before any resolver runs:
 *
 *   syntax                     GRAPHQL_PARSE_FAILED
 *   schema validation          GRAPHQL_VALIDATION_FAILED
 *   any limit below            QUERY_TOO_COMPLEX
 *
 * Shape limits come from graphql-armor (tokens, depth, aliases, directives,
 * a static cost that counts introspection and `__typename`); what armor
 * cannot know is ours: introspection lists sized from this schema, one
 * introspection root and one `thread(asOf:)` per operation, and short
 * aliases. List multipliers of our own fields (`first`/`last`, often from
 * variables) are the Pothos complexity plugin's job at execution
 * (src/schema/builder.ts), where 1 unit of complexity stands for at most
 * about 1 KB of response.
 *
 * Worst-case response for a request under 1 MB (the parser stops at
 * MAX_TOKENS, whatever the byte size):
 *   - our fields: complexity ≤ 20,000 units × ≤ 1 KB each. A unit is one
 *     field instance; text that can be long weighs more (a body or event
 *     `data`, 4,000 characters, at most 24 KB even as `\u00XX` escapes,
 *     weighs 25), everything else (ids, positions, 64-character hashes and
 *     correlation ids, names, a ≤ 64-character alias as key) fits in 1 KB.
 *     → ≤ 20 MB.
 *   - introspection: one root, ≤ MAX_INTROSPECTION_COST (800,000) units of
 *     ≤ 160 bytes: every list counted as long as its longest instance in
 *     this schema (types, fields, …), a description as 8 units (the
 *     longest is under 1 KB; a test checks) → ≤ 64 MB, a loose bound: the
 *     whole real introspection is about 100 KB.
 *   - root `__typename`: ≤ MAX_ALIASES + 1 entries of < 100 bytes.
 *   - errors: one per refused field at most, each < 1 KB, within the above.
 *   So RESPONSE_BOUND_BYTES = 85 MB; test/protection/operationLimits.test.ts sends
 *   the costliest documents allowed and checks the response stays under it.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type ASTVisitor,
  type DocumentNode,
  executeSync,
  type FieldNode,
  getIntrospectionQuery,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  parse,
  type SelectionSetNode,
  specifiedRules,
  validate,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ValidationError } from '../errors.ts';

/** GraphiQL's introspection query is 184 tokens; the web app's largest operation, with its fragments, under 100. */
export const MAX_TOKENS = 2_000;
export const MAX_DEPTH = 16;
export const MAX_ALIASES = 30;
export const MAX_DIRECTIVES = 20;
/** armor's static cost (objects 2, scalars 1, ×1.5 per level, literal first/last): GraphiQL's introspection costs 87,500. */
export const MAX_STATIC_COST = 150_000;
/**
 * Introspection units (≤ 160 bytes each, a description 8) one operation may
 * ask for, every list taken as long as this schema makes it: an upper
 * bound, far above the real size. GraphiQL's full query estimates 172,454
 * with issue 11's schema, 268,088 with issue 12's (seven event types,
 * reactions, roles: the estimate grows faster than the schema, as every
 * list is taken at its longest) and 426,016 with issue 14's (attachments,
 * search, the File scalar), leaving room for the types the next issues add.
 * The answer itself stays near 250 KB.
 */
export const MAX_INTROSPECTION_COST = 800_000;
export const MAX_ALIAS_LENGTH = 64;
/** Items in any list argument (`events(types:)`). */
export const MAX_LIST_ARGUMENT = 50;
/** Pothos complexity at execution; see the header for what a unit is. */
export const QUERY_LIMITS = { depth: 12, breadth: 300, complexity: 20_000 } as const;
export const RESPONSE_BOUND_BYTES = 85 * 1024 * 1024;

const CODE = 'QUERY_TOO_COMPLEX';

function tooComplex(message: string, nodes?: readonly FieldNode[]): GraphQLError {
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), extensions: { code: CODE } });
}

/** armor throws "Syntax Error: …" plain GraphQLErrors; we report ours, with our code, and let validation finish. */
function armored(makeRule: (options: object) => ValidationRule, options: object): ValidationRule {
  return (context) =>
    makeRule({
      ...options,
      propagateOnRejection: false,
      onReject: [(_ctx: unknown, error: GraphQLError) => context.reportError(tooComplex(error.message.replace(/^Syntax Error: /, '')))],
    })(context);
}

/** A document whose parts are bigger than any honest client sends, refused before any work. */
export function parseOperation(source: string): DocumentNode {
  try {
    return parse(source, { maxTokens: MAX_TOKENS });
  } catch (error) {
    if (error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError')) {
      const graphqlError = error as GraphQLError;
      if (/contains more th[ae][nt] \d+ tokens/.test(graphqlError.message)) throw tooComplex(`Operations are limited to ${MAX_TOKENS} tokens`);
      throw new GraphQLError(graphqlError.message, {
        ...(graphqlError.source ? { source: graphqlError.source } : {}),
        ...(graphqlError.positions ? { positions: graphqlError.positions } : {}),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    }
    if (error instanceof RangeError) throw tooComplex('The document is nested too deeply');
    throw error;
  }
}

/** The rules that cost little and refuse what would cost a lot, run before graphql-js's own. */
export function limitRules(schema: GraphQLSchema): readonly ValidationRule[] {
  return [
    armored(maxDepthRule, { n: MAX_DEPTH, ignoreIntrospection: false, flattenFragments: true }),
    armored(maxAliasesRule, { n: MAX_ALIASES, allowList: [] }),
    armored(maxDirectivesRule, { n: MAX_DIRECTIVES }),
    armored(costLimitRule, { maxCost: MAX_STATIC_COST, ignoreIntrospection: false }),
    operationShapeRule(introspectionListSizes(schema)),
  ];
}

/**
 * Limits first (they are cheap and bound what the spec rules must chew on),
 * then the spec rules; every error carries a code. A document deep enough
 * to exhaust the stack is a limit, not a bug.
 */
export function validateOperation(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[] = specifiedRules): readonly GraphQLError[] {
  try {
    const refused = validate(schema, document, limitsFor(schema));
    if (refused.length > 0) return refused;
    return validate(schema, document, rules).map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
  } catch (error) {
    if (error instanceof RangeError) return [tooComplex('The document is nested too deeply')];
    throw error;
  }
}

const cachedRules = new WeakMap<GraphQLSchema, readonly ValidationRule[]>();
function limitsFor(schema: GraphQLSchema): readonly ValidationRule[] {
  let rules = cachedRules.get(schema);
  if (!rules) cachedRules.set(schema, (rules = limitRules(schema)));
  return rules;
}

/** Same error, with `code` added when it has none. */
export function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions?.code === 'string') return error;
  return withExtensions(error, { ...error.extensions, code });
}

/** A copy of the error with these extensions (a GraphQLError's own are read-only, and may be shared). */
export function withExtensions(error: GraphQLError, extensions: Readonly<Record<string, unknown>>): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions,
  });
}

/** A list argument longer than any honest client sends, refused with the argument's name. */
export function cappedList<T>(values: readonly T[], argument: string, max = MAX_LIST_ARGUMENT): readonly T[] {
  if (values.length > max) throw new ValidationError(`${argument} takes at most ${max} items`, { field: argument, max });
  return values;
}

type ListSizes = ReadonlyMap<string, number>;

/** How long each introspection list (types, fields, args, …) is at most in this schema. */
export function introspectionListSizes(schema: GraphQLSchema): ListSizes {
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  const result = executeSync({ schema, document: parse(query) });
  const sizes = new Map<string, number>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (Array.isArray(child)) sizes.set(key, Math.max(sizes.get(key) ?? 0, child.length));
      walk(child);
    }
  };
  walk(result.data);
  return sizes;
}

/** An introspection unit is ≤ 160 bytes (a ≤ 64-character key and a name, kind or flag); a description is ≤ 1,280. */
const DESCRIPTION_WEIGHT = 8;

interface Shape {
  /** Introspection entries the selection can return, relative to one parent. */
  readonly cost: number;
  readonly introspectionRoots: number;
  readonly threadsAsOf: number;
}

const NONE: Shape = { cost: 0, introspectionRoots: 0, threadsAsOf: 0 };

/**
 * What armor cannot see: an introspection's real size (its lists are as long
 * as this schema makes them, not one item each), more than one introspection
 * root, more than one `thread(asOf:)` (each folds a whole stream), and
 * aliases long enough to multiply the response by their own length.
 */
function operationShapeRule(sizes: ListSizes): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, Shape>();
    const visiting = new Set<string>();

    const ofSelections = (set: SelectionSetNode, introspecting: boolean): Shape => {
      let cost = 0;
      let introspectionRoots = 0;
      let threadsAsOf = 0;
      for (const selection of set.selections) {
        let shape: Shape;
        if (selection.kind === Kind.FIELD) shape = ofField(selection, introspecting);
        else if (selection.kind === Kind.INLINE_FRAGMENT) shape = ofSelections(selection.selectionSet, introspecting);
        else shape = ofFragment(selection.name.value, introspecting);
        cost += shape.cost;
        introspectionRoots += shape.introspectionRoots;
        threadsAsOf += shape.threadsAsOf;
      }
      return { cost, introspectionRoots, threadsAsOf };
    };

    const ofFragment = (name: string, introspecting: boolean): Shape => {
      const key = `${introspecting ? 'i' : 'o'}:${name}`;
      const known = fragments.get(key);
      if (known) return known;
      const fragment = context.getFragment(name);
      // Unknown or cyclic fragments are the spec rules' to report.
      if (!fragment || visiting.has(key)) return NONE;
      visiting.add(key);
      const shape = ofSelections(fragment.selectionSet, introspecting);
      visiting.delete(key);
      fragments.set(key, shape);
      return shape;
    };

    const ofField = (field: FieldNode, introspecting: boolean): Shape => {
      const name = field.name.value;
      const root = !introspecting && (name === '__schema' || name === '__type');
      const inside = introspecting || root;
      const asOf = !introspecting && name === 'thread' && (field.arguments ?? []).some((a) => a.name.value === 'asOf' && a.value.kind !== Kind.NULL) ? 1 : 0;
      if (!field.selectionSet) return { cost: inside ? (name === 'description' ? DESCRIPTION_WEIGHT : 1) : 0, introspectionRoots: 0, threadsAsOf: asOf };
      const below = ofSelections(field.selectionSet, inside);
      const multiplier = introspecting ? (sizes.get(name) ?? 1) : 1;
      return {
        cost: inside ? 1 + multiplier * below.cost : below.cost,
        introspectionRoots: below.introspectionRoots + (root ? 1 : 0),
        threadsAsOf: below.threadsAsOf + asOf,
      };
    };

    return {
      Field(node) {
        if (node.alias && node.alias.value.length > MAX_ALIAS_LENGTH) {
          context.reportError(tooComplex(`Aliases are limited to ${MAX_ALIAS_LENGTH} characters`, [node]));
        }
      },
      OperationDefinition(node) {
        const shape = ofSelections(node.selectionSet, false);
        if (shape.introspectionRoots > 1) context.reportError(tooComplex('At most one __schema or __type per operation'));
        if (shape.cost > MAX_INTROSPECTION_COST) {
          context.reportError(tooComplex(`Introspection limit of ${MAX_INTROSPECTION_COST} units exceeded, found ${Math.round(shape.cost)}`));
        }
        if (shape.threadsAsOf > 1) context.reportError(tooComplex('At most one thread(asOf:) per operation: each folds the whole thread from the log'));
      },
    };
  };
}

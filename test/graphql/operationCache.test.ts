/** The one operation cache (src/graphql/operationCache.ts): each text parsed and validated once, under the limits, bounded. */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isRefused, OperationCache, type PreparedOperation } from '../../src/graphql/operationCache.ts';
import { schema } from '../../src/schema/index.ts';

const QUERY = '{ threads(first: 1) { edges { cursor } } }';

const prepared = (result: ReturnType<OperationCache['prepare']>): PreparedOperation => {
  if (isRefused(result)) throw new Error(`refused: ${result.map((error) => error.message).join('; ')}`);
  return result;
};
const codes = (result: ReturnType<OperationCache['prepare']>) => (isRefused(result) ? result.map((error) => error.extensions.code) : []);

describe('OperationCache', () => {
  it('given a text prepared once, when it is prepared or parsed again, then the same document comes back (no second parse)', () => {
    const cache = new OperationCache(schema);
    const first = prepared(cache.prepare(QUERY, null));
    expect(prepared(cache.prepare(QUERY, undefined)).document).toBe(first.document);
    expect(cache.parse(QUERY)).toBe(first.document);
  });

  it('given a document, when it is validated twice, then the second answer is the first one', () => {
    const cache = new OperationCache(schema);
    const document = cache.parse('{ nope }');
    const errors = cache.validate(document);
    expect(errors.map((error) => error.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(cache.validate(document)).toBe(errors);
  });

  it('given refused texts, when prepared, then each refusal has its code: syntax, validation, limits, operation name', () => {
    const cache = new OperationCache(schema);
    expect(codes(cache.prepare('{ threads { edges ', null))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codes(cache.prepare('{ nope }', null))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(cache.prepare(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`, null))).toContain('QUERY_TOO_COMPLEX');
    expect(codes(cache.prepare('query A { __typename } query B { __typename }', null))).toEqual(['BAD_USER_INPUT']);
    expect(codes(cache.prepare('query A { __typename } query B { __typename }', 'C'))).toEqual(['BAD_USER_INPUT']);
    expect(prepared(cache.prepare('query A { __typename } query B { __typename }', 'B')).operation.name?.value).toBe('B');
  });

  it('given a syntax error, when the text is parsed, then the parser\'s coded error is thrown, the same each time', () => {
    const cache = new OperationCache(schema);
    const thrown = () => {
      try {
        cache.parse('{ threads { edges ');
      } catch (error) {
        return error;
      }
      throw new Error('parsed');
    };
    const error = thrown();
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(thrown()).toBe(error);
  });

  it('given more distinct texts than it may keep, when they are prepared, then the oldest is forgotten and parsed anew', () => {
    const cache = new OperationCache(schema, 2);
    const texts = ['{ a: __typename }', '{ b: __typename }', '{ c: __typename }'];
    const documents = texts.map((text) => prepared(cache.prepare(text, null)).document);
    expect(cache.parse(texts[2]!)).toBe(documents[2]);
    expect(cache.parse(texts[1]!)).toBe(documents[1]);
    expect(cache.parse(texts[0]!)).not.toBe(documents[0]);
  });

  it('given texts over its character budget, when they are prepared, then it holds no more characters than that', () => {
    const text = (i: number) => `{ ${'a'.repeat(20)}${i}: __typename }`;
    const cache = new OperationCache(schema, 1000, text(0).length * 2);
    const documents = [0, 1, 2].map((i) => prepared(cache.prepare(text(i), null)).document);
    expect(cache.parse(text(2))).toBe(documents[2]);
    expect(cache.parse(text(0))).not.toBe(documents[0]);
  });

  it('given a text longer than 64 KB, when it is prepared twice, then it is parsed each time rather than kept', () => {
    const cache = new OperationCache(schema);
    const long = `{ __typename ${' '.repeat(70 * 1024)}}`;
    expect(prepared(cache.prepare(long, null)).document).not.toBe(prepared(cache.prepare(long, null)).document);
  });
});

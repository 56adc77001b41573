import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.ts';
import { maskError } from '../../src/graphql/maskError.ts';

describe('maskError', () => {
  it('masks an unexpected error so no internals reach the client', () => {
    const leaked = new GraphQLError('ER_ACCESS_DENIED: password for root', { originalError: new Error('ER_ACCESS_DENIED: password for root'), path: ['x'] });
    const masked = maskError(leaked, 'Unexpected error.') as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(masked)).not.toContain('root');
  });

  it('passes an expected refusal through with its code', () => {
    const refusal = new GraphQLError('No thread 1', { originalError: new NotFoundError('No thread 1'), path: ['x'] });
    const shown = maskError(refusal, 'Unexpected error.') as GraphQLError;
    expect(shown.message).toBe('No thread 1');
    expect(shown.extensions.code).toBe('NOT_FOUND');
  });
});

/** The route label of http_requests_total: few values, whatever paths clients ask for. */
import { describe, expect, it } from 'vitest';
import { routeOf } from '../../src/observability/httpLog.ts';

describe('routeOf', () => {
  it('names the server\'s own paths, files as one label, and everything else "other"', () => {
    expect(routeOf('/graphql?query=x')).toBe('/graphql');
    expect(routeOf('/healthz')).toBe('/healthz');
    expect(routeOf('/files/6f1c2b9e-0000-4000-8000-000000000000')).toBe('/files');
    expect(routeOf('/files/6f1c2b9e-0000-4000-8000-000000000000/thumbnail')).toBe('/files');
    expect(routeOf('/files')).toBe('other');
    expect(routeOf('/t/abc/m/def')).toBe('other');
    expect(routeOf(undefined)).toBe('other');
  });
});

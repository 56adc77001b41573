/**
 * A `fetch` that tells the connection status how HTTP is doing: no answer at
 * all (the server or the network is gone) and 5xx answers (the server is there
 * but failing) mark it unhealthy; any other answer marks it healthy again.
 * A request the page cancelled says nothing about the server.
 */
import type { HttpHealth } from './connectionStatus.ts';

export function healthOfStatus(status: number): HttpHealth {
  return status >= 500 ? 'failing' : 'ok';
}

export function createTrackedFetch(report: (health: HttpHealth) => void, base: typeof fetch = globalThis.fetch.bind(globalThis)): typeof fetch {
  return async (input, init) => {
    try {
      const response = await base(input, init);
      report(healthOfStatus(response.status));
      return response;
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) report('unreachable');
      throw error;
    }
  };
}

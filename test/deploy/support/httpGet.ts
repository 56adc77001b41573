/** A plain HTTP GET that does not follow redirects (fetch would). */
import { get, type IncomingHttpHeaders } from 'node:http';

export function httpGet(url: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    }).once('error', reject);
  });
}

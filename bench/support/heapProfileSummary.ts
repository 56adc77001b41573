/**
 * What a set of connections keeps alive: summarizes a V8 sampling heap
 * profile (allocations made while sampling and still live when it
 * stopped) by area and by allocating function, per connection.
 */
import { areaOf } from './cpuProfileSummary.ts';

export interface SamplingHeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingHeapNode[];
}

export function summarizeHeap(head: SamplingHeapNode, perConnections: number, top = 25): string {
  const bySite = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingHeapNode, stack: readonly string[]) => {
    const frame = node.callFrame;
    const area = areaOf(frame.url, frame.functionName);
    const label = `${frame.functionName || '(anonymous)'} ${area}:${frame.lineNumber + 1}`;
    // Attribute to the nearest frame outside node internals and ws/graphql plumbing, keeping the leaf too.
    const path = [...stack, label];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const site = path.slice(-3).join(' ← ');
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      byArea.set(area, (byArea.get(area) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, path);
  };
  walk(head, []);
  const per = (bytes: number) => `${(bytes / perConnections / 1024).toFixed(2).padStart(6)} KiB/conn`;
  const table = (title: string, map: Map<string, number>, n: number) =>
    [title, ...[...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${per(v)}  ${k}`)].join('\n');
  return [`live sampled allocations: ${per(total)} over ${perConnections} connections`, table('by area:', byArea, 15), table('by allocation site (leaf ← caller ← caller):', bySite, top)].join('\n\n');
}

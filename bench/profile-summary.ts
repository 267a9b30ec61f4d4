/**
 * Summarises a V8 CPU profile of a bundled handler through the bundle's source map: self time by
 * package or source file, by function, and time inclusive of each lib/ file on the stack.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof <script that invokes the bundle>   (or inspector's Profiler)
 *   npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile .local/bench/functions/<name>.mjs
 *
 * Only frames of that bundle are mapped (a process may have loaded others: a baseline, the
 * benchmark's own code); theirs are named by URL. Milliseconds are the profile's own (sampling adds
 * its overhead); compare two profiles taken alike, not a profile with a benchmark.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount: number; children?: number[] };
const [profileFile, bundle] = process.argv.slice(2) as [string, string];
if (!profileFile || !bundle) throw new Error('usage: profile-summary <file.cpuprofile> <bundle.mjs>');
const p = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: Node[] };
const map = new SourceMap(JSON.parse(readFileSync(bundle + '.map', 'utf8')));
const bundleName = basename(bundle);
const total = p.nodes.reduce((s, n) => s + n.hitCount, 0);
const byPkg: Record<string, number> = {}; const byFn: Record<string, number> = {};
// inclusive time per source file: walk tree
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const where = (n: Node) => {
  const u = n.callFrame.url;
  if (!u.includes(bundleName)) return u ? u.replace(/^file:\/\/.*?\/(bench|lib|functions|node_modules|\.local)\//, '$1/') : '(native)';
  const e = map.findEntry(n.callFrame.lineNumber, n.callFrame.columnNumber) as { originalSource?: string; originalLine?: number };
  const src = (e.originalSource ?? '?').replace(/^.*?node_modules\//, 'nm:').replace(/^.*?\/(lib|functions)\//, '$1/');
  return src;
};
for (const n of p.nodes) {
  const w = where(n);
  const pkg = w.startsWith('nm:') ? w.slice(3).split('/').slice(0, w.slice(3).startsWith('@') ? 2 : 1).join('/') : w;
  byPkg[pkg] = (byPkg[pkg] ?? 0) + n.hitCount;
  const f = `${n.callFrame.functionName || '(anon)'} ${w}`;
  byFn[f] = (byFn[f] ?? 0) + n.hitCount;
}
// inclusive by our lib file
const incl: Record<string, number> = {};
const walk = (id: number, stack: Set<string>) => {
  const n = byId.get(id)!; const w = where(n);
  const key = w.startsWith('lib/') || w.startsWith('functions/') ? w : undefined;
  const added = key && !stack.has(key);
  if (added) stack.add(key!);
  for (const k of stack) incl[k] = (incl[k] ?? 0) + n.hitCount;
  for (const c of n.children ?? []) walk(c, stack);
  if (added) stack.delete(key!);
};
walk(p.nodes[0]!.id, new Set());
const top = (o: Record<string, number>, k: number) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, v]) => `${(100 * v / total).toFixed(1)}% ${n}`).join('\n');
console.log(`--- self by package/file\n${top(byPkg, 25)}\n--- self by function\n${top(byFn, 25)}\n--- inclusive by lib file\n${top(incl, 20)}`);

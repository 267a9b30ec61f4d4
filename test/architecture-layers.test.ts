import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import direction of lib/: folders in layers, bottom first. A file may import its own folder
 * and any folder in a lower layer; nothing above it, nothing beside it in its own layer. There is no
 * exception list: an import that breaks the order is moved, or its code is, until the order holds.
 *
 * Why this order:
 * - base: the shared utilities at lib/'s root (errors, config, logger, metrics, validation, bounded,
 *   once), the AWS SDK helpers and the bundling shims; each imports only from its own folder.
 * - the consent model (the consent state machine, its scopes and durations): pure rules with no
 *   I/O. The store enforces them (the financial gate checks that a consent is in force and grants
 *   the scope: consent rule 5, made structural), so they sit below the store, not with the consent
 *   use-cases above it.
 * - text: what the product says to people, one place per language, and the formatting of money,
 *   dates and times. Every capability and adapter that speaks (the Messenger profile, the HTTP
 *   error pages) reads it; it reads only the consent model's names (scopes, statuses).
 * - adapters: the outside world (KMS, the bank, DynamoDB streams, SQS, the Send API and Graph,
 *   and the chart renderer's WebAssembly).
 *   An adapter declares the ports it needs (Messenger's reply ledger and inbox) and the types it
 *   carries (the queue's sync request); the store and sync, above, provide and use them. HTTP sits
 *   above Messenger because it verifies Messenger's signature on the webhook.
 * - the store: persists what the adapters and the consent model describe.
 * - capabilities, each using the ones before it: consent; alerts (raise and deliver); sync (a sync
 *   message's whole handling, which hands what is new to the alerts and the bank's events to
 *   consent); insights (what a person's own data shows: the spending by category that the
 *   assistant's answers and the spending picture share); the assistant (the chat, which answers
 *   about all of them).
 * - composition: lib/runtime/, which wires each function's dependencies once.
 */
const LAYERS: { name: string; folders: string[] }[] = [
  { name: 'base', folders: ['(root)', 'aws', 'shims'] },
  { name: 'consent model', folders: ['consent/model'] },
  { name: 'text', folders: ['text'] },
  { name: 'adapters', folders: ['security', 'banking', 'stream', 'queue', 'messenger', 'charts'] },
  { name: 'http', folders: ['http'] },
  { name: 'store', folders: ['store'] },
  { name: 'consent', folders: ['consent'] },
  { name: 'alerts', folders: ['alerts'] },
  { name: 'sync', folders: ['sync'] },
  { name: 'insights', folders: ['insights'] },
  { name: 'assistant', folders: ['assistant'] },
  { name: 'composition', folders: ['runtime'] },
];

const root = fileURLToPath(new URL('..', import.meta.url));

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(posix.join(dir, entry.name)) : /\.(ts|cjs)$/.test(entry.name) ? [posix.join(dir, entry.name)] : [],
  );

/**
 * The folder a lib/ file belongs to: the deepest listed folder that holds it. Files at lib/'s root
 * are the base utilities.
 */
function folderOf(file: string): string | undefined {
  const path = file.replace(/^lib\//, '');
  if (!path.includes('/')) return '(root)';
  const listed = LAYERS.flatMap((layer) => layer.folders).filter((folder) => path.startsWith(`${folder}/`));
  return listed.sort((a, b) => b.length - a.length)[0];
}

const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.folders.includes(folder));

/** Every lib/ module a file imports (static, type-only, dynamic and re-exports), as a project path. */
function importsOf(file: string, text = readFileSync(join(root, file), 'utf8')): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => {
      const target = relative(root, resolve(root, dirname(file), specifier)).split('\\').join('/');
      return [`${target}.ts`, `${target}/index.ts`, target].find((candidate) => existsSync(join(root, candidate))) ?? `${target}.ts`;
    })
    .filter((target) => target.startsWith('lib/'));
}

/** The imports of `file` that go up or sideways, each as "importer → imported (why)". */
function wrongImports(file: string, imports: string[]): string[] {
  const from = folderOf(file)!;
  return imports.flatMap((target) => {
    const to = folderOf(target);
    if (to === undefined) return [`${file} → ${target} (lib/${target.split('/')[1]} is in no layer)`];
    if (to === from) return [];
    const [a, b] = [layerOf(from), layerOf(to)];
    if (b < a) return [];
    const where = b === a ? `beside it, in the same layer '${LAYERS[a]!.name}'` : `above it: '${LAYERS[b]!.name}' over '${LAYERS[a]!.name}'`;
    return [`${file} → ${target} (${to} is ${where})`];
  });
}

const libFiles = sourceFiles('lib');

describe('lib/ import direction', () => {
  it('puts every lib/ file in a listed folder of exactly one layer', () => {
    const folders = LAYERS.flatMap((layer) => layer.folders);
    expect(new Set(folders).size).toBe(folders.length);
    expect(libFiles.filter((file) => folderOf(file) === undefined)).toEqual([]);
  });

  it('imports only downwards: its own folder or a lower layer, nothing above or beside', () => {
    const wrong = libFiles.flatMap((file) => wrongImports(file, importsOf(file)));
    expect(wrong).toEqual([]);
  });

  it('catches an import up, one beside, and a type-only or dynamic one (the check itself works)', () => {
    const source = [
      "import type { Intent } from '../assistant/intents';",
      "import { deliverOnce } from '../messenger/deliver';",
      "const later = () => import('../sync/handle-sync-message');",
    ].join('\n');
    expect(wrongImports('lib/text/words.ts', importsOf('lib/text/words.ts', source))).toEqual([
      "lib/text/words.ts → lib/assistant/intents.ts (assistant is above it: 'assistant' over 'text')",
      "lib/text/words.ts → lib/messenger/deliver.ts (messenger is above it: 'adapters' over 'text')",
      "lib/text/words.ts → lib/sync/handle-sync-message.ts (sync is above it: 'sync' over 'text')",
    ]);
    expect(wrongImports('lib/queue/sync-queue.ts', ['lib/messenger/send-api.ts'])).toEqual([
      "lib/queue/sync-queue.ts → lib/messenger/send-api.ts (messenger is beside it, in the same layer 'adapters')",
    ]);
    expect(wrongImports('lib/consent/model/consent.ts', ['lib/consent/flows.ts'])).toHaveLength(1);
    expect(wrongImports('lib/consent/flows.ts', ['lib/consent/model/consent.ts', 'lib/store/index.ts', 'lib/text/consent.ts'])).toEqual([]);
    expect(wrongImports('lib/runtime/index.ts', ['lib/assistant/compose.ts', 'lib/logger.ts'])).toEqual([]);
    expect(wrongImports('lib/logger.ts', ['lib/runtime/index.ts'])).toHaveLength(1);
  });
});

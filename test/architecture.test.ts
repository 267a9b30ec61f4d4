import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../dev/serverless-config';

/**
 * Structural rules that keep the product's promises true as the code grows.
 * Consent rule 5 (no secondary use): financial data is reachable only through the financial gate
 * (lib/store/financial-gate.ts and its read half, financial-reads.ts), which checks the consent and
 * scope. Nothing else may import the financial entity modules behind it.
 */
const sourceFiles = (dir: string): string[] =>
  readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

/** Every module a file imports (static, dynamic and re-exports), resolved to a project path. */
const importsOf = (file: string): string[] => {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(projectRoot, resolve(projectRoot, dirname(file), s)));
};

const production = [...sourceFiles('lib'), ...sourceFiles('functions'), ...sourceFiles('dev')];

/** The store modules that read and write bank data (connections and tokens, balances, transactions, recurring streams, alerts). */
const financialModules = ['lib/store/accounts', 'lib/store/alerts', 'lib/store/connections', 'lib/store/transactions', 'lib/store/private-answers', 'lib/store/recurring-streams'];
const financialGate = ['lib/store/financial-gate.ts', 'lib/store/financial-reads.ts'];

describe('architecture', () => {
  it('lets only the financial gate reach the financial entity modules (consent rule 5)', () => {
    const importers = production.filter((file) => importsOf(file).some((m) => financialModules.includes(m)));
    expect(importers.sort()).toEqual(financialGate);
  });

  it('finds the imports it guards against (the check itself works)', () => {
    const reached = new Set(financialGate.flatMap(importsOf).filter((m) => financialModules.includes(m)));
    expect(financialModules.filter((m) => existsSync(join(projectRoot, `${m}.ts`)) && reached.has(m))).toEqual(financialModules);
  });

  it('never lets lib/ import functions/ or dev/', () => {
    const offenders = sourceFiles('lib').filter((file) => importsOf(file).some((m) => m.startsWith('functions/') || m.startsWith('dev/')));
    expect(offenders).toEqual([]);
  });

  it('keeps the bank client out of the functions that never call the bank', () => {
    const reaches = (file: string, target: string, seen = new Set<string>()): boolean => {
      if (seen.has(file)) return false;
      seen.add(file);
      const fileOf = (m: string) => (existsSync(join(projectRoot, `${m}.ts`)) ? `${m}.ts` : `${m}/index.ts`);
      // Data files (the understanding's model.json) import nothing.
      return importsOf(file).some((m) => m === target || (m.startsWith('lib/') && !/\.[a-z]+$/.test(m) && reaches(fileOf(m), target, seen)));
    };
    for (const fn of ['functions/messenger-webhook.ts', 'functions/conversation.ts']) {
      expect(reaches(fn, 'lib/banking/plaid-connector'), fn).toBe(false);
    }
  });
});

describe('audit store', () => {
  it('is only ever appended to: no update or delete names the audit table', () => {
    const offenders = sourceFiles('lib').filter((file) => {
      const text = readFileSync(join(projectRoot, file), 'utf8');
      return /(Update|Delete|BatchWrite)Command\([^)]*audit/i.test(text.replace(/\s+/g, ' '));
    });
    expect(offenders).toEqual([]);
  });

  it('names the audit table in two requests only: the conditional put and the history Query', () => {
    // Every request (transaction items included) that names it as its TableName, anywhere in lib/.
    const requests = sourceFiles('lib').flatMap((file) => {
      const text = readFileSync(join(projectRoot, file), 'utf8').replace(/\s+/g, ' ');
      return [...text.matchAll(/\bTableName: [\w.]*[aA]udit\w*/g)].map((m) => {
        const before = text.slice(Math.max(0, m.index - 60), m.index);
        const kind = /Put: \{ $/.test(before) ? 'put' : /(queryAll\(db, \{|QueryCommand\(\{) $/.test(before) ? 'query' : `other: …${before}`;
        return `${file} ${kind}`;
      });
    });
    // A batch names its tables as keys of RequestItems, PartiQL inside its statement.
    const batchesAndStatements = sourceFiles('lib').filter((file) =>
      /RequestItems: \{ \[[\w.]*[aA]udit|Statement: [`'"][^`'"]*[aA]udit/.test(readFileSync(join(projectRoot, file), 'utf8').replace(/\s+/g, ' ')),
    );

    expect(requests.sort()).toEqual(['lib/store/consents.ts put', 'lib/store/consents.ts query']);
    expect(batchesAndStatements).toEqual([]);
  });

  it('puts every record with a condition that never overwrites', () => {
    const text = readFileSync(join(projectRoot, 'lib/store/consents.ts'), 'utf8');
    const auditPut = text.slice(text.indexOf('export const auditPut'), text.indexOf('});', text.indexOf('export const auditPut')));
    expect(auditPut).toContain("ConditionExpression: 'attribute_not_exists(pk)'");
  });
});

describe('functions/ is wiring', () => {
  /** A handler reads config, builds its ports once, calls one use-case and maps the result. */
  const handlers = sourceFiles('functions');
  const linesOf = (file: string) => readFileSync(join(projectRoot, file), 'utf8').trimEnd().split('\n').length;
  const withoutComments = (file: string) =>
    readFileSync(join(projectRoot, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');

  it('has a handler per function to check (the checks below see them all)', () => {
    expect(handlers.length).toBeGreaterThanOrEqual(8);
  });

  it('keeps each handler within 60 lines', () => {
    expect(handlers.filter((file) => linesOf(file) > 60).map((file) => `${file}: ${linesOf(file)} lines`)).toEqual([]);
  });

  it('keeps all of functions/ under 450 lines', () => {
    expect(handlers.reduce((sum, file) => sum + linesOf(file), 0)).toBeLessThan(450);
  });

  it('sends no message and reads no queue setting itself: the runtime wires both, once', () => {
    const offenders = handlers.flatMap((file) => {
      const text = readFileSync(join(projectRoot, file), 'utf8');
      return ['notifyOnce(', 'SYNC_QUEUE_URL'].filter((banned) => text.includes(banned)).map((banned) => `${file}: ${banned}`);
    });
    expect(offenders).toEqual([]);
  });

  it('writes no sentence a person reads: no string of four words or more outside comments', () => {
    const sentences = handlers.flatMap((file) =>
      [...withoutComments(file).matchAll(/(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g)].map((m) => m[2]!).filter((s) => s.trim().split(/\s+/).length >= 4).map((s) => `${file}: ${s}`),
    );
    expect(sentences).toEqual([]);
  });
});

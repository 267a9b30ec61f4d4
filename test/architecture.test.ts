import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../dev/serverless-config';

/**
 * Structural rules that keep the product's promises true as the code grows.
 * Consent rule 5 (no secondary use): financial data is reachable only through lib/financial,
 * which checks the consent and scope. Nothing else may import the store module behind it.
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

describe('architecture', () => {
  it('lets only lib/financial reach the financial data store (consent rule 5)', () => {
    const importers = production.filter((file) => importsOf(file).includes('lib/store/financial'));
    expect(importers).toEqual(['lib/financial/index.ts']);
  });

  it('finds the import it guards against (the check itself works)', () => {
    expect(importsOf('lib/financial/index.ts')).toContain('lib/store/financial');
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

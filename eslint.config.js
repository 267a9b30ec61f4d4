import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.local/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/functions/*', '../functions/*'], message: 'lib/ never imports functions/.' }] },
      ],
    },
  },
  {
    // Only the local stack and tests may reach dev tooling; Lambda code never bundles it.
    files: ['lib/**/*.ts', 'functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/dev/*', '../dev/*'], message: 'dev/ is local tooling, never bundled into a function.' },
            { group: ['**/test/*'], message: 'Production code never imports tests.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/functions/*', '../functions/*', '../../functions/*'], message: 'lib/ never imports functions/.' },
            { group: ['**/dev/*', '../dev/*', '../../dev/*'], message: 'dev/ is local tooling, never bundled into a function.' },
          ],
        },
      ],
    },
  },
);

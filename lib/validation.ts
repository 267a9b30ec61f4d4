/**
 * The schema library for every edge is zod's tree-shakable "mini" build: the classic build adds
 * ~440 KB to every bundle (and to every cold start), mini with English messages ~25 KB. Modules
 * import `* as z from 'zod/mini'` themselves (re-exporting the namespace from here would defeat
 * tree shaking) and import this module for the English messages and `describeIssues`.
 */
import { config, type core } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

/** "path: message; …" for the first few issues: names what is wrong, never echoes the value. */
export const describeIssues = (error: core.$ZodError, limit = 3): string =>
  error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
    .join('; ');

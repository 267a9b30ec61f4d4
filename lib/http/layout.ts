import { html, type Html } from './html';

/**
 * The look of every page a person opens from the chat (the consent pages, the export, the error
 * pages): readable on a phone inside Messenger's browser, no scripts at all, no third-party
 * anything.
 */
export const layout = (title: string, body: Html, lang = 'en'): string =>
  html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  /* Explicit colors for both schemes, each pair at least 4.5:1 (WCAG 2.2 AA): the browser's own
     dark palette is not something the contrast can be checked against. */
  :root { color-scheme: light dark; --bg: #fff; --text: #1c1e21; --muted: #4b4f56; --line: #8884; --control: #767676; --error: #b3261e;
          --accent: #0a66c2; --on-accent: #fff; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #18191a; --text: #e4e6eb; --muted: #b0b3b8; --control: #8a8d91; --error: #f28b82; }
  }
  html { background: var(--bg); color: var(--text); }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 34rem; padding: 1rem 1.1rem 3rem; }
  h1 { font-size: 1.35rem; margin: .5rem 0 1rem; }
  h2 { font-size: 1.02rem; margin: 1.2rem 0 .3rem; }
  p, li { margin: .3rem 0; }
  .box { border: 1px solid var(--line); border-radius: .6rem; padding: .2rem 1rem .8rem; margin: 1rem 0; }
  label { display: flex; gap: .6rem; align-items: flex-start; padding: .45rem 0; }
  input[type=checkbox] { width: 1.3rem; height: 1.3rem; margin-top: .15rem; flex: none; }
  select, button { font: inherit; padding: .6rem .8rem; border-radius: .5rem; }
  button { background: var(--accent); color: var(--on-accent); border: 0; width: 100%; margin-top: 1rem; font-weight: 600; }
  button.secondary { background: transparent; color: inherit; border: 1px solid var(--control); }
  .muted { color: var(--muted); font-size: .9rem; }
  .error { border-color: var(--error); }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`.value;

/** A page that only says something: a title and its paragraphs. */
export function messagePage(title: string, paragraphs: string[]): string {
  return layout(title, html`<h1>${title}</h1>${paragraphs.map((p) => html`<p>${p}</p>`)}`);
}

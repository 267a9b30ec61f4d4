import { describe, expect, it } from 'vitest';
import { layout, messagePage } from '../../../lib/http/layout';
import { html } from '../../../lib/http/html';

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_ESCAPED = '&#60;img src&#61;x onerror&#61;alert(1)&#62;';

describe('layout', () => {
  it('escapes the title and keeps the body as written', () => {
    const page = layout(HOSTILE, html`<p>${'fine'}</p>`);

    expect([page.includes('<img'), page.includes(`<title>${HOSTILE_ESCAPED}</title>`), page.includes('<main>\n<p>fine</p>\n</main>')]).toEqual([false, true, true]);
  });

  it('loads nothing from elsewhere and runs no script', () => {
    const page = layout('Title', html`<p>x</p>`);

    expect([/<script/i.test(page), /\b(src|href)=/i.test(page)]).toEqual([false, false]);
  });
});

describe('messagePage', () => {
  it('escapes the title', () => {
    const page = messagePage(HOSTILE, ['ok']);

    expect([page.includes('<img'), page.includes(`<h1>${HOSTILE_ESCAPED}</h1>`)]).toEqual([false, true]);
  });

  it('escapes every paragraph', () => {
    const page = messagePage('Done', ['fine', HOSTILE]);

    expect([page.includes('<img'), page.includes(`<p>${HOSTILE_ESCAPED}</p>`), page.includes('<p>fine</p>')]).toEqual([false, true, true]);
  });
});

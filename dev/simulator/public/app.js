/* global document, window, location, fetch, setTimeout, URLSearchParams */
/**
 * The Messenger simulator page. Everything the person does goes through the simulator server, which
 * signs it and posts it to the real webhook; everything the bot says is read back from the Graph API
 * stub. No framework, no build step: the DOM is built with createElement, never from HTML strings.
 */
'use strict';

const POLL_MS = 700;
const PERSON_POLL_MS = 2500;
const TYPING_SHOWN_MS = 20_000;

const state = {
  people: [],
  psid: '',
  /** Graph requests for the current person, in arrival order. */
  graph: [],
  cursor: -1,
  /** What this page sent as the current person. */
  outbound: [],
  profile: { name: 'Demo Bank', menu: [], iceBreakers: [], greeting: undefined, getStarted: 'GET_STARTED', fromGraph: [] },
  person: null,
  personJson: '',
  renderedSignature: '',
  openRequests: new Set(),
  /** Bumped on every switch of person, so late answers for the previous one are dropped. */
  generation: 0,
};

const $ = (id) => document.getElementById(id);

/** el('div', { class: 'x', onclick: fn }, 'text', child) */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof window.Node ? child : String(child));
  }
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { 'content-type': 'application/json' } : {},
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const money = (amount, currency = 'USD') =>
  amount === null || amount === undefined ? '—' : new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
const day = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '');
const time = (iso) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function status(id, text, isError = false) {
  const node = $(id);
  node.textContent = text;
  node.classList.toggle('error', isError);
}

// ── people ──────────────────────────────────────────────────────────────────────────────────

async function loadPeople() {
  state.people = await api('/api/people');
  renderPeople();
}

function renderPeople() {
  $('people').replaceChildren(
    ...state.people.map((person) =>
      el(
        'li',
        {},
        el(
          'button',
          { type: 'button', 'aria-current': person.psid === state.psid ? 'true' : 'false', dataset: { psid: person.psid }, onclick: () => selectPerson(person.psid) },
          person.name,
          el('small', {}, `PSID ${person.psid}`),
        ),
      ),
    ),
  );
}

async function selectPerson(psid) {
  state.generation += 1;
  const generation = state.generation;
  state.psid = psid;
  state.graph = [];
  state.cursor = -1;
  state.outbound = [];
  state.person = null;
  state.personJson = '';
  state.renderedSignature = '';
  state.openRequests.clear();
  if (location.hash !== `#${psid}`) window.history.replaceState(null, '', `#${psid}`);
  renderPeople();
  const person = state.people.find((p) => p.psid === psid);
  $('chat-subtitle').textContent = `Messenger · simulated · ${person ? person.name : ''} (PSID ${psid})`;
  const outbound = await api(`/api/outbound?psid=${psid}`);
  if (generation !== state.generation) return;
  state.outbound = outbound;
  await Promise.all([pollGraph(), pollPerson()]);
}

$('new-person').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('new-person-name').value.trim();
  const person = await api('/api/people', { method: 'POST', body: JSON.stringify(name ? { name } : {}) });
  $('new-person-name').value = '';
  await loadPeople();
  await selectPerson(person.psid);
});

// ── sending as the person ─────────────────────────────────────────────────────────────────────

async function send(input) {
  const generation = state.generation;
  status('send-status', 'Sending…');
  try {
    const sent = await api('/api/send', { method: 'POST', body: JSON.stringify({ ...input, psid: state.psid }) });
    if (generation === state.generation) state.outbound.push(sent);
    status('send-status', `Delivered to the webhook (${sent.status}).`);
  } catch (error) {
    status('send-status', `Not delivered: ${error.message}`, true);
  }
  render();
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('message-input');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  void send({ kind: 'text', text });
});

const tapPostback = (title, payload) => send({ kind: 'postback', title, payload });
const tapQuickReply = (title, payload) => send({ kind: 'quick_reply', title, payload });

// ── the Page's profile and persistent menu ────────────────────────────────────────────────────

async function loadProfile() {
  try {
    state.profile = await api('/api/profile');
  } catch (error) {
    status('send-status', `Page profile unavailable: ${error.message}`, true);
  }
  $('page-name').textContent = state.profile.name;
  $('avatar').textContent = state.profile.name
    .split(/\s+/)
    .map((word) => word[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

async function toggleMenu(open = $('menu').hidden) {
  $('menu').hidden = !open;
  $('menu-button').setAttribute('aria-expanded', String(open));
  if (!open) return;
  await loadProfile();
  const close = () => toggleMenu(false);
  $('menu').replaceChildren(
    ...state.profile.menu.map((item) =>
      item.type === 'web_url'
        ? el('a', { role: 'menuitem', href: item.url, target: '_blank', rel: 'noopener', onclick: close }, item.title)
        : el('button', { type: 'button', role: 'menuitem', dataset: { payload: item.payload }, onclick: () => (close(), tapPostback(item.title, item.payload)) }, item.title),
    ),
    el(
      'div',
      { class: 'menu-source' },
      state.profile.fromGraph.includes('menu') ? 'Set through the Graph API’s messenger_profile' : 'What npm run messenger:profile sets (not set here yet)',
    ),
  );
}
$('menu-button').addEventListener('click', () => void toggleMenu());

// ── the conversation ─────────────────────────────────────────────────────────────────────────

function renderButton(button) {
  if (button.type === 'postback') {
    return el('button', { type: 'button', class: 'card-button', dataset: { payload: button.payload }, onclick: () => tapPostback(button.title, button.payload) }, button.title);
  }
  if (button.type === 'web_url' || button.type === 'account_link') {
    // Messenger opens these in its webview; here, a new tab. (Account linking proper needs HTTPS and the app.)
    return el('a', { class: 'card-button', href: button.url, target: '_blank', rel: 'noopener' }, button.title ?? 'Log in');
  }
  if (button.type === 'phone_number') return el('a', { class: 'card-button', href: `tel:${button.payload}` }, button.title);
  return el('button', { type: 'button', class: 'card-button', disabled: true }, `${button.title ?? button.type} (${button.type})`);
}

function renderPageMessage(message, request) {
  if (message.template) {
    // A utility message (outside the 24-hour window): the Page-owned template with its parameters.
    const components = message.template.components ?? [];
    const body = components.find((c) => c.type === 'body')?.parameters?.map((p) => p.text).join(' ') ?? '';
    const buttons = components.filter((c) => c.type === 'buttons').flatMap((c) => c.parameters ?? []);
    return el(
      'div',
      { class: 'card' },
      el('div', { class: 'card-text' }, body),
      el('div', { class: 'card-subtitle' }, `Utility template “${message.template.name}”`),
      buttons.map((b) => renderButton({ type: 'postback', title: b.payload?.startsWith('FRAUD_NO') ? 'No, it wasn’t me' : b.payload?.startsWith('FRAUD_YES') ? 'Yes, it was me' : b.payload, payload: b.payload })),
    );
  }
  const attachment = message.attachment;
  if (attachment?.type === 'template') {
    const payload = attachment.payload ?? {};
    if (payload.template_type === 'button') {
      return el('div', { class: 'card' }, el('div', { class: 'card-text' }, payload.text ?? ''), (payload.buttons ?? []).map(renderButton));
    }
    if (payload.template_type === 'generic') {
      return el(
        'div',
        { class: 'carousel' },
        (payload.elements ?? []).map((element) =>
          el(
            'div',
            { class: 'card' },
            el('div', { class: 'card-title' }, element.title ?? ''),
            element.subtitle ? el('div', { class: 'card-subtitle' }, element.subtitle) : null,
            (element.buttons ?? []).map(renderButton),
          ),
        ),
      );
    }
  }
  const file = request.body?.filedata;
  if (attachment?.type === 'image' && typeof file?.url === 'string') {
    // Uploaded with its message: the stub keeps the file; its alt text is the image's own description.
    const id = file.url.split('/').pop();
    return el('figure', { class: 'image' }, el('img', { src: `/api/attachments/${encodeURIComponent(id)}`, alt: file.description ?? 'An image', loading: 'lazy' }));
  }
  if (attachment) return el('div', { class: 'bubble' }, `[${attachment.type} attachment] ${JSON.stringify(attachment.payload ?? {})}`);
  return el('div', { class: 'bubble' }, message.text ?? JSON.stringify(request.body));
}

function conversation() {
  const entries = [
    ...state.outbound.map((o) => ({ at: o.at, side: 'person', outbound: o })),
    ...state.graph.map((r) => ({ at: r.at, side: 'page', request: r })),
  ];
  // Stable: a person's message and the replies stamped in the same millisecond keep their order.
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index).map((x) => x.entry);
}

function render() {
  const entries = conversation();
  let typingSince = null;
  const nodes = [];
  let lastQuickReplies = null;
  for (const entry of entries) {
    if (entry.side === 'person') {
      const o = entry.outbound;
      nodes.push(
        el(
          'div',
          { class: 'msg person', dataset: { mid: o.mid, kind: o.kind } },
          el('div', { class: 'bubble' }, o.text),
          el('div', { class: 'meta' }, `${time(o.at)}${o.kind === 'text' ? '' : ` · ${o.kind.replace('_', ' ')} ${o.payload}`}${o.status === 200 ? '' : ` · webhook answered ${o.status}`}`),
        ),
      );
      lastQuickReplies = null;
      continue;
    }
    const request = entry.request;
    const body = request.body ?? {};
    if (request.status !== 200) {
      nodes.push(el('div', { class: 'system' }, `The Graph API stub refused a request (${request.status}); see the requests panel.`));
      continue;
    }
    if (!body.recipient) continue;
    if (body.sender_action) {
      if (body.sender_action === 'typing_on') typingSince = request.at;
      if (body.sender_action === 'typing_off') typingSince = null;
      continue;
    }
    if (!body.message) continue;
    typingSince = null;
    nodes.push(
      el(
        'div',
        { class: 'msg page', dataset: { seq: request.seq } },
        renderPageMessage(body.message, request),
        el('div', { class: 'meta' }, `${time(request.at)} · ${body.messaging_type ?? ''}`),
      ),
    );
    lastQuickReplies = body.message.quick_replies ?? null;
  }
  const typing = typingSince !== null && Date.now() - Date.parse(typingSince) < TYPING_SHOWN_MS;
  if (typing) {
    nodes.push(el('div', { class: 'msg page typing', role: 'img', 'aria-label': 'Demo Bank is typing' }, el('div', { class: 'bubble' }, el('span', { class: 'dot' }), el('span', { class: 'dot' }), el('span', { class: 'dot' }))));
  }
  if (entries.length === 0) {
    // A new conversation, as Messenger shows it: the greeting, the ice breakers and Get Started.
    const { profile } = state;
    nodes.push(
      el(
        'div',
        { class: 'get-started' },
        el('p', {}, (profile.greeting ?? 'Start a conversation with the Page.').replace('{{user_first_name}}', 'there')),
        profile.iceBreakers.map((ice) =>
          el('button', { type: 'button', class: 'chip', dataset: { payload: ice.payload }, onclick: () => tapPostback(ice.question, ice.payload) }, ice.question),
        ),
        el('p', {}, el('button', { type: 'button', onclick: () => tapPostback('Get Started', profile.getStarted ?? 'GET_STARTED') }, 'Get started')),
      ),
    );
  }

  const signature = `${state.psid}|${state.outbound.length}|${state.graph.length}|${typing}`;
  if (signature !== state.renderedSignature) {
    state.renderedSignature = signature;
    const box = $('messages');
    box.replaceChildren(...nodes);
    box.scrollTop = box.scrollHeight;
    $('quick-replies').replaceChildren(
      ...(lastQuickReplies ?? []).map((q) =>
        q.content_type === 'text' || !q.content_type
          ? el('button', { type: 'button', class: 'chip', dataset: { payload: q.payload }, onclick: () => tapQuickReply(q.title, q.payload) }, q.title)
          : el('button', { type: 'button', class: 'chip', disabled: true }, q.content_type),
      ),
    );
    renderGraphRequests();
  }
}

function describeRequest(request) {
  const body = request.body ?? {};
  if (body.sender_action) return body.sender_action;
  const message = body.message ?? {};
  if (message.text) return message.text.slice(0, 60);
  if (message.template) return `utility template ${message.template.name}`;
  if (message.attachment?.payload?.text) return message.attachment.payload.text.slice(0, 60);
  if (message.attachment) return `${message.attachment.type} attachment`;
  return '';
}

function renderGraphRequests() {
  $('graph-requests').replaceChildren(
    ...state.graph
      .toReversed()
      .map((request) =>
        el(
          'details',
          {
            open: state.openRequests.has(request.seq),
            ontoggle: (event) => (event.target.open ? state.openRequests.add(request.seq) : state.openRequests.delete(request.seq)),
          },
          el(
            'summary',
            {},
            el('span', { class: request.status === 200 ? 'status-ok' : 'status-failed' }, `${request.status}`),
            ` POST ${request.path} · ${time(request.at)} · ${describeRequest(request)}`,
          ),
          el('pre', {}, JSON.stringify(request.body, null, 2)),
        ),
      ),
  );
  if (state.graph.length === 0) $('graph-requests').replaceChildren(el('p', { class: 'muted' }, 'Nothing yet.'));
}

async function pollGraph() {
  const generation = state.generation;
  try {
    const fresh = await api(`/api/graph?${new URLSearchParams({ psid: state.psid, after: String(state.cursor) })}`);
    if (generation !== state.generation) return;
    if (fresh.length > 0) {
      // The stub numbers from 0 again after a reset: start over.
      if (fresh[0].seq <= state.cursor) state.graph = [];
      state.graph.push(...fresh);
      state.cursor = fresh[fresh.length - 1].seq;
    }
  } catch (error) {
    status('send-status', `Cannot read the Graph API stub: ${error.message}`, true);
  }
  render();
}

// ── what the person shares, and the bank's controls ──────────────────────────────────────────

function renderShared(shared) {
  const parts = [];
  const inForce = shared.consents.filter((c) => c.status === 'active' || c.status === 'pending');
  if (shared.consents.length === 0 && shared.accounts.length === 0) {
    parts.push(el('p', { class: 'muted', dataset: { testid: 'nothing-shared' } }, 'Nothing shared. Ask the bot to “link my bank”.'));
  }
  if (shared.consents.length > 0) {
    parts.push(
      el('h3', {}, `Consents (${inForce.length} in force)`),
      el(
        'table',
        { dataset: { testid: 'consents' } },
        el('tr', {}, el('th', {}, 'Bank'), el('th', {}, 'Status'), el('th', {}, 'Scopes'), el('th', {}, 'Until')),
        shared.consents.map((c) =>
          el(
            'tr',
            { dataset: { status: c.status } },
            el('td', {}, c.institution ?? '—'),
            el('td', {}, el('span', { class: `badge ${c.status}` }, c.status)),
            el('td', {}, c.scopes.join(', ')),
            el('td', {}, c.endedAt ? `ended ${day(c.endedAt)}` : day(c.expiresAt)),
          ),
        ),
      ),
    );
  }
  if (shared.accounts.length > 0) {
    parts.push(
      el('h3', {}, 'Accounts and balances'),
      el(
        'table',
        { dataset: { testid: 'accounts' } },
        el('tr', {}, el('th', {}, 'Account'), el('th', {}, 'Current'), el('th', {}, 'Available')),
        shared.accounts.map((a) =>
          el(
            'tr',
            {},
            el('td', {}, `${a.name}${a.mask ? ` ••${a.mask}` : ''}`),
            el('td', { class: 'amount' }, money(a.current, a.currency)),
            el('td', { class: 'amount' }, money(a.available, a.currency)),
          ),
        ),
      ),
    );
  }
  if (shared.consents.length > 0 && shared.accounts.length === 0 && shared.transactions.length === 0) {
    parts.push(el('p', { dataset: { testid: 'no-financial-data' } }, 'No balances or transactions held.'));
  }
  for (const t of shared.transactions) {
    parts.push(
      el('h3', {}, `Transactions: ${t.count} held`),
      el(
        'table',
        { dataset: { testid: 'transactions' } },
        t.latest.map((x) => el('tr', {}, el('td', {}, x.date), el('td', {}, x.name), el('td', { class: 'amount' }, money(x.amount, x.currency)))),
      ),
    );
  }
  for (const c of shared.connections) {
    parts.push(
      el(
        'p',
        { class: 'muted small', dataset: { testid: 'connection', synced: String(Boolean(c.lastSyncAt)) } },
        `Connection ${c.itemId}: ${c.syncStatus ?? 'linked'}${c.lastSyncAt ? `, last synced ${time(c.lastSyncAt)}` : ', not synced yet'}.`,
      ),
    );
  }
  if (shared.consents.length > 0) {
    parts.push(el('p', { class: 'muted small' }, `Alerts recorded: ${shared.alerts}; held for the next message: ${shared.heldAlerts}.`));
  }
  $('shared').replaceChildren(...parts);
}

function renderBankControls(items) {
  const live = items.filter((item) => !item.missing && !item.removed);
  $('bank-empty').hidden = live.length > 0;
  $('bank-controls').hidden = live.length === 0;
  if (live.length === 0) return;
  const select = $('bank-item');
  const chosen = live.some((i) => i.item_id === select.value) ? select.value : live[live.length - 1].item_id;
  select.replaceChildren(...live.map((item) => el('option', { value: item.item_id, selected: item.item_id === chosen }, `${item.institution_name} · ${item.username} · ${item.item_id}`)));
  const item = live.find((i) => i.item_id === chosen);
  $('bank-item-state').textContent = `${item.accounts.length} accounts, ${item.transaction_count} transactions at the bank. ${item.error_code ? `Item error: ${item.error_code}.` : 'Healthy.'}`;
  for (const name of ['account_id', 'account']) {
    const accountSelect = document.querySelector(`select[name="${name}"]`);
    const previous = accountSelect.value;
    accountSelect.replaceChildren(
      ...item.accounts.map((a) =>
        el('option', { value: a.account_id, selected: a.account_id === previous }, `${a.name} ••${a.mask} (${money(a.balances.current, a.balances.iso_currency_code ?? 'USD')})`),
      ),
    );
  }
}

async function pollPerson() {
  const generation = state.generation;
  try {
    const person = await api(`/api/person?psid=${state.psid}`);
    if (generation !== state.generation) return;
    const json = JSON.stringify(person);
    if (json === state.personJson) return;
    state.personJson = json;
    state.person = person;
    renderShared(person.shared);
    renderBankControls(person.bankItems);
  } catch (error) {
    $('shared').replaceChildren(el('p', { class: 'status-failed' }, `Cannot read DynamoDB Local: ${error.message}`));
  }
}

async function bankControl(path, method, body) {
  const item = $('bank-item').value;
  status('bank-status', 'Working…');
  try {
    const result = await api(`/api/bank/items/${encodeURIComponent(item)}/${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    status('bank-status', result?.transaction_id ? `Posted ${result.transaction_id} (${money(result.amount)} at ${result.merchant_name ?? result.name}).` : 'Done.');
    state.personJson = '';
    await pollPerson();
  } catch (error) {
    status('bank-status', `The bank refused: ${error.message}`, true);
  }
}

const number = (value) => (value === '' ? undefined : Number(value));

$('post-transaction').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new window.FormData(event.target);
  void bankControl('transactions', 'POST', {
    merchant: form.get('merchant'),
    amount: number(form.get('amount')),
    ...(form.get('category') ? { category: form.get('category') } : {}),
    ...(form.get('account_id') ? { account_id: form.get('account_id') } : {}),
    pending: form.get('pending') === 'on',
    foreign: form.get('foreign') === 'on',
  });
});

$('set-balance').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new window.FormData(event.target);
  const available = number(form.get('available'));
  void bankControl(`accounts/${encodeURIComponent(form.get('account'))}/balance`, 'PUT', {
    current: number(form.get('current')),
    ...(available === undefined ? {} : { available }),
  });
});

$('fire-webhook').addEventListener('submit', (event) => {
  event.preventDefault();
  void bankControl('webhooks', 'POST', { webhook_code: new window.FormData(event.target).get('webhook_code') });
});
$('login-required').addEventListener('click', () => void bankControl('login-required', 'POST'));
$('login-repaired').addEventListener('click', () => void bankControl('login-repaired', 'POST'));
$('bank-item').addEventListener('change', () => state.person && renderBankControls(state.person.bankItems));

// ── start ────────────────────────────────────────────────────────────────────────────────────

function loop(fn, ms) {
  const tick = async () => {
    try {
      await fn();
    } finally {
      setTimeout(tick, ms);
    }
  };
  setTimeout(tick, ms);
}

async function main() {
  await Promise.all([loadPeople(), loadProfile()]);
  const fromHash = location.hash.slice(1);
  if (/^\d{1,20}$/.test(fromHash) && !state.people.some((p) => p.psid === fromHash)) {
    state.people.push({ psid: fromHash, name: `PSID ${fromHash}` });
  }
  await selectPerson(/^\d{1,20}$/.test(fromHash) ? fromHash : state.people[0].psid);
  window.addEventListener('hashchange', () => {
    const psid = location.hash.slice(1);
    if (!/^\d{1,20}$/.test(psid) || psid === state.psid) return;
    if (!state.people.some((p) => p.psid === psid)) state.people.push({ psid, name: `PSID ${psid}` });
    void selectPerson(psid);
  });
  loop(pollGraph, POLL_MS);
  loop(pollPerson, PERSON_POLL_MS);
}

void main();

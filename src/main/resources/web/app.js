// Haven review UI: plain JS, no external assets. All data comes from the JSON API (/api/openapi.yaml).
'use strict';
const state = { session: null, filter: {}, next: null, grouped: true, poll: null, nav: 0 };

// Every navigation has a number. A view takes it before it loads and draws only if the reviewer is still on that
// page: data that arrives after they moved on (a slow request, an in-flight refresh) must not draw over the next page.
function here() {
  const nav = state.nav;
  return () => nav === state.nav;
}

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
const $ = (id) => document.getElementById(id);

// Draws a view in place of the last. Between a navigation and this, the last view stays on screen but inert (no
// clicks, no focus): its buttons would act on a file the reviewer has already left.
function draw(...children) {
  const v = $('view');
  v.replaceChildren(...children);
  v.inert = false;
  v.removeAttribute('aria-busy');
}
// What a value shows as: never "null" or "undefined"; objects as JSON.
const txt = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

// Messages sit in a bar that stays in view (sticky), so a result is seen wherever the button was.
function message(text, kind) {
  const m = $('msg');
  m.textContent = text || '';
  m.className = kind || '';
  m.hidden = !text;
}

async function api(method, path, body) {
  const opts = { method, credentials: 'same-origin', headers: {} };
  if (method !== 'GET') {
    opts.headers['Content-Type'] = 'application/json';
    if (state.session) opts.headers['X-CSRF-Token'] = state.session.csrf;
    opts.body = JSON.stringify(body || {});
  }
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({}));
  if (r.status === 401 && path !== '/api/login') { state.session = null; showLogin(); }
  if (!r.ok) { const e = new Error(data.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
  return data;
}

function stopPolling() { if (state.poll) { clearTimeout(state.poll); state.poll = null; } }

function showLogin() {
  stopPolling();
  $('nav').hidden = true; $('login').hidden = false; draw();
}

async function start() {
  $('login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      state.session = await api('POST', '/api/login', { name: $('name').value, password: $('password').value });
      $('password').value = '';
      message('Signed in as ' + state.session.user, 'ok');
      signedIn();
    } catch (e) { message(e.message, 'error'); }
  });
  $('signout').addEventListener('click', async () => {
    try { await api('POST', '/api/logout'); } catch (e) { /* already gone */ }
    state.session = null; message('Signed out', 'ok'); showLogin();
  });
  window.addEventListener('hashchange', route);
  try { state.session = await api('GET', '/api/session'); signedIn(); } catch (e) { showLogin(); }
}

function signedIn() {
  $('login').hidden = true; $('nav').hidden = false;
  $('who').textContent = state.session.user + ' (' + state.session.role + ')';
  route();
}

function route() {
  if (!state.session) return showLogin();
  stopPolling();
  state.nav++;
  $('view').inert = true;
  $('view').setAttribute('aria-busy', 'true');
  const hash = location.hash || '#/queue';
  const m = hash.match(/^#\/file\/([0-9a-f]{64})/);
  const px = hash.match(/^#\/pixels\/([0-9a-f]{64})/);
  const pr = hash.match(/^#\/proposals\/(.+)$/);
  const run = m ? fileView(m[1]) : px ? window.pixelView(px[1]) : pr ? window.proposalsView(decodeURIComponent(pr[1])) : hash.startsWith('#/devices') ? devicesView()
    : hash.startsWith('#/audit') ? auditView() : hash.startsWith('#/ops') ? opsView() : queueView();
  run.catch((e) => message(e.message, 'error'));
}

const isAdmin = () => state.session && state.session.role === 'admin';

// ---- queue -------------------------------------------------------------------------------------------------------
function qs(obj) {
  return Object.entries(obj).filter(([, v]) => v).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

async function queueView() {
  const stillHere = here();
  const f = state.filter;
  const counts = await api('GET', '/api/queue/counts?' + qs(f));
  const reasonSel = h('select', { id: 'f-reason' }, h('option', { value: '' }, 'any reason'));
  const allCounts = await api('GET', '/api/queue/counts');
  for (const r of Object.keys(allCounts.byReason)) reasonSel.appendChild(h('option', { value: r, selected: f.reason === r }, r + ' (' + allCounts.byReason[r] + ')'));
  const input = (id, key, ph, type) => h('input', { id, value: f[key] || '', placeholder: ph, type: type || 'text' });
  const filters = h('form', { className: 'filters', id: 'filters', onsubmit: (ev) => {
      ev.preventDefault();
      state.filter = { reason: $('f-reason').value, board: $('f-board').value, device: $('f-device').value, from: $('f-from').value, to: $('f-to').value };
      state.grouped = $('f-group').checked;
      queueView().catch((e) => message(e.message, 'error'));
    } },
    h('label', {}, 'Reason', reasonSel),
    h('label', {}, 'Board', input('f-board', 'board', 'e.g. lothian')),
    h('label', {}, 'Device signature', input('f-device', 'device', 'MODALITY|maker|model|software')),
    h('label', {}, 'From', input('f-from', 'from', 'YYYY-MM-DD', 'date')),
    h('label', {}, 'To', input('f-to', 'to', 'YYYY-MM-DD', 'date')),
    h('label', { className: 'inline' }, h('input', { id: 'f-group', type: 'checkbox', checked: state.grouped }), 'Group by patient / study'),
    h('button', { id: 'apply', type: 'submit' }, 'Filter'));
  const chips = (obj, key) => h('div', { className: 'chips' }, Object.entries(obj).map(([k, n]) =>
    h('span', {}, h('a', { href: '#/queue', onclick: (ev) => { ev.preventDefault(); state.filter = { ...state.filter, [key]: k }; queueView(); } }, k), ' ' + n)));
  const cols = ['File', 'Reason', 'Detail', 'Board', 'Device', 'Held since'];
  const table = h('table', { id: 'queue' }, h('tr', {}, cols.map((t) => h('th', {}, t))));
  const more = h('button', { id: 'more', type: 'button', hidden: true }, 'More');
  let lastGroup = null;
  const add = (page) => {
    for (const it of page.items) {
      if (state.grouped) {
        const g = 'Patient ' + txt(it.patient) + ' · study ' + txt(it.study);
        if (g !== lastGroup) {
          table.appendChild(h('tr', { className: 'group' }, h('th', { colspan: cols.length }, g)));
          lastGroup = g;
        }
      }
      table.appendChild(h('tr', { 'data-id': it.fileId },
        h('td', {}, h('a', { className: 'file-link', href: '#/file/' + it.fileId }, it.fileId.substring(0, 12))),
        h('td', {}, txt(it.reason)), h('td', {}, txt(it.detail)), h('td', {}, txt(it.board)),
        h('td', {}, txt(it.deviceSignature)), h('td', {}, txt(it.decidedAt))));
    }
    state.next = page.next; more.hidden = !page.next;
  };
  const pagePath = () => (state.grouped ? '/api/queue/groups?' : '/api/queue?');
  more.addEventListener('click', async () => add(await api('GET', pagePath() + qs({ ...state.filter, after: state.next }))));
  add(await api('GET', pagePath() + qs(f)));
  if (!stillHere()) return;
  draw(h('h2', {}, 'Quarantine queue'), filters,
    h('p', { id: 'counts' }, h('strong', { id: 'total' }, String(counts.total)), ' held files match'),
    h('div', { className: 'panel' }, h('h3', {}, 'By reason'), chips(counts.byReason, 'reason'),
      h('h3', {}, 'By board'), chips(counts.byBoard, 'board'), h('h3', {}, 'By device'), chips(counts.byDevice, 'device')),
    isAdmin() ? bulkPanel(counts.total) : null, table, more);
}

// Bulk actions: no action is preselected, and nothing happens until the count is confirmed.
function bulkPanel(total) {
  const confirmBox = h('div', { id: 'bulk-confirm', className: 'confirm', hidden: true });
  const ask = () => {
    const action = $('bulk-action').value;
    if (!action) return message('Choose a bulk action first', 'error');
    if (!$('bulk-comment').value.trim()) return message('A comment is required', 'error');
    if (total === 0) return message('No held file matches the filter', 'error');
    confirmBox.replaceChildren(
      h('p', { id: 'bulk-question' }, action.charAt(0).toUpperCase() + action.slice(1) + ' ' + total + ' held file' + (total === 1 ? '' : 's') + ' matching the filter?'),
      h('button', { id: 'bulk-yes', type: 'button', className: 'danger', onclick: go }, 'Yes, ' + action + ' ' + total + ' files'),
      h('button', { id: 'bulk-no', type: 'button', onclick: () => { confirmBox.hidden = true; } }, 'Cancel'));
    confirmBox.hidden = false;
  };
  const go = async () => {
    confirmBox.hidden = true;
    try {
      const r = await api('POST', '/api/bulk', { action: $('bulk-action').value, profile: $('bulk-profile').value, comment: $('bulk-comment').value,
        filter: state.filter, expected: total });
      await queueView();
      message('Bulk ' + r.action + ': ' + r.done + ' of ' + r.matched + ' files' + (r.failed.length ? ', ' + r.failed.length + ' failed' : ''), 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Bulk action on every held file matching the filter'),
    h('select', { id: 'bulk-action' }, h('option', { value: '' }, '— choose an action —'), ['reject', 'release', 'reprocess'].map((a) => h('option', { value: a }, a))),
    h('input', { id: 'bulk-profile', placeholder: 'profile (release/reprocess)' }),
    h('textarea', { id: 'bulk-comment', placeholder: 'why (required)' }),
    h('button', { id: 'bulk-go', type: 'button', onclick: ask }, 'Bulk action on ' + total + ' files…'), confirmBox);
}

// ---- one file ----------------------------------------------------------------------------------------------------
async function fileView(id, profile) {
  const stillHere = here();
  const d = await api('GET', '/api/files/' + id + (profile ? '?profile=' + encodeURIComponent(profile) : ''));
  if (!stillHere()) return;
  const f = d.file;
  const held = f.outcome === 'quarantined';
  const kv = (pairs) => h('table', {}, pairs.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, txt(v)))));
  const parts = [h('h2', {}, 'File ' + id.substring(0, 12)), h('p', { id: 'outcome' }, 'Outcome: ', h('strong', {}, f.outcome || 'in flight'),
    f.reason ? ' (' + f.reason + ')' : '', f.detail ? ' — ' + f.detail : ''),
    h('p', {}, h('button', { id: 'next-held', type: 'button', onclick: () => nextHeld(f) }, 'Next held file →'), ' ',
      held ? h('a', { id: 'open-pixels', href: '#/pixels/' + id }, 'Pixel workspace') : null, ' ',
      held && f.reason === 'pixel-text' && f.deviceSignature ? h('a', { id: 'open-proposals', href: '#/proposals/' + encodeURIComponent(f.deviceSignature) }, 'Rule proposals for this device') : null)];
  const left = h('div', {});
  const right = h('div', {});
  left.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Device registry entry'), kv([
    ['Signature', f.deviceSignature], ['Device id', f.deviceId], ['Rule', f.deviceRule], ['Profile', f.profile], ['Project', f.project],
    ['Modality', f.modality], ['Manufacturer', f.manufacturer], ['Model', f.model], ['Software', f.software], ['Board', f.board],
    ['Transfer syntax', f.transferSyntax], ['Received', f.receivedAt]])));
  if (held) {
    left.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Image (first frame)'),
      h('img', { id: 'preview', alt: 'preview of the held image', src: '/api/files/' + id + '/preview.png' }),
      h('p', { className: 'hint' }, 'Blue: blanked boxes. Red: suspicious boxes or findings. ', h('a', { href: '#/pixels/' + id }, 'Every frame, side by side, draw boxes…'))));
    left.appendChild(actionsPanel(id, d));
    if (isAdmin()) left.appendChild(adminPanel(id, d));
    right.appendChild(findingsPanel(id, Array.isArray(d.findings) ? d.findings : []));
    right.appendChild(attributesPanel(id, d));
  } else if (!f.outcome) {
    // in flight after an action: refresh until the pipeline has decided
    state.poll = setTimeout(() => { if (location.hash === '#/file/' + id) fileView(id).catch((e) => message(e.message, 'error')); }, 1500);
  }
  right.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Audit trail'), h('table', { id: 'events' },
    h('tr', {}, ['When', 'Event', 'Reason', 'Detail', 'By'].map((t) => h('th', {}, t))),
    d.events.map((e) => h('tr', {}, h('td', {}, txt(e.at)), h('td', {}, txt(e.event)), h('td', {}, txt(e.reason)), h('td', {}, txt(e.detail)), h('td', {}, txt(e.actor)))))));
  draw(...parts, h('div', { className: 'cols' }, left, right));
}

// The next held file after this one in queue order (same filter), or the first one.
async function nextHeld(f) {
  try {
    let page = await api('GET', '/api/queue?' + qs({ ...state.filter, limit: 1, after: f.decidedAt && f.outcome === 'quarantined' ? f.decidedAt + '|' + f.fileId : '' }));
    if (!page.items.length || page.items[0].fileId === f.fileId) page = await api('GET', '/api/queue?' + qs({ ...state.filter, limit: 2 }));
    const next = page.items.find((it) => it.fileId !== f.fileId);
    if (!next) return message('No other held file matches the filter', 'ok');
    location.hash = '#/file/' + next.fileId;
  } catch (e) { message(e.message, 'error'); }
}

function profileSelect(id, d, selected) {
  // a device's profile may be a composition (research+retain-uids): offer it too
  const names = selected && !d.profiles.includes(selected) ? [selected, ...d.profiles] : d.profiles;
  return h('select', { id }, h('option', { value: '' }, '(registry profile)'), names.map((p) => h('option', { value: p, selected: p === selected }, p)));
}

function actionsPanel(id, d) {
  const act = (op) => async () => {
    try {
      await api('POST', '/api/files/' + id + '/' + op, { comment: $('comment').value, profile: $('action-profile').value });
      await fileView(id);
      message(op + ' recorded for ' + id.substring(0, 12), 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  const noProfile = !d.file.profile;
  return h('div', { className: 'panel' }, h('h3', {}, 'Decision'),
    h('textarea', { id: 'comment', placeholder: 'why (required, recorded in the audit)' }),
    h('label', {}, 'Profile ', profileSelect('action-profile', d, noProfile ? d.previewProfile : null)),
    noProfile ? h('p', { className: 'hint' }, 'The device has no profile in the registry; ' + txt(d.previewProfile) + ' is preselected (the default).') : null,
    h('div', {}, h('button', { id: 'release', type: 'button', onclick: act('release') }, 'Release (fresh de-identification + verification)'),
      h('button', { id: 'reprocess', type: 'button', onclick: act('reprocess') }, 'Re-process with profile'),
      h('button', { id: 'reject', type: 'button', className: 'danger', onclick: act('reject') }, 'Reject (remove)')));
}

function adminPanel(id, d) {
  const f = d.file;
  const device = (st) => async () => {
    try {
      const r = await api('POST', '/api/devices/decision', { fileId: id, signature: f.deviceSignature, deviceId: f.deviceId, state: st,
        profile: $('device-profile').value, comment: $('admin-comment').value });
      message('Device marked ' + r.state + '; ' + r.heldForDevice + ' held files for it', 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Admin: device'),
    h('textarea', { id: 'admin-comment', placeholder: 'why (required, recorded in the audit and the registry)' }),
    h('label', {}, 'Profile when trusted ', profileSelect('device-profile', d, d.previewProfile)),
    h('div', {}, h('button', { id: 'trust', type: 'button', onclick: device('trusted') }, 'Mark device trusted'),
      h('button', { id: 'block', type: 'button', className: 'danger', onclick: device('blocked') }, 'Mark device blocked')),
    h('p', { className: 'hint' }, 'Pixel boxes and allowed text regions: ', h('a', { href: '#/pixels/' + id }, 'pixel workspace'), '.'));
}

const IDENTIFIER_CLASSES = ['source-identifier', 'chi', 'nhs-number', 'hospital-number', 'name'];

function findingsPanel(id, findings) {
  const ruleBody = (i, extra) => ({ fileId: id, finding: i, id: $('rule-id').value, comment: $('rule-comment').value, ...extra });
  const done = async (text) => { await fileView(id); message(text, 'ok'); };
  const rows = findings.map((fd, i) => {
    const allow = async () => {
      try {
        const r = await api('POST', '/api/rules/allowlist', ruleBody(i, { confirm: $('confirm-identifier').checked }));
        await done('Allowlist entry ' + r.id + ' written (rules ' + r.rules.join(', ') + (r.identifierClasses.length ? '; identifier class ' + r.identifierClasses.join(', ') + ' flagged in the audit' : '') + '); ' + r.rechecked + ' held file(s) re-checked');
      } catch (e) {
        if (e.status === 409) $('confirm-row').classList.add('attention');
        message(e.message, 'error');
      }
    };
    const redact = async () => {
      try {
        const r = await api('POST', '/api/rules/redact', ruleBody(i, {}));
        await done('Redaction ' + r.id + ' written to ' + r.file + '; ' + r.rechecked + ' held file(s) re-submitted');
      } catch (e) { message(e.message, 'error'); }
    };
    const identifier = IDENTIFIER_CLASSES.includes(fd.classification);
    return h('tr', { className: identifier ? 'identifier' : '' }, h('td', {}, txt(fd.classification)), h('td', {}, txt(fd.ruleId)), h('td', {}, txt(fd.attributePath)),
      h('td', { className: 'orig' }, txt(fd.matchedText)),
      h('td', {}, isAdmin() ? [h('button', { type: 'button', className: 'allow-finding', 'data-index': i, onclick: allow }, 'Allowlist'),
        h('button', { type: 'button', className: 'redact-finding', 'data-index': i, onclick: redact }, 'Redact this')] : ''));
  });
  const report = async () => {
    try {
      const r = await api('POST', '/api/rules/report', { fileId: id, id: $('rule-id').value, regex: $('rule-regex').value,
        classification: $('rule-class').value, applyTo: $('rule-apply').value, comment: $('rule-comment').value });
      message('Report rule ' + r.id + ' written', 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Findings (' + findings.length + ')'),
    findings.length ? null : h('p', { className: 'hint', id: 'no-findings' }, 'No findings: the file is held for the reason above.'),
    h('table', { id: 'findings' }, h('tr', {}, ['Classification', 'Rule', 'Where', 'Matched', ''].map((t) => h('th', {}, t))), rows),
    isAdmin() ? h('div', { id: 'rule-form' }, h('h3', {}, 'Rules from this file'),
      h('p', { className: 'hint' }, 'Allowlist: the text is not an identifier (every gate rule that matches it is named). Redact this: the cleaner removes the text (config/clean/redact.yaml). Either way the held files concerned are re-checked at once.'),
      h('label', { id: 'confirm-row' }, h('input', { id: 'confirm-identifier', type: 'checkbox' }),
        ' I confirm this is not an identifier (needed to allowlist a name, CHI, NHS or hospital number, or the source\'s own identifier)'),
      h('input', { id: 'rule-id', placeholder: 'rule id (optional, a-z0-9.-_)' }),
      h('input', { id: 'rule-regex', placeholder: 'regex (report rule)' }),
      h('input', { id: 'rule-class', placeholder: 'classification' }),
      h('input', { id: 'rule-apply', placeholder: 'apply-to (keyword, optional)' }),
      h('textarea', { id: 'rule-comment', placeholder: 'why (required; the reason of a redaction)' }),
      h('button', { id: 'add-report-rule', type: 'button', onclick: report }, 'Add report rule')) : null);
}

function attributesPanel(id, d) {
  const a = d.attributes || {};
  if (a.error) return h('div', { className: 'panel' }, h('h3', {}, 'Attributes'), h('p', { id: 'attrs-error' }, a.error));
  const sel = profileSelect('view-profile', d, d.previewProfile);
  sel.addEventListener('change', () => fileView(id, sel.value).catch((e) => message(e.message, 'error')));
  return h('div', { className: 'panel' }, h('h3', {}, 'Attributes: original beside de-identified (' + txt(a.changed) + ' changed, profile ' + txt(a.profile) + ')'),
    h('label', {}, 'Preview with profile ', sel), h('p', { className: 'hint', id: 'profile-source' }, 'Profile: ' + txt(d.previewProfileSource)),
    h('p', { id: 'composition' }, 'Composed of (applied in this order, later ones win): ' + (a.composition || []).map(txt).join(', ')),
    (a.conflicts || []).length ? h('ul', { id: 'conflicts' }, a.conflicts.map((c) => h('li', {}, 'conflict: ' + txt(c)))) : null,
    h('table', { id: 'attrs' }, h('tr', {}, ['Tag', 'Attribute', 'Original', 'Action', 'De-identified', 'Rule'].map((t) => h('th', {}, t))),
      (a.rows || []).map((r) => h('tr', { className: r.changed ? 'changed' : '' },
        h('td', {}, txt(r.tag)), h('td', { className: 'depth' + Math.min(r.depth || 0, 3) }, txt(r.keyword)),
        h('td', { className: 'orig' }, txt(r.original)), h('td', {}, txt(r.action)),
        h('td', { className: 'after' }, r.deidentified === null || r.deidentified === undefined ? '(removed)' : txt(r.deidentified)), h('td', {}, txt(r.ruleSource))))));
}

// ---- devices and audit -------------------------------------------------------------------------------------------
async function devicesView() {
  const stillHere = here();
  const list = await api('GET', '/api/devices');
  const profiles = await api('GET', '/api/profiles');
  if (!stillHere()) return;
  const actions = (d, i) => {
    if (!isAdmin() || d.signature === '(unread)') return '';
    const decide = (st) => async () => {
      try {
        const r = await api('POST', '/api/devices/decision', { signature: d.signature, deviceId: (d.deviceIds || [])[0], state: st,
          profile: $('dev-profile-' + i).value, comment: $('dev-comment-' + i).value });
        await devicesView();
        message('Device ' + d.signature + ' marked ' + r.state + ' (written to the registry); ' + r.heldForDevice + ' held files for it', 'ok');
      } catch (e) { message(e.message, 'error'); }
    };
    return [h('select', { id: 'dev-profile-' + i }, profiles.map((p) => h('option', { value: p, selected: p === 'research' }, p))),
      h('input', { id: 'dev-comment-' + i, placeholder: 'why (required)' }),
      h('button', { type: 'button', className: 'trust-device', onclick: decide('trusted') }, 'Trust'),
      h('button', { type: 'button', className: 'block-device danger', onclick: decide('blocked') }, 'Block')];
  };
  draw(h('h2', {}, 'Devices'), h('table', { id: 'devices' },
    h('tr', {}, ['Signature', 'State', 'Registry entry', 'Files', 'Released', 'Held', 'Rejected', 'In flight', 'Held by reason', 'Trusting would release', 'Decide'].map((t) => h('th', {}, t))),
    list.map((d, i) => h('tr', { 'data-signature': d.signature }, h('td', {}, h('a', { href: '#/queue', onclick: (ev) => { ev.preventDefault(); state.filter = { device: d.signature }; location.hash = '#/queue'; } }, d.signature)),
      h('td', { className: 'state state-' + txt(d.state).replace(/[^a-z]/g, '') }, txt(d.state)), h('td', {}, txt(d.registryId), d.registryRule ? h('div', { className: 'hint' }, txt(d.registryRule)) : null),
      h('td', {}, txt(d.files)), h('td', {}, txt(d.released)), h('td', {}, txt(d.held)), h('td', {}, txt(d.rejected)),
      h('td', {}, txt(d.inFlight)), h('td', {}, Object.entries(d.heldByReason || {}).map(([k, v]) => k + ': ' + v).join(', '),
        (d.heldByReason || {})['pixel-text'] ? h('div', {}, h('a', { className: 'proposals-link', href: '#/proposals/' + encodeURIComponent(d.signature) }, 'Rule proposals')) : null),
      h('td', {}, txt(d.trustWouldRelease)),
      h('td', {}, actions(d, i))))));
}

async function auditView() {
  const stillHere = here();
  const list = await api('GET', '/api/audit?limit=500');
  if (!stillHere()) return;
  draw(h('h2', {}, 'Reviewer decisions'), h('table', { id: 'audit' },
    h('tr', {}, ['When', 'Who', 'Action', 'File', 'Target', 'Why'].map((t) => h('th', {}, t))),
    list.map((e) => h('tr', { className: e.action === 'allowlist-identifier-class' ? 'identifier' : '' }, h('td', {}, txt(e.at)), h('td', {}, txt(e.actor)), h('td', {}, txt(e.action)),
      h('td', {}, e.fileId ? h('a', { href: '#/file/' + e.fileId }, e.fileId.substring(0, 12)) : ''), h('td', {}, txt(e.target)), h('td', {}, txt(e.comment))))));
}

window.haven = { h, api, message, txt, isAdmin, state, here, $, draw };
document.addEventListener('DOMContentLoaded', start);

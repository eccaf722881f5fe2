// Haven review UI: plain JS, no external assets. All data comes from the JSON API (/api/openapi.yaml).
'use strict';
const state = { session: null, filter: {}, next: null };

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
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
const $ = (id) => document.getElementById(id);

function message(text, kind) { const m = $('msg'); m.textContent = text || ''; m.className = kind || ''; }

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
  if (!r.ok) throw new Error(data.error || ('HTTP ' + r.status));
  return data;
}

function showLogin() {
  $('nav').hidden = true; $('login').hidden = false; $('view').replaceChildren();
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
  const hash = location.hash || '#/queue';
  const m = hash.match(/^#\/file\/([0-9a-f]{64})/);
  const run = m ? fileView(m[1]) : hash.startsWith('#/devices') ? devicesView() : hash.startsWith('#/audit') ? auditView() : hash.startsWith('#/ops') ? opsView() : queueView();
  run.catch((e) => message(e.message, 'error'));
}

const isAdmin = () => state.session && state.session.role === 'admin';

// ---- queue -------------------------------------------------------------------------------------------------------
function qs(obj) {
  return Object.entries(obj).filter(([, v]) => v).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

async function queueView() {
  const f = state.filter;
  const counts = await api('GET', '/api/queue/counts?' + qs(f));
  const reasonSel = h('select', { id: 'f-reason' }, h('option', { value: '' }, 'any reason'));
  const allCounts = await api('GET', '/api/queue/counts');
  for (const r of Object.keys(allCounts.byReason)) reasonSel.appendChild(h('option', { value: r, selected: f.reason === r }, r + ' (' + allCounts.byReason[r] + ')'));
  const input = (id, key, ph, type) => h('input', { id, value: f[key] || '', placeholder: ph, type: type || 'text' });
  const filters = h('form', { className: 'filters', id: 'filters', onsubmit: (ev) => {
      ev.preventDefault();
      state.filter = { reason: $('f-reason').value, board: $('f-board').value, device: $('f-device').value, from: $('f-from').value, to: $('f-to').value };
      queueView().catch((e) => message(e.message, 'error'));
    } },
    h('label', {}, 'Reason', reasonSel),
    h('label', {}, 'Board', input('f-board', 'board', 'e.g. lothian')),
    h('label', {}, 'Device signature', input('f-device', 'device', 'MODALITY|maker|model|software')),
    h('label', {}, 'From', input('f-from', 'from', 'YYYY-MM-DD', 'date')),
    h('label', {}, 'To', input('f-to', 'to', 'YYYY-MM-DD', 'date')),
    h('button', { id: 'apply', type: 'submit' }, 'Filter'));
  const chips = (obj, key) => h('div', { className: 'chips' }, Object.entries(obj).map(([k, n]) =>
    h('span', {}, h('a', { href: '#/queue', onclick: (ev) => { ev.preventDefault(); state.filter = { ...state.filter, [key]: k }; queueView(); } }, k), ' ' + n)));
  const table = h('table', { id: 'queue' }, h('tr', {}, ['File', 'Reason', 'Detail', 'Board', 'Device', 'Held since'].map((t) => h('th', {}, t))));
  const more = h('button', { id: 'more', type: 'button', hidden: true }, 'More');
  const add = (page) => {
    for (const it of page.items) {
      table.appendChild(h('tr', { 'data-id': it.fileId },
        h('td', {}, h('a', { className: 'file-link', href: '#/file/' + it.fileId }, it.fileId.substring(0, 12))),
        h('td', {}, it.reason), h('td', {}, it.detail || ''), h('td', {}, it.board),
        h('td', {}, it.deviceSignature || ''), h('td', {}, it.decidedAt)));
    }
    state.next = page.next; more.hidden = !page.next;
  };
  more.addEventListener('click', async () => add(await api('GET', '/api/queue?' + qs({ ...state.filter, after: state.next }))));
  add(await api('GET', '/api/queue?' + qs(f)));
  const bulk = isAdmin() ? h('div', { className: 'panel' }, h('h3', {}, 'Bulk action on every held file matching the filter'),
    h('select', { id: 'bulk-action' }, ['reject', 'release', 'reprocess'].map((a) => h('option', { value: a }, a))),
    h('input', { id: 'bulk-profile', placeholder: 'profile (release/reprocess)' }),
    h('textarea', { id: 'bulk-comment', placeholder: 'why (required)' }),
    h('button', { id: 'bulk-go', type: 'button', className: 'danger', onclick: async () => {
      try {
        const r = await api('POST', '/api/bulk', { action: $('bulk-action').value, profile: $('bulk-profile').value, comment: $('bulk-comment').value, filter: state.filter });
        message('Bulk ' + r.action + ': ' + r.done + ' of ' + r.matched + ' files' + (r.failed.length ? ', ' + r.failed.length + ' failed' : ''), 'ok');
        queueView();
      } catch (e) { message(e.message, 'error'); }
    } }, 'Apply to ' + counts.total + ' files')) : null;
  $('view').replaceChildren(h('h2', {}, 'Quarantine queue'), filters,
    h('p', { id: 'counts' }, h('strong', { id: 'total' }, String(counts.total)), ' held files match'),
    h('div', { className: 'panel' }, h('h3', {}, 'By reason'), chips(counts.byReason, 'reason'),
      h('h3', {}, 'By board'), chips(counts.byBoard, 'board'), h('h3', {}, 'By device'), chips(counts.byDevice, 'device')),
    bulk, table, more);
}

// ---- one file ----------------------------------------------------------------------------------------------------
async function fileView(id, profile) {
  const d = await api('GET', '/api/files/' + id + (profile ? '?profile=' + encodeURIComponent(profile) : ''));
  const f = d.file;
  const held = f.outcome === 'quarantined';
  const kv = (pairs) => h('table', {}, pairs.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v === null || v === undefined ? '' : String(v)))));
  const parts = [h('h2', {}, 'File ' + id.substring(0, 12)), h('p', { id: 'outcome' }, 'Outcome: ', h('strong', {}, f.outcome || 'in flight'),
    f.reason ? ' (' + f.reason + ')' : '', f.detail ? ' — ' + f.detail : '')];
  const left = h('div', {});
  const right = h('div', {});
  left.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Device registry entry'), kv([
    ['Signature', f.deviceSignature], ['Device id', f.deviceId], ['Rule', f.deviceRule], ['Profile', f.profile], ['Project', f.project],
    ['Modality', f.modality], ['Manufacturer', f.manufacturer], ['Model', f.model], ['Software', f.software], ['Board', f.board],
    ['Transfer syntax', f.transferSyntax], ['Received', f.receivedAt]])));
  if (held) {
    left.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Image (first frame)'),
      h('img', { id: 'preview', alt: 'preview of the held image', src: '/api/files/' + id + '/preview.png' }),
      h('p', { className: 'hint' }, 'Blue: blanked boxes. Red: suspicious boxes or findings.')));
    left.appendChild(actionsPanel(id, d));
    if (isAdmin()) left.appendChild(adminPanel(id, d));
    right.appendChild(findingsPanel(id, d.findings || []));
    right.appendChild(attributesPanel(id, d));
  }
  right.appendChild(h('div', { className: 'panel' }, h('h3', {}, 'Audit trail'), h('table', { id: 'events' },
    h('tr', {}, ['When', 'Event', 'Reason', 'Detail', 'By'].map((t) => h('th', {}, t))),
    d.events.map((e) => h('tr', {}, h('td', {}, e.at), h('td', {}, e.event), h('td', {}, e.reason || ''), h('td', {}, e.detail || ''), h('td', {}, e.actor))))));
  $('view').replaceChildren(...parts, h('div', { className: 'cols' }, left, right));
}

function profileSelect(id, d, selected) {
  return h('select', { id }, h('option', { value: '' }, '(registry profile)'), d.profiles.map((p) => h('option', { value: p, selected: p === selected }, p)));
}

function actionsPanel(id, d) {
  const act = (op) => async () => {
    try {
      await api('POST', '/api/files/' + id + '/' + op, { comment: $('comment').value, profile: $('action-profile').value });
      message(op + ' recorded for ' + id.substring(0, 12), 'ok');
      await fileView(id);
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Decision'),
    h('textarea', { id: 'comment', placeholder: 'why (required, recorded in the audit)' }),
    h('label', {}, 'Profile ', profileSelect('action-profile', d, null)),
    h('div', {}, h('button', { id: 'release', type: 'button', onclick: act('release') }, 'Release (fresh de-identification + verification)'),
      h('button', { id: 'reprocess', type: 'button', onclick: act('reprocess') }, 'Re-process with profile'),
      h('button', { id: 'reject', type: 'button', className: 'danger', onclick: act('reject') }, 'Reject (remove)')));
}

function adminPanel(id, d) {
  const f = d.file;
  const device = (state) => async () => {
    try {
      const r = await api('POST', '/api/devices/decision', { fileId: id, signature: f.deviceSignature, deviceId: f.deviceId, state,
        profile: $('device-profile').value, comment: $('admin-comment').value });
      message('Device marked ' + r.state + '; ' + r.heldForDevice + ' held files for it', 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  const box = async () => {
    try {
      const n = (k) => parseInt($('box-' + k).value, 10);
      const img = $('preview');
      const r = await api('POST', '/api/pixels/boxes', { fileId: id, id: $('box-id').value, comment: $('admin-comment').value,
        rows: img.naturalHeight, columns: img.naturalWidth, boxes: [{ x: n('x'), y: n('y'), width: n('w'), height: n('h') }] });
      message('Pixel rule ' + r.id + ' written to ' + r.file, 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Admin: device and pixel rules'),
    h('textarea', { id: 'admin-comment', placeholder: 'why (required, recorded in the audit)' }),
    h('label', {}, 'Profile when trusted ', profileSelect('device-profile', d, d.previewProfile)),
    h('div', {}, h('button', { id: 'trust', type: 'button', onclick: device('trusted') }, 'Mark device trusted'),
      h('button', { id: 'block', type: 'button', className: 'danger', onclick: device('blocked') }, 'Mark device blocked')),
    h('div', {}, 'Blank box for this device and image size: ',
      h('input', { id: 'box-id', placeholder: 'rule id', size: 14 }),
      ['x', 'y', 'w', 'h'].map((k) => h('input', { id: 'box-' + k, placeholder: k, size: 4, type: 'number' })),
      h('button', { id: 'add-box', type: 'button', onclick: box }, 'Add pixel box')));
}

function findingsPanel(id, findings) {
  const rows = findings.map((fd, i) => {
    const attr = (fd.attributePath || '').replace(/\[\d+\]/g, '[*]');
    const keyword = attr.split('.').pop();
    const allow = async () => {
      try {
        const r = await api('POST', '/api/rules/allowlist', { fileId: id, id: $('rule-id').value, ruleId: fd.ruleId, value: fd.matchedText,
          applyTo: keyword, comment: $('rule-comment').value });
        message('Allowlist entry ' + r.id + ' written', 'ok');
      } catch (e) { message(e.message, 'error'); }
    };
    return h('tr', {}, h('td', {}, fd.classification || ''), h('td', {}, fd.ruleId || ''), h('td', {}, fd.attributePath || ''),
      h('td', { className: 'orig' }, fd.matchedText || ''),
      h('td', {}, isAdmin() ? h('button', { type: 'button', className: 'allow-finding', 'data-index': i, onclick: allow }, 'Allowlist') : ''));
  });
  const report = async () => {
    try {
      const r = await api('POST', '/api/rules/report', { fileId: id, id: $('rule-id').value, regex: $('rule-regex').value,
        classification: $('rule-class').value, applyTo: $('rule-apply').value, comment: $('rule-comment').value });
      message('Report rule ' + r.id + ' written', 'ok');
    } catch (e) { message(e.message, 'error'); }
  };
  return h('div', { className: 'panel' }, h('h3', {}, 'Verification findings (' + findings.length + ')'),
    h('table', { id: 'findings' }, h('tr', {}, ['Classification', 'Rule', 'Attribute', 'Matched', ''].map((t) => h('th', {}, t))), rows),
    isAdmin() ? h('div', { id: 'rule-form' }, h('h3', {}, 'Rule from this file'),
      h('input', { id: 'rule-id', placeholder: 'rule id (a-z0-9.-_)' }),
      h('input', { id: 'rule-regex', placeholder: 'regex (report rule)' }),
      h('input', { id: 'rule-class', placeholder: 'classification' }),
      h('input', { id: 'rule-apply', placeholder: 'apply-to (keyword, optional)' }),
      h('textarea', { id: 'rule-comment', placeholder: 'why (required)' }),
      h('button', { id: 'add-report-rule', type: 'button', onclick: report }, 'Add report rule')) : null);
}

function attributesPanel(id, d) {
  const a = d.attributes || {};
  if (a.error) return h('div', { className: 'panel' }, h('h3', {}, 'Attributes'), h('p', {}, a.error));
  const sel = profileSelect('view-profile', d, d.previewProfile);
  sel.addEventListener('change', () => fileView(id, sel.value).catch((e) => message(e.message, 'error')));
  return h('div', { className: 'panel' }, h('h3', {}, 'Attributes: original beside de-identified (' + a.changed + ' changed, profile ' + a.profile + ')'),
    h('label', {}, 'Preview with profile ', sel),
    h('table', { id: 'attrs' }, h('tr', {}, ['Tag', 'Attribute', 'Original', 'Action', 'De-identified', 'Rule'].map((t) => h('th', {}, t))),
      (a.rows || []).map((r) => h('tr', { className: r.changed ? 'changed' : '' },
        h('td', {}, r.tag), h('td', { className: 'depth' + Math.min(r.depth, 3) }, r.keyword),
        h('td', { className: 'orig' }, r.original === null ? '' : r.original), h('td', {}, r.action),
        h('td', { className: 'after' }, r.deidentified === null ? '(removed)' : r.deidentified), h('td', {}, r.ruleSource)))));
}

// ---- devices and audit -------------------------------------------------------------------------------------------
async function devicesView() {
  const list = await api('GET', '/api/devices');
  $('view').replaceChildren(h('h2', {}, 'Devices'), h('table', { id: 'devices' },
    h('tr', {}, ['Signature', 'Registry ids', 'Files', 'Released', 'Held', 'Rejected', 'In flight', 'Held by reason', 'Trusting would release'].map((t) => h('th', {}, t))),
    list.map((d) => h('tr', {}, h('td', {}, h('a', { href: '#/queue', onclick: (ev) => { ev.preventDefault(); state.filter = { device: d.signature }; location.hash = '#/queue'; queueView(); } }, d.signature)),
      h('td', {}, d.deviceIds.join(', ')), h('td', {}, d.files), h('td', {}, d.released), h('td', {}, d.held), h('td', {}, d.rejected),
      h('td', {}, d.inFlight), h('td', {}, Object.entries(d.heldByReason).map(([k, v]) => k + ': ' + v).join(', ')), h('td', {}, d.trustWouldRelease)))));
}

async function auditView() {
  const list = await api('GET', '/api/audit?limit=500');
  $('view').replaceChildren(h('h2', {}, 'Reviewer decisions'), h('table', { id: 'audit' },
    h('tr', {}, ['When', 'Who', 'Action', 'File', 'Target', 'Why'].map((t) => h('th', {}, t))),
    list.map((e) => h('tr', {}, h('td', {}, e.at), h('td', {}, e.actor), h('td', {}, e.action),
      h('td', {}, e.fileId ? h('a', { href: '#/file/' + e.fileId }, e.fileId.substring(0, 12)) : ''), h('td', {}, e.target || ''), h('td', {}, e.comment)))));
}

document.addEventListener('DOMContentLoaded', start);

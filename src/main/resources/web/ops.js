// Operations page (#/ops): the report `./run.sh status` prints (GET /api/ops/status) and, for admins, "resubmit" of
// stuck files (POST /api/ops/resubmit). Uses h, api, $, draw, message and isAdmin from app.js.
'use strict';

function opsAge(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm' + (s % 60 ? (s % 60) + 's' : '');
  if (s < 86400) return Math.floor(s / 3600) + 'h' + (Math.floor((s % 3600) / 60) ? Math.floor((s % 3600) / 60) + 'm' : '');
  return Math.floor(s / 86400) + 'd' + (Math.floor((s % 86400) / 3600) ? Math.floor((s % 86400) / 3600) + 'h' : '');
}

let opsRequest = 0;

async function opsView() {
  const mine = ++opsRequest;
  const stillHere = here();
  const r = await api('GET', '/api/ops/status');
  // a later refresh was asked for meanwhile, or the reviewer moved on: an older report must not overwrite the page
  if (mine !== opsRequest || !stillHere()) return;
  const t = r.totals;
  const total = (key, label) => h('span', { className: 'chip' }, label + ' ', h('strong', { id: 'ops-total-' + key }, String(t[key])));
  const warnings = h('div', { className: 'panel', id: 'ops-warnings' }, h('h3', {}, 'Warnings (' + r.warnings.length + ')'),
    r.warnings.length === 0 ? h('p', { id: 'ops-ok' }, 'No warnings.')
      : h('ul', {}, r.warnings.map((w) => h('li', { className: 'warning', 'data-kind': w.kind, 'data-subject': w.subject }, w.kind + ': ' + w.message))));
  const fates = h('table', { id: 'ops-fates' }, h('tr', {}, ['Fate', 'Reason', 'Files'].map((x) => h('th', {}, x))),
    r.fates.map((f) => h('tr', { 'data-fate': f.fate, 'data-reason': f.reason }, h('td', {}, f.fate), h('td', {}, f.reason || '-'),
      h('td', { className: 'n' }, String(f.files)))));
  const resubmit = (id) => async () => {
    if (!window.confirm('Send file ' + id.substring(0, 12) + ' back through the pipeline?')) return;
    try {
      const res = await api('POST', '/api/ops/resubmit', { fileId: id, comment: $('ops-comment').value });
      message('File ' + id.substring(0, 12) + ' resubmitted (was waiting for ' + res.waitingFor + ')', 'ok');
      await opsView();
    } catch (e) { message(e.message, 'error'); }
  };
  const inflight = h('table', { id: 'ops-inflight' },
    h('tr', {}, ['File', 'Board', 'Received', 'Age', 'Last step', 'Idle', 'Waiting for', ''].map((x) => h('th', {}, x))),
    r.files.map((f) => h('tr', { 'data-id': f.fileId, className: f.stuck ? 'danger stuck' : '' },
      h('td', {}, f.fileId.substring(0, 12)), h('td', {}, f.board), h('td', {}, f.receivedAt), h('td', {}, opsAge(f.ageSeconds)),
      h('td', {}, f.lastStep), h('td', {}, opsAge(f.idleSeconds)), h('td', {}, f.waitingFor + ' (' + f.queue + ')'),
      h('td', {}, f.stuck ? (isAdmin() ? h('button', { type: 'button', className: 'resubmit', 'data-id': f.fileId, onclick: resubmit(f.fileId) }, 'Resubmit')
        : 'stuck') : ''))));
  const queues = r.queues.available
    ? h('table', { id: 'ops-queues' }, h('tr', {}, ['Queue', 'Depth', 'Consumers', 'Enqueued', 'Dequeued'].map((x) => h('th', {}, x))),
      r.queues.queues.map((q) => h('tr', { 'data-queue': q.name, className: q.consumers === 0 && q.depth > 0 ? 'danger' : '' },
        h('td', {}, q.name), h('td', { className: 'depth' }, String(q.depth)), h('td', { className: 'consumers' }, String(q.consumers)),
        h('td', {}, String(q.enqueued)), h('td', {}, String(q.dequeued)))))
    : h('p', { id: 'ops-queues-unknown' }, 'Queue statistics unavailable: ' + r.queues.error);
  draw(h('h2', {}, 'Operations'),
    h('p', { className: 'hint' }, 'As of ' + r.at + ' (the same report as ./run.sh status). A file is stuck when its last step is older than ' + r.stuckAfter + '. ',
      h('button', { id: 'ops-refresh', type: 'button', onclick: () => opsView().catch((e) => message(e.message, 'error')) }, 'Refresh')),
    h('div', { className: 'panel chips', id: 'ops-totals' }, total('received', 'received'), total('released', 'released'),
      total('quarantined', 'quarantined'), total('rejected', 'rejected'), total('inFlight', 'in flight'), total('stuck', 'stuck')),
    warnings,
    h('div', { className: 'panel' }, h('h3', {}, 'Files by fate and reason'), fates),
    h('div', { className: 'panel' }, h('h3', {}, 'In flight (' + t.inFlight + ', oldest first)'),
      isAdmin() ? h('textarea', { id: 'ops-comment', placeholder: 'why resubmit (required, recorded in the audit)' }) : null,
      r.files.length ? inflight : h('p', { id: 'ops-none-in-flight' }, 'No file in flight.')),
    h('div', { className: 'panel' }, h('h3', {}, 'Queues'), queues));
}

// Haven review UI: rule proposals for one device. For each image size, the text bands found across the device's files
// held for pixel text, drawn on sample images (proposed boxes blue, OCR words red, bands not proposed dashed grey, what
// the rule in force blanks already filled grey), the number of files the rule would release, and "Accept rule" (admin;
// confirmed, audited) which writes it and re-checks them.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const SHOWN = 360; // sample width on the page, in CSS pixels

  function rect(svg, b, cls, label) {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', b.x); r.setAttribute('y', b.y); r.setAttribute('width', b.width); r.setAttribute('height', b.height);
    r.setAttribute('class', cls);
    if (label) { const t = document.createElementNS(SVG, 'title'); t.textContent = label; r.appendChild(t); }
    svg.appendChild(r);
  }

  function sample(p, s) {
    const { h } = window.haven;
    const scale = Math.min(1, SHOWN / p.columns);
    const img = h('img', { alt: 'held image ' + s.fileId.substring(0, 12), src: '/api/files/' + s.fileId + '/frame.png?n=' + s.frame + '&version=original' });
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + p.columns + ' ' + p.rows);
    svg.setAttribute('class', 'overlay');
    for (const w of [img, svg]) { w.style.width = p.columns * scale + 'px'; w.style.height = p.rows * scale + 'px'; }
    for (const b of p.blankedNow || []) rect(svg, b, 'inforce', 'blanked by the rule in force');
    for (const b of p.bands) if (!b.proposed) rect(svg, b, 'rejected', 'not proposed: ' + b.rejected);
    for (const w of s.words) rect(svg, w, 'ocr', 'OCR word');
    for (const b of p.boxes) rect(svg, b, 'proposed', 'proposed box');
    return h('figure', { className: 'sample', 'data-file': s.fileId },
      h('div', { className: 'stage' }, img, svg),
      h('figcaption', {}, h('a', { href: '#/pixels/' + s.fileId }, s.fileId.substring(0, 12)), ' frame ' + (s.frame + 1) + ' · ',
        s.released ? h('span', { className: 'released' }, 'would be released') : h('span', { className: 'stays' }, 'stays held (a word outside the boxes)')));
  }

  function proposal(device, p, i) {
    const { h, txt, isAdmin, api, message } = window.haven;
    const size = p.columns + '×' + p.rows;
    const confirmBox = h('div', { id: 'accept-confirm-' + i, className: 'confirm', hidden: true });
    const accept = async () => {
      confirmBox.hidden = true;
      try {
        const r = await api('POST', '/api/proposals/accept', { device, rows: p.rows, columns: p.columns, boxes: p.boxes,
          comment: window.haven.$('proposal-comment-' + i).value });
        await window.proposalsView(device);
        message('Rule ' + r.id + ' accepted and written to ' + r.file + ' (' + r.source + '); ' + r.rechecked + ' held file(s) re-checked', 'ok');
      } catch (e) { message(e.message, 'error'); }
    };
    const ask = () => {
      if (!window.haven.$('proposal-comment-' + i).value.trim()) return message('A comment is required', 'error');
      confirmBox.replaceChildren(
        h('p', { id: 'accept-question-' + i }, 'Write a rule for ' + device + ' ' + size + ' blanking ' + p.boxes.length + ' box(es), and re-check the ' + p.files
          + ' held file(s)? ' + p.wouldRelease + ' would be released if OCR then reads nothing outside the rule.'),
        h('button', { id: 'accept-yes-' + i, type: 'button', className: 'danger', onclick: accept }, 'Yes, write the rule'),
        h('button', { type: 'button', onclick: () => { confirmBox.hidden = true; } }, 'Cancel'));
      confirmBox.hidden = false;
    };
    const bands = h('table', { className: 'bands' }, h('tr', {}, ['Band (x, y, width × height)', 'Files', 'Proposed'].map((t) => h('th', {}, t))),
      p.bands.map((b) => h('tr', { className: b.proposed ? 'proposed' : 'rejected' }, h('td', {}, b.x + ', ' + b.y + ', ' + b.width + ' × ' + b.height),
        h('td', {}, String(b.files)), h('td', {}, b.proposed ? 'yes' : 'no: ' + txt(b.rejected)))));
    return h('div', { className: 'panel proposal', id: 'proposal-' + i, 'data-size': p.columns + 'x' + p.rows },
      h('h3', {}, 'Image size ' + size + ': ' + p.files + ' held file(s), rule in force ' + p.rulesInForce.join(', ')),
      h('p', { className: 'would-release', id: 'would-release-' + i }, 'Accepting would release ', h('strong', {}, String(p.wouldRelease)), ' of ' + p.files
        + ' file(s): those whose every OCR word lies inside the proposed boxes. Each held file of the device is re-checked: blanked with the rule, read again by OCR, then the gate.'),
      p.note ? h('p', { className: 'hint', id: 'proposal-note-' + i }, p.note) : null,
      h('div', { className: 'samples' }, p.samples.map((s) => sample(p, s))),
      h('p', { className: 'legend' }, h('span', { className: 'key blanked' }, 'proposed boxes'), h('span', { className: 'key inforce' }, 'blanked by the rule in force'),
        h('span', { className: 'key ocr' }, 'OCR words'),
        h('span', { className: 'key rejected' }, 'bands not proposed')),
      bands,
      p.acceptable && isAdmin() ? h('div', {},
        h('textarea', { id: 'proposal-comment-' + i, placeholder: 'why (required, recorded in the audit)' }),
        h('button', { id: 'accept-' + i, type: 'button', className: 'accept-proposal', onclick: ask }, 'Accept rule'), confirmBox) : null);
  }

  window.proposalsView = async function (device) {
    const { h, $ } = window.haven;
    const stillHere = window.haven.here();
    const d = await window.haven.api('GET', '/api/proposals?device=' + encodeURIComponent(device));
    if (!stillHere()) return;
    window.haven.draw(...[h('h2', {}, 'Rule proposals · ' + device),
      h('p', { id: 'proposals-summary' }, h('strong', {}, String(d.held)), ' file(s) of this device held for pixel text. A band is proposed when it is seen in at least '
        + d.settings.minFiles + ' files and ' + Math.round(d.settings.minShare * 100) + ' % of the files of its image size, and covers at most '
        + Math.round(d.settings.maxBandShare * 100) + ' % of the image. ', h('a', { href: '#/devices' }, 'Devices')),
      d.proposals.length ? null : h('p', { id: 'no-proposals' }, 'No file of this device is held for pixel text.'),
      d.proposals.map((p, i) => proposal(device, p, i))].flat().filter((e) => e));
  };
}());

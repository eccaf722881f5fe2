// Haven review UI: the pixel workspace of one held image. Original and de-identified frame side by side at full size
// (zoom), every frame, OCR words (red), blanked regions (blue), allowed text regions (green); boxes drawn by dragging.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const ws = { id: null, info: null, frame: 0, zoom: 1, boxes: [] };

  function rect(svg, b, cls, label) {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', b.x); r.setAttribute('y', b.y); r.setAttribute('width', b.width); r.setAttribute('height', b.height);
    r.setAttribute('class', cls);
    if (label) { const t = document.createElementNS(SVG, 'title'); t.textContent = label; r.appendChild(t); }
    svg.appendChild(r);
    return r;
  }

  function overlay(svg) {
    const i = ws.info;
    svg.replaceChildren();
    for (const b of i.rule.blank || []) if (!b.frames.length || b.frames.includes(ws.frame + 1)) rect(svg, b, 'blanked', 'blanked by ' + i.rule.id);
    for (const b of i.rule.allowText || []) rect(svg, b, 'allowed', 'text allowed');
    for (const w of i.ocrWords || []) if (w.frame === ws.frame) rect(svg, w.box, 'ocr', 'OCR: ' + w.text);
    ws.boxes.forEach((b, n) => rect(svg, b, 'drawn', 'your box ' + (n + 1)));
  }

  function pane(version, title) {
    const { h } = window.haven;
    const img = h('img', { id: 'frame-' + version, alt: title, src: '/api/files/' + ws.id + '/frame.png?n=' + ws.frame + '&version=' + version });
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('id', 'overlay-' + version);
    svg.setAttribute('viewBox', '0 0 ' + ws.info.columns + ' ' + ws.info.rows);
    svg.setAttribute('class', 'overlay');
    const size = () => {
      const w = ws.info.columns * ws.zoom + 'px', hh = ws.info.rows * ws.zoom + 'px';
      img.style.width = w; img.style.height = hh; svg.style.width = w; svg.style.height = hh;
    };
    size();
    overlay(svg);
    draggable(svg);
    return h('div', { className: 'pane' }, h('h3', {}, title), h('div', { className: 'stage' }, img, svg));
  }

  // Drag on either frame to draw a box (image pixel coordinates, clipped to the image).
  function draggable(svg) {
    let start = null;
    let live = null;
    const at = (ev) => {
      const r = svg.getBoundingClientRect();
      const x = Math.round((ev.clientX - r.left) / r.width * ws.info.columns);
      const y = Math.round((ev.clientY - r.top) / r.height * ws.info.rows);
      return { x: Math.max(0, Math.min(ws.info.columns, x)), y: Math.max(0, Math.min(ws.info.rows, y)) };
    };
    const box = (a, b) => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) });
    svg.addEventListener('mousedown', (ev) => { ev.preventDefault(); start = at(ev); live = rect(svg, { x: start.x, y: start.y, width: 0, height: 0 }, 'drawn'); });
    svg.addEventListener('mousemove', (ev) => {
      if (!start) return;
      const b = box(start, at(ev));
      live.setAttribute('x', b.x); live.setAttribute('y', b.y); live.setAttribute('width', b.width); live.setAttribute('height', b.height);
    });
    const end = (ev) => {
      if (!start) return;
      const b = box(start, at(ev));
      start = null;
      if (b.width >= 2 && b.height >= 2) ws.boxes.push(b);
      render();
    };
    svg.addEventListener('mouseup', end);
    svg.addEventListener('mouseleave', end);
  }

  function render() {
    const { h, txt, isAdmin, api, message } = window.haven;
    const i = ws.info;
    const frameInput = h('input', { id: 'frame-number', type: 'number', min: 1, max: i.frames, value: ws.frame + 1 });
    frameInput.addEventListener('change', () => go(parseInt(frameInput.value, 10) - 1));
    const zoom = h('select', { id: 'zoom' }, [0.5, 1, 2, 3, 4].map((z) => h('option', { value: z, selected: z === ws.zoom }, (z * 100) + '%')));
    zoom.addEventListener('change', () => { ws.zoom = parseFloat(zoom.value); render(); });
    const choice = (value, label, adminOnly) => h('label', { className: 'inline' },
      h('input', { type: 'radio', name: 'pixel-choice', value, id: 'choice-' + value, disabled: adminOnly && !isAdmin() }), label);
    const apply = async () => {
      const sel = document.querySelector('input[name=pixel-choice]:checked');
      if (!sel) return message('Choose what the boxes are: a device rule, an allowed text region, or a box for this file only', 'error');
      if (!ws.boxes.length) return message('Draw at least one box by dragging on a frame', 'error');
      try {
        const r = await api('POST', '/api/files/' + ws.id + '/pixels', { choice: sel.value, boxes: ws.boxes, comment: window.haven.$('pixel-comment').value });
        ws.boxes = [];
        location.hash = '#/file/' + ws.id;
        message((r.id ? 'Pixel rule ' + r.id + ' written to ' + r.file + '; ' : 'Boxes recorded for this file; ') + r.rechecked + ' held file(s) re-checked', 'ok');
      } catch (e) { message(e.message, 'error'); }
    };
    window.haven.draw(
      h('h2', {}, 'Pixel workspace · file ' + ws.id.substring(0, 12)),
      h('p', { id: 'pixel-reason' }, 'Held as ', h('strong', {}, txt(i.reason)), i.detail ? ' — ' + i.detail : '', ' · ',
        h('a', { href: '#/file/' + ws.id }, 'back to the file')),
      h('p', { id: 'pixel-rule' }, 'Pixel rule in force for this device: ', h('strong', {}, txt(i.rule.id) || '(none)'), ' ', txt(i.rule.where)),
      h('div', { className: 'toolbar' },
        h('button', { id: 'frame-prev', type: 'button', disabled: ws.frame === 0, onclick: () => go(ws.frame - 1) }, '← frame'),
        h('label', {}, 'Frame ', frameInput, ' of ', h('span', { id: 'frame-count' }, String(i.frames))),
        h('button', { id: 'frame-next', type: 'button', disabled: ws.frame >= i.frames - 1, onclick: () => go(ws.frame + 1) }, 'frame →'),
        h('label', {}, ' Zoom ', zoom),
        h('span', { className: 'legend' }, h('span', { className: 'key ocr' }, 'OCR words'), h('span', { className: 'key blanked' }, 'blanked'),
          h('span', { className: 'key allowed' }, 'text allowed'), h('span', { className: 'key drawn' }, 'your boxes'))),
      h('div', { className: 'panes' }, pane('original', 'As held (original)'), pane('deidentified', 'After blanking with the rule in force')),
      h('div', { className: 'panel' }, h('h3', {}, 'Your boxes (drag on a frame to draw)'),
        h('ul', { id: 'drawn-boxes' }, ws.boxes.map((b, n) => h('li', {}, 'x ' + b.x + ', y ' + b.y + ', ' + b.width + '×' + b.height + ' ',
          h('button', { type: 'button', onclick: () => { ws.boxes.splice(n, 1); render(); } }, 'remove')))),
        h('div', {}, choice('device-box', 'Blank for this device (a rule in config/pixels/)', true),
          choice('allow-region', 'Text allowed here for this device (technical labels)', true),
          choice('file-box', 'Blank for this file only', false)),
        h('textarea', { id: 'pixel-comment', placeholder: 'why (required, recorded in the audit)' }),
        h('button', { id: 'pixel-apply', type: 'button', onclick: apply }, 'Apply and re-check the file')));
  }

  function go(n) {
    if (isNaN(n) || n < 0 || n >= ws.info.frames) return;
    ws.frame = n;
    render();
  }

  window.pixelView = async function (id) {
    const stillHere = window.haven.here();
    const info = await window.haven.api('GET', '/api/files/' + id + '/pixels');
    if (!stillHere()) return;
    if (ws.id !== id) { ws.boxes = []; ws.frame = 0; }
    ws.id = id;
    ws.info = info;
    if (!info.hasPixels) {
      const { h } = window.haven;
      window.haven.draw(h('h2', {}, 'Pixel workspace'),
        h('p', { id: 'pixel-reason' }, 'Held as ', h('strong', {}, window.haven.txt(info.reason)), '. ', window.haven.txt(info.note || 'This file has no pixel data.'), ' ',
          h('a', { href: '#/file/' + id }, 'Back to the file')));
      return;
    }
    render();
  };
}());

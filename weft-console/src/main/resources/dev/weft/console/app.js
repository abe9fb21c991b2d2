// Weft console: polls /api/dump and /api/runtimes each second and shows them. Plain JavaScript, no
// build step, no external resources. Data from the server is only ever put in the page as text
// (textContent, attributes), never as HTML: task names and stacks are the program's strings.
'use strict';

(() => {
  const REFRESH_MS = 1000;        // between the end of one refresh and the start of the next, at least
  const TIMEOUT_MS = 5000;        // a refresh that takes longer counts as a lost connection
  const HISTORY = 60;             // wake samples kept per task: the sparkline's width
  const MAX_ROWS = 2000;          // rows shown at most (the filter narrows them)

  // Sortable columns: how to read the value, and whether it is a number (numbers sort biggest first).
  const COLUMNS = {
    id: { get: (t) => t.id, numeric: true },
    name: { get: (t) => t.name },
    kind: { get: (t) => t.kind },
    container: { get: (t) => t.container },
    state: { get: (t) => t.state },
    stateFor: { get: (t) => t.stateFor, numeric: true },
    polls: { get: (t) => t.polls, numeric: true },
    wakes: { get: (t) => t.wakes, numeric: true },
    busy: { get: (t) => t.busy, numeric: true },
    idle: { get: (t) => t.idle, numeric: true },
    lints: { get: (t) => t.lints.length, numeric: true },
  };

  const view = {
    tasks: [],              // the last dump's tasks (rows), in dump order
    byTid: new Map(),       // tid -> task
    history: new Map(),     // tid -> [{ at, wakes }], oldest first
    rows: new Map(),        // tid -> its <tr>, kept across refreshes so clicks never land on a replaced row
    sort: { key: 'id', dir: 1 },
    selected: null,         // tid of the task in the detail panel
    filter: '',
    paused: false,
    fullStacks: false,
    everConnected: false,
    detailKeys: {},         // what each part of the detail panel last showed, to rebuild only what changed
  };

  const $ = (id) => document.getElementById(id);

  /** An element with attributes/properties and children (strings become text nodes). */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'className') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** A duration in ms as people read it: 850 ms, 3.2 s, 4 min 10 s, 2 h 5 min. */
  function duration(ms) {
    if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
    ms = Math.max(0, Math.round(ms));
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    const s = Math.floor(ms / 1000);
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function count(n) {
    return n === undefined || n === null ? '—' : Number(n).toLocaleString('en-US');
  }

  function kindLabel(kind) {
    return kind ? kind.toLowerCase() : '?';
  }

  // ------------------------------------------------------------------ fetching

  class HttpError extends Error {
    constructor(status, text) {
      super('HTTP ' + status + (text ? ': ' + text.trim() : ''));
      this.status = status;
    }
  }

  async function getJson(url) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const r = await fetch(url, { cache: 'no-store', signal: abort.signal });
      if (!r.ok) throw new HttpError(r.status, await r.text());
      return await r.json();
    } finally {
      clearTimeout(timer);
    }
  }

  async function refresh() {
    let took = 0;
    if (!view.paused) {
      const started = performance.now();
      try {
        const [dump, runtimes] = await Promise.all([
          getJson('api/dump' + (view.fullStacks ? '?stacks=full' : '')),
          getJson('api/runtimes'),
        ]);
        ingest(dump);
        renderRuntimes(runtimes);
        renderTasks();
        renderDetail();
        view.everConnected = true;
        setStatus('live', 'live', 'updated ' + new Date().toLocaleTimeString());
      } catch (e) {
        if (e instanceof HttpError) setStatus('error', 'server error', e.message);
        else setStatus('disconnected', 'disconnected', view.everConnected
          ? 'the console stopped answering; retrying (last data kept, greyed)' : 'cannot reach the console; retrying');
      }
      took = performance.now() - started;
    }
    // a slow dump (many tasks) is not taken back to back
    setTimeout(refresh, Math.max(REFRESH_MS, 2 * took));
  }

  function setStatus(cls, text, detail) {
    const s = $('status');
    s.className = 'status ' + cls;
    s.textContent = text;
    $('updated').textContent = detail || '';
    document.body.classList.toggle('stale', cls === 'disconnected' || cls === 'error');
  }

  // ------------------------------------------------------------------ the dump

  /** Flattens the dump's containers into task rows, and adds a wake sample per task to its history. */
  function ingest(dump) {
    const containers = (dump.threadDump && dump.threadDump.threadContainers) || [];
    const runtimeNames = new Map();
    const scopes = new Map();
    for (const c of containers) {
      const w = c.weft || {};
      if (w.kind === 'runtime') runtimeNames.set(w.runtimeId, w.name);
      if (w.kind === 'scope') scopes.set(w.scopeId, c);
    }
    const tasks = [];
    for (const c of containers) {
      const w = c.weft || {};
      let container = c.container;
      if (w.kind === 'runtime') container = w.name + ' #' + w.runtimeId;
      if (w.kind === 'scope') container = (runtimeNames.get(w.runtimeId) ?? 'runtime') + ' #' + w.runtimeId + ' › scope #' + w.scopeId;
      for (const t of c.threads || []) {
        const tw = t.weft || {};
        const scope = tw.scopeId !== undefined ? scopes.get(tw.scopeId) : undefined;
        tasks.push({
          tid: String(t.tid),
          id: Number(t.tid),
          name: t.name ?? '',
          state: t.state ?? '?',
          stack: Array.isArray(t.stack) ? t.stack : [],
          kind: tw.kind ?? '?',
          container,
          containerName: c.container,
          runtimeId: w.runtimeId,
          scopeId: tw.scopeId,
          scopeOpenedBy: scope && scope.weft ? scope.weft.openedBy : undefined,
          scopeFailed: scope && scope.weft ? scope.weft.failed : undefined,
          stateFor: tw.stateForMillis,
          age: tw.ageMillis,
          where: tw.where,
          waitingOn: tw.waitingOn,
          future: tw.future,
          cancelled: tw.cancelled === true,
          shielded: tw.shielded === true,
          polls: tw.polls,
          wakes: tw.wakes,
          selfWakes: tw.selfWakes,
          busy: tw.busyMillis,
          scheduled: tw.scheduledMillis,
          idle: tw.idleMillis,
          lints: Array.isArray(tw.lints) ? tw.lints : [],
          hasLints: Array.isArray(tw.lints),
          spawnSite: tw.spawnSite,
          thread: tw.thread,
          threadState: tw.threadState,
        });
      }
    }
    view.tasks = tasks;
    view.byTid = new Map(tasks.map((t) => [t.tid, t]));
    const now = Date.now();
    for (const t of tasks) {
      if (typeof t.wakes !== 'number') continue;
      let h = view.history.get(t.tid);
      if (!h) view.history.set(t.tid, (h = []));
      h.push({ at: now, wakes: t.wakes });
      if (h.length > HISTORY + 1) h.shift();
    }
    for (const tid of view.history.keys()) {
      if (!view.byTid.has(tid)) view.history.delete(tid);
    }
  }

  // ------------------------------------------------------------------ runtimes

  function renderRuntimes(runtimes) {
    const body = $('runtimes').tBodies[0];
    body.replaceChildren(...runtimes.map((r) => el('tr', { dataset: { runtimeId: r.Id } },
      el('td', { className: 'name' }, r.Name ?? '?', el('span', { className: 'muted' }, ' #' + r.Id), r.Closed ? el('span', { className: 'flag' }, 'closed') : null),
      el('td', {}, r.Description ?? ''),
      el('td', { className: 'num' }, count(r.Workers)),
      el('td', { className: 'num' }, count(r.LiveTasks)),
      el('td', { className: 'num' }, count(r.RunningTasks)),
      el('td', { className: 'num' }, count(r.ScheduledTasks)),
      el('td', { className: 'num' }, count(r.IdleTasks)),
      el('td', { className: 'num' }, count(r.TaskRuns)),
      el('td', { className: 'num' }, count(r.Steals)),
      el('td', { className: 'num' }, count(r.Parks)),
      el('td', { className: 'num' }, count(r.QueuedTasks)),
      el('td', { className: 'num', title: 'threads / calls waiting' }, count(r.BlockingPoolThreads) + ' / ' + count(r.BlockingPoolQueued)),
      el('td', {}, r.Drivers || '—'),
    )));
    $('runtimes-empty').hidden = runtimes.length > 0;
  }

  // ------------------------------------------------------------------ tasks

  function matches(t, f) {
    if (!f) return true;
    const hay = [t.tid, t.name, t.kind, t.state, t.container, t.where ?? '', ...t.lints.map((l) => l.lint)]
      .join(' ').toLowerCase();
    return f.split(/\s+/).every((word) => hay.includes(word));
  }

  function compare(a, b) {
    const col = COLUMNS[view.sort.key] || COLUMNS.id;
    const va = col.get(a);
    const vb = col.get(b);
    const missingA = va === undefined || va === null;
    const missingB = vb === undefined || vb === null;
    if (missingA !== missingB) return missingA ? 1 : -1;    // tasks without the value last, either way
    let c = 0;
    if (!missingA) c = col.numeric ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? c * view.sort.dir : a.id - b.id;
  }

  function renderTasks() {
    const table = $('tasks');
    table.classList.toggle('no-timing', !view.tasks.some((t) => typeof t.busy === 'number' || typeof t.idle === 'number'));
    table.classList.toggle('no-lints', !view.tasks.some((t) => t.hasLints));
    for (const th of table.tHead.rows[0].cells) {
      const on = th.dataset.sort === view.sort.key;
      th.classList.toggle('sorted', on);
      th.classList.toggle('asc', on && view.sort.dir > 0);
      th.classList.toggle('desc', on && view.sort.dir < 0);
      th.setAttribute('aria-sort', on ? (view.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    const shown = view.tasks.filter((t) => matches(t, view.filter)).sort(compare);
    const visible = shown.slice(0, MAX_ROWS);
    const body = table.tBodies[0];
    const keep = new Set(visible.map((t) => t.tid));
    for (const [tid, tr] of view.rows) {
      if (!keep.has(tid)) {
        tr.remove();
        view.rows.delete(tid);
      }
    }
    visible.forEach((t, i) => {
      let tr = view.rows.get(t.tid);
      if (!tr) {
        tr = newRow(t.tid);
        view.rows.set(t.tid, tr);
      }
      fillRow(tr, t);
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
    });
    $('task-count').textContent = '(' + (shown.length === view.tasks.length ? count(view.tasks.length)
      : count(shown.length) + ' of ' + count(view.tasks.length)) + ')';
    $('tasks-empty').hidden = view.tasks.length > 0;
    const more = $('tasks-more');
    more.hidden = shown.length <= MAX_ROWS;
    more.textContent = 'Showing the first ' + count(MAX_ROWS) + ' of ' + count(shown.length) + ' tasks: filter to narrow.';
  }

  const CELLS = ['id', 'name', 'kind', 'container', 'state', 'stateFor', 'polls', 'wakes', 'busy', 'idle', 'lints'];

  function newRow(tid) {
    const tr = el('tr', { tabindex: 0, dataset: { tid } });
    for (const c of CELLS) {
      const numeric = COLUMNS[c].numeric && c !== 'lints';
      const cls = [c, numeric ? 'num' : '', c === 'busy' || c === 'idle' ? 'timing' : ''].join(' ').trim();
      tr.append(el('td', { className: cls, dataset: { col: c } }));
    }
    return tr;
  }

  /** Sets a cell's text (and its data-value, which tests read to check the order) only when it changed. */
  function setCell(td, text, value) {
    if (td.textContent !== text) td.textContent = text;
    const v = value === undefined || value === null ? '' : String(value);
    if (td.dataset.value !== v) td.dataset.value = v;
  }

  function fillRow(tr, t) {
    const cells = tr.cells;
    tr.dataset.name = t.name;
    tr.classList.toggle('selected', t.tid === view.selected);
    setCell(cells[0], t.tid, t.id);
    setCell(cells[1], t.name, t.name);
    cells[1].title = t.name;
    setCell(cells[2], kindLabel(t.kind), t.kind);
    setCell(cells[3], t.container, t.container);
    cells[3].title = t.container;
    const stateText = t.state + (t.cancelled ? ' · cancelled' : '');
    setCell(cells[4], stateText, t.state);
    cells[4].className = 'state state-' + t.state;
    setCell(cells[5], duration(t.stateFor), t.stateFor);
    setCell(cells[6], count(t.polls), t.polls);
    setCell(cells[7], count(t.wakes), t.wakes);
    setCell(cells[8], duration(t.busy), t.busy);
    setCell(cells[9], duration(t.idle), t.idle);
    const lintKey = JSON.stringify(t.lints);
    if (cells[10].dataset.key !== lintKey) {
      cells[10].dataset.key = lintKey;
      cells[10].dataset.value = String(t.lints.length);
      cells[10].replaceChildren(...t.lints.map(lintBadge));
    }
  }

  function lintBadge(l) {
    return el('span', { className: 'lint lint-' + l.lint, title: l.message || l.lint, dataset: { lint: l.lint } }, l.lint);
  }

  // ------------------------------------------------------------------ detail

  /** Rebuilds part {@code name} of the panel only when {@code key} changed, so selections and scrolling survive refreshes. */
  function part(name, key, build) {
    const node = $('detail-' + name);
    if (node && view.detailKeys[name] === key) return node;
    view.detailKeys[name] = key;
    const fresh = build();
    fresh.id = 'detail-' + name;
    if (node) node.replaceWith(fresh);
    return fresh;
  }

  function renderDetail() {
    const panel = $('detail');
    if (view.selected === null) return;
    const t = view.byTid.get(view.selected);
    if (!panel.dataset.tid || panel.dataset.tid !== view.selected) {
      panel.dataset.tid = view.selected;
      view.detailKeys = {};
      panel.replaceChildren(
        el('h2', { id: 'detail-title' }),
        el('p', { id: 'detail-gone', className: 'gone', hidden: true }, 'This task is no longer live (finished, or its runtime closed): the last facts seen are shown.'),
        el('dl', { id: 'detail-facts' }),
        el('h3', {}, 'Wakes over time'),
        el('div', { id: 'detail-sparkline' }),
        el('h3', {}, 'Stack'),
        el('ol', { id: 'detail-stack' }),
      );
    }
    $('detail-gone').hidden = t !== undefined;
    if (!t) return;
    $('detail-title').textContent = "'" + t.name + "' #" + t.tid;

    const facts = [
      ['Kind', kindLabel(t.kind)],
      ['State', t.state + ' for ' + duration(t.stateFor) + (t.age !== undefined ? ' (age ' + duration(t.age) + ')' : '')],
      ['Where', t.where],
      t.kind === 'POLL'
        ? ['Future', t.future !== undefined ? el('pre', { className: 'chain' }, t.future) : '—']
        : ['Waiting on', t.waitingOn !== undefined ? el('code', {}, t.waitingOn) : '—'],
      ['Runtime', t.container],
      t.scopeId !== undefined ? ['Scope', '#' + t.scopeId + (t.scopeOpenedBy ? ', opened by ' + t.scopeOpenedBy : '') + (t.scopeFailed ? ', failed' : '')] : null,
      ['Spawned at', t.spawnSite !== undefined ? el('code', {}, t.spawnSite) : '— (run with -Dweft.spawnSites=true to record it)'],
      t.thread !== undefined ? ['Thread', el('code', {}, t.thread + (t.threadState ? ' (' + t.threadState + ')' : ''))] : null,
      ['Polls / wakes', count(t.polls) + ' / ' + count(t.wakes) + (typeof t.selfWakes === 'number' ? ' (self-wakes ' + count(t.selfWakes) + ')' : '')],
      typeof t.busy === 'number' ? ['Time', 'busy ' + duration(t.busy) + ', scheduled ' + duration(t.scheduled) + ', idle ' + duration(t.idle)] : null,
      t.cancelled || t.shielded ? ['Flags', [t.cancelled ? 'cancelled' : null, t.shielded ? 'shielded from cancellation' : null].filter(Boolean).join(', ')] : null,
      t.lints.length ? ['Lints', t.lints.map((l) => el('div', { className: 'lint-line' }, lintBadge(l), ' ', l.message || ''))] : null,
    ].filter(Boolean);
    part('facts', JSON.stringify(facts.map(([k, v]) => [k, v instanceof Node ? v.textContent : Array.isArray(v) ? v.map((n) => n.textContent) : v])), () =>
      el('dl', {}, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));

    part('sparkline', JSON.stringify(view.history.get(t.tid) || []), () => sparkline(view.history.get(t.tid) || []));

    part('stack', JSON.stringify(t.stack) + t.kind, () => {
      if (t.stack.length === 0) {
        const why = t.kind === 'POLL' ? 'A poll task has no stack: its future chain above says what it waits on.'
          : 'No stack (the task has not started, or it is between runs).';
        return el('p', { className: 'hint' }, why);
      }
      return el('ol', {}, t.stack.map((f) => el('li', { className: f.startsWith('...') ? 'elided' : '' }, f)));
    });
  }

  /** Wakes per second between successive refreshes, as an inline SVG line (the page's own history). */
  function sparkline(samples) {
    const W = 240, H = 44, PAD = 3;
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const dt = Math.max(1, samples[i].at - samples[i - 1].at) / 1000;
      rates.push(Math.max(0, samples[i].wakes - samples[i - 1].wakes) / dt);
    }
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('id', 'wakes-sparkline');
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('role', 'img');
    const peak = Math.max(0, ...rates);
    const max = Math.max(1, peak);        // the line's scale: a flat line at 0 stays at the bottom
    const base = document.createElementNS(svgNs, 'line');
    base.setAttribute('x1', 0);
    base.setAttribute('x2', W);
    base.setAttribute('y1', H - PAD);
    base.setAttribute('y2', H - PAD);
    svg.append(base);
    if (rates.length > 0) {
      const step = (W - 2 * PAD) / Math.max(1, HISTORY - 1);
      const x0 = W - PAD - (rates.length - 1) * step;      // newest sample on the right
      const pts = rates.map((r, i) => (x0 + i * step).toFixed(1) + ',' + (H - PAD - (r / max) * (H - 2 * PAD)).toFixed(1));
      if (pts.length === 1) pts.unshift((x0 - step).toFixed(1) + ',' + pts[0].split(',')[1]);
      const line = document.createElementNS(svgNs, 'polyline');
      line.setAttribute('points', pts.join(' '));
      svg.append(line);
    }
    const total = samples.length > 1 ? samples[samples.length - 1].wakes - samples[0].wakes : 0;
    const seconds = samples.length > 1 ? (samples[samples.length - 1].at - samples[0].at) / 1000 : 0;
    const over = 'in the last ' + seconds.toFixed(0) + ' s';
    let caption = count(total) + ' wakes ' + over + ' (peak ' + peak.toFixed(peak < 10 ? 1 : 0) + '/s)';
    if (rates.length === 0) caption = 'Collecting: one sample per refresh.';
    else if (total === 0) caption = 'No wakes ' + over + '.';
    svg.setAttribute('aria-label', caption);
    return el('div', {}, svg, el('div', { className: 'caption' }, caption));
  }

  function select(tid) {
    view.selected = tid;
    for (const [id, tr] of view.rows) tr.classList.toggle('selected', id === tid);
    renderDetail();
  }

  // ------------------------------------------------------------------ wiring

  function sortBy(key) {
    if (view.sort.key === key) view.sort.dir = -view.sort.dir;
    else view.sort = { key, dir: COLUMNS[key].numeric ? -1 : 1 };   // numbers: biggest first
    renderTasks();
  }

  document.addEventListener('DOMContentLoaded', () => {
    const head = $('tasks').tHead;
    head.addEventListener('click', (e) => {
      const th = e.target.closest('th[data-sort]');
      if (th) sortBy(th.dataset.sort);
    });
    head.addEventListener('keydown', (e) => {
      const th = e.target.closest('th[data-sort]');
      if (th && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        sortBy(th.dataset.sort);
      }
    });
    const body = $('tasks').tBodies[0];
    body.addEventListener('click', (e) => {
      const tr = e.target.closest('tr[data-tid]');
      if (tr) select(tr.dataset.tid);
    });
    body.addEventListener('keydown', (e) => {
      const tr = e.target.closest('tr[data-tid]');
      if (tr && e.key === 'Enter') select(tr.dataset.tid);
    });
    $('filter').addEventListener('input', (e) => {
      view.filter = e.target.value.trim().toLowerCase();
      renderTasks();
    });
    $('full-stacks').addEventListener('change', (e) => {
      view.fullStacks = e.target.checked;
    });
    $('pause').addEventListener('click', (e) => {
      view.paused = !view.paused;
      e.target.setAttribute('aria-pressed', String(view.paused));
      e.target.textContent = view.paused ? 'Resume' : 'Pause';
      if (view.paused) setStatus('paused', 'paused', 'refresh paused: the data shown stays as it is');
      else setStatus('live', 'resuming…', '');
    });
    refresh();
  });
})();

// The Access tab's machine list: the search box, the filter expression (with the server's
// error shown inline, column and all), the status menu, the column chooser, the sortable
// header, and a virtualised body. Rows have one fixed height; only the visible ones (and a
// few either side) are in the DOM, and the controller pages them in from the server as the
// list scrolls, so 50,000 machines scroll like 50.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { emptyState, errorState } from '../components/ui.js';
import { button } from '../components/button.js';
import { STATUS_FILTERS } from '../access/controller.js';
import { COLUMNS, columnsFor, loadColumns, saveColumns } from '../access/columns.js';
import { toast } from '../components/toast.js';
import { connectToOpenViewer } from './viewer-open.js';

/** Every row is this tall (px); the CSS uses the same number (--access-row). */
export const ROW_HEIGHT = 44;
const OVERSCAN = 8;
const PREFETCH = 100;

export function listPanel(controller) {
  const { manage } = controller.permissions;
  let columnIds = loadColumns();

  const summary = h('span', { class: 'access-summary', id: 'access-summary', 'aria-live': 'polite' });
  const search = h('input', {
    type: 'search', class: 'input access-search', id: 'access-filter', placeholder: 'Search name, IP, user, serial…',
    'aria-label': 'Search machines', autocomplete: 'off',
  });
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => controller.setQuery({ q: search.value }), 150);
  });
  const expression = h('input', {
    type: 'text', class: 'input mono access-expression', id: 'access-expression', spellcheck: 'false', autocomplete: 'off',
    placeholder: "Filter, e.g. Company = 'Glaztech' AND LastSeen < $30DAYSAGO", 'aria-label': 'Filter expression',
    'aria-describedby': 'access-expression-error',
  });
  const applyExpression = () => controller.setQuery({ filter: expression.value });
  expression.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      applyExpression();
    }
  });
  const applyButton = button({ label: 'Apply', icon: 'filter', variant: 'outline', size: 'sm', id: 'access-expression-apply', onClick: applyExpression });
  const saveButton = button({ label: 'Save', icon: 'pin', variant: 'ghost', size: 'sm', id: 'access-expression-save', onClick: () => controller.emit('saveFilter', expression.value) });
  const expressionError = h('p', { class: 'field-error access-expression-error is-hidden', id: 'access-expression-error', role: 'alert' });
  const statusSelect = h('select', { class: 'input select access-status-filter', id: 'access-status-filter', 'aria-label': 'Show machines' },
    Object.entries(STATUS_FILTERS).map(([value, label]) => h('option', { value }, label)));
  statusSelect.addEventListener('change', () => controller.setQuery({ status: statusSelect.value }));
  const columnsMenu = columnChooser(() => columnIds, (ids) => {
    columnIds = ids;
    saveColumns(ids);
    drawHeader();
    redrawRows(true);
  });
  const toolbar = h('div', { class: 'access-toolbar', role: 'search' },
    h('div', { class: 'access-toolbar-row' }, search, statusSelect, columnsMenu),
    h('div', { class: 'access-toolbar-row' }, expression, applyButton, saveButton),
    expressionError);

  const head = h('div', { class: 'access-head', role: 'row', id: 'access-head' });
  const rowsEl = h('div', { class: 'access-rows', role: 'rowgroup' });
  const spacer = h('div', { class: 'access-spacer' }, rowsEl);
  const viewport = h('div', { class: 'access-viewport', id: 'access-viewport', tabindex: '0', 'aria-label': 'Machines' }, spacer);
  const state = h('div', { class: 'access-state' });
  const body = h('div', { class: 'access-table', id: 'agents', role: 'grid', 'aria-rowcount': '0' }, head, viewport, state);

  const rendered = new Map(); // row index → { el, agent }
  let frame = 0;
  // A phone shows the name and one more column; the chooser's choice returns on a wider screen.
  const narrow = window.matchMedia('(max-width: 767px)');
  const onNarrow = () => {
    drawHeader();
    redrawRows(true);
  };
  narrow.addEventListener('change', onNarrow);

  function shownColumns() {
    const columns = columnsFor(columnIds);
    return narrow.matches ? columns.slice(0, 2) : columns;
  }

  function gridTemplate() {
    return [...shownColumns().map((c) => `minmax(0, ${c.width})`), 'auto'].join(' ');
  }

  function drawHeader() {
    const { sort, order } = controller.query;
    const cells = shownColumns().map((column) => {
      const active = sort === column.sort;
      const label = h('button', {
        type: 'button', class: ['access-sort', active && 'is-active'], dataset: { testid: 'access-sort', sort: column.sort },
        'aria-label': `Sort by ${column.label}`,
        onClick: () => controller.setQuery({ sort: column.sort, order: active && order === 'asc' ? 'desc' : 'asc' }),
      }, column.label, active ? h('span', { class: 'access-sort-mark', 'aria-hidden': 'true' }, order === 'asc' ? '▲' : '▼') : null);
      return h('div', { class: 'access-th', role: 'columnheader', 'aria-sort': active ? (order === 'asc' ? 'ascending' : 'descending') : 'none' }, label);
    });
    replace(head, cells, h('div', { class: 'access-th access-th-actions', role: 'columnheader' }, h('span', { class: 'sr-only' }, 'Actions')));
    head.style.gridTemplateColumns = gridTemplate();
  }

  function drawState() {
    const { rows, loadError, filterError } = controller;
    expressionError.classList.toggle('is-hidden', !filterError);
    expression.classList.toggle('is-invalid', Boolean(filterError));
    expression.setAttribute('aria-invalid', filterError ? 'true' : 'false');
    if (filterError) expressionError.textContent = filterError.message;
    if (loadError) {
      summary.textContent = '';
      replace(state, errorState(loadError, () => controller.retry(), "Couldn't load machines"));
      viewport.classList.add('is-hidden');
      return;
    }
    const total = rows.total;
    body.setAttribute('aria-rowcount', String(total ?? 0));
    if (total === null) {
      summary.textContent = filterError ? 'Fix the filter to see machines' : 'Loading machines…';
      replace(state);
      viewport.classList.remove('is-hidden');
      return;
    }
    summary.textContent = `${total.toLocaleString()} ${total === 1 ? 'machine' : 'machines'}${controller.filtered ? ' match' : ''}`;
    viewport.classList.toggle('is-hidden', total === 0);
    if (total > 0) {
      replace(state);
    } else if (!controller.filtered) {
      replace(state, emptyState({
        icon: 'monitor', testid: 'access-empty', title: 'No machines yet',
        text: manage
          ? 'Build an installer in the Build tab and run it on a machine. It appears here as soon as its agent connects.'
          : 'Machines appear here once someone with the "Build installers" permission enrols them.',
        action: manage ? button({ label: 'Build an installer', icon: 'plus', variant: 'outline', onClick: () => controller.emit('enrol') }) : null,
      }));
    } else {
      replace(state, emptyState({
        icon: 'search', testid: 'access-no-match', title: 'No machines match',
        text: 'No machine in your scope matches the search, filter or group.',
        action: button({ label: 'Clear filters', icon: 'x', variant: 'outline', id: 'access-filter-clear', onClick: clearAll }),
      }));
    }
  }

  function clearAll() {
    search.value = '';
    expression.value = '';
    statusSelect.value = 'all';
    controller.clearQuery();
  }

  /** The rows [first, last) the viewport shows now, with the overscan either side. */
  function visibleRange() {
    const total = controller.rows.total ?? 0;
    const height = viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    return [first, last];
  }

  /** Puts exactly the visible rows in the DOM; `all` rebuilds them (columns or data changed). */
  function redrawRows(all = false) {
    const total = controller.rows.total ?? 0;
    spacer.style.height = `${total * ROW_HEIGHT}px`;
    const [first, last] = visibleRange();
    // A page ahead either way, so a scroll meets rows already loaded rather than placeholders to refill.
    controller.ensure(Math.max(0, first - PREFETCH), last + PREFETCH);
    // Rows that left the view (or whose machine changed) are refilled for the rows that came in, so a
    // scroll moves and rewrites a few elements instead of building new ones.
    const layout = shownColumns().map((c) => c.id).join(',');
    const free = [];
    for (const [index, entry] of rendered) {
      const agent = controller.rows.row(index);
      if (index < first || index >= last || all || entry.agent !== agent || entry.selected !== (agent?.id === controller.selectedId)) {
        free.push(entry.el);
        rendered.delete(index);
      }
    }
    for (let index = first; index < last; index += 1) {
      if (rendered.has(index)) continue;
      const agent = controller.rows.row(index);
      let el = null;
      if (agent) {
        const reusable = free.findIndex((candidate) => candidate.dataset.layout === layout);
        if (reusable >= 0) {
          [el] = free.splice(reusable, 1);
          fill(el, agent, index);
        } else {
          el = row(agent, index, layout);
          rowsEl.append(el);
        }
      } else {
        el = placeholder(index);
        rowsEl.append(el);
      }
      rendered.set(index, { el, agent, selected: agent?.id === controller.selectedId });
    }
    for (const el of free) el.remove();
  }

  function scheduleRows() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      timedRedraw();
    });
  }

  /** redrawRows(); bench/access_scroll.py sets `__accessFrameLog` to time each, layout included (nothing else does). */
  function timedRedraw() {
    const log = globalThis.__accessFrameLog;
    const started = log ? performance.now() : 0;
    redrawRows();
    if (log) {
      void rowsEl.offsetHeight; // the layout the redraw caused, inside the measured time
      log.push(performance.now() - started);
    }
  }
  viewport.addEventListener('scroll', scheduleRows, { passive: true });
  const resize = new ResizeObserver(scheduleRows);
  resize.observe(viewport);

  function placeholder(index) {
    const el = h('div', { class: 'agent-row is-loading', role: 'row', dataset: { testid: 'agent-row-loading' }, 'aria-rowindex': String(index + 1) },
      h('span', { class: 'access-skeleton' }));
    el.style.top = `${index * ROW_HEIGHT}px`; // CSSOM, which the CSP allows (style attributes it does not)
    return el;
  }

  /** A new row element for `agent` at `index`, with the cells of `layout` (the shown columns' ids). */
  function row(agent, index, layout) {
    const cells = shownColumns().map((column) => {
      if (column.id === 'name') {
        return h('div', { class: 'access-td access-td-name', role: 'gridcell' },
          h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
          h('button', { type: 'button', class: 'cell-strong agent-select', dataset: { testid: 'agent-select' } }),
          h('span', { class: 'access-flag', dataset: { testid: 'agent-attention' } }, icon('flag', { size: 13 })),
          h('span', { class: 'sr-only', dataset: { testid: 'agent-status' } }));
      }
      return h('div', { class: 'access-td', role: 'gridcell', dataset: { column: column.id } });
    });
    // The row's Connect link is made once and refilled: its click reads the session object that fill() updates.
    const session = { agentId: '', mode: 'control', kind: 'agent' };
    const link = connectToOpenViewer(h('a', { target: '_blank', rel: 'noopener', class: 'btn btn-primary btn-sm', dataset: { testid: 'agent-control' } },
      icon('mouse', { size: 14 }), h('span', { class: 'btn-label' }, 'Connect')), session, {
      onTaken: () => toast.success(`${el.dataset.name} opened in your viewer window`, 'Switch to the viewer window: it is in its session switcher.'),
    });
    const el = h('div', { class: 'agent-row', role: 'row', dataset: { testid: 'agent-row', layout } },
      cells, h('div', { class: 'access-td access-td-actions', role: 'gridcell' }, link));
    el.session = session;
    el.style.gridTemplateColumns = gridTemplate();
    el.addEventListener('click', (event) => {
      if (event.target.closest('a, button:not(.agent-select)')) return;
      controller.select(el.dataset.agentId);
    });
    fill(el, agent, index);
    return el;
  }

  /** Writes `agent` into a row element made by `row` for the same columns. */
  function fill(el, agent, index) {
    const selected = agent.id === controller.selectedId;
    el.classList.toggle('is-selected', selected);
    el.setAttribute('aria-rowindex', String(index + 1));
    el.setAttribute('aria-selected', String(selected));
    Object.assign(el.dataset, { agentId: agent.id, name: agent.name, online: String(agent.online), selected: String(selected), index: String(index) });
    el.style.top = `${index * ROW_HEIGHT}px`;
    const columns = shownColumns();
    [...el.children].forEach((cell, position) => {
      const column = columns[position];
      if (!column) {
        const link = cell.firstChild;
        el.session.agentId = agent.id;
        link.href = `/app/viewer/${encodeURIComponent(agent.id)}?mode=control`;
        link.setAttribute('aria-label', `Connect ${agent.name}`);
        link.classList.toggle('is-disabled', !agent.online);
        if (agent.online) {
          link.removeAttribute('aria-disabled');
          link.removeAttribute('tabindex');
          link.removeAttribute('title');
        } else {
          link.setAttribute('aria-disabled', 'true');
          link.setAttribute('tabindex', '-1');
          link.title = 'The machine is offline';
        }
        return;
      }
      if (column.id === 'name') {
        const [dot, select, flag, status] = cell.children;
        dot.classList.toggle('is-online', agent.online);
        dot.textContent = agent.online ? '●' : '○';
        dot.title = agent.online ? 'Online' : 'Offline';
        select.textContent = agent.name;
        select.setAttribute('aria-label', `Details of ${agent.name}`);
        select.setAttribute('aria-pressed', String(selected));
        flag.classList.toggle('is-hidden', !agent.attention);
        flag.title = agent.attention ? agent.attentionNote || 'Flagged for attention' : '';
        status.textContent = agent.online ? 'Online' : 'Offline';
        return;
      }
      const text = column.value(agent);
      if (text) {
        cell.textContent = text;
        cell.title = text;
      } else {
        cell.replaceChildren(h('span', { class: 'text-muted' }, '—'));
        cell.removeAttribute('title');
      }
    });
  }

  function onChange() {
    if (search.value !== controller.query.q && document.activeElement !== search) search.value = controller.query.q;
    if (expression.value !== controller.query.filter && document.activeElement !== expression) expression.value = controller.query.filter;
    statusSelect.value = controller.query.status;
    drawHeader();
    drawState();
    redrawRows(true);
  }

  return {
    name: 'list',
    mount: { summary, toolbar, list: body },
    events: {
      change: onChange,
      rows() {
        drawState();
        timedRedraw();
      },
      stale() {
        if (controller.rows.total === null) viewport.scrollTop = 0;
        redrawRows();
      },
    },
    stop() {
      narrow.removeEventListener('change', onNarrow);
      resize.disconnect();
      cancelAnimationFrame(frame);
      clearTimeout(searchTimer);
    },
  };
}

/** The Columns menu: a checkbox per column (Name always shown), the choice kept by the caller. */
function columnChooser(getIds, onChange) {
  const list = h('div', { class: 'menu access-columns-menu', role: 'menu', id: 'access-columns-menu' });
  const trigger = h('button', { type: 'button', class: 'btn btn-outline btn-sm', id: 'access-columns', 'aria-haspopup': 'true', 'aria-expanded': 'false' },
    icon('columns', { size: 14 }), h('span', { class: 'btn-label' }, 'Columns'));
  const root = h('div', { class: 'menu-root' }, trigger, list);
  function draw() {
    const ids = getIds();
    replace(list, COLUMNS.filter((c) => !c.fixed).map((column) => {
      const box = h('input', { type: 'checkbox', checked: ids.includes(column.id), dataset: { column: column.id } });
      box.addEventListener('change', () => {
        const next = COLUMNS.filter((c) => c.fixed || (c.id === column.id ? box.checked : getIds().includes(c.id))).map((c) => c.id);
        onChange(next);
      });
      return h('label', { class: 'menu-item access-column-option', role: 'menuitemcheckbox', 'aria-checked': String(ids.includes(column.id)) }, box, h('span', null, column.label));
    }));
  }
  const close = (event) => {
    if (event && root.contains(event.target)) return;
    list.classList.remove('is-open');
    trigger.setAttribute('aria-expanded', 'false');
    document.removeEventListener('click', close);
  };
  trigger.addEventListener('click', (event) => {
    event.stopPropagation();
    if (list.classList.contains('is-open')) return close();
    draw();
    list.classList.add('is-open');
    trigger.setAttribute('aria-expanded', 'true');
    document.addEventListener('click', close);
  });
  return root;
}

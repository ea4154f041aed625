"""The panel contract of js/viewer/controller.js and js/access/controller.js, inside Chromium
on a page of the real server, with a stand-in connection and layout: panels mount into the
layout's slots in registration order, an unknown slot is refused, every panel handling a
message or event gets it in order, a pause holds back the picture but not the clipboard or a
message type no existing code knows, a new key exchange forgets the last SessionInfo, the
monitors and a refresh the old agent owed, and
stopping ends the connection before the panels stop, last registered first. The Access
filter matches names and ids, and the online/offline choice."""

HARNESS = """
async () => {
  const { ViewerController } = await import('/assets/js/viewer/controller.js');
  const log = [];
  const mounted = [];
  const layout = {
    mount(slot, elements) {
      if (!['tools', 'body'].includes(slot)) throw new Error(`no slot ${slot}`);
      mounted.push([slot, [elements].flat().filter(Boolean).map((e) => e.id)]);
    },
  };
  let handlers = null;
  const connection = {
    isConnected: true,
    start() { log.push('connection.start'); },
    stop() { log.push('connection.stop'); handlers.onState({ state: 'ended' }); },
    send(message) { log.push(`send ${message.type}`); },
    reconnectNow() {},
  };
  const controller = new ViewerController({
    session: { agentId: 'a1', mode: 'control', kind: 'agent', home: { href: '/', label: 'Back' } },
    layout,
    connect(h) { handlers = h; return connection; },
  });
  const el = (id) => Object.assign(document.createElement('div'), { id });
  const panel = (name, extra) => ({
    name,
    messages: {
      TileUpdate(m) { log.push(`${name} tile ${m.n}`); },
      MonitorLayout() { log.push(`${name} layout`); },
      ClipboardText(m) { log.push(`${name} clip ${m.text}`); },
      SessionInfo(m) { log.push(`${name} info ${m.secureAttention}`); },
    },
    events: {
      state(info) { log.push(`${name} state ${info.state}`); },
      opened(what) { log.push(`${name} opened ${what}`); },
    },
    stop() { log.push(`${name} stop`); },
    ...extra,
  });
  controller.register(panel('first', { mount: { tools: el('t1'), body: [el('b1'), null] } }));
  controller.register(panel('second', { mount: { tools: [el('t2'), el('t3')] } }));
  // A panel the others know nothing about: its own message type and its own event.
  controller.register({ name: 'chat', messages: { ChatText(m) { log.push(`chat ${m.text}`); } },
    events: { opened(what) { log.push(`chat saw opened ${what}`); } } });
  let badSlot = null;
  try { controller.register({ name: 'bad', mount: { nowhere: el('x') } }); } catch (err) { badSlot = err.message; }

  const steps = {};
  const step = (name, fn) => { log.length = 0; fn(); steps[name] = [...log]; };
  step('start', () => controller.start());
  step('dispatch', () => {
    controller.dispatch({ type: 'TileUpdate', n: 1 });
    controller.dispatch({ type: 'NoSuchMessage' });
    controller.emit('opened', 'files');
  });
  step('paused', () => {
    controller.setPaused(true);
    controller.dispatch({ type: 'TileUpdate', n: 2 });
    controller.dispatch({ type: 'ClipboardText', text: 'x' });
    controller.dispatch({ type: 'ChatText', text: 'hi' });
  });
  step('resumed', () => {
    controller.setPaused(false);
    controller.dispatch({ type: 'TileUpdate', n: 3 });
    controller.dispatch({ type: 'MonitorLayout' });
    controller.dispatch({ type: 'TileUpdate', n: 4 });
  });
  step('keyExchange', () => handlers.onState({ state: 'keyExchange' }));
  // A new key exchange while the old agent's refresh was awaited (the agent process was
  // replaced): the new stream is not held back for the old one, and its monitors are forgotten.
  step('rekeyed', () => {
    controller.setMonitors([{ x: 0, y: 0, width: 10, height: 10 }]);
    controller.setPaused(true);
    controller.dispatch({ type: 'TileUpdate', n: 5 });
    controller.setPaused(false);
    handlers.onState({ state: 'keyExchange' });
    log.push(`monitors ${controller.monitors.length}`);
    controller.dispatch({ type: 'TileUpdate', n: 6 });
  });
  step('stop', () => controller.stop());
  return { mounted, badSlot, steps };
}
"""


def test_viewer_panels_register_dispatch_and_stop_in_order(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/login")
    result = page.evaluate(HARNESS)
    assert result["mounted"] == [["tools", ["t1"]], ["body", ["b1"]], ["tools", ["t2", "t3"]]]
    assert result["badSlot"] == "no slot nowhere"
    steps = result["steps"]
    assert steps["start"] == ["first state connecting", "second state connecting", "connection.start"]
    assert steps["dispatch"] == ["first tile 1", "second tile 1", "first opened files", "second opened files", "chat saw opened files"]
    # Paused: the picture waits (and is dropped); the clipboard and the new panel's message do not.
    assert steps["paused"] == ["first clip x", "second clip x", "chat hi"]
    # Resumed after a drop: nothing of the old picture until the agent's full resend.
    assert steps["resumed"] == ["first layout", "second layout", "first tile 4", "second tile 4"]
    assert steps["keyExchange"] == ["first info keys", "second info keys", "first state keyExchange", "second state keyExchange"]
    assert steps["rekeyed"] == ["first info keys", "second info keys", "first state keyExchange", "second state keyExchange",
                                "monitors 0", "first tile 6", "second tile 6"]
    assert steps["stop"] == ["connection.stop", "first state ended", "second state ended", "second stop", "first stop"]


def test_access_row_cache_pages_and_query_string(server, new_page):
    """js/access/row-cache.js asks the server for the pages a visible range needs, once each, and drops
    answers to an older query; listParams() spells the query; columns.js falls back on a bad saved choice."""
    page = new_page()
    page.goto(f"{server.base_url}/login")
    result = page.evaluate("""async () => {
        const { RowCache } = await import('/assets/js/access/row-cache.js');
        const { listParams } = await import('/assets/js/access/controller.js');
        const { loadColumns } = await import('/assets/js/access/columns.js');
        const asked = [];
        const waiting = [];
        const cache = new RowCache((offset, limit) => new Promise((resolve) => {
            asked.push(offset);
            waiting.push(() => resolve({ total: 250, items: Array.from({ length: Math.min(limit, 250 - offset) }, (_, i) => ({ id: `r${offset + i}` })) }));
        }), { pageSize: 100 });
        cache.ensure(0, 30);
        cache.ensure(0, 30);  // in flight: not asked twice
        waiting.shift()();
        await new Promise((r) => setTimeout(r, 0));
        const first = [cache.total, cache.row(29)?.id, cache.row(130)?.id];
        cache.ensure(90, 210);  // pages 1 and 2
        const askedAfterScroll = [...asked];
        cache.reset();  // a new query: the answers in flight are dropped
        waiting.shift()(); waiting.shift()();
        await new Promise((r) => setTimeout(r, 0));
        const afterReset = [cache.total, cache.row(150)?.id];
        const storage = { getItem: () => '{not json', setItem() {} };
        const saved = { getItem: () => JSON.stringify(['os', 'nope', 'serial']), setItem() {} };
        return {
            first, askedAfterScroll, afterReset,
            params: listParams({ q: ' 8xk ', filter: "Company = 'A'", status: 'online', group: { field: 'Company', value: null }, smart: 'attention', sort: 'lastseen', order: 'desc' }, 200, 100),
            fallback: loadColumns(storage), chosen: loadColumns(saved),
        };
    }""")
    assert result["first"] == [250, "r29", None]
    assert result["askedAfterScroll"] == [0, 100, 200]
    assert result["afterReset"] == [None, None]
    assert result["params"] == ("q=8xk&filter=Company%20%3D%20'A'&status=online&group=Company%3A&smart=attention"
                                "&sort=lastseen&order=desc&offset=200&limit=100")
    assert result["fallback"] == ["name", "company", "site", "os", "user", "lastSeen"]
    assert result["chosen"] == ["name", "os", "serial"]

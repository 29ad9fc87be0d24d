#!/usr/bin/env node
// Conformance oracle: the official Phoenix LiveView client judges pylive's diffs.
//
// One long-lived process per test session. It reads JSON-lines requests on
// stdin and writes exactly one JSON-line response per request on stdout:
//
//   request  {"id": n, "mode": "merge"|"dom", "view_id": "phx-x",
//             "join": {...rendered...}, "diffs": [{...}, ...],
//             "expected": ["html after join", "html after diff 1", ...] | null,
//             "keep_cid_attrs": false, "raw": false, "timeout_ms": 20000,
//             // dom mode only, all optional:
//             "url": "...", "head": "...", "body": "...", "join_reply": {...}}
//   response {"id": n, "ok": bool, "steps": [{"step": i, "html": "...", "ok": bool, ...}],
//             "error": "client exception text" | null, "log": [...]}
//
// mode "merge": the client's own `Rendered` class (from the shipped ESM bundle)
//   merges the join and each diff. After every step the whole merged tree is
//   rendered with nothing skipped and compared with expected[step]; then the
//   tree is rendered the way the client really does it (toString with the
//   diff's cids, or the component-only path), so that render's exceptions and
//   side effects (template resolution, stream row clearing) happen as in a
//   browser. Children of phx-update="stream"/"append"/"prepend" containers live
//   in the DOM, not in the tree: use "dom" mode for those.
// mode "dom": the shipped browser bundles (phoenix.js + phoenix_live_view.js)
//   run in a fresh jsdom per case against a fake WebSocket that replays the
//   join reply and the diffs; after each step the main container's innerHTML
//   is compared with expected[step] parsed and re-serialised by the same DOM,
//   attributes sorted by name on both sides (morphdom adds new attributes in
//   reverse order; attribute order means nothing to a browser).
//
// A case fails on any HTML mismatch and on anything the client reports as an
// error: an exception (thrown while handling a frame, in a timer, or reported
// by jsdom), console.error, or an error-level LiveView diagnostic event.
// Nothing a case does can end the process; stdout carries responses only.

import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// stdout is the response channel: anything else the process prints goes to stderr.
const writeLine = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
for (const level of ["log", "info", "debug"]) console[level] = console.error.bind(console);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, "package.json"));
function pkgDir(name) {
  const dir = path.join(HERE, "node_modules", name);
  if (!fs.existsSync(dir)) {
    writeLine({ ready: false, error: `missing ${dir}: run \`npm ci\` in ${HERE}` });
    process.exit(2);
  }
  return dir;
}
const pkgVersion = (name) =>
  JSON.parse(fs.readFileSync(path.join(pkgDir(name), "package.json"), "utf8")).version;
const readStatic = (name, file) =>
  fs.readFileSync(path.join(pkgDir(name), "priv", "static", file), "utf8");

const VERSIONS = {
  node: process.versions.node,
  phoenix_live_view: pkgVersion("phoenix_live_view"),
  phoenix: pkgVersion("phoenix"),
  jsdom: pkgVersion("jsdom"),
};

// ---- per-case error collection ----------------------------------------------

const text = (e) => (e && e.stack ? String(e.stack) : String(e));
const describe = (args) =>
  args
    .map((a) => {
      if (typeof a === "string") return a;
      if (a instanceof Error) return text(a);
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(" ");

/** Collects what one case logs; `errors` are the entries that fail it. */
class CaseLog {
  constructor() {
    this.entries = [];
    this.errors = [];
  }
  add(kind, msg, fatal) {
    this.entries.push(fatal ? { kind, text: msg, error: true } : { kind, text: msg });
    if (fatal) this.errors.push(`${kind}: ${msg}`);
  }
}

let current = null; // the CaseLog of the case being run (requests run one at a time)
process.on("uncaughtException", (e) => current?.add("uncaught", text(e), true));
process.on("unhandledRejection", (e) => current?.add("unhandled-rejection", text(e), true));

// ---- normalisation and comparison -------------------------------------------

const ALWAYS_STRIPPED = ["data-phx-id", "data-phx-skip", "data-phx-stream"];
const CID_ATTRS = ["data-phx-component", "data-phx-view"];
const strippedAttrs = (keepCid) => (keepCid ? ALWAYS_STRIPPED : [...ALWAYS_STRIPPED, ...CID_ATTRS]);

/** String normalisation for merge mode (the client injects these right after the tag name). */
function normalizeString(html, keepCid) {
  let out = html;
  for (const a of strippedAttrs(keepCid)) {
    out = out.replace(new RegExp(`\\s${a}(?:="[^"]*")?(?=[\\s/>])`, "g"), "");
  }
  return out;
}

function compareStep(line, want, got) {
  line.ok = want === got;
  if (!line.ok) {
    let i = 0;
    while (i < want.length && want[i] === got[i]) i++;
    line.mismatch_at = i;
    line.expected = want;
    line.expected_context = want.slice(Math.max(0, i - 60), i + 60);
    line.actual_context = got.slice(Math.max(0, i - 60), i + 60);
  }
}

// ---- merge mode ---------------------------------------------------------------

// The ESM bundle keeps `Rendered` module-private (`var Rendered = class ...`), so
// we import the bundle's text with one export line appended, from a data: URL
// (nothing written to disk). Rendered reads `window` only for
// `"structuredClone" in window` and to dispatch diagnostic events.
const diagnostics = [];
globalThis.window = globalThis;
globalThis.dispatchEvent = (ev) => {
  diagnostics.push(ev && ev.detail);
  return true;
};
async function loadRendered() {
  const code = readStatic("phoenix_live_view", "phoenix_live_view.esm.js");
  for (const name of ["Rendered", "RenderingBuffer"]) {
    if (!new RegExp(`^var ${name} = `, "m").test(code)) {
      throw new Error(`phoenix_live_view bundle layout changed: no top-level 'var ${name}'`);
    }
  }
  const src =
    code.replace(/\/\/# sourceMappingURL=.*$/m, "") +
    "\nexport { Rendered as __Rendered, RenderingBuffer as __RenderingBuffer };\n" +
    "//# sourceURL=phoenix_live_view.esm.js\n"; // readable stack traces
  const mod = await import("data:text/javascript;base64," + Buffer.from(src).toString("base64"));
  return { Rendered: mod.__Rendered, RenderingBuffer: mod.__RenderingBuffer };
}
const { Rendered, RenderingBuffer } = await loadRendered();

const clone = (x) => JSON.parse(JSON.stringify(x));
function pruneInternal(node) {
  if (node && typeof node === "object") {
    delete node.magicId;
    delete node.newRender;
    delete node.reset;
    for (const k in node) pruneInternal(node[k]);
  }
  return node;
}

/** Renders a copy of the merged tree with change tracking off: the whole view, no skips. */
function fullRender(tree, viewId) {
  const snap = pruneInternal(clone(tree));
  const r = Object.create(Rendered.prototype);
  Object.assign(r, {
    viewId,
    rendered: snap,
    magicId: 0,
    bufferClass: () => RenderingBuffer,
    bufferPreMerge: [null, undefined],
  });
  const { buffer, streams } = r.recursiveToString(snap, snap.c || {}, null, false, {}, null);
  if (/\sdata-phx-skip/.test(buffer)) throw new Error("oracle bug: full render contains a skipped subtree");
  return { html: buffer, streams: [...streams] };
}

/** Runs the client's own render for this step, as View.onJoin / View.update do. */
function clientRender(rendered, diff, step) {
  if (step === 0) return rendered.toString().buffer;
  if (rendered.isComponentOnlyDiff(diff)) {
    return rendered.componentCIDs(diff).map((cid) => ({ cid, html: rendered.componentToString(cid).buffer }));
  }
  if (Object.keys(diff).length > 0) return rendered.toString(rendered.componentCIDs(diff)).buffer;
  return null; // empty diff: the client does not patch
}

function runMerge(req, log) {
  const viewId = req.view_id || "phx-oracle";
  const payloads = [req.join, ...(req.diffs || [])];
  const steps = [];
  let rendered = null;
  const savedConsole = { error: console.error, warn: console.warn };
  console.error = (...a) => log.add("console.error", describe(a), true);
  console.warn = (...a) => log.add("console.warn", describe(a), false);
  diagnostics.length = 0;
  try {
    for (let step = 0; step < payloads.length; step++) {
      const line = { step };
      steps.push(line);
      const { diff, title, reply, events } = Rendered.extract(clone(payloads[step]));
      if (title !== undefined) line.title = title;
      if (events.length) line.events = events;
      if (reply !== null) line.reply = reply;
      try {
        if (rendered === null) rendered = new Rendered(viewId, diff, () => RenderingBuffer);
        else rendered.mergeDiff(diff);
        // snapshot first: the client render resolves templates and empties
        // stream comprehensions in place, exactly as in the browser
        const full = fullRender(rendered.get(), viewId);
        line.html = normalizeString(full.html, req.keep_cid_attrs);
        if (full.streams.length) line.streams = full.streams;
        const client = clientRender(rendered, diff, step);
        if (req.raw) line.client = client;
      } catch (e) {
        line.error = text(e);
        log.add("exception", `step ${step}: ${text(e)}`, true);
        line.html ??= "";
      }
    }
  } finally {
    Object.assign(console, savedConsole);
  }
  for (const d of diagnostics) {
    if (d && d.level === "error") log.add("diagnostic", describe([d.code, d.message]), true);
  }
  if (req.expected) {
    for (const line of steps) {
      const want = req.expected[line.step];
      if (typeof want === "string") compareStep(line, normalizeString(want, req.keep_cid_attrs), line.html);
    }
  }
  return steps;
}

// ---- dom mode ---------------------------------------------------------------

const { JSDOM, VirtualConsole } = require("jsdom");
// compiled once, run in every case's fresh window
const SCRIPTS = [
  new vm.Script(readStatic("phoenix", "phoenix.js"), { filename: "phoenix.js" }),
  new vm.Script(readStatic("phoenix_live_view", "phoenix_live_view.js"), { filename: "phoenix_live_view.js" }),
];
// Timers at or below this delay are work the client still has to do before a
// step is settled; longer ones (heartbeat, push timeouts) are not waited for.
const SHORT_TIMER_MS = 100;
const realSetTimeout = globalThis.setTimeout;
const tick = (ms) => new Promise((r) => realSetTimeout(r, ms));
const immediate = () => new Promise((r) => setImmediate(r));

/**
 * A fresh jsdom window with the client bundles loaded and no LiveSocket yet.
 * Built per case, or ahead of time while the process is idle (see `takePage`).
 */
class Page {
  static optionsFor(req) {
    return { viewId: req.view_id || "phx-oracle", body: req.body, head: req.head, url: req.url };
  }

  constructor(opts) {
    this.key = JSON.stringify(opts);
    this.log = new CaseLog(); // replaced by the case's log in `takePage`
    this.pendingTimers = new Set();
    const vc = new VirtualConsole();
    vc.on("error", (...a) => this.log.add("console.error", describe(a), true));
    vc.on("warn", (...a) => this.log.add("console.warn", describe(a), false));
    vc.on("jsdomError", (e) => this.log.add("jsdomError", text(e), true));
    const body =
      opts.body ??
      `<div data-phx-main id="${opts.viewId}" data-phx-session="oracle" data-phx-static=""></div>`;
    // a <title>, as live_title renders one; without it the client would set
    // document.title to "undefined" when the join carries no title
    const head = opts.head ?? `<meta name="csrf-token" content="oracle"><title></title>`;
    this.dom = new JSDOM(`<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`, {
      url: opts.url || "http://localhost:4000/",
      runScripts: "outside-only",
      pretendToBeVisual: true,
      virtualConsole: vc,
    });
    this.window = this.dom.window;
    this.instrumentTimers();
    this.window.addEventListener("phx:live-view:diagnostic", (ev) => {
      const d = ev.detail || {};
      if (d.level === "error") this.log.add("diagnostic", describe([d.code, d.message]), true);
    });
    const ctx = this.dom.getInternalVMContext();
    for (const s of SCRIPTS) s.runInContext(ctx);
  }

  /** Tracks short timers so `settle` knows when the client is idle; rAF becomes a 0 ms timer. */
  instrumentTimers() {
    const w = this.window;
    const set = w.setTimeout.bind(w);
    const clear = w.clearTimeout.bind(w);
    const pending = this.pendingTimers;
    const guard = (fn, args) => {
      try {
        fn(...args);
      } catch (e) {
        this.log.add("exception", text(e), true);
      }
    };
    w.setTimeout = (fn, ms = 0, ...args) => {
      const id = set(() => {
        pending.delete(id);
        guard(fn, args);
      }, ms);
      if (Number(ms) <= SHORT_TIMER_MS || !ms) pending.add(id);
      return id;
    };
    w.clearTimeout = (id) => {
      pending.delete(id);
      clear(id);
    };
    w.requestAnimationFrame = (fn) => w.setTimeout(() => fn(w.performance.now()), 0);
    w.cancelAnimationFrame = (id) => w.clearTimeout(id);
  }
}

// One page built ahead of time, for the next dom case with the same options:
// it saves a third of a small case (an unused window shares nothing with any case).
let sparePage = null;

function takePage(req, log) {
  const opts = Page.optionsFor(req);
  let page = sparePage?.key === JSON.stringify(opts) ? sparePage : null;
  if (sparePage && !page) sparePage.window.close();
  sparePage = null;
  page ??= new Page(opts);
  for (const e of page.log.entries) log.entries.push(e); // whatever loading the bundles logged
  log.errors.push(...page.log.errors);
  page.log = log;
  return page;
}

function prepareSpare(req) {
  if (!sparePage) sparePage = new Page(Page.optionsFor(req));
}

/** One replay: a page, a LiveSocket and a fake WebSocket that replays a conversation. */
class DomCase {
  constructor(req, log) {
    this.req = req;
    this.log = log;
    this.strip = strippedAttrs(req.keep_cid_attrs);
    this.inbox = []; // frames (or the "open" event) waiting to reach the client
    this.ws = null;
    this.topic = null;
    this.joinRef = null;
    this.steps = []; // filled as the replay goes, kept when it aborts
    const page = takePage(req, log);
    this.window = page.window;
    this.pendingTimers = page.pendingTimers;
  }

  fakeWebSocketClass() {
    const self = this;
    return class FakeWebSocket {
      static CONNECTING = 0;
      static OPEN = 1;
      static CLOSING = 2;
      static CLOSED = 3;
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        this.bufferedAmount = 0;
        self.ws = this;
        self.inbox.push("open");
      }
      send(data) {
        self.onClientFrame(JSON.parse(data));
      }
      close(code) {
        this.readyState = 3;
        this.onclose?.({ code: code || 1000, wasClean: true });
      }
    };
  }

  reply(joinRef, ref, topic, response) {
    this.inbox.push([joinRef, ref, topic, "phx_reply", { status: "ok", response }]);
  }

  /** The fake server: joins with the recorded reply, acknowledges everything else. */
  onClientFrame([joinRef, ref, topic, event, payload]) {
    if (topic === "phoenix") return this.reply(null, ref, topic, {});
    this.log.add("sent", describe([topic, event, payload]), false);
    if (event === "phx_join" && topic.startsWith("lv:") && this.topic === null) {
      this.topic = topic;
      this.joinRef = joinRef;
      const response = this.req.join_reply ?? {
        rendered: this.req.join,
        liveview_version: VERSIONS.phoenix_live_view,
      };
      this.reply(joinRef, ref, topic, response);
    } else if (event === "cids_destroyed") {
      // the client prunes exactly the cids the server echoes back
      this.reply(joinRef, ref, topic, { cids: payload.cids });
    } else {
      this.reply(joinRef, ref, topic, {}); // events, cids_will_destroy, leave: no diff
    }
  }

  deliver(item) {
    try {
      if (item === "open") {
        this.ws.readyState = 1;
        this.ws.onopen?.({});
      } else {
        this.ws.onmessage?.({ data: JSON.stringify(item) });
      }
    } catch (e) {
      this.log.add("exception", text(e), true);
    }
  }

  /** Delivers queued frames until the client has nothing left to do (no frames, no short timers). */
  async settle(deadline) {
    let idle = 0;
    while (idle < 2) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the client to settle");
      if (this.inbox.length) {
        this.deliver(this.inbox.shift());
        idle = 0;
        await immediate();
      } else if (this.pendingTimers.size) {
        idle = 0;
        await tick(0);
      } else {
        idle++;
        await immediate();
      }
    }
  }

  canon(html) {
    const t = this.window.document.createElement("template");
    t.innerHTML = html;
    return this.serialize(t.content, t);
  }

  /**
   * Strips the client's bookkeeping attributes and sorts every element's
   * attributes by name: attribute order means nothing to a browser, and
   * morphdom adds an element's new attributes in reverse order.
   */
  serialize(root, holder) {
    for (const el of root.querySelectorAll("*")) {
      const attrs = [...el.attributes]
        .filter((a) => !this.strip.includes(a.name))
        .map((a) => [a.name, a.value, a.namespaceURI])
        .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      while (el.attributes.length) el.removeAttributeNode(el.attributes[0]);
      for (const [name, value, ns] of attrs) {
        if (ns) el.setAttributeNS(ns, name, value);
        else el.setAttribute(name, value);
      }
    }
    return holder.innerHTML;
  }

  snapshot(step) {
    const doc = this.window.document;
    const main = doc.querySelector("[data-phx-main]");
    const line = { step, html: "" };
    if (main) {
      if (this.req.raw) line.raw = main.innerHTML;
      const skipped = main.querySelectorAll("[data-phx-skip]").length;
      if (skipped) this.log.add("dom", `step ${step}: ${skipped} skipped shell(s) left in the DOM`, true);
      const copy = main.cloneNode(true);
      line.html = this.serialize(copy, copy);
    } else {
      this.log.add("dom", `step ${step}: no [data-phx-main] container`, true);
    }
    if (doc.title) line.title = doc.title;
    const want = this.req.expected?.[step];
    if (typeof want === "string") compareStep(line, this.canon(want), line.html);
    return line;
  }

  async run() {
    const w = this.window;
    const deadline = Date.now() + (this.req.timeout_ms || 20000);
    const steps = this.steps;
    const liveSocket = new w.LiveView.LiveSocket("/live", w.Phoenix.Socket, {
      transport: this.fakeWebSocketClass(),
      params: { _csrf_token: "oracle" },
    });
    try {
      liveSocket.connect();
      await this.settle(deadline);
      if (this.topic === null) throw new Error("the client never sent phx_join");
      steps.push(this.snapshot(0));
      for (const [i, diff] of (this.req.diffs || []).entries()) {
        this.deliver([this.joinRef, null, this.topic, "diff", diff]);
        await this.settle(deadline);
        steps.push(this.snapshot(i + 1));
      }
    } finally {
      try {
        liveSocket.disconnect();
      } catch {
        // the window is discarded anyway
      }
      w.close();
    }
    return steps;
  }
}

// ---- request loop -----------------------------------------------------------

async function handle(req) {
  const log = new CaseLog();
  current = log;
  let steps = [];
  let error = null;
  try {
    if (req.mode === "merge") steps = runMerge(req, log);
    else if (req.mode === "dom") {
      const c = new DomCase(req, log);
      steps = await c.run().catch((e) => {
        log.add("oracle", text(e), true);
        return c.steps;
      });
    } else throw new Error(`unknown mode ${JSON.stringify(req.mode)}`);
    // let stray callbacks of this case land in its own log
    await immediate();
  } catch (e) {
    log.add("oracle", text(e), true);
  } finally {
    current = null;
  }
  if (log.errors.length) error = log.errors.join("\n");
  const expectedCount = req.expected ? req.expected.length : null;
  const stepCount = 1 + (req.diffs || []).length;
  if (expectedCount !== null && expectedCount !== stepCount) {
    error = [error, `expected has ${expectedCount} entries for ${stepCount} steps`].filter(Boolean).join("\n");
  }
  const stepsOk = steps.length === stepCount && steps.every((s) => s.ok !== false && !s.error);
  return { id: req.id, ok: error === null && stepsOk, steps, error, log: log.entries };
}

writeLine({ ready: true, versions: VERSIONS });

let buffered = "";
let chain = Promise.resolve();
let queued = 0; // requests read but not answered yet
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let nl;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const raw = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    if (!raw.trim()) continue;
    queued++;
    chain = chain
      .then(async () => {
        let req;
        try {
          req = JSON.parse(raw);
        } catch (e) {
          return writeLine({ id: null, ok: false, steps: [], error: `bad request: ${text(e)}`, log: [] });
        }
        writeLine(await handle(req));
        // nothing waiting: build the next dom case's page while Python prepares it
        if (req.mode === "dom") setImmediate(() => queued === 0 && prepareSpare(req));
      })
      .catch((e) => {
        // never reached in practice (handle catches); keeps the chain alive regardless
        console.error("oracle: request loop error", e);
      })
      .finally(() => queued--);
  }
});
process.stdin.on("end", () => chain.then(() => process.exit(0)));

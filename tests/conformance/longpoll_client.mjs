#!/usr/bin/env node
// The official phoenix client (npm `phoenix`, its `LongPoll` transport) against a pylive server,
// for tests/conformance/test_longpoll_client.py. Node has no cookie jar: every fetch the
// transport makes carries the browser's cookie given in the config.
//
//   node longpoll_client.mjs '{"socket": "ws://host/live", "csrf": "…", "cookie": "…",
//                              "topic": "lv:phx-…", "join": {…}}'
//
// It reads commands on stdin, one a line, and writes one JSON line per thing that happened:
//   join replies  {"joined": {...}} (again after every rejoin), {"join_error": {...}}
//   "click"     → push a click on "inc"; {"clicked": {...reply...}}
//   "binary"    → a binary push on a topic nobody joined; {"binary_reply": {...}}
//   "close"     → disconnect and exit
// plus {"transport": "open"|"close"|"error", ...} for the socket's own events.
import readline from "node:readline";
import { Socket, LongPoll } from "phoenix";

const config = JSON.parse(process.argv[2]);
const realFetch = globalThis.fetch;
globalThis.fetch = (url, options = {}) =>
  realFetch(url, { ...options, headers: { ...(options.headers || {}), cookie: config.cookie } });

const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const socket = new Socket(config.socket, {
  transport: LongPoll,
  params: { _csrf_token: config.csrf },
  reconnectAfterMs: () => 200,
  rejoinAfterMs: () => 200,
});
socket.onOpen(() => say({ transport: "open" }));
socket.onClose((event) => say({ transport: "close", code: event && event.code }));
socket.onError((error) => say({ transport: "error", error: String(error) }));
socket.onMessage((msg) => {
  if (msg.ref === "binary-1") say({ binary_reply: msg.payload });
});
socket.connect();

const channel = socket.channel(config.topic, () => config.join);
channel
  .join()
  .receive("ok", (resp) => say({ joined: resp }))
  .receive("error", (resp) => say({ join_error: resp }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  switch (line.trim()) {
    case "click":
      channel
        .push("event", { type: "click", event: "inc", value: {} })
        .receive("ok", (resp) => say({ clicked: resp }));
      break;
    case "binary": {
      const bytes = new Uint8Array(70000).map((_, i) => i % 251);
      socket.push({ topic: "lvu:nobody", event: "chunk", payload: bytes.buffer, ref: "binary-1" });
      break;
    }
    case "close":
      socket.disconnect(() => process.exit(0));
      break;
  }
});

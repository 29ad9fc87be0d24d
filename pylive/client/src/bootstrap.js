// pylive bootstrap: connects the official Phoenix LiveView client to the pylive server.
//
// The page's layout provides these meta tags (pylive/layout.py, Page.head):
//   <meta name="pylive-socket" content="/live">   the socket path (under the app's mount prefix)
//   <meta name="csrf-token" content="...">        sent as the socket's _csrf_token param
//   <meta name="pylive-longpoll" content="2500">  the LiveSocket's `longPollFallbackMs`: after
//                                                 that long without a WebSocket, long-poll
//                                                 (absent with LiveApp(longpoll=False))
// This file runs after the official `Phoenix` and `LiveView` globals in the same bundle.
//
// Customise before the page finishes loading, from any script that runs before
// DOMContentLoaded (an inline script, or a `defer` script of your own):
//
//   window.pylive = window.pylive || {};
//   pylive.hooks = pylive.hooks || {};
//   pylive.hooks.Chart = { mounted() { ... } };   // phx-hook="Chart"
//   pylive.uploaders = { ... };                   // LiveSocket `uploaders`
//   pylive.params = { locale: "fr" };             // extra connect params (object or function)
//   pylive.options = { longPollFallbackMs: 5000 }; // any other LiveSocket option (wins)
//   pylive.autoConnect = false;                   // then call pylive.connect() yourself
//
// Stashed state (docs/stash.md): the server pushes a signed token per view as the
// `pylive:stash` event ({id, token}); it is kept here, in memory, and sent back as the `_stash`
// join param of that view, so that a rejoin after a reconnect (to a restarted server too)
// resumes from it. Memory, not sessionStorage: a reload renders a new page whose views have new
// ids, so a stored token could never be used again.
//
// After connecting, `pylive.liveSocket` (also `window.liveSocket`, the Phoenix convention for
// `liveSocket.enableDebug()` in the console) is the LiveSocket.
(function () {
  "use strict";
  var pylive = (window.pylive = window.pylive || {});
  pylive.hooks = pylive.hooks || {};
  pylive.uploaders = pylive.uploaders || {};

  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : null;
  }

  var stashes = {};
  window.addEventListener("phx:pylive:stash", function (event) {
    var detail = event.detail || {};
    if (typeof detail.id !== "string") return;
    if (typeof detail.token === "string") stashes[detail.id] = detail.token;
    else delete stashes[detail.id];
  });

  // A params *function*: with a plain object the client writes each view's join params into
  // it, and they would leak into the socket URL (phoenix's socket.js appends params to it).
  function params(el) {
    var extra = typeof pylive.params === "function" ? pylive.params(el) : pylive.params;
    var all = {};
    var key;
    for (key in extra || {}) all[key] = extra[key];
    all._csrf_token = meta("csrf-token");
    if (el && Object.prototype.hasOwnProperty.call(stashes, el.id)) all._stash = stashes[el.id];
    return all;
  }

  // The WebSocket src/preconnect.js opened while this bundle downloaded, adopted as the Phoenix
  // Socket's first transport when it is for the same URL and still opening or open: `new` of
  // this function returns that WebSocket, or a new one. Taken once, so reconnects open anew.
  function adoptPreconnected() {
    var early = pylive.preconnected;
    if (!early) return null;
    pylive.preconnected = null;
    if (early.readyState !== WebSocket.CONNECTING && early.readyState !== WebSocket.OPEN) {
      return null;
    }
    return early;
  }

  function PyliveWebSocket(url, protocols) {
    var early = adoptPreconnected();
    if (early && protocols === undefined && early.url === new URL(url, window.location.href).href) {
      if (early.readyState === WebSocket.OPEN) {
        // its open event is gone: replay it once the Socket has set its handlers (right after
        // this returns)
        Promise.resolve().then(function () {
          if (early.readyState === WebSocket.OPEN) early.dispatchEvent(new Event("open"));
        });
      }
      return early;
    }
    if (early) early.close();
    return new WebSocket(url, protocols);
  }

  /** Create the LiveSocket and connect it; returns it (the same one when called again). */
  pylive.connect = function () {
    if (pylive.liveSocket) return pylive.liveSocket;
    var path = meta("pylive-socket") || "/live";
    var options = {};
    var key;
    var fallback = meta("pylive-longpoll");
    if (fallback) options.longPollFallbackMs = Number(fallback);
    if (typeof WebSocket === "function") options.transport = PyliveWebSocket;
    for (key in pylive.options || {}) options[key] = pylive.options[key];
    options.hooks = pylive.hooks;
    options.uploaders = pylive.uploaders;
    options.params = params;
    var liveSocket = new LiveView.LiveSocket(path, Phoenix.Socket, options);
    pylive.liveSocket = liveSocket;
    window.liveSocket = liveSocket;
    liveSocket.connect();
    // not taken: the page has no live view to join, so the LiveSocket opened no socket
    var unused = adoptPreconnected();
    if (unused) unused.close();
    return liveSocket;
  };

  // DOMContentLoaded fires after every `defer` script ran, so hooks registered by scripts that
  // come after this one are still picked up.
  function autoConnect() {
    // a later script may have replaced window.pylive instead of extending it: adopt its
    // settings and give it what this bundle put on the original object
    var current = window.pylive;
    if (current && current !== pylive) {
      for (var key in pylive) if (!(key in current)) current[key] = pylive[key];
      current.hooks = current.hooks || {};
      current.uploaders = current.uploaders || {};
      pylive = current;
    }
    if (pylive.autoConnect !== false) pylive.connect();
    else {
      var early = adoptPreconnected(); // pylive.connect() opens its own when called
      if (early) early.close();
    }
  }
  // The layout loads this bundle `async` (pylive/layout.py): it runs as soon as it arrives,
  // possibly after DOMContentLoaded, and never holds back the first paint. Connect now if
  // DOMContentLoaded has fired (every `defer` script has run), else when it fires.
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (document.readyState === "complete" || (nav && nav.domContentLoadedEventStart > 0)) {
    autoConnect();
  } else {
    var once = false;
    var start = function () {
      if (once) return;
      once = true;
      autoConnect();
    };
    document.addEventListener("DOMContentLoaded", start);
    window.addEventListener("load", start);
  }
})();

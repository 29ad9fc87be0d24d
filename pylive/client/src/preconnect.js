// pylive preconnect: opens the live socket's WebSocket while the client bundle downloads.
//
// The layout writes this script inline at the top of the page's head (pylive/layout.py,
// Page.head; served as a file, loaded `async`, where the app's Content-Security-Policy allows
// no inline script). It opens the WebSocket the Phoenix Socket would open once the bundle has
// run (same URL: the socket path of <meta name="pylive-socket">, the CSRF token of
// <meta name="csrf-token">, `vsn=2.0.0`) and leaves it in `pylive.preconnected`; the bundle's
// bootstrap hands it to the Phoenix Socket as its first transport when the URLs match, and
// closes it otherwise. So the upgrade's round trip overlaps the bundle's download instead of
// following it. The server sends nothing on a socket before the client's first frame, so no
// message is missed meanwhile.
//
// Skipped without WebSocket, when this tab remembered the long-poll fallback (Phoenix's
// `phx:fallback:LongPoll` in sessionStorage), or when the bundle has connected already.
(function () {
  "use strict";
  if (typeof WebSocket !== "function") return;
  try {
    if (window.sessionStorage.getItem("phx:fallback:LongPoll")) return;
  } catch (e) {
    // storage disabled: the Phoenix Socket cannot remember a fallback either
  }
  var pylive = (window.pylive = window.pylive || {});
  if (pylive.liveSocket || pylive.preconnected) return;

  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : null;
  }

  var path = meta("pylive-socket");
  var token = meta("csrf-token");
  // an absolute path only (the layout writes one), as the Phoenix Socket resolves it
  if (!path || path.charAt(0) !== "/" || path.charAt(1) === "/" || token === null) return;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  pylive.preconnected = new WebSocket(
    scheme +
      window.location.host +
      path +
      "/websocket?_csrf_token=" +
      encodeURIComponent(token) +
      "&vsn=2.0.0",
  );
})();

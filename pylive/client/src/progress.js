// pylive page-loading bar: a thin bar at the top of the window while a live navigation, a
// form submit or a reconnect is pending (the client's phx:page-loading-start/-stop events).
//
// Shown only after a short delay, so that fast round trips never flash it. Colour and height
// follow the CSS custom properties --pylive-progress-color and --pylive-progress-height.
// Exposed as window.pylive.progress = {show, hide, delay}.
(function () {
  "use strict";
  var pylive = (window.pylive = window.pylive || {});

  var bar = null;
  var showTimer = null;
  var tickTimer = null;
  var fraction = 0;

  function element() {
    if (bar) return bar;
    bar = document.createElement("div");
    bar.id = "pylive-progress";
    bar.setAttribute("aria-hidden", "true");
    var style = bar.style;
    style.position = "fixed";
    style.top = "0";
    style.left = "0";
    style.zIndex = "2147483647";
    style.height = "var(--pylive-progress-height, 3px)";
    style.width = "0";
    style.background = "var(--pylive-progress-color, #29d)";
    style.boxShadow = "0 0 6px var(--pylive-progress-color, #29d)";
    style.transition = "width 200ms ease-out, opacity 300ms linear";
    style.opacity = "0";
    style.pointerEvents = "none";
    return bar;
  }

  function setWidth(value) {
    fraction = value;
    element().style.width = (value * 100).toFixed(2) + "%";
  }

  function start() {
    showTimer = null;
    var el = element();
    if (!el.isConnected) document.body.appendChild(el);
    el.style.opacity = "1";
    setWidth(0.1);
    // creep towards 95%: each tick covers a part of what is left
    tickTimer = setInterval(function () {
      setWidth(fraction + (0.95 - fraction) * 0.1);
    }, 200);
  }

  var progress = {
    /** Milliseconds a load must last before the bar appears. */
    delay: 200,

    /** Start the bar (after `delay`, or `ms` when given); repeated calls are no-ops. */
    show: function (ms) {
      if (showTimer !== null || tickTimer !== null) return;
      showTimer = setTimeout(start, typeof ms === "number" ? ms : progress.delay);
    },

    /** Finish the bar: fill it, then fade it out. */
    hide: function () {
      if (showTimer !== null) {
        clearTimeout(showTimer);
        showTimer = null;
      }
      if (tickTimer === null) return;
      clearInterval(tickTimer);
      tickTimer = null;
      setWidth(1);
      var el = element();
      el.style.opacity = "0";
      setTimeout(function () {
        if (tickTimer === null) setWidth(0);
      }, 300);
    },
  };

  pylive.progress = progress;
  window.addEventListener("phx:page-loading-start", function () {
    progress.show();
  });
  window.addEventListener("phx:page-loading-stop", function () {
    progress.hide();
  });
})();

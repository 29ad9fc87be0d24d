// pylive-ui.js: the keyboard behaviour of pylive.ui's components that JS commands cannot
// express, and the theme switch. Served by LiveApp next to pylive-ui.css (page.ui_head()).
// It registers its hooks in window.pylive.hooks before pylive connects (a `defer` script,
// like the client: pylive connects on DOMContentLoaded, after every deferred script).
//
//   UiTabs  (role="tablist")  ← → Home End: focus a tab and select it (APG tabs).
//   UiMenu  (menu button)     Enter Space ↓ ↑ open; ↓ ↑ Home End, a letter, Esc, Tab (APG menu
//                             button).
//   theme                     the `ui:theme` event (theme_switch) flips <html data-theme>,
//                             remembered in the pylive-ui-theme cookie, which the server
//                             renders (page.ui_theme).
//   tooltips                  Esc hides the tooltip shown (APG tooltip).
(function () {
  "use strict";
  var pylive = (window.pylive = window.pylive || {});
  var hooks = (pylive.hooks = pylive.hooks || {});

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function moveIndex(key, index, count) {
    if (key === "ArrowRight" || key === "ArrowDown") return (index + 1) % count;
    if (key === "ArrowLeft" || key === "ArrowUp") return (index - 1 + count) % count;
    if (key === "Home") return 0;
    if (key === "End") return count - 1;
    return null;
  }

  hooks.UiTabs = {
    mounted: function () {
      var list = this.el;
      list.addEventListener("keydown", function (e) {
        var tabs = all(list, '[role="tab"]');
        var index = tabs.indexOf(document.activeElement);
        if (index < 0 || e.key === "ArrowDown" || e.key === "ArrowUp") return;
        var next = moveIndex(e.key, index, tabs.length);
        if (next === null) return;
        e.preventDefault();
        tabs[next].focus();
        tabs[next].click(); // its phx-click (JS commands) selects it
      });
    },
  };

  hooks.UiMenu = {
    mounted: function () {
      var root = this.el;
      var hook = this;
      function button() {
        return root.querySelector('[aria-haspopup="menu"]');
      }
      function menu() {
        return root.querySelector('[role="menu"]');
      }
      function items() {
        return all(menu(), '[role="menuitem"]:not([aria-disabled="true"])');
      }
      function isOpen() {
        return button().getAttribute("aria-expanded") === "true";
      }
      // The menu opens and closes through its `hidden` attribute, which the client sets at
      // once; should a show or hide command be pending (display changes an animation frame
      // later), let it land first.
      function settled(fn, frames) {
        var shown = menu().offsetParent !== null;
        if (shown === isOpen() || (frames || 0) > 10) return fn();
        window.requestAnimationFrame(function () {
          settled(fn, (frames || 0) + 1);
        });
      }
      function open(last) {
        settled(function () {
          if (!isOpen()) button().click(); // its phx-click shows the menu
          settled(function () {
            var list = items();
            if (list.length) list[last ? list.length - 1 : 0].focus();
          });
        });
      }
      function close(refocus) {
        if (isOpen()) {
          hook.js().setAttribute(menu(), "hidden", "");
          hook.js().setAttribute(button(), "aria-expanded", "false");
        }
        if (refocus) button().focus();
      }
      root.addEventListener("keyup", function (e) {
        if (e.target === button() && e.key === " ") e.preventDefault();
      });
      root.addEventListener("keydown", function (e) {
        if (e.target === button()) {
          if (e.key === "ArrowDown" || e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            open(false);
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            open(true);
          } else if (e.key === "Escape") {
            close(true);
          }
          return;
        }
        var list = items();
        var index = list.indexOf(document.activeElement);
        if (index < 0) return;
        if (e.key === "Escape") {
          e.preventDefault();
          close(true);
          return;
        }
        if (e.key === "Tab") {
          close(false);
          return;
        }
        var next = moveIndex(e.key, index, list.length);
        if (next === null && e.key.length === 1 && /\S/.test(e.key)) {
          var letter = e.key.toLowerCase();
          for (var step = 1; step <= list.length; step++) {
            var candidate = list[(index + step) % list.length];
            if (candidate.textContent.trim().toLowerCase().indexOf(letter) === 0) {
              next = (index + step) % list.length;
              break;
            }
          }
        }
        if (next === null) return;
        e.preventDefault();
        list[next].focus();
      });
    },
  };

  // --- theme -------------------------------------------------------------------------
  var KEY = "pylive-ui-theme";
  var html = document.documentElement;
  function theme() {
    var chosen = html.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
      ? "dark"
      : "light";
  }
  function sync() {
    all(document, ".ui-theme-switch").forEach(function (el) {
      el.setAttribute("aria-pressed", theme() === "dark" ? "true" : "false");
    });
  }
  // The choice is a cookie, so that the server renders it (page.ui_theme on <html
  // data-theme>) and the page paints in it from the first frame. A layout that leaves it out
  // gets it from here, once this script has run.
  if (!html.hasAttribute("data-theme")) {
    var saved = document.cookie.match(new RegExp("(?:^|;\\s*)" + KEY + "=(light|dark)(?:;|$)"));
    if (saved) html.setAttribute("data-theme", saved[1]);
  }
  document.addEventListener("ui:theme", function () {
    var next = theme() === "dark" ? "light" : "dark";
    html.setAttribute("data-theme", next);
    var secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = KEY + "=" + next + "; path=/; max-age=31536000; samesite=lax" + secure;
    sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
  window.addEventListener("phx:page-loading-stop", sync);

  // --- tooltips: Esc hides the one shown until the pointer or focus leaves -------------
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    all(document, ".ui-tooltip-wrap:hover, .ui-tooltip-wrap:focus-within").forEach(function (el) {
      el.setAttribute("data-dismissed", "");
    });
  });
  function undismiss(e) {
    var wrap = e.target instanceof Element && e.target.closest(".ui-tooltip-wrap");
    if (wrap) wrap.removeAttribute("data-dismissed");
  }
  document.addEventListener("focusout", undismiss);
  document.addEventListener("mouseout", undismiss);
})();

// The theme chosen with theme_switch, on <html> before the first paint (page.ui_head()).
(function () {
  try {
    var saved = window.localStorage.getItem("pylive-ui-theme");
    if (saved === "light" || saved === "dark") {
      document.documentElement.setAttribute("data-theme", saved);
    }
  } catch (e) {
    // storage refused (privacy settings): the theme is not remembered
  }
})();

// Hooks of the gallery's hooks demo (gallery/hooks.py). pylive connects on DOMContentLoaded,
// after every `defer` script, so registering hooks here is in time.
window.pylive = window.pylive || {};
window.pylive.hooks = window.pylive.hooks || {};

window.pylive.hooks.LocalTime = {
  mounted() {
    this.format();
    this.pushEvent("locale", { locale: navigator.language });
    this.handleEvent("highlight", ({ id }) => {
      if (id !== this.el.id) return;
      this.el.classList.add("highlight");
      setTimeout(() => this.el.classList.remove("highlight"), 1000);
    });
  },
  updated() {
    this.format();
  },
  format() {
    const ms = Number(this.el.dataset.ms);
    this.el.textContent = new Date(ms).toLocaleString();
    this.el.dataset.formatted = "true";
  },
};

// The todo demo (gallery/todo.py): focus the element a server event names, after the patch,
// so keyboard users keep their place when a row is moved or its edit form closes.
window.addEventListener("phx:todo-focus", (event) => {
  document.getElementById(event.detail.id)?.focus();
});

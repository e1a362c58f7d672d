// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.querySelector("[data-nav]");
    if (toggle && nav) {
      nav.setAttribute("data-collapsed", "true");
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        nav.setAttribute("data-collapsed", String(open));
      });
    }
    document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
      var fallback = select.form && select.form.querySelector("[data-autosubmit-fallback]");
      if (fallback) { fallback.classList.add("visually-hidden"); }
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });

  // Ask before destructive actions: <form data-confirm="Are you sure?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
})();

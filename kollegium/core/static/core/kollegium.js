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
    // A table wider than its frame scrolls sideways: keyboard users must be able to reach
    // it (WCAG 2.1.1), so such a frame becomes a focusable region named by its caption.
    function focusableScrollers() {
      document.querySelectorAll(".table-wrap").forEach(function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          var caption = wrap.querySelector("caption");
          if (caption && !wrap.hasAttribute("aria-label")) {
            wrap.setAttribute("aria-label", caption.textContent.trim());
          }
          wrap.setAttribute("data-scroll-focus", "");
        } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
          ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (name) { wrap.removeAttribute(name); });
        }
      });
    }
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
    document.body.addEventListener("htmx:afterSettle", focusableScrollers);
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

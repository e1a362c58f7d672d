// The competence profile saves every change at once (issue 16).
//
// Each skill row is a form that htmx posts (and that posts normally without JavaScript, with
// its Save button). Here: a change of the level or a tick posts the row; typing
// in the evidence field posts it after a pause, on leaving the field, and when the page is left.
// After a save the row offers "Undo", which puts back what the row held before and saves that.
// The area counters are updated by the server's out-of-band swap.
(function () {
  "use strict";

  var editor = document.querySelector(".skill-editor");
  if (!editor || !window.htmx) {
    return;
  }
  editor.classList.add("autosave");
  var undoLabel = editor.getAttribute("data-undo") || "Undo";
  var undoneLabel = editor.getAttribute("data-undone") || "Undone";
  var TYPING_PAUSE_MS = 800;
  var saved = {}; // row id -> values last saved (what "Undo" goes back to, one step)
  var before = {}; // row id -> values before the save in flight
  var timers = {};

  function values(form) {
    return {
      level: form.elements.level.value,
      willing_to_share: form.elements.willing_to_share.checked,
      want_to_learn: form.elements.want_to_learn.checked,
      evidence: form.elements.evidence.value,
    };
  }

  function same(a, b) {
    return (
      a.level === b.level &&
      a.willing_to_share === b.willing_to_share &&
      a.want_to_learn === b.want_to_learn &&
      a.evidence === b.evidence
    );
  }

  function remember(form) {
    saved[form.id] = values(form);
  }

  // Only the row's status is replaced by the answer, never the fields: a tick made while the
  // previous change is on its way is kept, and saved next (one request per row at a time).
  editor.querySelectorAll("form.skill-row").forEach(function (form) {
    form.setAttribute("hx-select", ".save-status");
    form.setAttribute("hx-target", "find .save-status");
    form.setAttribute("hx-swap", "outerHTML");
    form.setAttribute("hx-sync", "this:queue last");
    remember(form);
  });

  function save(form) {
    clearTimeout(timers[form.id]);
    delete timers[form.id];
    var now = values(form);
    if (saved[form.id] && same(saved[form.id], now)) {
      return;
    }
    // What is sent counts as saved at once, so a change made while this one is on its way is
    // compared with it (and sent next) rather than with an older state.
    before[form.id] = saved[form.id];
    saved[form.id] = now;
    form.requestSubmit();
  }

  editor.addEventListener("change", function (event) {
    var form = event.target.closest("form.skill-row");
    if (form) {
      save(form);
    }
  });

  editor.addEventListener("input", function (event) {
    var form = event.target.closest("form.skill-row");
    if (form && event.target.name === "evidence") {
      clearTimeout(timers[form.id]);
      timers[form.id] = setTimeout(function () {
        save(form);
      }, TYPING_PAUSE_MS);
    }
  });

  // Leaving the page while a note is being typed: send it anyway.
  window.addEventListener("pagehide", function () {
    Object.keys(timers).forEach(function (id) {
      var form = document.getElementById(id);
      if (form) {
        clearTimeout(timers[id]);
        fetch(form.action, { method: "POST", body: new FormData(form), keepalive: true });
      }
    });
  });

  function offerUndo(form, previous) {
    var status = form.querySelector(".save-status");
    if (!status || !previous) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button undo";
    button.textContent = undoLabel;
    var name = form.querySelector(".skill-title");
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + (name ? name.textContent : "");
    button.appendChild(hidden);
    button.addEventListener("click", function () {
      form.elements.level.value = previous.level;
      form.elements.willing_to_share.checked = previous.willing_to_share;
      form.elements.want_to_learn.checked = previous.want_to_learn;
      form.elements.evidence.value = previous.evidence;
      form.dataset.undoing = "1";
      save(form);
    });
    status.appendChild(document.createTextNode(" "));
    status.appendChild(button);
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!sent || !sent.matches || !sent.matches("form.skill-row")) {
      return;
    }
    var form = document.getElementById(sent.id);
    var previous = before[sent.id];
    delete before[sent.id];
    if (!form || !event.detail.xhr) {
      return;
    }
    if (event.detail.xhr.status !== 200) {
      saved[sent.id] = previous; // refused: the next change sends the row again
      return;
    }
    form.classList.toggle("is-set", form.elements.level.value !== "");
    if (sent.dataset.undoing) {
      delete sent.dataset.undoing;
      var status = form.querySelector(".save-status");
      if (status) {
        status.textContent = undoneLabel;
      }
    } else {
      offerUndo(form, previous);
    }
  });

  // htmx swaps a 422 row too (its errors are in it).
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

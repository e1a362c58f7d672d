/* The meeting's agenda timer, shared by everyone in the meeting (issue 16).
 * Progressive enhancement: without JavaScript the agenda is a plain list with time boxes and
 * the timer's buttons are ordinary forms. With it, the timer counts down the current step,
 * highlights it and announces step changes, "one minute left" and "time is up" through an
 * aria-live region. Its state lives on the server (start, pause, step): a reload or another
 * person's page shows the same step and time, and every page asks for it every few seconds.
 * Keyboard: all controls are buttons; Alt+S start/pause, Alt+N next, Alt+P previous.
 * In a talk step the timer also shows who speaks, in running order (data-step-speakers). */
(function () {
  "use strict";

  var POLL_MS = 4000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    return sign + pad(Math.floor(s / 60)) + ":" + pad(s % 60);
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function init(root) {
    var timer = root.querySelector("[data-timer]");
    var steps = Array.prototype.slice.call(root.querySelectorAll("[data-step]"));
    if (!timer || steps.length === 0) { return; }
    var label = timer.dataset;
    var clock = timer.querySelector("[data-timer-clock]");
    var stepText = timer.querySelector("[data-timer-step]");
    var speakersText = timer.querySelector("[data-timer-speakers]");
    var announce = timer.querySelector("[data-timer-announce]");
    var runForm = timer.querySelector("[data-timer-run-form]");
    var toggle = timer.querySelector("[data-timer-toggle]");
    var prev = timer.querySelector("[data-timer-prev]");
    var next = timer.querySelector("[data-timer-next]");
    var reset = timer.querySelector("[data-timer-reset]");
    var state = {
      step: parseInt(label.stateStep, 10) || 0,
      elapsed: parseInt(label.stateElapsed, 10) || 0,
      running: label.stateRunning === "1",
      finished: label.stateFinished === "1",
      version: parseInt(label.stateVersion, 10) || 0
    };
    var since = Date.now();  // when state.elapsed was true
    var lastRemaining = null;
    var busy = false;

    function say(text) {
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = text; }, 50);
    }
    function index() { return Math.min(Math.max(state.step, 0), steps.length - 1); }
    function speakers(i) {
      var names = steps[i].dataset.stepSpeakers;
      return names ? label.labelSpeakers + ": " + names : "";
    }
    function remaining() {
      var run = state.running ? Math.floor((Date.now() - since) / 1000) : 0;
      return (parseInt(steps[index()].dataset.stepSeconds, 10) || 0) - state.elapsed - run;
    }

    function render() {
      var i = index();
      var left = remaining();
      clock.textContent = format(left);
      clock.classList.toggle("overtime", left < 0);
      if (speakersText) {
        speakersText.textContent = speakers(i);
        speakersText.hidden = !speakers(i);
      }
      stepText.textContent = state.finished ? label.labelDone :
        label.labelStep + " " + (i + 1) + " " + label.labelOf + " " + steps.length + ": " +
        steps[i].dataset.stepTitle;
      steps.forEach(function (step, j) {
        var current = j === i && !state.finished;
        step.classList.toggle("is-current", current);
        if (current) { step.setAttribute("aria-current", "step"); }
        else { step.removeAttribute("aria-current"); }
      });
      if (toggle) {
        toggle.textContent = state.running ? label.labelPause : label.labelStart;
        toggle.setAttribute("aria-pressed", state.running ? "true" : "false");
        toggle.disabled = state.finished;
        runForm.querySelector("[name=running]").value = state.running ? "0" : "1";
      }
      if (prev) {
        prev.disabled = i === 0 && !state.finished;
        prev.form.querySelector("[name=step]").value = state.finished ? i : Math.max(i - 1, 0);
      }
      if (next) {
        next.disabled = state.finished;
        next.form.querySelector("[name=step]").value = i + 1;
      }
      if (reset) { reset.form.querySelector("[name=step]").value = i; }
    }

    function tick() {
      var left = remaining();
      if (state.running && lastRemaining !== null) {
        if (lastRemaining > 60 && left <= 60 && left > 0) { say(label.labelOneMinute); }
        if (lastRemaining > 0 && left <= 0) { say(label.labelUp + ": " + steps[index()].dataset.stepTitle); }
      }
      lastRemaining = left;
      render();
    }

    function apply(next) {
      if (next.version === state.version && next.running === state.running) { return; }
      var stepChanged = next.step !== state.step || next.finished !== state.finished;
      state = next;
      since = Date.now();
      lastRemaining = null;
      if (stepChanged) {
        if (state.finished) { say(label.labelDone); }
        else {
          var i = index();
          say(label.labelNow + ": " + steps[i].dataset.stepTitle + (speakers(i) ? ". " + speakers(i) : ""));
        }
      }
      render();
    }

    function refresh() {
      return fetch(label.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { apply(data); } })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }

    function send(form) {
      if (busy) { return; }
      busy = true;
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }, redirect: "manual"
      }).then(refresh).then(function () { busy = false; }, function () { busy = false; });
    }

    timer.addEventListener("submit", function (event) {
      event.preventDefault();
      send(event.target);
    });
    document.addEventListener("keydown", function (event) {
      if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      var button = key === "s" ? toggle : key === "n" ? next : key === "p" ? prev : null;
      if (button && !button.disabled) { event.preventDefault(); send(button.form); }
    });
    window.setInterval(tick, 1000);
    window.setInterval(function () { if (!document.hidden) { refresh(); } }, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });

    timer.hidden = false;
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-agenda]"), init);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();

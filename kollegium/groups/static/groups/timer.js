/* Per-step meeting timer. Progressive enhancement: without JavaScript the agenda is a plain
 * list with time boxes. With it, a timer counts down the current step, highlights it, and
 * announces step changes, "one minute left" and "time is up" through an aria-live region.
 * Keyboard: all controls are buttons; Alt+S start/pause, Alt+N next, Alt+P previous.
 * In a talk step the timer also shows who speaks, in running order (data-step-speakers). */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    return sign + pad(Math.floor(s / 60)) + ":" + pad(s % 60);
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
    var toggle = timer.querySelector("[data-timer-toggle]");
    var prev = timer.querySelector("[data-timer-prev]");
    var next = timer.querySelector("[data-timer-next]");
    var reset = timer.querySelector("[data-timer-reset]");
    var index = 0;
    var remaining = parseInt(steps[0].dataset.stepSeconds, 10) || 0;
    var running = false;
    var handle = null;
    var warned = false;
    var finished = false;

    function say(text) {
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = text; }, 50);
    }

    function speakers(i) {
      var names = steps[i].dataset.stepSpeakers;
      return names ? label.labelSpeakers + ": " + names : "";
    }

    function render() {
      clock.textContent = format(remaining);
      if (speakersText) {
        speakersText.textContent = speakers(index);
        speakersText.hidden = !speakers(index);
      }
      clock.classList.toggle("overtime", remaining < 0);
      stepText.textContent = label.labelStep + " " + (index + 1) + " " + label.labelOf + " " +
        steps.length + ": " + steps[index].dataset.stepTitle;
      steps.forEach(function (step, i) {
        step.classList.toggle("is-current", i === index);
        if (i === index) { step.setAttribute("aria-current", "step"); }
        else { step.removeAttribute("aria-current"); }
      });
      toggle.textContent = running ? label.labelPause : label.labelStart;
      toggle.setAttribute("aria-pressed", running ? "true" : "false");
      prev.disabled = index === 0;
      next.disabled = index === steps.length - 1 && finished;
    }

    function tick() {
      remaining -= 1;
      if (remaining === 60 && !warned) { warned = true; say(label.labelOneMinute); }
      if (remaining === 0) { say(label.labelUp + ": " + steps[index].dataset.stepTitle); }
      render();
    }

    function setRunning(on) {
      running = on;
      if (handle) { window.clearInterval(handle); handle = null; }
      if (on) { handle = window.setInterval(tick, 1000); }
      render();
    }

    function go(to) {
      if (to >= steps.length) {
        finished = true;
        setRunning(false);
        say(label.labelDone);
        render();
        return;
      }
      index = Math.max(0, to);
      remaining = parseInt(steps[index].dataset.stepSeconds, 10) || 0;
      warned = false;
      finished = false;
      say(label.labelNow + ": " + steps[index].dataset.stepTitle +
        (speakers(index) ? ". " + speakers(index) : ""));
      render();
    }

    toggle.addEventListener("click", function () { setRunning(!running); });
    next.addEventListener("click", function () { go(index + 1); });
    prev.addEventListener("click", function () { go(index - 1); });
    reset.addEventListener("click", function () { go(index); });
    document.addEventListener("keydown", function (event) {
      if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      if (key === "s") { event.preventDefault(); setRunning(!running); }
      else if (key === "n") { event.preventDefault(); go(index + 1); }
      else if (key === "p") { event.preventDefault(); go(index - 1); }
    });

    timer.hidden = false;
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-agenda]"), init);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();

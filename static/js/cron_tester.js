// The cron cheatsheet's "Cron Expression Tester" (web spec §11.4): previews an
// expression with the server's cron preview, in the browser's time zone, and
// lets the "Common Cron Expressions" buttons load an example into it.
(function () {
  "use strict";
  var form = document.getElementById("cron-tester-form");
  if (!form) return;
  var input = document.getElementById("cron-expression");
  var preview = document.getElementById("cron-preview");
  var url = form.dataset.previewUrl;
  var tz = "UTC";
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { /* keep UTC */ }
  var zoneNote = document.getElementById("cron-tester-zone");
  if (zoneNote) zoneNote.textContent = " (" + tz + ")";

  var latest = 0, shown = null, timer = null;

  function update() {
    var schedule = input.value.trim();
    if (!url || !schedule || schedule === shown) return;
    var mine = ++latest;
    hc.post(url, { schedule: schedule, tz: tz })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (mine !== latest) return; // A newer expression was typed meanwhile.
        shown = schedule;
        preview.innerHTML = html;
        if (hc.dates && hc.dates.fill) hc.dates.fill(preview, tz);
      })
      .catch(function () {
        if (mine !== latest) return;
        shown = null;
        preview.textContent = "The preview could not be loaded. Please try again.";
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  }

  input.addEventListener("input", soon);
  input.addEventListener("keyup", soon);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });

  document.querySelectorAll(".cron-try").forEach(function (button) {
    button.addEventListener("click", function () {
      input.value = button.dataset.expr;
      var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      form.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
      input.focus({ preventScroll: true });
      update();
    });
  });

  update();
})();

// The event log (web spec §8): filters reload the rows, the slider picks the
// newest time shown, and while it is at "now" new events are prepended.
(function () {
  "use strict";
  var root = document.getElementById("log");
  if (!root) return;
  var form = document.getElementById("log-filters");
  var slider = document.getElementById("log-end");
  var sliderValue = document.getElementById("log-end-value");
  var table = document.getElementById("log-table");
  var body = document.getElementById("log-body");
  var empty = document.getElementById("log-empty");
  var count = document.getElementById("log-count");
  var lastEvent = root.dataset.lastEvent;
  var inFlight = null;
  // Bumped by every filter change, so a late live answer is dropped.
  var generation = 0;

  function atNow() { return slider.value === slider.max; }

  function params() {
    var query = new URLSearchParams();
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.checked) query.set(box.name, "on");
    });
    if (!atNow()) query.set("end", slider.value);
    return query;
  }

  function showSliderValue() {
    sliderValue.textContent = atNow()
      ? "now, live updates"
      : hc.dates.format(new Date(slider.value * 1000), "full", hc.eventRows.zone());
  }

  function refreshCount() {
    var n = table.querySelectorAll("tr.event").length;
    count.textContent = n;
    table.classList.toggle("d-none", n === 0);
    empty.classList.toggle("d-none", n !== 0);
  }

  function fetchRows(query, signal) {
    return fetch(root.dataset.eventsUrl + "?" + query, { credentials: "same-origin", signal: signal })
      .then(function (r) {
        if (!r.ok) throw r.status;
        var newest = r.headers.get("X-Last-Event-Timestamp");
        return r.text().then(function (html) { return { html: html, newest: newest }; });
      });
  }

  function reload() {
    generation += 1;
    if (inFlight) inFlight.abort();
    var controller = inFlight = new AbortController();
    fetchRows(params(), controller.signal)
      .then(function (answer) {
        table.querySelectorAll("tbody.new-events").forEach(function (t) { t.remove(); });
        body.innerHTML = answer.html;
        if (answer.newest) lastEvent = answer.newest;
        hc.eventRows.fill(body);
        refreshCount();
      })
      .catch(function () {})
      .then(function () { if (inFlight === controller) inFlight = null; });
  }

  form.addEventListener("change", function (event) {
    if (event.target === slider) return;
    reload();
  });
  slider.addEventListener("input", showSliderValue);
  slider.addEventListener("change", reload);
  document.addEventListener("hc:zone", showSliderValue);

  // Live updates: only at "now" and while no filter request is running.
  hc.adaptivePoll(function (signal) {
    if (!atNow() || inFlight) return Promise.resolve();
    var started = generation;
    var query = params();
    query.set("u", lastEvent);
    return fetchRows(query, signal).then(function (answer) {
      if (started !== generation || !answer.newest || !answer.html.trim()) return;
      var fresh = document.createElement("tbody");
      fresh.className = "new-events";
      fresh.innerHTML = answer.html;
      table.insertBefore(fresh, table.tBodies[0]);
      lastEvent = answer.newest;
      hc.eventRows.fill(fresh);
      refreshCount();
    });
  });
})();

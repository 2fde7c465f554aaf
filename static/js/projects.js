// Projects overview: keep the status icons, running dots and favicon current.
(function () {
  "use strict";
  var grid = document.getElementById("projects");
  if (!grid) return;

  var VISIBLE_DELAY = 2000;
  var HIDDEN_DELAY = 60000;
  var TIMEOUT = 2000;
  var timer = null;

  function apply(data) {
    var anyDown = false;
    grid.querySelectorAll(".project-card[data-code]").forEach(function (card) {
      // Projects without checks are absent from the answer: they count as up.
      var state = data[card.dataset.code] || { status: "up", started: false };
      hc.setStatusIcon(card.querySelector(".status-icon"), state.status);
      card.querySelector(".running-dots").classList.toggle("d-none", !state.started);
      if (state.status === "down") anyDown = true;
    });
    var favicon = document.getElementById("favicon");
    if (favicon) {
      var href = anyDown ? favicon.dataset.down : favicon.dataset.up;
      if (favicon.getAttribute("href") !== href) favicon.setAttribute("href", href);
    }
  }

  function poll() {
    var controller = new AbortController();
    var abort = setTimeout(function () { controller.abort(); }, TIMEOUT);
    fetch(grid.dataset.refreshUrl, { credentials: "same-origin", signal: controller.signal })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(apply)
      // A missed update is harmless: the next poll catches up.
      .catch(function () {})
      .then(function () { clearTimeout(abort); schedule(); });
  }

  function schedule(delay) {
    clearTimeout(timer);
    if (delay === undefined) delay = document.hidden ? HIDDEN_DELAY : VISIBLE_DELAY;
    timer = setTimeout(poll, delay);
  }

  document.addEventListener("visibilitychange", function () {
    // Back on the tab: refresh at once rather than after the slow delay.
    schedule(document.hidden ? HIDDEN_DELAY : 0);
  });
  schedule();
})();

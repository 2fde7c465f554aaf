// Event lists of the details and log pages (web spec §7.4): the time zone
// switcher reformats every date, and a click on a ping row opens its details.
(function () {
  "use strict";

  function zone() {
    var active = document.querySelector(".tz-switcher .active");
    return active ? active.dataset.tz : "UTC";
  }

  function fill(root) {
    hc.dates.fill(root || document, zone());
  }

  function choose(button) {
    button.closest(".tz-switcher").querySelectorAll("button").forEach(function (b) {
      var on = b === button;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    fill(document);
    document.dispatchEvent(new CustomEvent("hc:zone", { detail: zone() }));
  }

  function openPing(row) {
    var table = row.closest("[data-pings-url]");
    if (!table || !window.hc.pingDetails) return;
    hc.pingDetails.open(table.dataset.pingsUrl + row.dataset.n + "/");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tz-switcher button");
    if (button) { choose(button); return; }
    var row = event.target.closest("tr.ping-row");
    // Selecting text in a row is not a request to open it.
    if (row && !String(window.getSelection())) openPing(row);
  });

  document.addEventListener("DOMContentLoaded", function () { fill(document); });

  window.hc = window.hc || {};
  window.hc.eventRows = { zone: zone, fill: fill };
})();

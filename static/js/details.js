// The check details page (web spec §7.1-§7.4): live status and events,
// "Ping Now!", integration toggles, usage example copy buttons.
(function () {
  "use strict";
  var root = document.getElementById("details");
  if (!root) return;
  var updated = root.dataset.updated;
  var statusText = "";

  function byId(id) { return document.getElementById(id); }

  function apply(data) {
    var icon = document.querySelector("#current-status .status-icon");
    // setStatusIcon() resets the class list: keep the icon large.
    hc.setStatusIcon(icon, data.status);
    var dots = document.querySelector("#current-status .running-dots");
    if (dots) dots.classList.toggle("hidden", !data.started);
    if (data.status_text !== statusText) {
      statusText = data.status_text;
      byId("status-text").innerHTML = data.status_text;
    }
    var pause = byId("pause-button");
    if (pause) pause.disabled = data.status === "paused";
    if (data.events !== undefined) {
      var body = byId("events-body");
      body.innerHTML = data.events;
      var empty = !body.querySelector("tr");
      byId("events-table").classList.toggle("d-none", empty);
      byId("events-empty").classList.toggle("d-none", !empty);
      hc.eventRows.fill(body);
    }
    if (data.downtimes !== undefined) byId("downtimes").innerHTML = data.downtimes;
    if (document.title !== data.title) document.title = data.title;
    hc.setFavicon(data.status === "down");
    updated = data.updated;
  }

  var poller = hc.adaptivePoll(function (signal) {
    var url = root.dataset.statusUrl + "?u=" + encodeURIComponent(updated);
    return hc.getJSON(url, signal).then(apply);
  }, { immediate: true });

  // "Ping Now!" pings the check straight from the browser: the ping
  // endpoint allows cross-origin requests.
  var pingNow = byId("ping-now");
  if (pingNow) {
    var label = pingNow.textContent;
    pingNow.addEventListener("click", function () {
      pingNow.disabled = true;
      fetch(pingNow.dataset.url, { method: "POST", mode: "cors", credentials: "omit" })
        .then(function (r) {
          if (!r.ok) throw r.status;
          pingNow.textContent = "Success!";
          pingNow.classList.add("btn-success");
          poller.now();
        })
        .catch(function () { pingNow.textContent = "Ping failed"; })
        .then(function () { pingNow.disabled = false; });
    });
    pingNow.addEventListener("mouseleave", function () {
      setTimeout(function () {
        pingNow.textContent = label;
        pingNow.classList.remove("btn-success");
      }, 300);
    });
  }

  // Integration rows switch at once; a refused request switches them back.
  function setChannel(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    var badge = button.querySelector(".on-off");
    badge.classList.toggle("on", on);
    badge.textContent = on ? "ON" : "OFF";
    var name = button.querySelector(".channel-name").textContent;
    button.setAttribute("aria-label", "Alerts through " + name + ": " + (on ? "on" : "off"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".channel-row[data-url]");
    if (!button) return;
    var on = button.getAttribute("aria-pressed") !== "true";
    setChannel(button, on);
    hc.post(button.dataset.url, { state: on ? "on" : "off" })
      .then(function (r) { if (!r.ok) throw r.status; })
      .catch(function () { setChannel(button, !on); });
  });

  // Copy buttons of the usage examples.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".copy-snippet");
    if (!button || !navigator.clipboard) return;
    var code = button.parentElement.querySelector("pre");
    navigator.clipboard.writeText(code.innerText.replace(/\n$/, "")).then(function () {
      var tip = bootstrap.Tooltip.getOrCreateInstance(button, { title: "Copied", trigger: "manual" });
      tip.show();
      setTimeout(function () { tip.hide(); }, 1200);
    });
  });

  // Alert emails link to "#ping-<n>": open that ping right away.
  var match = /^#ping-(\d+)$/.exec(window.location.hash);
  if (match) {
    document.addEventListener("DOMContentLoaded", function () {
      hc.pingDetails.open(root.dataset.pingsUrl + match[1] + "/");
    });
  }
})();

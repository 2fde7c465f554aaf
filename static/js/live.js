// Shared by the pages that update themselves (checks, details, log, projects).
// Adaptive polling (web spec §6.6): one poll a minute always, and a poll every
// 3 s while the user is active: 20 fast polls, refilled by mouse movement and
// whenever the tab becomes visible, emptied when it is hidden.
(function () {
  "use strict";
  var SLOW_MS = 60000, FAST_MS = 3000, QUOTA = 20, TIMEOUT_MS = 2000;

  // run(signal) must return a Promise; it is aborted after 2 s, and its
  // failures are ignored (the next poll tries again).
  function adaptivePoll(run, options) {
    options = options || {};
    var quota = QUOTA, busy = false;
    function tick() {
      if (busy) return;
      busy = true;
      var controller = new AbortController();
      var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
      Promise.resolve()
        .then(function () { return run(controller.signal); })
        .catch(function () {})
        .then(function () { clearTimeout(timer); busy = false; });
    }
    function fast() {
      if (quota > 0) { quota -= 1; tick(); }
      setTimeout(fast, FAST_MS);
    }
    document.addEventListener("mousemove", function () { quota = QUOTA; });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { quota = QUOTA; tick(); } else { quota = 0; }
    });
    setInterval(tick, SLOW_MS);
    if (options.immediate) tick();
    setTimeout(fast, FAST_MS);
    return { now: tick };
  }

  // Fetch JSON with the poll's abort signal; rejects on non-2xx answers.
  function getJSON(url, signal) {
    return fetch(url, { credentials: "same-origin", signal: signal, headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); });
  }

  // Status icons: the same classes as templates/front/status_icon.html.
  var ICONS = {
    "new": "bi-check-circle", "up": "bi-check-circle-fill", "grace": "bi-exclamation-circle-fill",
    "down": "bi-bell-fill", "paused": "bi-bell-slash", "started": "bi-check-circle"
  };
  var LABELS = { "new": "New", "up": "Up", "grace": "Late", "down": "Down", "paused": "Paused", "started": "Started" };
  function setStatusIcon(el, status) {
    if (!el || el.dataset.status === status) return false;
    var large = el.classList.contains("lg");
    el.className = "status-icon bi " + (ICONS[status] || "") + " " + status + (large ? " lg" : "");
    el.dataset.status = status;
    el.setAttribute("aria-label", LABELS[status] || status);
    return true;
  }

  // The favicon turns red while something is down.
  function setFavicon(down) {
    var link = document.getElementById("favicon");
    if (!link) return;
    var href = down ? link.dataset.down : link.dataset.up;
    if (href && link.getAttribute("href") !== href) link.setAttribute("href", href);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // POST form fields with the CSRF header; resolves to the Response.
  function post(url, fields) {
    var body = new URLSearchParams(fields || {});
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }
    });
  }

  window.hc = window.hc || {};
  window.hc.adaptivePoll = adaptivePoll;
  window.hc.getJSON = getJSON;
  window.hc.setStatusIcon = setStatusIcon;
  window.hc.setFavicon = setFavicon;
  window.hc.csrfToken = csrfToken;
  window.hc.post = post;
})();

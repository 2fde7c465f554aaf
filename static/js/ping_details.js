// The ping details dialog (web spec §7.7). Other pages use it too:
//   hc.pingDetails.open(url, {earlierUrl: "/checks/<code>/log/"})
// The body is HTML from hc-ping-details or hc-last-ping. An email's HTML part
// is cleaned with DOMPurify and shown in a sandboxed iframe (no scripts, no
// same-origin access) loaded from a Blob URL.
(function () {
  "use strict";
  var modalEl, modal, body, earlier, controller, purify;

  function setup() {
    if (modalEl) return true;
    modalEl = document.getElementById("ping-details-modal");
    if (!modalEl) return false;
    modal = bootstrap.Modal.getOrCreateInstance(modalEl);
    body = document.getElementById("ping-details-body");
    earlier = document.getElementById("ping-details-earlier");
    return true;
  }

  function loadPurify() {
    if (window.DOMPurify) return Promise.resolve(window.DOMPurify);
    if (!purify) {
      purify = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = modalEl.dataset.purifyUrl;
        script.onload = function () { resolve(window.DOMPurify); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return purify;
  }

  function showHtml(root) {
    var source = root.querySelector("#ping-html-source");
    var frame = root.querySelector("iframe.email-html");
    if (!source || !frame) return;
    loadPurify().then(function (DOMPurify) {
      var clean = DOMPurify.sanitize(JSON.parse(source.textContent), { USE_PROFILES: { html: true } });
      var url = URL.createObjectURL(new Blob([clean], { type: "text/html;charset=utf-8" }));
      frame.addEventListener("load", function () { URL.revokeObjectURL(url); }, { once: true });
      frame.src = url;
    });
  }

  function spinner() {
    return '<div class="text-center p-4"><div class="spinner-border text-secondary" role="status">' +
      '<span class="visually-hidden">Loading…</span></div></div>';
  }

  function open(url, options) {
    if (!setup()) return;
    options = options || {};
    earlier.classList.toggle("d-none", !options.earlierUrl);
    if (options.earlierUrl) earlier.href = options.earlierUrl;
    body.innerHTML = spinner();
    modal.show();
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url, { credentials: "same-origin", signal: controller.signal })
      .then(function (r) {
        // A ping that is gone answers 404 with a "Not Found" body to show.
        if (!r.ok && r.status !== 404) throw r.status;
        return r.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        showHtml(body);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        body.innerHTML = '<p class="mb-0">The details could not be loaded. Please try again.</p>';
      });
  }

  window.hc = window.hc || {};
  window.hc.pingDetails = { open: open };
})();

// The badge generator (web spec §10): every change asks the server for a new
// preview; a JSON badge's document is then fetched from its public URL.
(function () {
  "use strict";
  var form = document.getElementById("badge-form");
  var preview = document.getElementById("badge-preview");
  if (!form || !preview) return;
  var latest = 0;

  function fillJson(root) {
    var pre = root.querySelector("pre[data-json-url]");
    if (!pre) return;
    fetch(pre.dataset.jsonUrl, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (doc) { pre.textContent = JSON.stringify(doc, null, 2); })
      .catch(function () { pre.textContent = "Could not load the JSON document."; });
  }

  function update() {
    var request = ++latest;
    var fields = new URLSearchParams(new FormData(form));
    preview.setAttribute("aria-busy", "true");
    hc.post(form.dataset.url, fields)
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (request !== latest) return;  // a newer choice is on its way
        preview.innerHTML = html;
        fillJson(preview);
        hc.initCopyTooltips(preview);
      })
      .catch(function () {
        if (request === latest) preview.innerHTML = '<p class="text-danger" role="alert">Could not update the preview. Please try again.</p>';
      })
      .then(function () { if (request === latest) preview.removeAttribute("aria-busy"); });
  }

  // Picking a tag or a check also picks the option it belongs to.
  [["badge-tag", "target-tag"], ["badge-check", "target-check"]].forEach(function (pair) {
    var select = document.getElementById(pair[0]);
    if (select) select.addEventListener("change", function () { document.getElementById(pair[1]).checked = true; });
  });
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  fillJson(preview);
})();

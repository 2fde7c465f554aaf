// The integrations' add/edit forms (web spec §9.3).
(function () {
  "use strict";
  // After a failed save, bring the first field with an error into view.
  var invalid = document.querySelector("#integration-form [aria-invalid=true]");
  if (invalid) {
    invalid.scrollIntoView({ block: "center", behavior: "instant" });
    invalid.focus({ preventScroll: true });
  }

  // Webhooks (integrations spec §3.2.2): a request body goes with POST or PUT
  // only, so typing one while the method is GET switches it to POST, and the
  // hint under the body shows only while the method is GET.
  document.querySelectorAll(".webhook-column").forEach(function (column) {
    var method = column.querySelector("select.webhook-method");
    var body = column.querySelector("textarea[name^=body_]");
    var hint = column.querySelector(".body-hint");
    if (!method || !body) return;
    function showHint() { if (hint) hint.hidden = method.value !== "GET"; }
    body.addEventListener("input", function () {
      if (body.value && method.value === "GET") {
        method.value = "POST";
        showHint();
      }
    });
    method.addEventListener("change", showHint);
    showHint();
  });
})();

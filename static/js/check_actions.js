// The check's dialogs (templates/front/check_modals/): the Transfer dialog's
// lazily loaded body and the Filtering Rules form's live keyword toggling.
(function () {
  "use strict";

  // Transfer (web spec §7.6): the project list is fetched when the pointer
  // first enters, or clicks, a button opening the dialog.
  var transfer = document.getElementById("transfer-modal");
  if (transfer) {
    var loading = null;
    var load = function () {
      if (loading) return;
      var slot = transfer.querySelector(".transfer-slot");
      loading = fetch(transfer.dataset.url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          slot.innerHTML = html;
          var select = slot.querySelector("select[name=project]");
          var submit = slot.querySelector(".transfer-submit");
          if (select && submit) {
            select.addEventListener("change", function () { submit.disabled = !select.value; });
          }
        })
        .catch(function () {
          loading = null; // try again next time
          slot.innerHTML = '<div class="modal-body"><p class="text-danger mb-0">The project list could not be loaded. Please try again.</p></div>';
        });
    };
    var selector = '[data-bs-target="#transfer-modal"]';
    document.querySelectorAll(selector).forEach(function (button) {
      button.addEventListener("pointerenter", load);
      button.addEventListener("focus", load);
    });
    transfer.addEventListener("show.bs.modal", load);
  }

  // Filtering Rules (web spec §7.5): keywords and the no-match choice only
  // apply when some content is filtered.
  document.querySelectorAll(".filtering-rules-form").forEach(function (form) {
    var sources = form.querySelectorAll(".filter-source");
    function toggle() {
      var on = Array.prototype.some.call(sources, function (box) { return box.checked; });
      form.querySelectorAll(".filter-keyword").forEach(function (input) { input.disabled = !on; });
    }
    sources.forEach(function (box) { box.addEventListener("change", toggle); });
    toggle();
  });
})();

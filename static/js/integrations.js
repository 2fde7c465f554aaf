// The integrations page (web spec §9.2): the details (rename), assign-checks
// and remove dialogs, and tooltips.
(function () {
  "use strict";

  function initTooltips(root) {
    if (!window.bootstrap) return;
    root.querySelectorAll("[data-bs-toggle=tooltip]").forEach(function (el) {
      bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }
  initTooltips(document);

  // Integration Details: the name, and kind-specific details from a <template>.
  var details = document.getElementById("channel-details-modal");
  if (details) {
    details.addEventListener("show.bs.modal", function (event) {
      var button = event.relatedTarget;
      if (!button) return;
      var form = document.getElementById("channel-details-form");
      var input = document.getElementById("channel-name-input");
      var extra = document.getElementById("channel-details-extra");
      var edit = document.getElementById("channel-details-edit");
      form.action = button.dataset.url;
      input.value = button.dataset.name || "";
      input.placeholder = button.dataset.placeholder || "";
      extra.replaceChildren();
      var source = button.dataset.details && document.getElementById(button.dataset.details);
      if (source) extra.appendChild(source.content.cloneNode(true));
      if (source && button.dataset.editUrl) {
        edit.href = button.dataset.editUrl;
        edit.textContent = "Edit " + button.dataset.kindLabel + " Parameters…";
        edit.classList.remove("d-none");
      } else {
        edit.classList.add("d-none");
      }
    });
  }

  // Remove: name the kind in the question, post to the row's URL.
  var remove = document.getElementById("remove-channel-modal");
  if (remove) {
    remove.addEventListener("show.bs.modal", function (event) {
      var button = event.relatedTarget;
      if (!button) return;
      document.getElementById("remove-channel-form").action = button.dataset.url;
      remove.querySelector(".remove-kind").textContent = button.dataset.kindLabel;
    });
  }

  // Assign checks: the dialog's content comes from the server each time.
  var assign = document.getElementById("assign-modal");
  var dialog = document.getElementById("assign-dialog");
  var loading = dialog ? dialog.innerHTML : "";

  function boxes() {
    return Array.prototype.slice.call(dialog.querySelectorAll(".assign-row input[type=checkbox]"));
  }

  function refresh() {
    var all = boxes();
    var ticked = all.filter(function (box) { return box.checked; }).length;
    var count = dialog.querySelector(".assign-count");
    if (count) count.textContent = ticked;
    var selectAll = dialog.querySelector("[data-assign=all]");
    var unselectAll = dialog.querySelector("[data-assign=none]");
    if (selectAll) selectAll.disabled = ticked === all.length;
    if (unselectAll) unselectAll.disabled = ticked === 0;
    all.forEach(function (box) { box.closest("tr").classList.toggle("table-active", box.checked); });
  }

  if (assign && dialog) {
    dialog.addEventListener("change", refresh);
    dialog.addEventListener("click", function (event) {
      var bulk = event.target.closest("[data-assign]");
      if (bulk) {
        var on = bulk.dataset.assign === "all";
        boxes().forEach(function (box) { box.checked = on; });
        refresh();
        return;
      }
      // A click anywhere on a row toggles it; the box and its label do that themselves.
      var row = event.target.closest(".assign-row");
      if (row && !event.target.closest("input, label")) {
        var box = row.querySelector("input[type=checkbox]");
        box.checked = !box.checked;
        refresh();
      }
    });

    document.querySelectorAll(".assign-checks").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.innerHTML = loading;
        bootstrap.Modal.getOrCreateInstance(assign).show(button);
        fetch(button.dataset.url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            dialog.innerHTML = html;
            refresh();
            var first = dialog.querySelector(".assign-row input, [data-bs-dismiss]:not(.btn-close)");
            if (first) first.focus();
          })
          .catch(function () {
            dialog.innerHTML = '<div class="modal-content"><div class="modal-body">' +
              '<p class="text-danger mb-3" role="alert">Could not load the list of checks. Please try again.</p>' +
              '<button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">Close</button></div></div>';
          });
      });
    });
  }
})();

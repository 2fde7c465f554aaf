// Project settings: the new-key dialog, revealing clear-text keys, and the team dialogs.
(function () {
  "use strict";

  // A key was just created: show it in its dialog, once.
  var created = document.getElementById("key-created-modal");
  if (created) {
    created.addEventListener("shown.bs.modal", function () {
      var input = document.getElementById("new-key");
      input.focus();
      input.select();
    });
    bootstrap.Modal.getOrCreateInstance(created).show();
  }

  document.querySelectorAll(".reveal-key").forEach(function (button) {
    button.addEventListener("click", function () {
      button.textContent = button.dataset.key;
      button.removeAttribute("title");
    }, { once: true });
  });

  // "Add to Team" opens the invite dialog with the address filled in;
  // "Invite a Team Member" opens it empty.
  var invite = document.getElementById("invite-modal");
  if (invite) {
    invite.addEventListener("show.bs.modal", function (event) {
      var source = event.relatedTarget;
      document.getElementById("invite-email").value = (source && source.dataset.email) || "";
    });
    invite.addEventListener("shown.bs.modal", function () {
      document.getElementById("invite-email").focus();
    });
  }

  var removeMember = document.getElementById("remove-member-modal");
  if (removeMember) {
    removeMember.addEventListener("show.bs.modal", function (event) {
      var email = event.relatedTarget ? event.relatedTarget.dataset.email : "";
      document.getElementById("remove-member-email").value = email;
      document.getElementById("remove-member-name").textContent = email;
    });
  }

  var select = document.getElementById("transfer-email");
  var confirm = document.getElementById("transfer-confirm");
  if (select && confirm) {
    select.addEventListener("change", function () { confirm.disabled = !select.value; });
  }

  var nameModal = document.getElementById("project-name-modal");
  if (nameModal) {
    nameModal.addEventListener("shown.bs.modal", function () {
      document.getElementById("project-name-input").focus();
    });
  }
})();

// Account settings: time zone picker, instant theme switch, "Leave project" modal.
(function () {
  "use strict";

  var select = document.getElementById("tz");
  if (select && window.TomSelect) {
    var picker = new TomSelect(select, { create: false, maxOptions: null });
    var browserZone = "";
    try {
      browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      // Very old browsers: no hint.
    }
    // Offer the browser's zone only if it is one we list and not already saved.
    if (browserZone && browserZone !== select.dataset.saved && picker.options[browserZone]) {
      var hint = document.getElementById("browser-tz-hint");
      var link = document.getElementById("browser-tz-link");
      link.textContent = browserZone;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        picker.setValue(browserZone);
        hint.hidden = true;
      });
      hint.hidden = false;
    }
  }

  var themeForm = document.getElementById("theme-form");
  if (themeForm) {
    themeForm.addEventListener("change", function (event) {
      if (event.target.name === "theme") themeForm.submit();
    });
  }

  var leaveModal = document.getElementById("leave-project-modal");
  if (leaveModal) {
    leaveModal.addEventListener("show.bs.modal", function (event) {
      var button = event.relatedTarget;
      if (!button) return;
      document.getElementById("leave-project-code").value = button.dataset.projectCode;
      document.getElementById("leave-project-name").textContent = button.dataset.projectName;
    });
  }
})();

// Close-account page: a double click must not send the form twice.
(function () {
  "use strict";
  var form = document.getElementById("close-account-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    form.querySelector("button[type=submit]").disabled = true;
  });
})();

// TOTP login step: submit as soon as six digits are in, and only once, so a
// fast typist's Enter after auto-submit does not spend a second attempt.
(function () {
  "use strict";
  var form = document.getElementById("totp-form");
  if (!form) return;
  var input = form.elements.code;
  var sent = false;

  function send() {
    if (sent) return;
    sent = true;
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.checkValidity()) send();
  });
  input.addEventListener("input", function () {
    if (/^[0-9]{6}$/.test(input.value)) send();
  });
})();

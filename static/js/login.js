// Login page: the "Create Your Account" modal signs up without a page reload.
(function () {
  "use strict";
  var modal = document.getElementById("signup-modal");
  if (!modal) return;
  var input = document.getElementById("signup-email");
  var button = document.getElementById("signup-go");
  var result = document.getElementById("signup-result");

  modal.addEventListener("shown.bs.modal", function () { input.focus(); });

  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (e) {
      return "UTC";
    }
  }

  function show(html) {
    result.innerHTML = html;
    button.disabled = false;
  }

  function submit() {
    if (button.disabled) return;
    button.disabled = true;
    // A fresh token at click time keeps the login page itself cacheable.
    fetch(modal.dataset.csrfUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (token) {
        var body = new URLSearchParams({ identity: input.value.trim(), tz: browserTimeZone() });
        return fetch(modal.dataset.signupUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": token },
          body: body,
        });
      })
      // Errors come back as fragments too: show whatever the server says.
      .then(function (r) { return r.text(); })
      .then(show)
      .catch(function () {
        show('<p class="text-danger">Something went wrong. Please try again.</p>');
      });
  }

  button.addEventListener("click", submit);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      submit();
    }
  });
})();

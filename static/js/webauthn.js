// Browser side of the WebAuthn ceremonies: adding a security key, the
// security-key login step and passkey login. Each is a [data-webauthn]
// element ("create", "get" or "passkey") holding a form with a hidden
// "response" input and the state panels of accounts/webauthn_states.html.
// Options come from a json_script element (data-options-id) or, for
// passkeys, from a GET to data-options-url.
(function () {
  "use strict";

  function show(root, state) {
    root.querySelectorAll("[data-state]").forEach(function (el) {
      el.classList.toggle("d-none", el.dataset.state !== state);
    });
  }

  function fail(root, error) {
    var text = error && error.message ? error.message : String(error);
    root.querySelector("[data-error-text]").textContent = text;
    show(root, "error");
  }

  function loadOptions(root) {
    if (root.dataset.optionsId) {
      var script = document.getElementById(root.dataset.optionsId);
      return Promise.resolve(JSON.parse(script.textContent));
    }
    // A fresh challenge per attempt; the server keeps its state in the session.
    return fetch(root.dataset.optionsUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("The server refused to start the login (HTTP " + r.status + ").");
      return r.json();
    });
  }

  function ceremony(root, options) {
    if (root.dataset.webauthn === "create") return webauthnJSON.create(options);
    return webauthnJSON.get(options);
  }

  function start(root) {
    var form = root.querySelector("form");
    var choice = root.querySelector("[data-choice]");
    if (choice) choice.classList.add("d-none");
    if (!webauthnJSON.supported()) {
      fail(root, new Error("This browser does not support security keys or passkeys."));
      return;
    }
    show(root, "waiting");
    loadOptions(root)
      .then(function (options) { return ceremony(root, options); })
      .then(function (credential) {
        form.elements.response.value = JSON.stringify(credential);
        show(root, "success");
        if ("autoSubmit" in root.dataset) {
          form.submit();
          return;
        }
        var save = root.querySelector("[data-save]");
        save.classList.remove("d-none");
        save.disabled = false;
        save.focus();
      })
      .catch(function (error) { fail(root, error); });
  }

  function setUpRegistration(root) {
    var name = root.querySelector("[data-name]");
    var confirm = root.querySelector("[data-start]");
    var save = root.querySelector("[data-save]");
    function confirmName() {
      if (!name.reportValidity()) return;
      name.readOnly = true;
      confirm.classList.add("d-none");
      start(root);
    }
    confirm.addEventListener("click", confirmName);
    name.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (!name.readOnly) confirmName();
    });
    // One click saves: a second submission would find the ceremony used up.
    root.querySelector("form").addEventListener("submit", function (event) {
      if (save.disabled) event.preventDefault();
      save.disabled = true;
    });
  }

  document.querySelectorAll("[data-webauthn]").forEach(function (root) {
    root.querySelector("[data-retry]").addEventListener("click", function () { start(root); });
    if (root.dataset.webauthn === "create") {
      setUpRegistration(root);
      return;
    }
    if (root.dataset.webauthn === "passkey") {
      if (!webauthnJSON.supported()) return;
      root.hidden = false;
    }
    var button = root.querySelector("[data-start]");
    if (button) button.addEventListener("click", function () { start(root); });
    if ("autostart" in root.dataset) start(root);
  });
})();

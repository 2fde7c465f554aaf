// Behaviour shared by every page: the lazily loaded project menu.
(function () {
  "use strict";
  var toggle = document.getElementById("project-menu-toggle");
  if (!toggle) return;
  var lastLoad = 0;
  function load() {
    if (Date.now() - lastLoad < 3000) return;
    lastLoad = Date.now();
    fetch(toggle.dataset.menuUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var slot = document.querySelector(".project-dropdown .project-menu-items");
        if (slot) slot.outerHTML = '<li class="project-menu-items"><ul class="list-unstyled">' + html + "</ul></li>";
      })
      .catch(function () { lastLoad = 0; });
  }
  toggle.addEventListener("mouseenter", load);
  toggle.addEventListener("show.bs.dropdown", load);
})();

// Bootstrap modals ignore the autofocus attribute: focus that field once shown.
document.addEventListener("shown.bs.modal", function (event) {
  var field = event.target.querySelector("[autofocus]");
  if (field) field.focus();
});

// Click-to-copy (web spec §6.8): any element with data-copy copies that
// text (or its own text when the attribute is empty) with the Clipboard API,
// unless the user has selected some text; its tooltip then says "Copied!".
(function () {
  "use strict";
  function copy(el) {
    if (String(window.getSelection()).length) return;
    var text = el.dataset.copy || el.textContent.trim();
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(text).then(function () {
      var tip = window.bootstrap && bootstrap.Tooltip.getInstance(el);
      if (tip) {
        tip.setContent({ ".tooltip-inner": "Copied!" });
        el.addEventListener("mouseleave", function () { tip.setContent({ ".tooltip-inner": "Click to copy" }); }, { once: true });
      }
      el.classList.add("copied");
      el.dispatchEvent(new CustomEvent("hc:copied", { bubbles: true }));
    });
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-copy]");
    if (el) copy(el);
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target.closest && event.target.closest("[data-copy]");
    if (el && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); copy(el); }
  });
  function initTooltips(root) {
    if (!window.bootstrap) return;
    (root || document).querySelectorAll("[data-copy]").forEach(function (el) {
      if (!bootstrap.Tooltip.getInstance(el)) new bootstrap.Tooltip(el, { title: "Click to copy" });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initTooltips(); });
  window.hc = window.hc || {};
  window.hc.initCopyTooltips = initTooltips;
})();

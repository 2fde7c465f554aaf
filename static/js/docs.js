// Documentation pages (web spec §11.2-11.3): the search box swaps the sidebar
// nav for search results, and code blocks get a copy button.
(function () {
  "use strict";
  var input = document.getElementById("docs-search");
  var results = document.getElementById("docs-search-results");
  var navWrap = document.getElementById("docs-nav-wrap");

  if (input && results && navWrap) {
    var latest = 0, requested = null;

    var showNav = function () {
      latest += 1; // Answers still on the way are stale now.
      requested = null;
      results.hidden = true;
      results.innerHTML = "";
      navWrap.hidden = false;
    };

    var search = function () {
      var q = input.value.trim();
      if (q.length < 3) { showNav(); return; }
      if (q === requested) return; // Already asked (keyup and input both fire).
      requested = q;
      var mine = ++latest;
      fetch(input.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          if (mine !== latest) return;
          results.innerHTML = html;
          results.hidden = false;
          navWrap.hidden = true;
        })
        .catch(function () { if (mine === latest) requested = null; });
    };

    input.addEventListener("keyup", search);
    input.addEventListener("input", search);
    input.addEventListener("focus", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; showNav(); }
    });
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      search();
    });
  }

  // A copy button in the corner of every code block.
  var article = document.getElementById("docs-article");
  if (article) {
    article.querySelectorAll("pre").forEach(function (pre) {
      var box = pre.closest(".highlight") || pre;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      box.parentNode.insertBefore(wrap, box);
      wrap.appendChild(box);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm copy-code";
      button.setAttribute("aria-label", "Copy code");
      button.dataset.copy = pre.textContent.replace(/\n$/, "");
      button.innerHTML = '<i class="bi bi-clipboard" aria-hidden="true"></i>';
      wrap.appendChild(button);
    });
    if (window.hc && hc.initCopyTooltips) hc.initCopyTooltips(article);
  }
})();

// The "My Checks" page (web spec §6): filters, live updates, integration
// toggles, pausing, the Last Ping dialog and the Add Check dialog.
(function () {
  "use strict";
  var page = document.getElementById("checks-page");
  if (!page) return;
  var table = document.getElementById("checks-table");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var tz = page.dataset.tz || "UTC";

  function urlFor(template, code) {
    return template ? template.replace("{code}", code) : "";
  }

  // Relative times ------------------------------------------------------------
  // The same wording as hc.front.checks_list.ago() on the server.
  function ago(seconds) {
    function units(n, unit) { return n + " " + unit + (n === 1 ? "" : "s") + " ago"; }
    if (seconds < 60) return "just now";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return units(minutes, "minute");
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return units(hours, "hour");
    var days = Math.floor(hours / 24);
    if (days < 14) return units(days, "day");
    if (days < 365) return units(Math.floor(days / 7), "week");
    return units(Math.floor(days / 365), "year");
  }

  function refreshTimes(root) {
    var now = Date.now() / 1000;
    root.querySelectorAll(".ago[data-ts]").forEach(function (el) {
      var text = ago(Math.max(0, now - parseFloat(el.dataset.ts)));
      if (el.textContent !== text) el.textContent = text;
    });
  }

  if (table) {
    hc.dates.fill(table, tz);
    refreshTimes(table);
    setInterval(function () { refreshTimes(table); }, 15000);
  }

  // Filters (§6.5) --------------------------------------------------------------
  var search = document.getElementById("search");
  var chips = document.getElementById("status-chips");
  var noMatches = document.getElementById("no-matches");
  var state = { tags: [], search: "", statuses: [] };

  document.querySelectorAll(".tag-pill.active").forEach(function (pill) { state.tags.push(pill.dataset.tag); });
  if (search) state.search = search.value.trim().toLowerCase();
  if (chips) chips.querySelectorAll("[data-status-chip]").forEach(function (chip) { state.statuses.push(chip.dataset.statusChip); });

  function matches(row) {
    var tags = (row.dataset.tags || "").split(" ");
    for (var i = 0; i < state.tags.length; i++) {
      if (tags.indexOf(state.tags[i]) === -1) return false;
    }
    if (state.search && row.dataset.search.indexOf(state.search) === -1 && row.id.indexOf(state.search) === -1) return false;
    if (state.statuses.length) {
      var running = row.hasAttribute("data-started") && state.statuses.indexOf("started") !== -1;
      return running || state.statuses.indexOf(row.dataset.status) !== -1;
    }
    return true;
  }

  function filterParams() {
    var params = new URLSearchParams();
    state.tags.forEach(function (tag) { params.append("tag", tag); });
    if (state.search) params.append("search", state.search);
    state.statuses.forEach(function (status) { params.append("status", status); });
    return params;
  }

  function withFilters(first) {
    var params = new URLSearchParams(first);
    filterParams().forEach(function (value, key) { params.append(key, value); });
    return "?" + params.toString();
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      if (row.hidden === visible) row.hidden = !visible;
      if (visible) shown += 1;
    });
    if (noMatches) noMatches.hidden = shown > 0;
    var query = filterParams().toString();
    history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : ""));
    // Header links carry the filters along.
    document.querySelectorAll(".sort-link[data-sort]").forEach(function (link) {
      link.href = withFilters({ sort: link.dataset.sort });
    });
    document.querySelectorAll(".url-style a").forEach(function (link) {
      link.href = withFilters({ urls: link.textContent.trim() });
    });
  }

  document.querySelectorAll(".tag-pill").forEach(function (pill) {
    pill.addEventListener("click", function () {
      var tag = pill.dataset.tag;
      var at = state.tags.indexOf(tag);
      if (at === -1) state.tags.push(tag); else state.tags.splice(at, 1);
      pill.classList.toggle("active", at === -1);
      pill.setAttribute("aria-pressed", at === -1 ? "true" : "false");
      applyFilters();
    });
  });

  if (search) {
    search.addEventListener("input", function () {
      state.search = search.value.trim().toLowerCase();
      applyFilters();
    });
  }

  function renderChips() {
    if (!chips) return;
    chips.textContent = "";
    state.statuses.forEach(function (status) {
      var item = document.querySelector('[data-status-filter="' + status + '"]');
      var label = item ? item.dataset.label : status;
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "btn btn-sm status-chip";
      chip.dataset.statusChip = status;
      chip.setAttribute("aria-label", "Stop filtering by status " + label);
      chip.textContent = label + " ";
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      chip.appendChild(cross);
      chips.appendChild(chip);
    });
    document.querySelectorAll("[data-status-filter]").forEach(function (item) {
      item.setAttribute("aria-pressed", state.statuses.indexOf(item.dataset.statusFilter) === -1 ? "false" : "true");
    });
  }

  function toggleStatus(status) {
    var at = state.statuses.indexOf(status);
    if (at === -1) state.statuses.push(status); else state.statuses.splice(at, 1);
    renderChips();
    applyFilters();
  }

  document.querySelectorAll("[data-status-filter]").forEach(function (item) {
    item.addEventListener("click", function () { toggleStatus(item.dataset.statusFilter); });
  });
  if (chips) {
    chips.addEventListener("click", function (event) {
      var chip = event.target.closest("[data-status-chip]");
      if (chip) toggleStatus(chip.dataset.statusChip);
    });
  }

  // Live updates (§6.6) ---------------------------------------------------------
  var STATUS_TITLES = {
    "new": "This check has never received a ping.",
    "paused": "Monitoring is paused; the next ping resumes it."
  };
  // Every ten minutes the whole state comes again, in case a change was
  // made that leaves no trace a `since` query can see (a schedule edit).
  var FULL_EVERY_MS = 600000;
  var since = page.dataset.since;
  var lastFull = Date.now();
  var cells = {};

  function setRowStatus(row, status) {
    var icon = row.querySelector(".status-icon");
    if (!hc.setStatusIcon(icon, status)) return false;
    if (STATUS_TITLES[status]) icon.title = STATUS_TITLES[status]; else icon.removeAttribute("title");
    row.dataset.status = status;
    return true;
  }

  function setRowStarted(row, started) {
    if (row.hasAttribute("data-started") === started) return false;
    row.toggleAttribute("data-started", started);
    row.querySelector(".running-dots").classList.toggle("hidden", !started);
    return true;
  }

  function updateFavicon() {
    hc.setFavicon(!!table && !!table.querySelector('tr[data-status="down"]'));
  }

  function applyStatus(data) {
    var refilter = false;
    data.details.forEach(function (detail) {
      var row = document.getElementById(detail.code);
      if (!row) return;  // Added since the page loaded: shown after a reload.
      if (setRowStatus(row, detail.status)) refilter = true;
      if (setRowStarted(row, detail.started)) refilter = true;
      if (cells[detail.code] !== detail.last_ping) {
        cells[detail.code] = detail.last_ping;
        var cell = row.querySelector(".col-last-ping");
        cell.innerHTML = detail.last_ping;
        hc.dates.fill(cell, tz);
        refreshTimes(cell);
      }
    });
    Object.keys(data.tags).forEach(function (tag) {
      var pill = document.querySelector('.tag-pill[data-tag="' + CSS.escape(tag) + '"]');
      if (!pill) return;
      var status = data.tags[tag][0];
      ["up", "grace", "down"].forEach(function (s) { pill.classList.toggle(s, s === status); });
      if (pill.title !== data.tags[tag][1]) pill.title = data.tags[tag][1];
    });
    if (document.title !== data.title) document.title = data.title;
    updateFavicon();
    if (refilter && state.statuses.length) applyFilters();
  }

  if (table && page.dataset.statusUrl) {
    // What the page shows now, so unchanged Last Ping cells are left alone.
    rows.forEach(function (row) { cells[row.id] = null; });
    hc.adaptivePoll(function (signal) {
      var url = page.dataset.statusUrl;
      var full = Date.now() - lastFull > FULL_EVERY_MS;
      if (!full && since) url += "?since=" + encodeURIComponent(since);
      return hc.getJSON(url, signal).then(function (data) {
        if (full) lastFull = Date.now();
        applyStatus(data);
        since = data.since;
      });
    });
  }

  // Integration toggles (§6.2 column 4) -------------------------------------------
  if (table && page.dataset.switchUrl) {
    var channelCodes = (table.querySelector("[data-channels]").dataset.channels || "").split(" ");
    table.addEventListener("click", function (event) {
      var button = event.target.closest("button.ch[data-ch]");
      if (!button) return;
      var row = button.closest("tr");
      var on = !button.classList.contains("on");
      function show(value) {
        button.classList.toggle("on", value);
        button.setAttribute("aria-pressed", value ? "true" : "false");
      }
      show(on);  // Optimistic: undone if the server says no.
      var url = page.dataset.switchUrl.replace("{code}", row.id).replace("{channel}", channelCodes[parseInt(button.dataset.ch, 10)]);
      hc.post(url, { state: on ? "on" : "off" })
        .then(function (response) { if (!response.ok) show(!on); })
        .catch(function () { show(!on); });
    });
  }

  // Pause with a confirming second click (§6.2) ----------------------------------
  function tooltip(el, text) {
    var tip = bootstrap.Tooltip.getOrCreateInstance(el, { trigger: "manual", title: text });
    tip.setContent({ ".tooltip-inner": text });
    tip.show();
    return tip;
  }

  if (table && page.dataset.pauseUrl) {
    table.addEventListener("click", function (event) {
      var button = event.target.closest(".pause-btn");
      if (!button) return;
      var row = button.closest("tr");
      if (row.dataset.status === "paused") {
        tooltip(button, "This check is already paused.");
        return;
      }
      if (button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        tooltip(button, "Click again to pause monitoring.");
        return;
      }
      delete button.dataset.armed;
      var tip = bootstrap.Tooltip.getInstance(button);
      if (tip) tip.hide();
      var before = { status: row.dataset.status, started: row.hasAttribute("data-started") };
      function show(status, started) {
        setRowStatus(row, status);
        setRowStarted(row, started);
        updateFavicon();
        if (state.statuses.length) applyFilters();
      }
      show("paused", false);
      // The icon changed at once; if the server did not pause, put it back.
      hc.post(urlFor(page.dataset.pauseUrl, row.id), {})
        .then(function (response) { if (!response.ok) throw new Error(String(response.status)); })
        .catch(function () {
          show(before.status, before.started);
          tooltip(button, "Could not pause this check. Please try again.");
        });
    });
    table.addEventListener("mouseout", function (event) {
      var button = event.target.closest(".pause-btn");
      if (!button || button.contains(event.relatedTarget)) return;
      delete button.dataset.armed;
      var tip = bootstrap.Tooltip.getInstance(button);
      if (tip) tip.hide();
    });
    table.addEventListener("focusout", function (event) {
      var button = event.target.closest && event.target.closest(".pause-btn");
      if (!button) return;
      delete button.dataset.armed;
      var tip = bootstrap.Tooltip.getInstance(button);
      if (tip) tip.hide();
    });
  }

  // Last Ping opens the ping's details (§6.2 column 6) ----------------------------
  if (table && page.dataset.lastPingUrl) {
    table.addEventListener("click", function (event) {
      var button = event.target.closest(".last-ping");
      if (!button) return;
      var code = button.closest("tr").id;
      var earlier = urlFor(page.dataset.logUrl, code);
      if (window.hc.pingDetails) {
        hc.pingDetails.open(urlFor(page.dataset.lastPingUrl, code), { earlierUrl: earlier });
      } else if (earlier) {
        window.location.href = earlier;
      }
    });
  }

  // Add Check dialog (§6.7) ------------------------------------------------------------
  var addModal = document.getElementById("add-check-modal");
  var addForm = document.getElementById("add-check-form");
  if (addModal && addForm) initAddCheck(addModal, addForm);

  function initAddCheck(modal, form) {
    var MAX_SECONDS = 31536000;
    var nameInput = form.elements.namedItem("name");
    hc.initSlugSuggestion(nameInput, form.querySelector("[data-slug-group]"));
    var tagsInput = form.querySelector("[data-tags-input]");
    var picker = hc.initTagsInput(tagsInput);
    var tzSelect = form.querySelector("select[name=tz]");
    if (window.hc.initTzPicker) hc.initTzPicker(tzSelect);

    // Period and grace: number × unit written into the hidden seconds field.
    form.querySelectorAll("[data-duration]").forEach(function (group) {
      var number = group.querySelector("input");
      var unit = group.querySelector("select");
      var hidden = form.elements.namedItem(group.dataset.duration);
      function sync() {
        var seconds = Math.round(parseFloat(number.value) * parseInt(unit.value, 10));
        if (seconds > MAX_SECONDS) {
          number.setCustomValidity("The value must not exceed 365 days.");
          return;
        }
        number.setCustomValidity("");
        if (seconds >= 60) hidden.value = String(seconds);
      }
      number.addEventListener("input", sync);
      unit.addEventListener("change", sync);
    });

    // Only the selected kind's rows are shown and submitted.
    function showKind() {
      var kind = form.querySelector("input[name=kind]:checked").value;
      form.querySelectorAll("[data-kinds]").forEach(function (row) {
        var active = row.dataset.kinds.split(" ").indexOf(kind) !== -1;
        row.hidden = !active;
        row.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = !active; });
        if (tzSelect.tomselect && row.contains(tzSelect)) {
          if (active) tzSelect.tomselect.enable(); else tzSelect.tomselect.disable();
        }
      });
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", showKind);
    });
    showKind();

    // Cron and OnCalendar expressions are checked by the server as typed.
    var validateUrl = form.dataset.validateUrl;
    form.querySelectorAll("[data-schedule-kind]").forEach(function (field) {
      var latest = 0;
      field.addEventListener("input", function () {
        if (!validateUrl) return;
        var ticket = ++latest;
        var params = new URLSearchParams({ kind: field.dataset.scheduleKind, schedule: field.value });
        hc.getJSON(validateUrl + "?" + params.toString())
          .then(function (data) {
            if (ticket !== latest) return;  // A newer answer is on its way.
            field.setCustomValidity(data.result ? "" : "Please enter a valid expression");
          })
          .catch(function () {});
      });
    });

    modal.addEventListener("show.bs.modal", function () {
      hc.setTags(picker, tagsInput, state.tags.join(" "));
    });
  }

  // The server already hid the rows; this tidies the address bar (sort= and
  // urls= were applied and need not be repeated on reload).
  if (table && window.location.search) applyFilters();
})();

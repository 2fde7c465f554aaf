// The schedule dialog (web spec §6.10): one modal, three panels (Simple, Cron,
// OnCalendar), opened by any element with data-schedule-url; see
// templates/front/schedule_modal.html for the trigger contract.
//
// The Simple panel's sliders are native range inputs (keyboard accessible, no
// library) on the spec's non-linear scale; the number, the unit and the hidden
// seconds field follow them and they follow the number and unit.
(function () {
  "use strict";
  var modal = document.getElementById("schedule-modal");
  if (!modal) return;

  var MIN = 60, MAX = 31536000, SLIDER_MAX = 1000;
  // Slider position (percent) -> seconds, with the step used up to the next stop.
  var STOPS = [
    { pct: 0, value: 60, step: 60 },
    { pct: 30, value: 3600, step: 3600 },
    { pct: 60, value: 86400, step: 86400 },
    { pct: 75, value: 604800, step: 86400 },
    { pct: 90, value: 2592000, step: 2592000 },
    { pct: 100, value: 31536000, step: 0 }
  ];
  var TICKS = [60, 1800, 3600, 43200, 86400, 604800, 2592000, 31536000];
  var UNITS = [[86400, "day"], [3600, "hour"], [60, "minute"]];

  function clamp(s) { return Math.min(MAX, Math.max(MIN, s)); }

  // The segment [STOPS[i], STOPS[i + 1]] holding `s` (the last one for MAX).
  function segment(s) {
    for (var i = 0; i < STOPS.length - 2; i++) {
      if (s < STOPS[i + 1].value) return i;
    }
    return STOPS.length - 2;
  }

  function toPercent(seconds) {
    var s = clamp(seconds), i = segment(s), a = STOPS[i], b = STOPS[i + 1];
    return a.pct + (s - a.value) / (b.value - a.value) * (b.pct - a.pct);
  }

  function toSeconds(pct) {
    var i = 0;
    while (i < STOPS.length - 2 && pct > STOPS[i + 1].pct) i++;
    var a = STOPS[i], b = STOPS[i + 1];
    var raw = a.value + (pct - a.pct) / (b.pct - a.pct) * (b.value - a.value);
    var snapped = a.value + Math.round((raw - a.value) / a.step) * a.step;
    // The segment's end need not be a whole number of steps (365 days is not).
    if (b.value - raw < Math.abs(raw - snapped)) snapped = b.value;
    return Math.min(b.value, Math.max(a.value, snapped));
  }

  function stepUp(s) {
    if (s >= MAX) return MAX;
    var i = segment(s), a = STOPS[i];
    return Math.min(STOPS[i + 1].value, a.value + (Math.floor((s - a.value) / a.step) + 1) * a.step);
  }

  function stepDown(s) {
    if (s <= MIN) return MIN;
    var i = 0;
    while (s > STOPS[i + 1].value) i++;
    var a = STOPS[i];
    return Math.max(a.value, a.value + (Math.ceil((s - a.value) / a.step) - 1) * a.step);
  }

  // Days if whole days, else hours if whole hours, else minutes (spec §6.10.1).
  function split(seconds) {
    for (var i = 0; i < UNITS.length - 1; i++) {
      if (seconds % UNITS[i][0] === 0) return [seconds / UNITS[i][0], UNITS[i]];
    }
    return [Math.round(seconds / 60), UNITS[2]];
  }

  function words(seconds) {
    var parts = split(seconds), n = parts[0];
    return n + " " + parts[1][1] + (n === 1 ? "" : "s");
  }

  // One number + unit (+ slider) control of templates/front/schedule_duration.html.
  function Duration(root) {
    var self = this;
    this.number = root.querySelector(".duration-value");
    this.unit = root.querySelector(".duration-unit");
    this.hidden = root.querySelector(".duration-seconds");
    this.slider = root.querySelector(".duration-slider");
    this.seconds = MIN;

    this.number.addEventListener("input", function () { self.fromInputs(); });
    this.unit.addEventListener("change", function () { self.fromInputs(); });
    if (!this.slider) return;

    this.slider.addEventListener("input", function () {
      self.write(toSeconds(self.slider.value * 100 / SLIDER_MAX), false);
    });
    // Snap the thumb to the value it stands for once dragging ends.
    this.slider.addEventListener("change", function () { self.place(); });
    this.slider.addEventListener("keydown", function (event) {
      var s = self.seconds, next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowUp") next = stepUp(s);
      else if (event.key === "ArrowLeft" || event.key === "ArrowDown") next = stepDown(s);
      else if (event.key === "PageUp") next = TICKS.find(function (t) { return t > s; }) || MAX;
      else if (event.key === "PageDown") next = TICKS.slice().reverse().find(function (t) { return t < s; }) || MIN;
      else if (event.key === "Home") next = MIN;
      else if (event.key === "End") next = MAX;
      if (next === null) return;
      event.preventDefault();
      self.write(next, true);
    });
    root.querySelectorAll(".duration-tick").forEach(function (tick) {
      tick.style.left = toPercent(+tick.dataset.seconds) + "%";
      tick.addEventListener("click", function () {
        self.write(+tick.dataset.seconds, true);
        self.slider.focus();
      });
    });
  }

  Duration.prototype.place = function () {
    if (!this.slider) return;
    this.slider.value = Math.round(toPercent(this.seconds) * SLIDER_MAX / 100);
    this.slider.setAttribute("aria-valuetext", words(this.seconds));
  };

  // Show `seconds` everywhere; the thumb moves too unless it is being dragged.
  Duration.prototype.write = function (seconds, moveThumb) {
    var parts = split(seconds);
    this.seconds = seconds;
    this.number.value = parts[0];
    this.unit.value = String(parts[1][0]);
    this.number.setCustomValidity("");
    this.hidden.value = seconds;
    if (moveThumb) this.place();
    else if (this.slider) this.slider.setAttribute("aria-valuetext", words(seconds));
  };

  Duration.prototype.set = function (seconds) {
    this.write(clamp(Math.round(seconds) || MIN), true);
  };

  Duration.prototype.fromInputs = function () {
    var n = parseFloat(this.number.value);
    this.number.setCustomValidity("");
    if (!isFinite(n) || n <= 0) return; // required/min report these
    var seconds = Math.round(n * +this.unit.value);
    if (seconds > MAX) {
      this.number.setCustomValidity("The value must not exceed 365 days.");
      return;
    }
    if (seconds < MIN) return;
    this.seconds = seconds;
    this.hidden.value = seconds;
    this.place();
  };

  var durations = {};
  modal.querySelectorAll(".duration-control").forEach(function (root) {
    var panel = root.closest(".schedule-panel").dataset.kind;
    durations[panel + ":" + root.dataset.field] = new Duration(root);
  });

  // Panels, previews and the Save button ---------------------------------

  var forms = {}, states = {};
  modal.querySelectorAll(".schedule-panel").forEach(function (form) {
    forms[form.dataset.kind] = form;
  });
  var save = modal.querySelector(".schedule-save");
  var current = "simple";
  var PREVIEW_URLS = {
    cron: modal.dataset.cronPreviewUrl,
    oncalendar: modal.dataset.oncalendarPreviewUrl
  };
  var DEFAULTS = { cron: "* * * * *", oncalendar: "*-*-* *:*:*" };

  function resetState(kind) {
    states[kind] = { key: null, seq: 0, valid: true, pending: false, dirty: false, timer: null };
  }

  function updateSave() {
    var st = states[current];
    save.disabled = !!st && (!st.valid || st.pending || st.dirty);
  }

  function preview(kind) {
    var form = forms[kind], st = states[kind];
    var expr = form.querySelector(".schedule-expr").value;
    var tz = form.querySelector(".schedule-tz").value;
    var slot = form.querySelector(".schedule-preview");
    clearTimeout(st.timer);
    st.dirty = false;
    if (!expr.trim()) {
      st.key = null;
      st.valid = false;
      st.pending = false;
      st.seq += 1; // answers still on their way are stale now
      slot.innerHTML = "";
      updateSave();
      return;
    }
    var key = expr + "\n" + tz;
    if (key === st.key) { updateSave(); return; }
    st.key = key;
    st.pending = true;
    updateSave();
    var seq = ++st.seq;
    hc.post(PREVIEW_URLS[kind], { schedule: expr, tz: tz })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (seq !== st.seq) return; // a newer expression was typed meanwhile
        slot.innerHTML = html;
        var result = slot.querySelector("[data-valid]");
        st.valid = !result || result.dataset.valid === "1";
        st.pending = false;
        updateSave();
      })
      .catch(function () {
        if (seq !== st.seq) return;
        // No preview: let the server judge the expression on Save.
        st.key = null;
        st.valid = true;
        st.pending = false;
        slot.textContent = "The preview could not be loaded.";
        updateSave();
      });
  }

  function previewSoon(kind) {
    var st = states[kind];
    st.dirty = true;
    updateSave();
    clearTimeout(st.timer);
    st.timer = setTimeout(function () { preview(kind); }, 300);
  }

  function show(kind) {
    if (!forms[kind]) kind = "simple";
    current = kind;
    Object.keys(forms).forEach(function (k) { forms[k].hidden = k !== kind; });
    modal.querySelectorAll(".schedule-kinds [data-kind]").forEach(function (button) {
      var on = button.dataset.kind === kind;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    save.setAttribute("form", forms[kind].id);
    if (states[kind]) preview(kind);
    updateSave();
  }

  ["cron", "oncalendar"].forEach(function (kind) {
    resetState(kind);
    var form = forms[kind];
    form.querySelector(".schedule-expr").addEventListener("input", function () { previewSoon(kind); });
    var select = form.querySelector(".schedule-tz");
    hc.initTzPicker(select);
    select.addEventListener("change", function () { preview(kind); });
  });

  Object.keys(forms).forEach(function (kind) {
    forms[kind].addEventListener("submit", function (event) {
      var st = states[kind];
      if (st && (!st.valid || st.pending || st.dirty)) event.preventDefault();
    });
  });

  modal.querySelectorAll(".schedule-kinds [data-kind]").forEach(function (button) {
    button.addEventListener("click", function () { show(button.dataset.kind); });
  });

  function open(trigger) {
    var data = trigger.dataset, kind = data.kind || "simple";
    Object.keys(forms).forEach(function (k) { forms[k].action = data.scheduleUrl; });
    durations["simple:timeout"].set(+data.timeout || 86400);
    var grace = +data.grace || 3600;
    ["simple", "cron", "oncalendar"].forEach(function (k) { durations[k + ":grace"].set(grace); });
    ["cron", "oncalendar"].forEach(function (k) {
      var form = forms[k];
      resetState(k);
      form.querySelector(".schedule-expr").value = kind === k && data.schedule ? data.schedule : DEFAULTS[k];
      hc.setTz(form.querySelector(".schedule-tz"), data.tz || "UTC");
      form.querySelector(".schedule-preview").innerHTML = "";
    });
    show(kind);
    bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  modal.addEventListener("shown.bs.modal", function () {
    var field = forms[current].querySelector(current === "simple" ? ".duration-value" : ".schedule-expr");
    if (field) field.focus();
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-schedule-url]");
    if (!trigger || modal.contains(trigger)) return;
    event.preventDefault();
    open(trigger);
  });
  // Triggers that are not buttons (a table cell with role="button") open on Enter and Space too.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var trigger = event.target.closest && event.target.closest("[data-schedule-url]");
    if (!trigger || trigger !== event.target || /^(BUTTON|A)$/.test(trigger.tagName)) return;
    event.preventDefault();
    open(trigger);
  });

  window.hc = window.hc || {};
  window.hc.scheduleScale = { toPercent: toPercent, toSeconds: toSeconds, stepUp: stepUp, stepDown: stepDown };
})();

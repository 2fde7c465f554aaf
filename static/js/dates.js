// Dates are rendered by the browser (web spec §14.1): elements carrying
// data-ts="<unix seconds>" and data-fmt="time|date|datetime|full" get their
// text from Intl.DateTimeFormat in the chosen zone.
(function () {
  "use strict";
  var cache = {};
  function formatter(tz, key, opts) {
    var id = tz + "|" + key;
    if (!cache[id]) cache[id] = new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: tz }, opts));
    return cache[id];
  }
  function parts(date, tz, key, opts) {
    var out = {};
    formatter(tz, key, opts).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function format(date, fmt, tz) {
    tz = tz || "UTC";
    var p = parts(date, tz, "all", {
      year: "numeric", month: "short", day: "numeric", weekday: "short",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
    });
    var time = p.hour + ":" + p.minute;
    var thisYear = parts(new Date(), tz, "y", { year: "numeric" }).year;
    var day = p.month + " " + p.day + (p.year !== thisYear ? ", " + p.year : "");
    if (fmt === "time") return time;
    if (fmt === "date") return day;
    if (fmt === "datetime") return p.month + " " + p.day + ", " + time;
    return p.weekday + ", " + p.day + " " + p.month + " " + p.year + ", " + time + " " + p.timeZoneName;
  }
  function fill(root, tz) {
    (root || document).querySelectorAll("[data-ts]").forEach(function (el) {
      var date = new Date(parseFloat(el.dataset.ts) * 1000);
      var text = format(date, el.dataset.fmt || "full", tz);
      if (el.dataset.fmt === "title") el.title = format(date, "full", tz);
      else el.textContent = text;
    });
  }
  window.hc = window.hc || {};
  window.hc.dates = { format: format, fill: fill };
})();

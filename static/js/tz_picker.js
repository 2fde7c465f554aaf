// Time zone pickers (web spec §6.10.4): a searchable single select over the
// <optgroup>s of templates/front/tz_options.html ("Common time zones" first,
// then "All time zones"). Always has a value: Backspace cannot clear it.
(function () {
  "use strict";

  // Wraps `select` once and returns its TomSelect (or null without the library).
  function initTzPicker(select) {
    if (!select || !window.TomSelect) return null;
    if (select.tomselect) return select.tomselect;
    return new TomSelect(select, {
      create: false,
      maxOptions: null,
      allowEmptyOption: false,
      lockOptgroupOrder: true,
      placeholder: "Type to search",
      searchField: ["text"],
      // A zone in both groups is one option: sorting by insertion order would
      // put the common zones first in "All time zones" too.
      sortField: [{ field: "$score" }, { field: "text" }],
      plugins: ["dropdown_input", "no_backspace_delete"],
      render: {
        no_results: function () { return '<div class="no-results">No matching time zones</div>'; }
      }
    });
  }

  // Select a zone in a select wrapped by initTzPicker (or a plain one).
  function setTz(select, tz) {
    var picker = select.tomselect;
    if (picker) {
      if (!picker.options[tz]) tz = "UTC";
      picker.setValue(tz, true);
    } else {
      select.value = tz;
    }
  }

  window.hc = window.hc || {};
  window.hc.initTzPicker = initTzPicker;
  window.hc.setTz = setTz;
})();

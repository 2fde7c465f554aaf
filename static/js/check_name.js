// The Name & Tags dialog (web spec §6.9) and the field helpers it shares with
// the Add Check dialog: slug suggestions and the tags input.
(function () {
  "use strict";

  // The slug Django's slugify() would make of a name: accents folded, other
  // non-ASCII characters dropped, runs of spaces and hyphens turned into one
  // hyphen, no hyphens or underscores at either end.
  function slugify(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
  }

  // Keeps a slug group's help line and "Use Suggested" button in step with
  // the name typed so far. Returns a function that refreshes them.
  function initSlugSuggestion(nameInput, group) {
    var slugInput = group.querySelector("input");
    var button = group.querySelector("[data-use-suggested]");
    var help = group.querySelector("[data-slug-help]");
    function refresh() {
      var suggested = slugify(nameInput.value);
      button.disabled = !suggested || suggested === slugInput.value;
      help.textContent = "";
      if (suggested) {
        var code = document.createElement("code");
        code.textContent = suggested;
        help.append("Suggested value: ", code);
      } else {
        help.textContent = "Allowed characters: lower-case letters a–z, digits, hyphens and underscores.";
      }
    }
    nameInput.addEventListener("input", refresh);
    slugInput.addEventListener("input", refresh);
    button.addEventListener("click", function () {
      slugInput.value = slugify(nameInput.value);
      refresh();
      slugInput.focus();
    });
    refresh();
    return refresh;
  }

  function projectTags() {
    var data = document.getElementById("all-tags");
    return data ? JSON.parse(data.textContent) : [];
  }

  // A token input for space-separated tags; the project's tags are offered,
  // new ones are created as typed (and when the field loses focus).
  function initTagsInput(input) {
    if (!window.TomSelect) return null;
    return new TomSelect(input, {
      create: true,
      createOnBlur: true,
      persist: false,
      delimiter: " ",
      createFilter: /^\S+$/,
      // Enter adds what was typed, even when a longer known tag also matches,
      // and the list follows every keystroke (no search delay to race).
      addPrecedence: true,
      refreshThrottle: 0,
      maxOptions: null,
      options: projectTags().map(function (tag) { return { value: tag, text: tag }; }),
      plugins: ["remove_button"],
      render: {
        option_create: function (data, escape) {
          return '<div class="create">Add tag <strong>' + escape(data.input) + "</strong></div>";
        },
        no_results: null
      }
    });
  }

  function setTags(picker, input, tags) {
    var list = String(tags || "").split(/\s+/).filter(Boolean);
    if (!picker) {
      input.value = list.join(" ");
      return;
    }
    picker.clear(true);
    list.forEach(function (tag) { picker.addOption({ value: tag, text: tag }); });
    picker.setValue(list, true);
  }

  window.hc = window.hc || {};
  window.hc.slugify = slugify;
  window.hc.initSlugSuggestion = initSlugSuggestion;
  window.hc.initTagsInput = initTagsInput;
  window.hc.setTags = setTags;

  var modal = document.getElementById("name-modal");
  var form = document.getElementById("name-form");
  if (!modal || !form) return;
  var nameInput = form.elements.namedItem("name");
  var slugInput = form.elements.namedItem("slug");
  var tagsInput = form.elements.namedItem("tags");
  var descInput = form.elements.namedItem("desc");
  var picker = initTagsInput(tagsInput);
  var refreshSlug = initSlugSuggestion(nameInput, form.querySelector("[data-slug-group]"));
  var focusDesc = false;

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-name-check]");
    if (!trigger) return;
    event.preventDefault();
    form.action = trigger.dataset.url;
    nameInput.value = trigger.dataset.name || "";
    slugInput.value = trigger.dataset.slug || "";
    descInput.value = trigger.dataset.desc || "";
    setTags(picker, tagsInput, trigger.dataset.tags);
    refreshSlug();
    focusDesc = trigger.dataset.focus === "desc";
    bootstrap.Modal.getOrCreateInstance(modal).show();
  });
  modal.addEventListener("shown.bs.modal", function () {
    var field = focusDesc ? descInput : nameInput;
    field.focus();
    if (focusDesc) field.setSelectionRange(field.value.length, field.value.length);
  });
})();

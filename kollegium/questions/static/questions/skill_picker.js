// A searchable skill picker for a <select multiple data-picker> (issue 16).
//
// Without JavaScript the native multi-select stays. With it, the select is hidden (it still
// holds the value the form posts) and in its place come a search field and the skills as
// checkboxes grouped by area, narrowed as one types: only native controls, so the keyboard
// (Tab, Space) and screen readers work as everywhere else, and a line says what is chosen.
(function () {
  "use strict";

  function text(select, name, fallback) {
    return select.getAttribute("data-" + name) || fallback;
  }

  function fold(value) {
    return value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function build(select) {
    var id = select.id;
    var picker = document.createElement("div");
    picker.className = "skill-picker";

    var searchId = id + "-search";
    var searchLabel = document.createElement("label");
    searchLabel.setAttribute("for", searchId);
    searchLabel.className = "small";
    searchLabel.textContent = text(select, "search-label", "Search");
    var search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.autocomplete = "off";
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) {
      search.setAttribute("aria-describedby", describedBy);
    }

    var chosen = document.createElement("p");
    chosen.className = "small skill-picker-chosen";
    chosen.setAttribute("aria-live", "polite");

    var list = document.createElement("div");
    list.className = "skill-picker-list";
    var label = document.querySelector('label[for="' + id + '"]');
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    if (label) {
      label.id = label.id || id + "-label";
      group.setAttribute("aria-labelledby", label.id);
    }
    list.appendChild(group);

    var noMatch = document.createElement("p");
    noMatch.className = "small muted";
    noMatch.hidden = true;
    noMatch.textContent = text(select, "nomatch", "No match.");

    var boxes = [];
    var sections = [];
    var parts = select.querySelectorAll("optgroup").length
      ? select.querySelectorAll("optgroup")
      : [select];
    Array.prototype.forEach.call(parts, function (part, partIndex) {
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = part.label || "";
      if (part.label) {
        fieldset.appendChild(legend);
      }
      var items = [];
      Array.prototype.forEach.call(part.querySelectorAll("option"), function (option, i) {
        var boxId = id + "-pick-" + partIndex + "-" + i;
        var row = document.createElement("div");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = boxId;
        box.checked = option.selected;
        var boxLabel = document.createElement("label");
        boxLabel.setAttribute("for", boxId);
        boxLabel.textContent = option.textContent;
        row.appendChild(box);
        row.appendChild(document.createTextNode(" "));
        row.appendChild(boxLabel);
        fieldset.appendChild(row);
        box.addEventListener("change", function () {
          option.selected = box.checked;
          summarise();
        });
        var entry = { row: row, box: box, option: option, words: fold(option.textContent + " " + (part.label || "")) };
        boxes.push(entry);
        items.push(entry);
      });
      sections.push({ fieldset: fieldset, items: items });
      group.appendChild(fieldset);
    });

    function summarise() {
      var names = boxes.filter(function (b) { return b.box.checked; }).map(function (b) {
        return b.option.textContent;
      });
      chosen.textContent = names.length
        ? text(select, "chosen-label", "Chosen:") + " " + names.join(", ")
        : text(select, "none-label", "None chosen.");
    }

    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      sections.forEach(function (section) {
        var any = false;
        section.items.forEach(function (entry) {
          var match = words.every(function (w) { return entry.words.indexOf(w) !== -1; });
          entry.row.hidden = !match && !entry.box.checked;
          if (!entry.row.hidden) {
            any = true;
            shown += 1;
          }
        });
        section.fieldset.hidden = !any;
      });
      noMatch.hidden = shown > 0;
    });
    // Enter in the search field must not send the form half-filled.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = boxes.filter(function (b) { return !b.row.hidden; })[0];
        if (first) {
          first.box.focus();
        }
      }
    });

    picker.appendChild(searchLabel);
    picker.appendChild(search);
    picker.appendChild(chosen);
    picker.appendChild(list);
    picker.appendChild(noMatch);
    select.hidden = true;
    select.parentNode.insertBefore(picker, select.nextSibling);
    summarise();
  }

  document.querySelectorAll("select[multiple][data-picker]").forEach(build);
})();

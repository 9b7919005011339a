// The intake wizard (cases/case_form.html): one section of the form at a
// time, with Next / Back; the missing-person report only for that kind of
// case. Without this script the form is one long page and works the same.
(function () {
  "use strict";

  function init(form) {
    var sections = Array.prototype.slice.call(form.querySelectorAll("[data-wizard-section]"));
    if (!sections.length) {
      return;
    }
    var steps = document.querySelector("[data-wizard-steps]");
    var submit = form.querySelector("[data-wizard-submit]");
    var current = 0;

    function hasErrors(section) {
      return section.querySelector(".field-invalid, .form-errors") !== null;
    }

    function show(index, focus) {
      current = Math.max(0, Math.min(index, sections.length - 1));
      sections.forEach(function (section, i) {
        section.hidden = i !== current;
      });
      if (submit) {
        submit.hidden = current !== sections.length - 1;
      }
      if (steps) {
        Array.prototype.forEach.call(steps.children, function (item, i) {
          if (i === current) {
            item.setAttribute("aria-current", "step");
          } else {
            item.removeAttribute("aria-current");
          }
          item.classList.toggle("has-errors", sections[i] !== undefined && hasErrors(sections[i]));
        });
      }
      if (focus) {
        var legend = sections[current].querySelector("legend");
        var target = sections[current].querySelector("input:not([type=hidden]), select, textarea");
        (target || legend || sections[current]).focus();
        sections[current].scrollIntoView({ block: "start" });
      }
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-wizard-next], [data-wizard-back]");
      if (!button) {
        return;
      }
      event.preventDefault();
      show(current + (button.hasAttribute("data-wizard-next") ? 1 : -1), true);
    });

    // Enter in a text field moves on instead of submitting half a form.
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "submit"
          && current < sections.length - 1) {
        event.preventDefault();
        show(current + 1, true);
      }
    });

    Array.prototype.forEach.call(form.querySelectorAll(".wizard-nav"), function (nav) {
      nav.hidden = false;
    });
    if (steps) {
      steps.hidden = false;
    }
    var firstWithErrors = sections.findIndex(hasErrors);
    if (form.querySelector(":scope > .form-errors") && firstWithErrors < 0) {
      firstWithErrors = sections.length - 1;
    }
    show(firstWithErrors >= 0 ? firstWithErrors : 0, false);

    // The missing-person report is asked only for a missing-person case.
    var report = form.querySelector("[data-missing-report]");
    var kinds = form.querySelectorAll("input[name=kind]");
    function toggleReport() {
      var missing = false;
      kinds.forEach(function (input) {
        if (input.checked && input.value === "MissingPerson") {
          missing = true;
        }
      });
      if (report) {
        report.hidden = !missing;
      }
    }
    kinds.forEach(function (input) {
      input.addEventListener("change", toggleReport);
    });
    toggleReport();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-wizard]").forEach(init);
  });
})();

/* The tabs of a case: show a fieldset only while a select holds one of the
   values it applies to (data-show-field, data-show-values). Without this
   script every fieldset stays visible. CSP-safe: no inline code. */
(function () {
  "use strict";

  function bind(fieldset) {
    var form = fieldset.closest("form");
    if (!form) { return; }
    var control = form.elements.namedItem(fieldset.getAttribute("data-show-field"));
    if (!control || control.tagName !== "SELECT") { return; }
    var values = fieldset.getAttribute("data-show-values").split(",");
    function update() {
      // Nothing chosen yet: show everything rather than hide choices.
      fieldset.hidden = control.value !== "" && values.indexOf(control.value) === -1;
    }
    control.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("fieldset[data-show-field]").forEach(bind);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Homeward's own script: small, no inline handlers (CSP allows only 'self').
(function () {
  "use strict";
  // Buttons marked data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = submitter && submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

// The hotline contact form: the running call timer, the "End call" and
// "Who can help?" shortcuts, and the focus on the first field to correct.
// The page works without it (the end time is typed, the panel is not shown).
(function () {
  "use strict";

  var form = document.getElementById("contact-form");
  if (!form) {
    return;
  }
  var timeZone = form.dataset.timeZone || "UTC";
  var started = form.querySelector("[name=started_at]");
  var ended = form.querySelector("[name=ended_at]");
  var timer = document.getElementById("call-timer");
  var timerBar = document.getElementById("call-timer-bar");
  var endButton = document.getElementById("end-call");
  var helpButton = document.getElementById("who-can-help-button");
  // A call the telephone system reported as ended: its times are filled in,
  // the timer shows its length, stopped, and there is no call to end (the
  // page leaves out the "End call" button).
  var callEnded = form.dataset.callEnded === "on";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // Now, as a wall clock in the site's time zone (the time fields are in it,
  // whatever the time zone of this computer): [y, m, d, h, min, s].
  function wallNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(new Date()).forEach(function (part) {
      parts[part.type] = Number(part.value);
    });
    return [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second];
  }

  function wallToMs(wall) {
    return Date.UTC(wall[0], wall[1] - 1, wall[2], wall[3], wall[4], wall[5] || 0);
  }

  // "2026-11-30T14:05:09" (or without seconds) as milliseconds, null if unreadable.
  function parseLocal(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || "");
    if (!m) {
      return null;
    }
    return wallToMs([+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0)]);
  }

  function formatLocal(wall) {
    return wall[0] + "-" + pad(wall[1]) + "-" + pad(wall[2]) + "T" +
      pad(wall[3]) + ":" + pad(wall[4]) + ":" + pad(wall[5]);
  }

  function formatDuration(ms) {
    var seconds = Math.max(0, Math.floor(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var hours = Math.floor(minutes / 60);
    var text = pad(minutes % 60) + ":" + pad(seconds % 60);
    return hours ? hours + ":" + text : text;
  }

  function tick() {
    var start = parseLocal(started && started.value);
    if (start === null) {
      timer.textContent = "--:--";
      return;
    }
    var end = parseLocal(ended && ended.value);
    timer.textContent = formatDuration((end === null ? wallToMs(wallNow()) : end) - start);
  }

  function endCall() {
    if (!ended || callEnded) {
      return;
    }
    ended.value = formatLocal(wallNow());
    ended.dispatchEvent(new Event("change", { bubbles: true }));
    tick();
  }

  if (form.dataset.timer === "on" && timer && timerBar) {
    timerBar.hidden = false;
    tick();
    window.setInterval(tick, 1000);
    if (endButton) {
      endButton.addEventListener("click", endCall);
    }
  }

  // "Who can help?": the country and city of the person of concern, else the caller's.
  if (helpButton) {
    helpButton.addEventListener("htmx:configRequest", function (event) {
      var value = function (name) {
        var field = form.querySelector("[name=" + name + "]");
        return field ? field.value.trim() : "";
      };
      var concern = value("concern_country");
      var country = concern || value("caller_country");
      var city = concern ? value("concern_city") : (value("concern_city") || value("caller_city"));
      var values = { country: country, city: city };
      var contact = value("contact");
      if (contact) {
        values.contact = contact;  // the contact being edited
      }
      var params = event.detail.parameters;
      Object.keys(values).forEach(function (key) {
        if (typeof params.set === "function") {
          params.set(key, values[key]);
        } else {
          params[key] = values[key];
        }
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.code === "KeyE" && form.dataset.timer === "on") {
      event.preventDefault();
      endCall();
    } else if (event.code === "KeyH" && helpButton) {
      event.preventDefault();
      helpButton.click();
    }
  });

  // After a refused save: the first field to correct takes the focus.
  var invalid = form.querySelector(
    ".field-invalid input:not([type=hidden]), .field-invalid select, .field-invalid textarea"
  );
  if (invalid) {
    invalid.focus();
  }
})();

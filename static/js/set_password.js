// Set-password page: a four-segment strength meter driven by zxcvbn.
(function () {
  "use strict";
  var input = document.getElementById("set-password");
  var meter = document.getElementById("password-meter");
  if (!input || !meter || typeof zxcvbn !== "function") return;
  var segments = meter.querySelectorAll("span");

  input.addEventListener("input", function () {
    var value = input.value;
    // zxcvbn scores 0 (guessable in seconds) to 4; an empty field resets the meter.
    var score = value ? zxcvbn(value).score : 0;
    meter.className = "password-meter score-" + score;
    segments.forEach(function (segment, i) {
      segment.classList.toggle("on", i < score);
    });
    meter.setAttribute("aria-valuenow", String(score));
    input.setCustomValidity(value && score === 0 ? "Please choose a stronger password." : "");
  });
})();

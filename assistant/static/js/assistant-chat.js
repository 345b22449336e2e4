// Assistant chat: after htmx appended the new pair of messages, empty the message box, scroll
// the reply into view and give focus back to the box. No inline scripts (CSP).
(function () {
  "use strict";
  if (window.assistantChatReady) { return; }
  window.assistantChatReady = true;
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "as-send" || !event.detail.successful) { return; }
    form.reset();
    var errors = document.getElementById("chat-errors");
    if (errors) { errors.textContent = ""; }
    var empty = document.querySelector("#chat-log .as-empty-log");
    if (empty) { empty.remove(); }
    var replies = document.querySelectorAll("#chat-log .as-assistant");
    if (replies.length) { replies[replies.length - 1].scrollIntoView({ block: "nearest" }); }
    var box = form.querySelector("textarea");
    if (box) { box.focus(); }
  });
})();

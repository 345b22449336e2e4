// Tag suggestions: a click adds the suggested tag to the edit form's tags input (comma-separated).
// No inline scripts (CSP); the fragment names the input through data-tags-input.
(function () {
  "use strict";
  if (window.contentTaxonomyReady) { return; }
  window.contentTaxonomyReady = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tx-suggestion");
    if (!button) { return; }
    var box = button.closest(".tx-suggestions");
    var input = document.getElementById(box ? box.dataset.tagsInput : "id_tag_names");
    if (!input) { return; }
    var names = input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    if (names.indexOf(button.dataset.tag) === -1) { names.push(button.dataset.tag); }
    input.value = names.join(", ");
    button.disabled = true;
    button.setAttribute("aria-pressed", "true");
  });
})();

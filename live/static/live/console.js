// The live posting screen (templates/admin/live/console.html): Ctrl+Enter (⌘+Enter on a Mac)
// posts the update from anywhere in its form, the editor included (caught before the editor,
// which would otherwise take it for a line break); Delete asks first.
"use strict";

(() => {
  const form = document.getElementById("live-post");
  if (form) {
    form.addEventListener(
      "keydown",
      (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          event.stopPropagation();
          form.requestSubmit(form.querySelector('button[value="post"]'));
        }
      },
      true,
    );
  }
  for (const button of document.querySelectorAll(".live-console__delete")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm("Delete this update from the page and the feed?")) event.preventDefault();
    });
  }
})();

// "Upload image" in the story editor's toolbar: choose a file, describe it, and it is stored
// (articles/views.py, images/body_images.py) and inserted as a figure. Loaded before
// django-prose-editor's scripts (BodyEditorWidget) so that it hears each editor announce
// itself. No inline script or style: the admin runs under a strict CSP.

function csrfToken(textarea) {
  const field = textarea.form?.querySelector("input[name=csrfmiddlewaretoken]")
  return field ? field.value : ""
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

function field(label, input) {
  return element("p", { className: "prose-editor-dialog-field" }, [
    element("label", {}, [label, input]),
  ])
}

// The dialog asking for the file, its alt text (or that it is decorative) and a caption.
function openDialog(editor, textarea, uploadUrl) {
  const file = element("input", { type: "file", name: "image", required: true })
  file.accept = "image/jpeg,image/png,image/webp,image/gif"
  const alt = element("input", { type: "text", name: "alt", maxLength: 300, required: true })
  const decorative = element("input", { type: "checkbox", name: "decorative" })
  const caption = element("input", { type: "text", name: "caption" })
  const message = element("p", { className: "errornote", hidden: true })
  message.setAttribute("role", "alert")
  const submit = element("button", { type: "submit", textContent: "Upload and insert" })
  const cancel = element("button", { type: "button", textContent: "Cancel" })
  const form = element("form", { method: "dialog" }, [
    element("h2", { className: "prose-editor-dialog-title", textContent: "Upload image" }),
    message,
    field("Image file ", file),
    field("Alt text (what the image shows) ", alt),
    field("Decorative: it says nothing to readers who cannot see it ", decorative),
    field("Caption (optional) ", caption),
    element("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = element("dialog", { className: "prose-editor-dialog body-image-dialog" }, [form])

  decorative.addEventListener("change", () => {
    alt.required = !decorative.checked
    alt.disabled = decorative.checked
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    if (!form.reportValidity()) return
    const data = new FormData()
    data.append("image", file.files[0])
    data.append("alt", decorative.checked ? "" : alt.value)
    if (decorative.checked) data.append("decorative", "on")
    submit.disabled = true
    message.hidden = true
    try {
      const image = await send(uploadUrl, data, csrfToken(textarea))
      insertFigure(editor, image, caption.value.trim())
      dialog.close()
    } catch (error) {
      message.textContent = error.message
      message.hidden = false
    } finally {
      submit.disabled = false
    }
  })
  document.body.append(dialog)
  dialog.showModal()
}

async function send(url, data, token) {
  let response
  try {
    response = await fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    })
  } catch {
    throw new Error("The upload did not reach the server; check the connection and try again.")
  }
  const answer = (response.headers.get("Content-Type") || "").includes("json")
    ? await response.json()
    : {}
  if (response.ok) return answer
  if (answer.error) throw new Error(answer.error)
  // Refusals that come before our view: the size limit (413) and the CSRF check (403).
  if (response.status === 413) throw new Error("This file is too large to upload.")
  if (response.status === 403) {
    throw new Error("The upload was refused: reload the page (you may have been signed out).")
  }
  throw new Error(`The upload failed (${response.status}); try again.`)
}

function insertFigure(editor, image, caption) {
  const content = [
    {
      type: "image",
      attrs: { src: image.url, alt: image.alt, width: image.width, height: image.height },
    },
  ]
  if (caption) content.push({ type: "caption", content: [{ type: "text", text: caption }] })
  editor.chain().focus().insertContent({ type: "figure", content }).run()
}

function addButton(menubar, editor, textarea, uploadUrl) {
  const button = element("button", {
    type: "button",
    className: "prose-menubar__button body-image-upload",
    title: "Upload image",
    textContent: "Upload image",
  })
  button.addEventListener("click", () => openDialog(editor, textarea, uploadUrl))
  menubar.append(button)
}

document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail
  const uploadUrl = textarea.dataset.bodyImageUpload
  const wrapper = textarea.closest(".prose-editor")
  if (!uploadUrl || !wrapper) return
  const menubar = wrapper.querySelector(".prose-menubar")
  if (menubar) {
    addButton(menubar, editor, textarea, uploadUrl)
    return
  }
  // The editor may draw its menu bar just after it says it is ready.
  const observer = new MutationObserver(() => {
    const bar = wrapper.querySelector(".prose-menubar")
    if (bar) {
      observer.disconnect()
      addButton(bar, editor, textarea, uploadUrl)
    }
  })
  observer.observe(wrapper, { childList: true, subtree: true })
})

// Upload page: drag and drop, one request per file with a progress bar, results listed.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  const input = document.getElementById("file-input");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("upload-list");
  if (!form) return;

  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (e) => { e.preventDefault(); zone.classList.add("over"); });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, (e) => { e.preventDefault(); zone.classList.remove("over"); });
  }
  zone.addEventListener("drop", (e) => sendAll(e.dataTransfer.files));
  form.addEventListener("submit", (e) => { e.preventDefault(); sendAll(input.files); });

  function sendAll(files) {
    for (const file of files) send(file);
    input.value = "";
  }

  function send(file) {
    const item = document.createElement("li");
    item.innerHTML = '<span class="name"></span><progress max="100" value="0"></progress><span class="result"></span>';
    item.querySelector(".name").textContent = file.name;
    list.prepend(item);
    const data = new FormData(form);
    data.delete("files");
    data.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) item.querySelector("progress").value = (100 * e.loaded) / e.total;
    });
    xhr.addEventListener("load", () => {
      const result = item.querySelector(".result");
      let payload = null;
      try { payload = JSON.parse(xhr.responseText); } catch (err) { payload = null; }
      const r = payload && payload.results ? payload.results[0] : null;
      if (r && !r.error) {
        result.innerHTML = '<a></a>';
        result.firstChild.href = r.url;
        result.firstChild.textContent = r.message;
        item.classList.add("ok");
      } else {
        result.textContent = r ? r.error.message
          : xhr.status === 413 ? `${file.name}: файл больше допустимого размера.`
          : `${file.name}: не удалось загрузить (код ${xhr.status}).`;
        item.classList.add("failed");
      }
      item.querySelector("progress").value = 100;
    });
    xhr.addEventListener("error", () => {
      item.querySelector(".result").textContent = `${file.name}: соединение прервалось.`;
      item.classList.add("failed");
    });
    xhr.send(data);
  }
});

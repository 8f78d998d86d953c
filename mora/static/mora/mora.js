// Mora: "select all" of the case list (the bulk reassignment form takes the checked boxes).
document.addEventListener("change", function (evento) {
  if (evento.target.id === "seleccionar-todos") {
    document.querySelectorAll("input.sel-caso").forEach(function (caja) { caja.checked = evento.target.checked; });
  }
});

// A plain <textarea> with a line-number gutter and line marks (the rule that fired, an error
// line) drawn in a layer behind the text, kept in step with the textarea's scroll.

/** Wires `textarea` to `gutter` and `marks`; returns { refresh(), mark(kind, start, end), clear(kind) }. */
export function lineEditor(textarea, gutter, marks) {
  const ranges = new Map(); // kind -> { start, end }
  let lineCount = 0;
  const lineHeight = () => parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  const padTop = () => parseFloat(getComputedStyle(textarea).paddingTop) || 0;

  function refresh() {
    const count = textarea.value.split('\n').length;
    if (count !== lineCount) {
      lineCount = count;
      const frag = document.createDocumentFragment();
      for (let i = 1; i <= count; i++) {
        const d = document.createElement('div');
        d.textContent = String(i);
        d.dataset.line = String(i);
        frag.append(d);
      }
      gutter.replaceChildren(frag);
    }
    for (const d of gutter.children) d.className = '';
    marks.replaceChildren();
    const h = lineHeight();
    for (const [kind, { start, end }] of ranges) {
      for (let i = start; i <= Math.min(end, lineCount); i++) gutter.children[i - 1]?.classList.add(kind);
      const band = document.createElement('div');
      band.className = kind;
      band.dataset.start = String(start);
      band.dataset.end = String(end);
      band.style.top = `${padTop() + (start - 1) * h}px`;
      band.style.height = `${(end - start + 1) * h}px`;
      marks.append(band);
    }
    sync();
  }

  function sync() {
    gutter.scrollTop = textarea.scrollTop;
    marks.style.transform = `translateY(${-textarea.scrollTop}px)`;
  }

  textarea.addEventListener('scroll', sync);
  return {
    refresh,
    mark(kind, start, end = start) {
      ranges.set(kind, { start, end });
      refresh();
    },
    clear(kind) {
      if (ranges.delete(kind)) refresh();
    },
  };
}

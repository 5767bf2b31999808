(() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`scrolls sideways by ${root.scrollWidth - root.clientWidth}px`);
  for (const table of document.querySelectorAll('main table')) {
    let box = table.parentElement;
    while (box && box !== document.body) {
      const style = getComputedStyle(box);
      if (['hidden', 'clip'].includes(style.overflowX) && table.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) {
        problems.push(`table "${(table.caption && table.caption.textContent || '').trim().slice(0, 40)}" cut off`);
        break;
      }
      box = box.parentElement;
    }
  }
  const controls = document.querySelectorAll('main button, main select, main textarea, main input:not([type=hidden]), main a.ds-button, .quick-exit a, .quick-exit button');
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    // A radio or checkbox whose label is its row: the row is the target.
    const row = el.closest('label, .choice-row, .radio-row, .sign-choice, .checkbox-row');
    const t = row && (el.type === 'radio' || el.type === 'checkbox') ? row.getBoundingClientRect() : r;
    if (t.width < 24 || t.height < 24) problems.push(`${el.tagName.toLowerCase()}${el.name ? '[' + el.name + ']' : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}" is ${Math.round(t.width)}×${Math.round(t.height)}px`);
  }
  return problems;
})

const MAX_TITLE = 60;

/** A short form of the prompt for a track's default title: first clause, cut at a word. */
export function titleFromPrompt(prompt: string, take = 0, takes = 1): string {
  const firstLine = prompt.replace(/\s+/g, ' ').trim();
  let title = firstLine;
  if (title.length > MAX_TITLE) {
    const cut = title.slice(0, MAX_TITLE);
    const space = cut.lastIndexOf(' ');
    title = `${(space > MAX_TITLE / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:·-]+$/u, '')}…`;
  }
  return takes > 1 ? `${title} (take ${take + 1})` : title;
}

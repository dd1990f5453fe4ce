"""Reading the template's checklist: ticked items, their notes, and the text around them."""

from __future__ import annotations

import re
from collections import defaultdict

from report_archive.reports.catalogue import Catalogue, ChecklistEntry, normalize_line
from report_archive.reports.model import ChecklistItem
from report_archive.reports.parser.blocks import Block
from report_archive.reports.parser.syntax import CHECK_EMOJI, CHECK_ITEM, CHECKED, MODULES
from report_archive.reports.parser.text import Kept, Text

__all__ = ["ChecklistReader"]


class ChecklistReader:
    """Reads checklist blocks against the catalogue's checklist.

    Args:
        catalogue: The question catalogue, with the checklist items of every template.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.boilerplate = catalogue.boilerplate
        # by number of words, then normalised text: the longest item a line starts with
        self.index: dict[int, dict[str, ChecklistEntry]] = defaultdict(dict)
        for entry in catalogue.checklist:
            self.index[len(entry.text.split())][entry.normalized] = entry

    def read(self, block: Block, text: Text, extra: Kept, items: list[ChecklistItem]) -> None:
        """Read a checklist block.

        Args:
            block: The block.
            text: The report's lines.
            extra: Where lines that are not items go (the template's own are dropped).
            items: Where items go.
        """
        lines = text.lines
        i = block.start + 1
        while i < block.end:
            m = None if text.in_code[i] else _item_match(lines[i])
            if not m:
                end = i + 1
                while end < block.end and (text.in_code[end] or not _item_match(lines[end])):
                    end += 1
                text.keep(i, end, self.boilerplate, extra, unquote=False)
                i = end
                continue
            mark, words = m.group(1), m.group(2).strip()
            start = i
            while (
                i + 1 < block.end
                and lines[i + 1].strip()
                and lines[i + 1][:1] in (" ", "\t")
                and not _item_match(lines[i + 1])
            ):
                i += 1
                words += " " + lines[i].strip()
            checked = bool(CHECKED.search(mark))
            items.append(self.item(words, checked, block.checklist_section, start + 1))
            i += 1

    def item(self, text: str, checked: bool, section: str, line: int) -> ChecklistItem:
        """Return the item a line of the checklist holds.

        The longest template item that the text starts with is the item, and the rest is
        the student's note; a line that starts with no template item is the student's own.
        """
        tokens = text.split()
        for k in sorted(self.index, reverse=True):
            if k > len(tokens):
                continue
            entry = self.index[k].get(normalize_line(" ".join(tokens[:k])))
            if entry is not None:
                note = " ".join(tokens[k:])
                base = MODULES.sub("", entry.text).strip()
                return ChecklistItem(base, checked, entry.modules, note, section, line)
        joined = " ".join(tokens)
        modules = MODULES.search(joined)
        if modules:
            codes = tuple(re.findall(r"M\d+", modules.group(1)))
            return ChecklistItem(
                joined[: modules.start()].strip(), checked, codes, "", section, line
            )
        return ChecklistItem(joined, checked, (), "", section, line)


def _item_match(line: str) -> re.Match[str] | None:
    return CHECK_ITEM.match(line) or CHECK_EMOJI.match(line)

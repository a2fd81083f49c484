"""``DevicePicker``: find one device among thousands (or several), then query exactly those.

    picker = DevicePicker(session)              # search box, collection filter, a paged list
    picker                                      # shows it; pick devices by clicking
    picker.selected                             # ('WKS-00042',) — readable and settable
    %%cmpivot --devices picker                  # or session.run(q, devices=picker.selected)

The filtering is ``DeviceIndex``'s (``devices.py``): vectorised, so typing stays instant at
20,000 devices, and the list shows one page of ``page_size`` rows, built once and relabelled,
never one widget per device. The selection survives re-running the cell: pickers register their
state under the connection's URL and a ``key`` (as msticpy's ``RegisteredWidget`` does), and a
new picker with the same URL and key starts where the last one left off (``register=False``
opts out). Where widgets do not render (nbconvert, GitHub), the output shows the selection as text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from ..errors import CMPivotError
from .devices import DETAIL_COLUMNS, SEARCH_COLUMNS, DeviceIndex, collection_members

SEARCH_PLACEHOLDER = "Search name, user, OS or collection"
_SHOWN_NAMES = 6  # names listed in the selection line before "and N more"


@dataclass(frozen=True)
class PickerState:
    """What a picker remembers across re-runs of its cell."""

    selected: tuple[str, ...] = ()
    search: str = ""
    collection: str = ""
    online_only: bool = False


_REGISTRY: dict[tuple[str, str], PickerState] = {}


def forget(url: str | None = None) -> None:
    """Forget remembered picker state (for one connection URL, or all)."""
    for k in [k for k in _REGISTRY if url is None or k[0] == url]:
        del _REGISTRY[k]


class DevicePicker:
    """Pick devices of a session: ``multi=False`` for exactly one. ``key`` tells pickers on the
    same connection apart, so each remembers its own selection. ``index`` picks from a
    ``DeviceIndex`` built beforehand instead of the session's devices (``from_frame`` does so)."""

    def __init__(self, session: Any = None, *, multi: bool = True, page_size: int = 50, key: str = "default",
                 register: bool = True, index: DeviceIndex | None = None,
                 placeholder: str = SEARCH_PLACEHOLDER) -> None:
        if index is None:
            if session is None:
                raise CMPivotError("DevicePicker needs a session or a DeviceIndex",
                                   hint="DevicePicker(cmpivot_magic.connect(url)), or DevicePicker.from_frame(frame)")
            index = DeviceIndex(session.devices(), collections=session.collections(),
                                members=collection_members(session))
        if page_size < 1:
            raise CMPivotError("page_size must be at least 1")
        self.session = session
        self.index, self.multi, self.page_size = index, multi, page_size
        self.url = str(session.url) if session is not None else ""
        # only a session's picker is remembered: its URL says which site the names belong to
        self._key = (self.url, key) if register and session is not None else None
        self._selection: dict[str, None] = {}
        self._callbacks: list[Callable[[tuple[str, ...]], None]] = []
        self._quiet_depth = 0
        self._matches = np.arange(len(index))
        self._page_number = 0
        self._page_names: list[str] = []
        self._build_filters(placeholder)
        self._build_rows()
        self._build_layout()
        self._restore()
        self._wire()
        self._refilter()
        self._selection_changed(notify=False)

    @classmethod
    def from_frame(cls, devices: pd.DataFrame, *, multi: bool = True, page_size: int = 50,
                   search_columns: Sequence[str] = SEARCH_COLUMNS, details: Sequence[str] = DETAIL_COLUMNS,
                   placeholder: str = "Search devices") -> DevicePicker:
        """A picker over any frame with a Name column (and optionally IsOnline), without a session
        or collections, and not registered — the results explorer picks its pivot devices so."""
        index = DeviceIndex(devices, search_columns=search_columns, details=details)
        return cls(None, multi=multi, page_size=page_size, register=False, index=index, placeholder=placeholder)

    # --------------------------------------------------------------------------- building

    def _build_filters(self, placeholder: str) -> None:
        """The search box, the collection filter and the two checkboxes above the list."""
        index = self.index
        self.search = w.Text(placeholder=placeholder, continuous_update=True,
                             layout=w.Layout(width="22em"))
        self.search.add_class("cmpivot-picker-search")
        options = [("All devices", "")] + [
            (f"{name} ({count:,})" if count is not None else name, cid) for cid, name, count in _collection_rows(index)]
        self.collection = w.Dropdown(options=options, value="", layout=w.Layout(
            width="20em", display=None if len(options) > 1 else "none"))
        self.online_only = w.Checkbox(description="online only", indent=False, layout=w.Layout(
            width="auto", display=None if index.online is not None else "none"))
        self.selected_only = w.Checkbox(description="selected only", indent=False, layout=w.Layout(width="auto"))

    def _build_rows(self) -> None:
        """One page of rows, built once: paging relabels them (never one widget per device)."""
        self.rows: list[w.Checkbox] = []
        self.row_details: list[w.HTML] = []
        self._row_boxes: list[w.HBox] = []
        for i in range(min(self.page_size, max(1, len(self.index)))):
            box = w.Checkbox(indent=False, layout=w.Layout(width="14em"))
            box.add_class("cmpivot-picker-device")
            detail = w.HTML()
            box.observe(lambda change, i=i: self._on_row(i, change["new"]), names="value")
            self.rows.append(box)
            self.row_details.append(detail)
            self._row_boxes.append(w.HBox([box, detail], layout=w.Layout(align_items="center")))

    def _build_layout(self) -> None:
        """Filters, then paging, then the rows, then the selection line and its buttons."""
        self.status_label = w.HTML()
        self.prev_button = w.Button(description="‹ Prev", layout=w.Layout(width="6em"))
        self.next_button = w.Button(description="Next ›", layout=w.Layout(width="6em"))
        self.count_label = w.HTML()
        self.count_label.add_class("cmpivot-picker-count")
        self.select_all_button = w.Button(description="Select all matches", layout=w.Layout(
            width="auto", display=None if self.multi else "none"))
        self.clear_button = w.Button(description="Clear", layout=w.Layout(width="auto"))
        self.widget = w.VBox([
            w.HBox([self.search, self.collection, self.online_only, self.selected_only],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            w.HBox([self.prev_button, self.next_button, self.status_label], layout=w.Layout(align_items="center")),
            w.VBox(self._row_boxes, layout=w.Layout(max_height="24em", overflow="auto")),
            w.HBox([self.count_label, self.select_all_button, self.clear_button],
                   layout=w.Layout(align_items="center")),
        ])
        self.widget.add_class("cmpivot-picker")

    def _restore(self) -> None:
        """The cell was re-run: start where the last picker with this URL and key left off."""
        state = _REGISTRY.get(self._key) if self._key is not None else None
        if state is None:
            return
        self._selection = dict.fromkeys(self.index.known(state.selected)[: None if self.multi else 1])
        self.search.value = state.search
        if state.collection in dict(self.collection.options).values():
            self.collection.value = state.collection
        self.online_only.value = state.online_only and self.index.online is not None

    def _wire(self) -> None:
        for control in (self.search, self.collection, self.online_only, self.selected_only):
            control.observe(lambda _change: self._refilter(), names="value")
        self.prev_button.on_click(lambda _b: self.go_to(self._page_number - 1))
        self.next_button.on_click(lambda _b: self.go_to(self._page_number + 1))
        self.select_all_button.on_click(lambda _b: self.select_all_matches())
        self.clear_button.on_click(lambda _b: self.clear())

    # --------------------------------------------------------------------------- the selection

    @property
    def selected(self) -> tuple[str, ...]:
        """The selected device names, in the order they were picked."""
        return tuple(self._selection)

    @selected.setter
    def selected(self, names: str | Iterable[str]) -> None:
        chosen = self.index.canonical([names] if isinstance(names, str) else names)
        if not self.multi and len(chosen) > 1:
            raise CMPivotError(f"this picker selects one device, not {len(chosen)}",
                               hint="DevicePicker(session, multi=True) picks several")
        self._selection = dict.fromkeys(chosen)
        self._render_page()
        self._selection_changed()

    def clear(self) -> None:
        self.selected = ()

    def select_all_matches(self) -> None:
        """Add every device matching the current search and filters (multi-select only)."""
        if not self.multi:
            raise CMPivotError("this picker selects one device; select_all_matches needs multi=True")
        self._selection.update(dict.fromkeys(self.index.names[self._matches].tolist()))
        self._render_page()
        self._selection_changed()

    def on_change(self, callback: Callable[[tuple[str, ...]], None]) -> None:
        """Call ``callback(selected)`` whenever the selection changes."""
        self._callbacks.append(callback)

    def _on_row(self, i: int, checked: bool) -> None:
        if self._quiet_depth or i >= len(self._page_names):
            return
        name = self._page_names[i]
        if checked and not self.multi:
            self._selection = {name: None}
            self._render_page()  # unticks the one picked before
        elif checked:
            self._selection[name] = None
        else:
            self._selection.pop(name, None)
        self._selection_changed()

    def _selection_changed(self, notify: bool = True) -> None:
        n = len(self._selection)
        names = list(self._selection)[:_SHOWN_NAMES]
        more = f" and {n - len(names):,} more" if n > len(names) else ""
        listed = f": {html.escape(', '.join(names))}{more}" if names else ""
        self.count_label.value = f"<b>{n:,}</b> device{'s' if n != 1 else ''} selected{listed}"
        self.clear_button.disabled = n == 0
        self._remember()
        if self.selected_only.value:
            self._refilter(keep_page=True)
        if notify:
            for callback in self._callbacks:
                callback(self.selected)

    def _remember(self) -> None:
        if self._key is not None:
            _REGISTRY[self._key] = PickerState(self.selected, self.search.value, str(self.collection.value or ""),
                                               bool(self.online_only.value))

    # --------------------------------------------------------------------------- filtering, paging

    @property
    def matches(self) -> tuple[str, ...]:
        """Names of every device matching the search and filters, across all pages."""
        return tuple(self.index.names[self._matches].tolist())

    @property
    def page_names(self) -> tuple[str, ...]:
        """The devices listed on the page shown."""
        return tuple(self._page_names)

    @property
    def page(self) -> int:
        """The page shown, 0-based."""
        return self._page_number

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self._matches) // self.page_size))

    def go_to(self, page: int) -> None:
        self._page_number = min(max(0, page), self.page_count - 1)
        self._render_page()

    def _refilter(self, keep_page: bool = False) -> None:
        only = self._selection if self.selected_only.value else None
        self._matches = self.index.match(self.search.value, collection=self.collection.value or None,
                                         online_only=bool(self.online_only.value), only=only)
        self._page_number = self._page_number if keep_page else 0
        self._render_page()
        self._remember()

    def _render_page(self) -> None:
        page = self.index.page(self._matches, self._page_number, self.page_size)
        self._page_number = page.number
        self._page_names = self.index.names[page.positions].tolist()
        with self._quiet():
            for i, (box, detail, row) in enumerate(zip(self.rows, self.row_details, self._row_boxes, strict=True)):
                if i < len(page.positions):
                    name = self._page_names[i]
                    box.description = name
                    box.value = name in self._selection
                    detail.value = self.index.detail_html(int(page.positions[i]))
                    row.layout.display = None
                else:
                    row.layout.display = "none"
        total = len(self.index)
        if page.matches:
            first = page.number * self.page_size + 1
            shown = f"{first:,}–{first + len(page.positions) - 1:,}"
            where = (f"devices {shown} of {total:,}" if page.matches == total
                     else f"{shown} of {page.matches:,} matching devices (of {total:,})")
            self.status_label.value = f"{where} · page {page.number + 1} of {page.count:,}"
        else:
            self.status_label.value = f"no devices match (of {total:,})"
        self.prev_button.disabled = page.number == 0
        self.next_button.disabled = page.number >= page.count - 1

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set row values without treating them as clicks."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    # --------------------------------------------------------------------------- display

    def text(self) -> str:
        """The plain-text view: what notebooks show where widgets do not render."""
        n = len(self._selection)
        head = f"DevicePicker({self.url or 'devices'}): {n:,} of {len(self.index):,} devices selected"
        if not n:
            return head
        names = list(self._selection)
        listed = "\n".join(f"  {name}" for name in names[:50])
        more = f"\n  … and {n - 50:,} more" if n > 50 else ""
        return f"{head}\n{listed}{more}"

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle

    def close(self) -> None:
        """Close every widget of the picker (its view disappears from the notebook)."""
        for widget in _descendants(self.widget):
            widget.close()


def _collection_rows(index: DeviceIndex) -> list[tuple[str, str, int | None]]:
    """(CollectionID, Name, MemberCount or None) for the collection filter's options."""
    frame = index.collections
    counts = frame["MemberCount"].tolist() if "MemberCount" in frame.columns else [None] * len(frame)
    return [(str(cid), str(name), None if pd.isna(n) else int(n))
            for cid, name, n in zip(frame["CollectionID"], frame["Name"], counts, strict=True)]


def _descendants(widget: w.Widget) -> list[w.Widget]:
    """A widget and everything inside it (children and tab pages), deepest first."""
    out: list[w.Widget] = []
    for child in getattr(widget, "children", ()):
        out.extend(_descendants(child))
    out.append(widget)
    return out

"""The one YAML loader of Värna: PyYAML's safe loader with limits, for every file anyone can hand us.

PyYAML's safe loader builds no objects of its own choosing, but it has no limits: a few hundred bytes
of nested aliases ("billion laughs") expand to a document that anything walking it afterwards (the
schema check, the importer) needs minutes and gigabytes for, a deep nesting overflows Python's stack,
and a key written twice silently keeps the last value. :class:`BoundedLoader` refuses all of these while
it composes the document, before any value is built:

- the text is at most ``max_bytes`` long (UTF-8);
- at most ``max_aliases`` aliases (``*name``) and ``max_anchors`` anchors (``&name``);
- collections nest at most ``max_depth`` deep;
- the document, with every alias expanded, has at most ``max_nodes`` nodes (worked out without
  expanding anything, so a bomb is measured in microseconds); an alias inside its own anchor is refused;
- no mapping names the same key twice: the error names the key, its path and both lines.

Every refusal is a :class:`YAMLLimitError`, a ``yaml.MarkedYAMLError``, so code that already handles
``yaml.YAMLError`` reports it like any other syntax error, with its line. ``code`` and ``params`` let a
caller word it in the user's language (:meth:`YAMLLimitError.localized`).

This module does not import Django: the guidance rule engine, which is pure Python, uses it too.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["BoundedLoader", "YAMLLimitError", "compose", "load", "load_path"]


def gettext_noop(text: str) -> str:
    """Marks a message for translation (makemessages finds it) without importing Django."""
    return text


# English templates; localized() translates them with Django's catalogue when Django is there.
MESSAGES = {
    "too_large": gettext_noop("the file is larger than %(limit)s bytes"),
    "too_deep": gettext_noop("lists and mappings are nested more than %(limit)s deep"),
    "too_many_aliases": gettext_noop("the file uses more than %(limit)s aliases (*name)"),
    "too_many_anchors": gettext_noop("the file defines more than %(limit)s anchors (&name)"),
    "too_many_nodes": gettext_noop("with its aliases expanded the file holds more than %(limit)s values"),
    "recursive_alias": gettext_noop("the alias *%(anchor)s refers to a value that contains it"),
    "duplicate_key": gettext_noop("the key “%(key)s” appears twice in the same mapping (lines %(first)s and "
                                  "%(line)s); remove one"),
    "not_text": gettext_noop("the file is not UTF-8 text"),
}


class YAMLLimitError(yaml.MarkedYAMLError):
    """The text breaks one of the loader's limits. ``code`` is a key of MESSAGES; ``params`` fill it in;
    ``path`` is where in the document it happened (a list of keys and indexes), when known."""

    def __init__(self, code: str, params: dict[str, Any], mark: Any = None, path: list[Any] | None = None) -> None:
        self.code, self.params, self.path = code, params, list(path or [])
        super().__init__(problem=MESSAGES[code] % params, problem_mark=mark)

    @property
    def line(self) -> int | None:
        """1-based line of the problem, if the loader knows it."""
        return self.problem_mark.line + 1 if self.problem_mark is not None else None

    def localized(self) -> str:
        """The problem in the active language (Django's gettext is imported only here)."""
        from django.utils.translation import gettext

        return gettext(MESSAGES[self.code]) % self.params


def _key_text(node: Node) -> str:
    return str(node.value)[:80] if isinstance(node, ScalarNode) else "…"


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with the limits above. Subclass it to change a limit or the resolvers."""

    max_bytes = 5 * 1024 * 1024
    max_depth = 64
    max_aliases = 200
    max_anchors = 200
    max_nodes = 500_000

    def __init__(self, stream: str | bytes) -> None:
        if isinstance(stream, bytes):
            size = len(stream)
            if size <= self.max_bytes:
                try:
                    stream = stream.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise YAMLLimitError("not_text", {}) from exc
        elif isinstance(stream, str):
            # Cheap upper bound first: UTF-8 needs at most four bytes per character.
            size = len(stream) if len(stream) * 4 <= self.max_bytes else len(stream.encode("utf-8", "surrogatepass"))
        else:
            raise TypeError("BoundedLoader reads text or bytes, not a stream of unknown length")
        if size > self.max_bytes:
            raise YAMLLimitError("too_large", {"limit": self.max_bytes})
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._anchors = 0
        self._path: list[Any] = []
        self._anchor_of: dict[int, str] = {}

    # --- composing, with the counts ----------------------------------------------------------------

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None:
            self._check_expanded_size(node)
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise YAMLLimitError("too_many_aliases", {"limit": self.max_aliases}, self.peek_event().start_mark,
                                     self._path)
            return self._composed(parent, index)
        event = self.peek_event()
        if event.anchor is not None:
            self._anchors += 1
            if self._anchors > self.max_anchors:
                raise YAMLLimitError("too_many_anchors", {"limit": self.max_anchors}, event.start_mark, self._path)
        collection = isinstance(event, (MappingStartEvent, SequenceStartEvent))
        if collection:
            self._depth += 1
            if self._depth > self.max_depth:
                raise YAMLLimitError("too_deep", {"limit": self.max_depth}, event.start_mark, self._path)
        try:
            node = self._composed(parent, index)
        finally:
            if collection:
                self._depth -= 1
        if event.anchor is not None:
            self._anchor_of[id(node)] = event.anchor  # for the message about a recursive alias
        return node

    def _composed(self, parent: Node | None, index: Any) -> Node:
        node = super().compose_node(parent, index)
        # PyYAML's stubs allow None, which only compose_document returns (at the end of the stream).
        if node is None:
            raise yaml.YAMLError("no node where one was expected")
        return node

    # The stubs type ``anchor`` as a dict; PyYAML passes the anchor's name (or None).
    def compose_sequence_node(self, anchor: str | None) -> SequenceNode:  # type: ignore[override]
        # As PyYAML's, with the index on the path for error messages.
        start_event = self.get_event()
        tag = start_event.tag
        if tag is None or tag == "!":
            tag = self.resolve(SequenceNode, None, start_event.implicit)
        node = SequenceNode(tag, [], start_event.start_mark, None, flow_style=start_event.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        index = 0
        while not self.check_event(yaml.events.SequenceEndEvent):
            self._path.append(index)
            node.value.append(self.compose_node(node, index))
            self._path.pop()
            index += 1
        node.end_mark = self.get_event().end_mark
        return node

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:  # type: ignore[override]
        # As PyYAML's, refusing a key written twice (PyYAML keeps the last one without a word).
        start_event = self.get_event()
        tag = start_event.tag
        if tag is None or tag == "!":
            tag = self.resolve(MappingNode, None, start_event.implicit)
        node = MappingNode(tag, [], start_event.start_mark, None, flow_style=start_event.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        seen: dict[Any, Node] = {}
        while not self.check_event(MappingEndEvent):
            key = self.compose_node(node, None)
            identity = self._key_identity(key)
            if identity is not None:
                if identity in seen:
                    raise YAMLLimitError("duplicate_key", {
                        "key": _key_text(key), "first": seen[identity].start_mark.line + 1,
                        "line": key.start_mark.line + 1}, key.start_mark, [*self._path, _key_text(key)])
                seen[identity] = key
            self._path.append(_key_text(key))
            value = self.compose_node(node, key)
            self._path.pop()
            node.value.append((key, value))
        node.end_mark = self.get_event().end_mark
        return node

    def _key_identity(self, key: Node) -> Any:
        """What makes two keys the same key: the value they construct to (``yes`` and ``true`` are one bool),
        for scalar keys; other keys are left to the constructor."""
        if not isinstance(key, ScalarNode):
            return None
        try:
            value = self.construct_object(key, deep=True)
        except yaml.YAMLError:
            return ("unconstructed", key.tag, key.value)
        try:
            hash(value)
        except TypeError:
            return None
        return (type(value).__name__, value)

    def _check_expanded_size(self, root: Node | None) -> None:
        """Count the nodes of the document as if every alias were copied out, without copying anything:
        a node's size is one plus its children's, worked out once per node."""
        if root is None:
            return
        sizes: dict[int, int] = {}
        open_nodes: set[int] = set()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            ident = id(node)
            if children_done:
                open_nodes.discard(ident)
                total = 1 + sum(sizes[id(child)] for child in _children(node))
                if total > self.max_nodes:
                    raise YAMLLimitError("too_many_nodes", {"limit": self.max_nodes}, node.start_mark)
                sizes[ident] = total
                continue
            if ident in sizes:
                continue
            if ident in open_nodes:
                anchor = self._anchor_of.get(ident, "?")
                raise YAMLLimitError("recursive_alias", {"anchor": anchor}, node.start_mark)
            open_nodes.add(ident)
            stack.append((node, True))
            for child in _children(node):
                if id(child) in open_nodes:
                    anchor = self._anchor_of.get(id(child), "?")
                    raise YAMLLimitError("recursive_alias", {"anchor": anchor}, child.start_mark)
                if id(child) not in sizes:
                    stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load(text: str | bytes, *, loader: type[BoundedLoader] = BoundedLoader) -> Any:
    """The one document in ``text``, built with the safe constructor under ``loader``'s limits."""
    instance = loader(text)
    try:
        return instance.get_single_data()
    finally:
        instance.dispose()


def compose(text: str | bytes, *, loader: type[BoundedLoader] = BoundedLoader) -> tuple[Any, Node | None]:
    """The data and its root node (for line numbers of later problems), under ``loader``'s limits."""
    instance = loader(text)
    try:
        root = instance.get_single_node()
        data = instance.construct_document(root) if root is not None else None
        return data, root
    finally:
        instance.dispose()


def load_path(path: Any, *, loader: type[BoundedLoader] = BoundedLoader) -> Any:
    """A YAML file from disk (package data included: the same limits hold for what ships with Värna)."""
    from pathlib import Path

    return load(Path(path).read_bytes(), loader=loader)
